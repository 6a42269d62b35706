"""Decisions made through the real services, for the register, export and API tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ideasluss.accounts.rules import is_committee_member
from ideasluss.fund.models import ApplicationState, DecisionKind
from ideasluss.fund.services import conflict_declare, meeting_create
from tests.factories import ApplicationFactory
from workflows.fund.services import decision_record, meeting_update
from workflows.transitions import transition_perform


def delegated_decision(*, fund, coach, kind=DecisionKind.APPROVE, total=10_000, **kwargs):
    """A coach's decision under delegation on a new application of `total` kronor."""
    application = ApplicationFactory(fund=fund, total=total, **kwargs)
    return decision_record(
        application=application, by=coach, kind=kind, rationale="Ett bra och billigt test."
    )


def seat_committee(fund, *users):
    """Seat `users` on the fund's committee, those with a committee role (coaches stay
    coaches: they attend, they do not decide)."""
    fund.committee_members.add(*[user for user in users if is_committee_member(user)])


def open_meeting(*, fund, chair, attendees, agenda):
    """A meeting of today the chair has opened, with `attendees` and `agenda` recorded;
    the chair and the attending committee members are seated on the fund's committee."""
    seat_committee(fund, chair, *attendees)
    meeting = meeting_create(fund=fund, by=chair, date=timezone.localdate())
    meeting_update(meeting=meeting, by=chair, attendees=attendees, agenda=agenda)
    return transition_perform(name="open", obj=meeting, by=chair)


def committee_decision(*, fund, chair, members, recused=(), total=60_000):
    """The committee's approval at an open meeting; members in `recused` declared a conflict.
    Returns (decision, meeting); the meeting stays open."""
    application = ApplicationFactory(fund=fund, total=total, state=ApplicationState.IN_REVIEW)
    seat_committee(fund, chair, *members)
    for member in members:
        conflict_declare(
            application=application,
            member=member,
            has_conflict=member in recused,
            reason="Min bror är med i teamet." if member in recused else "",
        )
    meeting = open_meeting(
        fund=fund, chair=chair, attendees=[chair, *members], agenda=[application]
    )
    decision = decision_record(
        application=application,
        by=chair,
        kind=DecisionKind.APPROVE,
        rationale="Beslutsgruppen ser stor nytta för invånarna.",
        meeting=meeting,
    )
    return decision, meeting


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def log_is_intact() -> bool:
    """`manage.py verify_decisions` without a checkpoint: the stored log matches the live
    decisions, numbered 0, 1, 2… without gaps, and its latest checkpoint signs them all."""
    from io import StringIO

    from django.core.management import CommandError, call_command

    try:
        call_command("verify_decisions", stdout=StringIO())
    except CommandError:
        return False
    return True
