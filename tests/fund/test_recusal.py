"""Conflict of interest (jäv): a recused member is kept out of everything about that application."""

import datetime

import pytest

from ideasluss.accounts.roles import Role
from ideasluss.fund.models import Decision, DecisionKind
from tests.factories import UserFactory
from workflows import fund_services as fs
from workflows.errors import NotAllowed, RequirementsMissing


@pytest.fixture
def scores(fund):
    return {criterion.pk: 4 for criterion in fund.criteria.all()}


def test_members_declare_before_they_can_score(application, members, scores):
    member = members[0]
    assert not member.has_perm("fund.review_application", application)
    with pytest.raises(NotAllowed):
        fs.submit_review(application=application, member=member, scores=scores)
    fs.declare_conflict(application=application, member=member, has_conflict=False)
    review = fs.submit_review(application=application, member=member, scores=scores)
    assert review.scores.count() == 4


def test_a_conflict_needs_a_reason(application, members):
    with pytest.raises(RequirementsMissing, match="varför du är jävig"):
        fs.declare_conflict(application=application, member=members[0], has_conflict=True)


def test_one_declaration_per_member(application, members):
    fs.declare_conflict(application=application, member=members[0], has_conflict=False)
    with pytest.raises(NotAllowed):
        fs.declare_conflict(
            application=application, member=members[0], has_conflict=True, reason="Ångrar mig"
        )


def test_a_recused_member_is_refused_everywhere(application, members, scores):
    recused, other = members[0], members[1]
    fs.declare_conflict(
        application=application,
        member=recused,
        has_conflict=True,
        reason="Min sambo arbetar i enheten som söker.",
    )
    fs.declare_conflict(application=application, member=other, has_conflict=False)
    fs.submit_review(application=application, member=other, scores=scores)

    assert not recused.has_perm("fund.review_application", application)
    assert not recused.has_perm("fund.see_scores", application)
    assert other.has_perm("fund.see_scores", application)
    with pytest.raises(NotAllowed):
        fs.submit_review(application=application, member=recused, scores=scores)


def test_a_recused_chair_cannot_record_the_decision_and_the_record_shows_recusals(
    application, members
):
    chair = UserFactory(username="ordf", roles=[Role.STAFF, Role.COMMITTEE_CHAIR])
    attending = members[:2]
    fs.declare_conflict(
        application=application, member=members[0], has_conflict=True, reason="Jäv: min enhet"
    )
    meeting = fs.meeting_create(fund=application.fund, by=chair, date=datetime.date.today())
    fs.meeting_update(
        meeting=meeting, by=chair, attendees=[chair, *attending], agenda=[application]
    )
    fs.meeting_open(meeting=meeting, by=chair)

    fs.declare_conflict(
        application=application, member=chair, has_conflict=True, reason="Jag känner sökanden"
    )
    with pytest.raises(NotAllowed, match="jäv"):
        fs.decide(
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
    fs.declare_conflict(
        application=application, member=recused, has_conflict=True, reason="Jäv: min enhet"
    )
    meeting = fs.meeting_create(fund=application.fund, by=chair, date=datetime.date.today())
    fs.meeting_update(meeting=meeting, by=chair, attendees=[chair, *members], agenda=[application])
    fs.meeting_open(meeting=meeting, by=chair)

    decision = fs.decide(
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
    meeting = fs.meeting_create(fund=application.fund, by=chair, date=datetime.date.today())
    fs.meeting_update(meeting=meeting, by=chair, attendees=[chair, stand_in], agenda=[application])
    fs.meeting_open(meeting=meeting, by=chair)
    decide = {
        "application": application,
        "kind": DecisionKind.REJECT,
        "rationale": "Liknande test pågår redan.",
        "meeting": meeting,
    }
    with pytest.raises(NotAllowed, match="ordförande"):
        fs.decide(by=stand_in, **decide)  # the chair is not recused: only the chair records

    fs.declare_conflict(
        application=application, member=chair, has_conflict=True, reason="Min enhet söker"
    )
    with pytest.raises(NotAllowed):
        fs.decide(by=absent, **decide)  # not attending
    decision = fs.decide(by=stand_in, **decide)

    assert decision.decided_by == stand_in
    assert decision.recused == [chair.full_name]
    assert chair.full_name not in decision.attendees


def test_only_the_meetings_own_chair_opens_it(fund):
    chair = UserFactory(username="ordf", roles=[Role.STAFF, Role.COMMITTEE_CHAIR])
    other_chair = UserFactory(username="ordf2", roles=[Role.STAFF, Role.COMMITTEE_CHAIR])
    meeting = fs.meeting_create(fund=fund, by=chair, date=datetime.date.today())
    with pytest.raises(NotAllowed):
        fs.meeting_open(meeting=meeting, by=other_chair)
