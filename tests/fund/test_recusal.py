"""Conflict of interest (jäv): a recused member is kept out of everything about that application."""

import pytest
from django.utils import timezone

from ideasluss.accounts.roles import Role
from ideasluss.errors import NotAllowed, RequirementsMissing
from ideasluss.fund.models import Decision, DecisionKind
from ideasluss.fund.services import conflict_declare, meeting_create
from tests.factories import UserFactory
from workflows.fund.services import decision_record, meeting_update, review_submit
from workflows.transitions import transition_perform


@pytest.fixture
def scores(fund):
    return {criterion.pk: 4 for criterion in fund.criteria.all()}


def test_members_declare_before_they_can_score(application, members, scores):
    member = members[0]
    assert not member.has_perm("fund.review_application", application)
    with pytest.raises(NotAllowed):
        review_submit(application=application, member=member, scores=scores)
    conflict_declare(application=application, member=member, has_conflict=False)
    review = review_submit(application=application, member=member, scores=scores)
    assert review.scores.count() == 4


def test_a_conflict_needs_a_reason(application, members):
    with pytest.raises(RequirementsMissing, match="varför du är jävig"):
        conflict_declare(application=application, member=members[0], has_conflict=True)


def test_one_declaration_per_member(application, members):
    conflict_declare(application=application, member=members[0], has_conflict=False)
    with pytest.raises(NotAllowed):
        conflict_declare(
            application=application, member=members[0], has_conflict=True, reason="Ångrar mig"
        )


def test_a_recused_member_is_refused_everywhere(application, members, scores):
    recused, other = members[0], members[1]
    conflict_declare(
        application=application,
        member=recused,
        has_conflict=True,
        reason="Min sambo arbetar i enheten som söker.",
    )
    conflict_declare(application=application, member=other, has_conflict=False)
    review_submit(application=application, member=other, scores=scores)

    assert not recused.has_perm("fund.review_application", application)
    assert not recused.has_perm("fund.see_scores", application)
    assert other.has_perm("fund.see_scores", application)
    with pytest.raises(NotAllowed):
        review_submit(application=application, member=recused, scores=scores)


def test_a_recused_chair_cannot_record_the_decision_and_the_record_shows_recusals(
    application, members
):
    chair = UserFactory(username="ordf", roles=[Role.STAFF, Role.COMMITTEE_CHAIR])
    attending = members[:2]
    conflict_declare(
        application=application, member=members[0], has_conflict=True, reason="Jäv: min enhet"
    )
    meeting = meeting_create(fund=application.fund, by=chair, date=timezone.localdate())
    meeting_update(meeting=meeting, by=chair, attendees=[chair, *attending], agenda=[application])
    transition_perform(name="open", obj=meeting, by=chair)

    conflict_declare(
        application=application, member=chair, has_conflict=True, reason="Jag känner sökanden"
    )
    with pytest.raises(NotAllowed, match="jäv"):
        decision_record(
            application=application,
            by=chair,
            kind=DecisionKind.APPROVE,
            rationale="Bra",
            meeting=meeting,
        )
    assert not Decision.objects.exists()


def test_the_decision_records_who_attended_and_who_was_recused(application, members):
    chair = UserFactory(username="ordf", roles=[Role.STAFF, Role.COMMITTEE_CHAIR])
    recused = members[0]
    conflict_declare(
        application=application, member=recused, has_conflict=True, reason="Jäv: min enhet"
    )
    meeting = meeting_create(fund=application.fund, by=chair, date=timezone.localdate())
    meeting_update(meeting=meeting, by=chair, attendees=[chair, *members], agenda=[application])
    transition_perform(name="open", obj=meeting, by=chair)

    decision = decision_record(
        application=application,
        by=chair,
        kind=DecisionKind.APPROVE_LOWER,
        amount=15_000,
        rationale="Materialet kan lånas.",
        meeting=meeting,
    )

    assert decision.recused == [recused.full_name]
    assert recused.full_name not in decision.attendees
    assert set(decision.attendees) == {chair.full_name, members[1].full_name, members[2].full_name}
    assert not decision.delegated and decision.meeting == meeting


def test_an_attending_member_stands_in_when_the_chair_is_recused(application, members):
    chair = UserFactory(username="ordf", roles=[Role.STAFF, Role.COMMITTEE_CHAIR])
    stand_in, absent = members[0], members[1]
    meeting = meeting_create(fund=application.fund, by=chair, date=timezone.localdate())
    meeting_update(meeting=meeting, by=chair, attendees=[chair, stand_in], agenda=[application])
    transition_perform(name="open", obj=meeting, by=chair)
    decide = {
        "application": application,
        "kind": DecisionKind.REJECT,
        "rationale": "Liknande test pågår redan.",
        "meeting": meeting,
    }
    with pytest.raises(NotAllowed, match="ordförande"):
        decision_record(by=stand_in, **decide)  # the chair is not recused: only the chair records

    conflict_declare(
        application=application, member=chair, has_conflict=True, reason="Min enhet söker"
    )
    with pytest.raises(NotAllowed):
        decision_record(by=absent, **decide)  # not attending
    decision = decision_record(by=stand_in, **decide)

    assert decision.decided_by == stand_in
    assert decision.recused == [chair.full_name]
    assert chair.full_name not in decision.attendees


def test_only_the_meetings_own_chair_opens_it(fund):
    chair = UserFactory(username="ordf", roles=[Role.STAFF, Role.COMMITTEE_CHAIR])
    other_chair = UserFactory(username="ordf2", roles=[Role.STAFF, Role.COMMITTEE_CHAIR])
    meeting = meeting_create(fund=fund, by=chair, date=timezone.localdate())
    with pytest.raises(NotAllowed):
        transition_perform(name="open", obj=meeting, by=other_chair)


def test_a_member_on_the_ideas_team_cannot_declare_no_conflict(fund):
    from tests.factories import ApplicationFactory

    member = UserFactory(roles=[Role.STAFF, Role.COMMITTEE_MEMBER])
    application = ApplicationFactory(fund=fund, state="in_review")
    application.idea.co_owners.add(member)
    with pytest.raises(NotAllowed, match="ingår i idéns team"):
        conflict_declare(application=application, member=member, has_conflict=False)
    assert not application.declarations.exists()
    declared = conflict_declare(
        application=application, member=member, has_conflict=True, reason="Jag är medskapare."
    )
    assert declared.has_conflict
