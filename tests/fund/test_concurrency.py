"""Decisions made at the same moment, on real PostgreSQL connections.

Each thread has its own connection and waits at a barrier, so the decisions
really race for the fund's row lock; the money invariant, gap-free numbering
and the hash chain must hold whoever wins.
"""

import threading

import pytest
from django.db import connections

from ideasluss.accounts.roles import Role
from ideasluss.errors import WorkflowError
from ideasluss.fund import money
from ideasluss.fund.models import Application, ApplicationState, Decision, DecisionKind
from tests.factories import ApplicationFactory, FundFactory, UserFactory
from tests.fund.decision_helpers import log_is_intact
from workflows.fund.services import decision_record

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WON = "won"


def race(actions) -> dict[int, str]:
    """Run every action in its own thread, released together; returns index → WON, the
    first message of the refusal, or what unexpectedly went wrong."""
    start = threading.Barrier(len(actions))
    outcomes: dict[int, str] = {}

    def run(index, action):
        try:
            start.wait(timeout=30)
            action()
            outcomes[index] = WON
        except WorkflowError as refusal:
            outcomes[index] = refusal.messages[0]
        except Exception as error:  # reported by the test, not lost in the thread
            outcomes[index] = f"unexpected {type(error).__name__}: {error}"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == list(range(len(actions))), "a thread did not finish"
    return outcomes


@pytest.mark.parametrize("round_", range(3))
def test_twenty_approvals_at_once_spend_the_capital_exactly_once(round_):
    fund = FundFactory(capital=100_000, delegated_limit=10_000, registration_prefix="IF")
    coach = UserFactory(roles=[Role.STAFF, Role.COACH])
    applications = [ApplicationFactory(fund=fund, total=10_000) for _ in range(20)]

    def approve(application_pk):
        def action():
            decision_record(
                application=Application.objects.get(pk=application_pk),
                by=coach,
                kind=DecisionKind.APPROVE,
                rationale="Testet är väl planerat och ryms i fonden.",
            )

        return action

    outcomes = race([approve(application.pk) for application in applications])

    refusals = [outcome for outcome in outcomes.values() if outcome != WON]
    assert len(refusals) == 10
    assert list(outcomes.values()).count(WON) == 10
    for refusal in refusals:
        assert refusal.startswith("Fonden har bara 0 kr kvar att bevilja"), refusal
        assert "skulle bevilja 10\xa0000 kr" in refusal, refusal

    assert money.committed(fund) == fund.capital == 100_000
    assert money.fund_balance(fund).remaining == 0
    decisions = list(Decision.objects.filter(fund=fund).order_by("sequence"))
    year = decisions[0].year
    assert [d.sequence for d in decisions] == list(range(1, 11))
    assert [d.registration_number for d in decisions] == [
        f"IF {year}/{number:04d}" for number in range(1, 11)
    ]
    assert log_is_intact()

    # Exactly the approved applications moved; the refused ones wait, untouched.
    decided = {d.application_id for d in decisions}
    states = dict(Application.objects.filter(fund=fund).values_list("pk", "state"))
    assert {pk for pk, state in states.items() if state == ApplicationState.DECIDED} == decided
    assert {state for pk, state in states.items() if pk not in decided} == {
        ApplicationState.SUBMITTED
    }


@pytest.mark.parametrize("round_", range(3))
def test_two_decisions_on_one_application_at_once_only_one_is_recorded(round_):
    fund = FundFactory(capital=100_000, delegated_limit=30_000)
    application = ApplicationFactory(fund=fund, total=20_000)
    coaches = [UserFactory(roles=[Role.STAFF, Role.COACH]) for _ in range(2)]

    def decide(coach, kind, rationale):
        def action():
            decision_record(
                application=Application.objects.get(pk=application.pk),
                by=coach,
                kind=kind,
                rationale=rationale,
            )

        return action

    outcomes = race(
        [
            decide(coaches[0], DecisionKind.APPROVE, "Ett väl avgränsat test."),
            decide(coaches[1], DecisionKind.REJECT, "Behovet är inte beskrivet."),
        ]
    )

    winners = [index for index, outcome in outcomes.items() if outcome == WON]
    assert len(winners) == 1
    decision = Decision.objects.get(application=application)
    refusal = outcomes[1 - winners[0]]
    assert refusal == (
        f"Ansökan är redan beslutad ({decision.registration_number}). "
        "Ett nytt beslut måste ersätta det beslutet."
    )
    assert decision.decided_by == coaches[winners[0]]
    assert decision.kind == (DecisionKind.APPROVE if winners == [0] else DecisionKind.REJECT)
    application.refresh_from_db()
    assert application.state == ApplicationState.DECIDED
    assert money.committed(fund) == decision.amount
    assert log_is_intact()


def test_two_corrections_of_one_decision_at_once_only_one_supersedes_it():
    fund = FundFactory(capital=100_000, delegated_limit=30_000)
    application = ApplicationFactory(fund=fund, total=20_000)
    coaches = [UserFactory(roles=[Role.STAFF, Role.COACH]) for _ in range(2)]
    first = decision_record(
        application=application, by=coaches[0], kind=DecisionKind.APPROVE, rationale="Ja."
    )

    def correct(coach, amount):
        def action():
            decision_record(
                application=Application.objects.get(pk=application.pk),
                by=coach,
                kind=DecisionKind.APPROVE_LOWER,
                amount=amount,
                rationale="Rättelse: materialet kostar mindre än budgeterat.",
                supersedes=Decision.objects.get(pk=first.pk),
            )

        return action

    outcomes = race([correct(coaches[0], 15_000), correct(coaches[1], 12_000)])

    assert list(outcomes.values()).count(WON) == 1
    [refusal] = [outcome for outcome in outcomes.values() if outcome != WON]
    assert refusal.startswith("Beslutet har just ersatts av ett annat."), refusal
    first.refresh_from_db()
    correction = first.superseded_by
    assert Decision.objects.in_force().get(application=application) == correction
    assert money.granted(fund) == correction.amount in {15_000, 12_000}
    assert Decision.objects.filter(fund=fund).count() == 2
    assert log_is_intact()
