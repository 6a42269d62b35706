"""`manage.py verify_decisions`: passes on an intact log, names the first break after tampering.

Tampering is done the way someone with direct database access would do it:
raw SQL, and on PostgreSQL with the append-only triggers switched off first.
"""

from contextlib import contextmanager
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line
from django.db import connection

from ideasluss.fund.models import Decision, DecisionKind
from tests.factories import ApplicationFactory, FundFactory
from workflows.fund.services import decision_record

pytestmark = pytest.mark.django_db


@contextmanager
def tampering():
    """A raw cursor that bypasses the model and, on PostgreSQL, the triggers too."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")


@pytest.fixture
def decisions(fund, coach):
    """Four decisions of `fund`: three approvals and a correction of the first."""
    made = [
        decision_record(
            application=ApplicationFactory(fund=fund, total=total),
            by=coach,
            kind=DecisionKind.APPROVE,
            rationale=f"Ett väl avgränsat test ({total} kr).",
        )
        for total in (10_000, 12_000, 8_000)
    ]
    made.append(
        decision_record(
            application=made[0].application,
            by=coach,
            kind=DecisionKind.APPROVE_LOWER,
            amount=7_500,
            rationale="Rättelse: materialet kostar mindre än budgeterat.",
            supersedes=made[0],
        )
    )
    return made


def verify() -> str:
    out = StringIO()
    call_command("verify_decisions", stdout=out)
    return out.getvalue()


def test_an_intact_log_passes_and_says_how_many_were_checked(fund, decisions):
    output = verify()
    assert f"{fund}: 4 decisions, chain intact" in output
    assert "All 4 decisions verified." in output


def test_every_fund_is_checked(fund, decisions, coach):
    other = FundFactory(name="Klimatfonden", capital=200_000, delegated_limit=20_000)
    decision_record(
        application=ApplicationFactory(fund=other, total=5_000),
        by=coach,
        kind=DecisionKind.REJECT,
        rationale="Hör hemma i ordinarie budget.",
    )
    output = verify()
    assert "Klimatfonden: 1 decisions, chain intact" in output
    assert "All 5 decisions verified." in output


def test_an_empty_log_passes():
    assert "All 0 decisions verified." in verify()


def test_a_changed_amount_is_named_by_its_registration_number(fund, decisions):
    tampered = decisions[1]
    with tampering() as cursor:
        cursor.execute("UPDATE fund_decision SET amount = 120000 WHERE id = %s", [tampered.pk])
    with pytest.raises(CommandError) as failure:
        verify()
    message = str(failure.value)
    assert f"{fund}: the decision log is broken at {tampered.registration_number}" in message
    assert f"(id {tampered.pk})" in message
    assert "its content has changed" in message
    assert decisions[0].registration_number not in message


@pytest.mark.parametrize("column", ["rationale", "decided_at", "recused", "supersedes_id"])
def test_any_changed_field_is_found(fund, decisions, column):
    tampered = decisions[3]
    new_value = {
        "rationale": "Beviljas i sin helhet.",
        "decided_at": "2000-01-01 12:00:00",
        "recused": '["Eva Sandberg"]',
        "supersedes_id": None,
    }[column]
    with tampering() as cursor:
        cursor.execute(
            f"UPDATE fund_decision SET {column} = %s WHERE id = %s",  # noqa: S608 - fixed names
            [new_value, tampered.pk],
        )
    with pytest.raises(CommandError, match=tampered.registration_number):
        verify()


def test_a_rewritten_entry_with_a_recomputed_hash_breaks_the_next_link(fund, decisions):
    """Whoever also recomputes the hash of what they changed is caught by the successor."""
    tampered, successor = decisions[1], decisions[2]
    tampered.amount = 120_000
    with tampering() as cursor:
        cursor.execute(
            "UPDATE fund_decision SET amount = %s, hash = %s WHERE id = %s",
            [120_000, tampered.compute_hash(), tampered.pk],
        )
    with pytest.raises(CommandError) as failure:
        verify()
    message = str(failure.value)
    assert f"broken at {successor.registration_number} (id {successor.pk})" in message
    assert "an entry is missing" in message


def test_a_deleted_entry_in_the_middle_is_found(fund, decisions):
    # decisions[1] is neither superseded nor superseding: no other row refers to it.
    removed, successor = decisions[1], decisions[2]
    assert not Decision.objects.filter(supersedes=removed).exists()
    with tampering() as cursor:
        cursor.execute("DELETE FROM fund_decision WHERE id = %s", [removed.pk])
    assert Decision.objects.filter(fund=fund).count() == 3
    with pytest.raises(CommandError) as failure:
        verify()
    message = str(failure.value)
    assert f"broken at {successor.registration_number} (id {successor.pk})" in message
    assert "an entry is missing" in message


def manage_py(*arguments):
    """Run a command as `manage.py` does, exit status included. The command line closes
    every connection when it finishes; keep the test's open (its transaction holds the data)."""
    with mock.patch("django.core.management.base.connections.close_all"):
        execute_from_command_line(["manage.py", *arguments])


def test_the_command_line_exits_non_zero_on_a_broken_log(fund, decisions, capsys):
    manage_py("verify_decisions")  # intact: returns normally, exit status 0
    assert "All 4 decisions verified." in capsys.readouterr().out

    tampered = decisions[2]
    with tampering() as cursor:
        cursor.execute(
            "UPDATE fund_decision SET kind = 'approve_lower' WHERE id = %s", [tampered.pk]
        )
    with pytest.raises(SystemExit) as exit_:
        manage_py("verify_decisions")
    assert exit_.value.code != 0
    assert tampered.registration_number in capsys.readouterr().err
