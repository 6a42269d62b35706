"""`manage.py verify_decisions` without a checkpoint: the stored log against the live
decisions and its latest signed checkpoint. (Against a checkpoint kept earlier, over the
API: tests/fund/test_tlog_tamper.py.)

Tampering is done the way someone with direct database access would do it:
raw SQL, with the append-only triggers switched off first.
"""

from contextlib import contextmanager
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line
from django.db import connection

from ideasluss.fund.models import DecisionKind
from ideasluss.fund.services import checkpoint_sign
from ideasluss.fund.transparency import leaf_decisions, leaf_hash_hex
from tests.append_only import triggers_off
from tests.factories import ApplicationFactory, FundFactory
from workflows.fund.services import decision_record

pytestmark = pytest.mark.django_db


@contextmanager
def tampering():
    """A raw cursor that bypasses the model, the triggers and the foreign keys."""
    with triggers_off(connection), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA defer_foreign_keys = ON")
        yield cursor


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
    assert "4 decisions, leaves as recorded; the latest checkpoint (4) is signed" in output
    assert "All 4 decisions verified." in output


def test_every_fund_is_in_the_one_log(fund, decisions, coach):
    other = FundFactory(name="Klimatfonden", capital=200_000, delegated_limit=20_000)
    decision = decision_record(
        application=ApplicationFactory(fund=other, total=5_000),
        by=coach,
        kind=DecisionKind.REJECT,
        rationale="Hör hemma i ordinarie budget.",
    )
    assert decision.log_index == 4
    assert "All 5 decisions verified." in verify()


def test_an_empty_log_passes():
    assert "The log is empty." in verify()


def test_a_changed_amount_is_named_by_its_registration_number(fund, decisions):
    tampered = decisions[1]
    with tampering() as cursor:
        cursor.execute("UPDATE fund_decision SET amount = 120000 WHERE id = %s", [tampered.pk])
    with pytest.raises(CommandError) as failure:
        verify()
    message = str(failure.value)
    assert f"broken at {tampered.registration_number} (position 1)" in message
    assert "it has changed since it was recorded" in message


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


def test_recomputed_leaf_hashes_do_not_give_the_signed_root(fund, decisions):
    """Whoever also stores the leaf hash of what they changed is caught by the signature."""
    tampered = decisions[1]
    with tampering() as cursor:
        cursor.execute("UPDATE fund_decision SET amount = 120000 WHERE id = %s", [tampered.pk])
        changed = leaf_decisions().get(pk=tampered.pk)
        cursor.execute(
            "UPDATE fund_decision SET leaf_hash = %s WHERE id = %s",
            [leaf_hash_hex(changed), tampered.pk],
        )
    with pytest.raises(CommandError, match="do not give the root of the latest checkpoint"):
        verify()


def test_a_gap_in_the_log_is_found(fund, decisions):
    removed, successor = decisions[1], decisions[2]
    with tampering() as cursor:
        cursor.execute("DELETE FROM fund_decision WHERE id = %s", [removed.pk])
    with pytest.raises(CommandError) as failure:
        verify()
    message = str(failure.value)
    assert f"the next decision, {successor.registration_number}, is at position 2" in message


def test_decisions_not_yet_signed_are_reported_and_sign_checkpoint_signs_them(fund, decisions):
    with tampering() as cursor:
        cursor.execute("DELETE FROM fund_checkpoint WHERE tree_size = 4")
    with pytest.raises(CommandError, match="1 decisions are not covered"):
        verify()
    out = StringIO()
    call_command("sign_checkpoint", stdout=out)
    assert "Signed the checkpoint of 4 decisions." in out.getvalue()
    assert "All 4 decisions verified." in verify()
    assert checkpoint_sign() is None


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
