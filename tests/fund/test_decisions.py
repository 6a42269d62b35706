"""Deciding: who may, how much, numbering, the append-only log and the money invariant."""

import datetime

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from ideasluss.errors import ConcurrentChange, NotAllowed, RequirementsMissing
from ideasluss.fund import money
from ideasluss.fund.models import (
    AppendOnly,
    ApplicationState,
    Checkpoint,
    Decision,
    DecisionKind,
)
from ideasluss.fund.services import meeting_create
from ideasluss.fund.transparency import leaf_hash_hex
from tests.factories import ApplicationFactory, FundFactory
from tests.fund.decision_helpers import log_is_intact
from workflows.fund.services import decision_record, meeting_update
from workflows.transitions import transition_perform


def test_a_coach_approves_under_the_delegated_limit(fund, application, coach):
    decision = decision_record(
        application=application, by=coach, kind=DecisionKind.APPROVE, rationale="Bra test."
    )
    application.refresh_from_db()
    assert application.state == ApplicationState.DECIDED
    assert decision.delegated and decision.meeting is None
    assert decision.amount == 20_000 == decision.amount_requested
    year = decision.decided_at.year
    assert decision.registration_number == f"{fund.registration_prefix} {year}/0001"
    assert money.fund_balance(fund).remaining == 80_000


def test_numbers_run_without_gaps_and_log_positions_follow_each_other(fund, coach):
    decisions = [
        decision_record(
            application=ApplicationFactory(fund=fund, total=1000),
            by=coach,
            kind=kind,
            rationale="Motivering",
        )
        for kind in [DecisionKind.APPROVE, DecisionKind.REJECT, DecisionKind.RETURN]
    ]
    assert [d.sequence for d in decisions] == [1, 2, 3]
    assert [d.log_index for d in decisions] == [0, 1, 2]
    assert Checkpoint.objects.latest("tree_size").tree_size == 3
    assert log_is_intact()


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"rationale": "  "}, "motivering"),
        ({"kind": "maybe"}, "Välj ett beslut"),
        ({"kind": DecisionKind.APPROVE_LOWER}, "lägre belopp"),
        ({"kind": DecisionKind.APPROVE_LOWER, "amount": 20_000}, "mindre än"),
        ({"kind": DecisionKind.APPROVE_LOWER, "amount": -5}, "noll eller mer"),
    ],
)
def test_bad_decisions_are_refused_and_nothing_is_written(application, coach, kwargs, message):
    arguments = {"kind": DecisionKind.APPROVE, "rationale": "Motivering"} | kwargs
    with pytest.raises((RequirementsMissing, NotAllowed)) as refusal:
        decision_record(application=application, by=coach, **arguments)
    assert message.lower() in str(refusal.value).lower()
    assert not Decision.objects.exists()
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_a_coach_cannot_decide_over_the_delegated_limit(fund, coach):
    big = ApplicationFactory(fund=fund, total=30_001)
    with pytest.raises(NotAllowed, match="delegationsgräns"):
        decision_record(application=big, by=coach, kind=DecisionKind.REJECT, rationale="Nej")
    assert not Decision.objects.exists()


def test_a_coach_cannot_decide_on_their_own_idea(fund, coach):
    own = ApplicationFactory(fund=fund, idea__owner=coach)
    with pytest.raises(NotAllowed):
        decision_record(application=own, by=coach, kind=DecisionKind.APPROVE, rationale="Ja")


def test_staff_cannot_decide(application, staff):
    with pytest.raises(NotAllowed):
        decision_record(
            application=application, by=staff, kind=DecisionKind.APPROVE, rationale="Ja"
        )


def test_no_decision_over_the_remaining_capital(fund, coach):
    first = ApplicationFactory(fund=fund, total=30_000)
    for _ in range(3):
        decision_record(
            application=ApplicationFactory(fund=fund, total=30_000),
            by=coach,
            kind=DecisionKind.APPROVE,
            rationale="Ja",
        )
    with pytest.raises(NotAllowed, match="10\xa0000 kr"):
        decision_record(application=first, by=coach, kind=DecisionKind.APPROVE, rationale="Ja")
    assert money.committed(fund) == 90_000
    # A lower amount that fits is fine.
    decision_record(
        application=first,
        by=coach,
        kind=DecisionKind.APPROVE_LOWER,
        amount=10_000,
        rationale="Vi har bara så mycket kvar.",
    )
    assert money.fund_balance(fund).remaining == 0


def test_a_second_decision_must_supersede_the_first(application, coach):
    first = decision_record(
        application=application, by=coach, kind=DecisionKind.APPROVE, rationale="Ja"
    )
    with pytest.raises(NotAllowed, match="ersätta"):
        decision_record(
            application=application, by=coach, kind=DecisionKind.REJECT, rationale="Nej"
        )
    correction = decision_record(
        application=application,
        by=coach,
        kind=DecisionKind.APPROVE_LOWER,
        amount=15_000,
        rationale="Rättelse: materialet kostar mindre.",
        supersedes=first,
    )
    assert correction.supersedes == first
    first.refresh_from_db()
    assert first.superseded_by == correction
    assert money.granted(application.fund) == 15_000
    with pytest.raises(ConcurrentChange):
        decision_record(
            application=application,
            by=coach,
            kind=DecisionKind.REJECT,
            rationale="Ännu en rättelse av ett redan ersatt beslut",
            supersedes=first,
        )


def test_decisions_cannot_be_changed_or_deleted(application, coach):
    decision = decision_record(
        application=application, by=coach, kind=DecisionKind.APPROVE, rationale="Ja"
    )
    decision.rationale = "Något annat"
    with pytest.raises(AppendOnly):
        decision.save()
    with pytest.raises(AppendOnly):
        decision.delete()
    with pytest.raises(AppendOnly):
        Decision.objects.filter(pk=decision.pk).update(rationale="Något annat")
    with pytest.raises(AppendOnly):
        Decision.objects.all().delete()
    assert Decision.objects.get().rationale == "Ja"


@pytest.mark.postgres
def test_postgresql_itself_refuses_to_rewrite_a_decision(application, coach):
    decision = decision_record(
        application=application, by=coach, kind=DecisionKind.APPROVE, rationale="Ja"
    )
    for statement in [
        "UPDATE fund_decision SET rationale = 'x' WHERE id = %s",
        "DELETE FROM fund_decision WHERE id = %s",
    ]:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [decision.pk])
    assert Decision.objects.get().rationale == "Ja"


def test_the_committee_corrects_its_decision_at_a_later_meeting(
    application, chair, committee_member
):
    first_meeting = meeting_create(fund=application.fund, by=chair, date=timezone.localdate())
    meeting_update(
        meeting=first_meeting, by=chair, agenda=[application], attendees=[committee_member]
    )
    transition_perform(name="open", obj=first_meeting, by=chair)
    first = decision_record(
        application=application,
        by=chair,
        kind=DecisionKind.APPROVE,
        rationale="Bra test",
        meeting=first_meeting,
    )
    transition_perform(name="close", obj=first_meeting, by=chair)
    later = meeting_create(fund=application.fund, by=chair, date=timezone.localdate())
    meeting_update(meeting=later, by=chair, attendees=[committee_member])
    transition_perform(name="open", obj=later, by=chair)

    correction = decision_record(
        application=application,
        by=chair,
        kind=DecisionKind.APPROVE_LOWER,
        amount=12_000,
        rationale="Rättelse: en del av materialet finns redan.",
        meeting=later,
        supersedes=first,
    )

    assert correction.meeting == later
    assert later.agenda.filter(pk=application.pk).exists()
    assert money.granted(application.fund) == 12_000


def test_funds_sharing_a_prefix_share_one_series_of_numbers(coach):
    last_year = FundFactory(registration_prefix="IF", capital=100_000)
    this_year = FundFactory(registration_prefix="IF", capital=100_000)
    numbers = [
        decision_record(
            application=ApplicationFactory(fund=fund, total=1000),
            by=coach,
            kind=DecisionKind.APPROVE,
            rationale="Ja",
        ).registration_number
        for fund in [last_year, this_year, last_year]
    ]
    year = timezone.localdate().year
    assert numbers == [f"IF {year}/0001", f"IF {year}/0002", f"IF {year}/0003"]
    assert log_is_intact()


def test_the_leaf_does_not_depend_on_the_time_zone_it_was_written_in(application, coach):
    decision = decision_record(
        application=application, by=coach, kind=DecisionKind.APPROVE, rationale="Ja"
    )
    stockholm = decision.decided_at.astimezone(datetime.timezone(datetime.timedelta(hours=1)))
    decision.decided_at = stockholm
    assert leaf_hash_hex(decision) == decision.leaf_hash
