"""Conflict of interest (jäv, kommunallagen 6 kap. 28–32 §§), quorum (6 kap. 27 §) and who
leads an item: each rule as its own case.

The fund's committee here is the chair, `committee_member` and three `members`: five
members, so a quorum is three taking part.
"""

import pytest
from django.utils import timezone

from ideasluss.accounts.roles import Role
from ideasluss.errors import NotAllowed, RequirementsMissing
from ideasluss.fund.models import AgendaItem, Decision, DecisionKind, DeclarationEntry
from ideasluss.fund.participation import participation_in
from ideasluss.fund.services import conflict_declare
from tests.factories import UserFactory
from tests.fund.decision_helpers import open_meeting
from workflows.fund.services import (
    decision_preview,
    decision_record,
    review_submit,
    stand_in_appoint,
)


@pytest.fixture
def scores(fund):
    return {criterion.pk: 4 for criterion in fund.criteria.all()}


def _decide(application, meeting, by):
    return decision_record(
        application=application,
        by=by,
        kind=DecisionKind.APPROVE,
        rationale="Bra för invånarna.",
        meeting=meeting,
    )


def _meeting(fund, chair, attendees, application):
    meeting = open_meeting(fund=fund, chair=chair, attendees=attendees, agenda=[application])
    return meeting, AgendaItem.objects.get(meeting=meeting, application=application)


# --- who is disqualified without declaring ---------------------------------------------


@pytest.mark.parametrize("relation", ["applicant", "owner", "co_owner"])
def test_whoever_the_application_concerns_is_disqualified_without_declaring(
    application, members, relation, scores
):
    member = members[0]
    if relation == "applicant":
        application.applicant = member
        application.save()
    elif relation == "owner":
        application.idea.owner = member
        application.idea.save()
    else:
        application.idea.co_owners.add(member)
    assert not member.has_perm("fund.declare_conflict", application)
    assert not member.has_perm("fund.review_application", application)
    assert not member.has_perm("fund.see_scores", application)
    with pytest.raises(NotAllowed, match="jävig"):
        conflict_declare(application=application, member=member, has_conflict=False)
    with pytest.raises(NotAllowed):
        review_submit(application=application, member=member, scores=scores)
    assert not application.declarations.exists()


def test_a_co_owner_is_not_asked_to_declare_on_the_dashboard(client, application, members):
    application.idea.co_owners.add(members[0])
    client.force_login(members[0])
    response = client.get(f"/fund/applications/{application.pk}/declare/")
    assert response.status_code == 200
    assert "utan att anmäla" in response.content.decode()
    assert "Nej, jag är inte jävig" not in response.content.decode()


def test_a_co_owner_never_takes_part_and_is_named_as_disqualified(
    application, fund, chair, committee_member, members
):
    co_owner = members[0]
    application.idea.co_owners.add(co_owner)
    meeting, item = _meeting(fund, chair, [committee_member, *members], application)
    decision = _decide(application, meeting, chair)
    assert co_owner.full_name not in decision.attendees
    assert decision.recused == [co_owner.full_name]
    assert len(decision.attendees) == 4


def test_only_the_funds_committee_members_take_part_coaches_are_present(
    application, fund, chair, committee_member, coach
):
    meeting, item = _meeting(fund, chair, [committee_member, coach], application)
    decision = _decide(application, meeting, chair)
    assert coach.full_name not in decision.attendees
    assert decision.present == [coach.full_name]
    assert sorted(decision.attendees) == sorted([chair.full_name, committee_member.full_name])


def test_a_member_of_another_funds_committee_cannot_declare(application):
    outsider = UserFactory(roles=[Role.STAFF, Role.COMMITTEE_MEMBER])
    assert not outsider.has_perm("fund.declare_conflict", application)
    with pytest.raises(NotAllowed):
        conflict_declare(application=application, member=outsider, has_conflict=False)


# --- declaring and correcting ------------------------------------------------------------


def test_members_declare_before_they_can_score(application, members, scores):
    member = members[0]
    assert not member.has_perm("fund.review_application", application)
    conflict_declare(application=application, member=member, has_conflict=False)
    assert review_submit(application=application, member=member, scores=scores).scores.count()


def test_a_conflict_needs_a_reason(application, members):
    with pytest.raises(RequirementsMissing, match="varför du är jävig"):
        conflict_declare(application=application, member=members[0], has_conflict=True)


def test_a_declaration_is_corrected_and_both_answers_are_kept(application, members, scores):
    member, other = members[0], members[1]
    conflict_declare(application=application, member=member, has_conflict=False)
    review_submit(application=application, member=member, scores=scores)
    conflict_declare(application=application, member=other, has_conflict=False)
    review_submit(application=application, member=other, scores=scores)

    conflict_declare(
        application=application, member=member, has_conflict=True, reason="Min bror söker."
    )

    assert application.declarations.get(member=member).has_conflict
    entries = DeclarationEntry.objects.filter(application=application, member=member)
    assert [(e.has_conflict, e.is_correction) for e in entries] == [(False, False), (True, True)]
    assert not member.has_perm("fund.see_scores", application)
    assert not member.has_perm("fund.review_application", application)


def test_the_same_answer_again_is_not_a_correction(application, members):
    conflict_declare(application=application, member=members[0], has_conflict=False)
    with pytest.raises(RequirementsMissing, match="samma"):
        conflict_declare(application=application, member=members[0], has_conflict=False)


def test_a_declaration_cannot_be_corrected_once_decided(
    application, fund, chair, committee_member, members
):
    conflict_declare(application=application, member=members[0], has_conflict=False)
    meeting, _item = _meeting(fund, chair, [committee_member, *members], application)
    _decide(application, meeting, chair)
    application.refresh_from_db()
    with pytest.raises(NotAllowed):
        conflict_declare(
            application=application, member=members[0], has_conflict=True, reason="Sent påkommet."
        )
    assert DeclarationEntry.objects.filter(member=members[0]).count() == 1


def test_a_declared_conflict_keeps_a_member_out_of_the_decision(
    application, fund, chair, committee_member, members
):
    conflict_declare(
        application=application, member=members[1], has_conflict=True, reason="Min sambo söker."
    )
    meeting, _item = _meeting(fund, chair, [committee_member, *members], application)
    decision = _decide(application, meeting, chair)
    assert decision.recused == [members[1].full_name]
    assert members[1].full_name not in decision.attendees


# --- quorum --------------------------------------------------------------------------------


def test_a_quorum_is_more_than_half_of_the_committee(
    application, fund, chair, committee_member, members
):
    meeting, item = _meeting(fund, chair, [committee_member, members[0]], application)
    taking_part = participation_in(item)
    assert (len(taking_part.committee), taking_part.quorum) == (5, 3)
    assert taking_part.has_quorum
    assert _decide(application, meeting, chair).attendees


def test_below_quorum_an_item_cannot_be_decided_and_nothing_is_written(
    application, fund, chair, committee_member, members
):
    meeting, item = _meeting(fund, chair, [committee_member], application)
    assert not participation_in(item).has_quorum
    assert not chair.has_perm("fund.record_decision", item)
    with pytest.raises(NotAllowed, match="beslutför"):
        _decide(application, meeting, chair)
    assert not Decision.objects.exists()


def test_disqualified_members_do_not_count_towards_the_quorum(
    application, fund, chair, committee_member, members
):
    application.idea.co_owners.add(members[0])
    meeting, item = _meeting(fund, chair, [members[0], members[1]], application)
    assert len(participation_in(item).taking_part) == 2
    with pytest.raises(NotAllowed, match="beslutför"):
        _decide(application, meeting, chair)


# --- who leads the item ---------------------------------------------------------------------


def test_a_disqualified_chair_cannot_record_the_decision(
    application, fund, chair, committee_member, members
):
    application.idea.co_owners.add(chair)
    meeting, item = _meeting(fund, chair, [committee_member, *members], application)
    assert not chair.has_perm("fund.record_decision", item)
    with pytest.raises(NotAllowed, match="jävig"):
        _decide(application, meeting, chair)
    assert not Decision.objects.exists()


def test_the_vice_chair_leads_when_the_chair_is_disqualified(
    application, fund, chair, committee_member, members
):
    fund.vice_chair = members[0]
    fund.save()
    application.idea.co_owners.add(chair)
    meeting, item = _meeting(fund, chair, [committee_member, *members], application)
    assert not members[1].has_perm("fund.record_decision", item)
    decision = _decide(application, meeting, members[0])
    assert decision.chaired_by == members[0].full_name
    assert chair.full_name in decision.recused


def test_without_a_vice_chair_the_meeting_appoints_a_stand_in(
    application, fund, chair, committee_member, members
):
    conflict_declare(
        application=application, member=chair, has_conflict=True, reason="Min dotter söker."
    )
    meeting, item = _meeting(fund, chair, [committee_member, *members], application)
    assert participation_in(item).needs_stand_in
    with pytest.raises(NotAllowed, match="utser"):
        _decide(application, meeting, members[1])

    stand_in_appoint(meeting=meeting, application=application, member=members[1], by=chair)

    decision = _decide(application, meeting, members[1])
    assert decision.chaired_by == members[1].full_name


def test_a_disqualified_member_cannot_be_appointed_stand_in(
    application, fund, chair, committee_member, members
):
    application.idea.co_owners.add(chair, members[0])
    meeting, _item = _meeting(fund, chair, [committee_member, *members], application)
    with pytest.raises(RequirementsMissing):
        stand_in_appoint(meeting=meeting, application=application, member=members[0], by=chair)
    assert AgendaItem.objects.get(meeting=meeting).stand_in is None


# --- the meeting's date and the confirmation ------------------------------------------------


def test_decisions_are_made_on_the_meetings_date(
    application, fund, chair, committee_member, members
):
    meeting, _item = _meeting(fund, chair, [committee_member, *members], application)
    meeting.date = timezone.localdate() - timezone.timedelta(days=1)
    meeting.save(update_fields=["date"])
    with pytest.raises(NotAllowed, match="dateras"):
        _decide(application, meeting, chair)
    assert not Decision.objects.exists()


def test_a_preview_writes_nothing_and_says_what_would_be_recorded(
    application, fund, chair, committee_member, members
):
    meeting, _item = _meeting(fund, chair, [committee_member, *members], application)
    preview = decision_preview(
        application=application,
        by=chair,
        kind=DecisionKind.APPROVE,
        rationale="Bra.",
        meeting=meeting,
    )
    assert preview.amount == application.total
    assert len(preview.attendees) == 5
    assert not Decision.objects.exists()
    application.refresh_from_db()
    assert application.state in ("submitted", "in_review")
