"""What someone with database access (and our own code) could rewrite, and both verifiers
catching it: `manage.py verify_decisions --api` and the standalone
docs/verifier/verify_register.py, each over HTTP against a live server, each naming the
first decision that fails. The attacker switches the append-only triggers off first."""

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from ideasluss.fund import transparency
from ideasluss.fund.models import Decision, DecisionKind
from tests.append_only import triggers_off
from tests.factories import ApplicationFactory, FundFactory
from workflows.fund.services import decision_record

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ROOT = Path(__file__).resolve().parents[2]
STANDALONE = ROOT / "docs" / "verifier" / "verify_register.py"


@pytest.fixture
def log(coach, tmp_path):
    """Four decisions, the first in another fund, and the checkpoint a citizen kept."""
    other = FundFactory(name="Klimatfonden", registration_prefix="KF", capital=100_000)
    fund = FundFactory(name="Innovationsfonden", capital=100_000, delegated_limit=30_000)
    decisions = [
        decision_record(
            application=ApplicationFactory(fund=owner, total=total, idea__title=f"Idé {total}"),
            by=coach,
            kind=DecisionKind.APPROVE,
            rationale=f"Ett väl avgränsat test ({total} kr).",
        )
        for owner, total in ((other, 5_000), (fund, 10_000), (fund, 12_000), (fund, 8_000))
    ]
    saved = tmp_path / "checkpoint.txt"
    saved.write_text(transparency.latest_checkpoint().note)
    return {"decisions": decisions, "saved": saved, "fund": fund}


def command(live_server, saved, *extra) -> tuple[int, str]:
    out = StringIO()
    arguments = ["--checkpoint", str(saved), "--api", f"{live_server.url}/api/v1", *extra]
    try:
        call_command("verify_decisions", *arguments, stdout=out)
    except CommandError as error:
        return 1, str(error)
    return 0, out.getvalue()


def standalone(live_server, saved, *extra) -> tuple[int, str]:
    result = subprocess.run(
        [sys.executable, str(STANDALONE), "--checkpoint", str(saved)]
        + ["--api", f"{live_server.url}/api/v1", *extra],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in result.stderr + result.stdout
    return result.returncode, result.stdout.strip()


VERIFIERS = [command, standalone]


def sql(statement: str, parameters=()) -> None:
    """One statement with the triggers and the foreign key checks off (a deleted decision
    leaves its notifications and log entries pointing nowhere, as it would)."""
    with triggers_off(connection), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = OFF")
        try:
            cursor.execute(statement, list(parameters))
        finally:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA foreign_keys = ON")


def restore_leaf_hashes() -> None:
    """The attacker recomputes and stores every leaf hash with our own code."""
    with triggers_off(connection), connection.cursor() as cursor:
        for decision in transparency.leaf_decisions():
            cursor.execute(
                "UPDATE fund_decision SET leaf_hash = %s WHERE id = %s",
                [transparency.leaf_hash_hex(decision), decision.pk],
            )


def assert_names(verdict, position: int, number: str | None, reason: str):
    status, message = verdict
    assert status == 1, message
    assert f"at log position {position}" in message, message
    if number is not None:
        assert number in message, message
    assert reason in message, message


@pytest.mark.parametrize("verify", VERIFIERS)
def test_a_correct_log_verifies(verify, live_server, log, coach):
    decision_record(
        application=ApplicationFactory(fund=log["fund"], total=3_000),
        by=coach,
        kind=DecisionKind.REJECT,
        rationale="Hör hemma i ordinarie budget.",
    )
    status, message = verify(live_server, log["saved"])
    assert status == 0, message
    assert (
        "The log verifies" in message and "(4 decisions)" in message and "(5 decisions)" in message
    )


@pytest.mark.parametrize("verify", VERIFIERS)
def test_a_changed_amount_and_rationale_are_caught(verify, live_server, log):
    changed = log["decisions"][1]
    sql(
        "UPDATE fund_decision SET amount = 99000, rationale = 'Annat' WHERE id = %s",
        [changed.pk],
    )
    restore_leaf_hashes()
    with pytest.raises(CommandError, match="root of the latest checkpoint"):
        call_command("verify_decisions", stdout=StringIO())  # the signed root is not fooled
    assert_names(verify(live_server, log["saved"]), 1, changed.registration_number, "changed")


@pytest.mark.parametrize("verify", VERIFIERS)
def test_a_deleted_last_decision_is_caught(verify, live_server, log):
    last = log["decisions"][-1]
    sql("DELETE FROM fund_decision WHERE id = %s", [last.pk])
    sql("DELETE FROM fund_checkpoint WHERE tree_size = 4")
    assert_names(verify(live_server, log["saved"]), 3, None, "shrank")


@pytest.mark.parametrize("verify", VERIFIERS)
def test_a_deleted_middle_decision_is_caught_even_when_the_log_is_renumbered(
    verify, live_server, log
):
    removed, moved = log["decisions"][1], log["decisions"][2]
    sql("DELETE FROM fund_decision WHERE id = %s", [removed.pk])
    for decision in log["decisions"][2:]:
        sql(
            "UPDATE fund_decision SET log_index = %s WHERE id = %s",
            [decision.log_index - 1, decision.pk],
        )
    restore_leaf_hashes()
    assert_names(verify(live_server, log["saved"]), 1, moved.registration_number, "removed")


@pytest.mark.parametrize("verify", VERIFIERS)
def test_a_renamed_idea_is_caught(verify, live_server, log):
    renamed = log["decisions"][2]
    sql("UPDATE ideas_idea SET title = 'Något annat' WHERE id = %s", [renamed.application.idea_id])
    assert_names(verify(live_server, log["saved"]), 2, renamed.registration_number, "changed")


@pytest.mark.parametrize("verify", VERIFIERS)
def test_a_renamed_fund_is_caught_at_its_first_decision(verify, live_server, log):
    sql("UPDATE fund_fund SET name = 'Omdöpta fonden' WHERE id = %s", [log["fund"].pk])
    first = log["decisions"][1]
    assert_names(verify(live_server, log["saved"]), 1, first.registration_number, "changed")


@pytest.mark.parametrize("verify", VERIFIERS)
def test_a_malformed_checkpoint_is_refused_in_one_line(verify, live_server, log):
    log["saved"].write_text("not a checkpoint\n")
    status, message = verify(live_server, log["saved"])
    assert status != 0 and "\n" not in message.strip()
    assert "signed note" in message


@pytest.mark.parametrize("verify", VERIFIERS)
def test_a_checkpoint_signed_by_another_key_is_refused(verify, live_server, log):
    from ideasluss.fund import tlog

    other = tlog.generate_signer("localhost/fonden/beslut")
    head = tlog.open_checkpoint(log["saved"].read_text(), transparency.log_verifier())
    log["saved"].write_text(tlog.sign_note(head.text(), other))
    status, message = verify(live_server, log["saved"])
    assert status == 1 and "not signed by the key" in message
    status, message = verify(live_server, log["saved"], "--key", str(other.verifier))
    assert status == 1  # the log's own checkpoints are not signed by that key


@pytest.mark.parametrize("verify", VERIFIERS)
def test_an_unreachable_api_is_one_clear_line(verify, live_server, log):
    class Nowhere:
        url = "http://127.0.0.1:9"

    status, message = verify(Nowhere, log["saved"])
    assert status != 0 and "Cannot read the log" in message and "\n" not in message.strip()


def test_the_local_verifier_reads_the_database_through_the_same_code(live_server, log):
    out = StringIO()
    call_command("verify_decisions", "--checkpoint", str(log["saved"]), stdout=out)
    assert "The log verifies" in out.getvalue()
    sql(
        "UPDATE ideas_idea SET title = 'X' WHERE id = %s", [log["decisions"][0].application.idea_id]
    )
    with pytest.raises(CommandError, match="at log position 0"):
        call_command("verify_decisions", "--checkpoint", str(log["saved"]), stdout=StringIO())


def test_decisions_keep_their_order_in_the_log(log):
    assert [d.log_index for d in Decision.objects.order_by("pk")] == [0, 1, 2, 3]
