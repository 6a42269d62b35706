"""Rotating the decision log's signing key (docs/deploy.md, "The decision register's
signing key"): checkpoints name their key, the new key signs the current tree again, the
replaced key is published as an earlier key, and a checkpoint kept from before the
rotation still verifies, with both verifiers, while the latest checkpoint must be signed
with the current key."""

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from ideasluss.fund import tlog, transparency
from ideasluss.fund.models import Checkpoint
from ideasluss.fund.services import checkpoint_sign
from tests.fund.decision_helpers import delegated_decision

ROOT = Path(__file__).resolve().parents[2]
STANDALONE = ROOT / "docs" / "verifier" / "verify_register.py"


@pytest.fixture
def rotate(settings):
    """Switch to a new signing key, as an operator does: `rotate()` publishes the
    replaced key as an earlier key, `rotate(publish=False)` forgets to."""

    def switch(*, publish: bool = True) -> tlog.Signer:
        replaced = transparency.log_verifier()
        new = tlog.generate_signer("localhost/fonden/beslut")
        settings.DECISION_LOG_SIGNING_KEY = str(new)
        settings.DECISION_LOG_EARLIER_KEYS = (
            [str(replaced), *settings.DECISION_LOG_EARLIER_KEYS] if publish else []
        )
        return new

    return switch


def verify_local() -> str:
    out = StringIO()
    call_command("verify_decisions", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_checkpoint_names_the_key_that_signed_it(fund, coach):
    delegated_decision(fund=fund, coach=coach)
    checkpoint = Checkpoint.objects.get()
    assert checkpoint.signed_with == transparency.log_verifier().name_and_id
    assert tlog.signature_keys(checkpoint.note) == [checkpoint.signed_with]


@pytest.mark.django_db
def test_after_a_rotation_the_new_key_signs_the_same_tree_once(fund, coach, rotate):
    delegated_decision(fund=fund, coach=coach)
    delegated_decision(fund=fund, coach=coach)
    new = rotate()

    checkpoint = checkpoint_sign()

    assert checkpoint.tree_size == 2
    assert checkpoint.signed_with == new.verifier.name_and_id
    assert tlog.open_checkpoint(checkpoint.note, new.verifier).size == 2
    assert transparency.latest_checkpoint() == checkpoint
    assert checkpoint_sign() is None
    assert Checkpoint.objects.filter(tree_size=2).count() == 2


@pytest.mark.django_db
def test_processes_on_the_old_and_the_new_key_each_keep_their_own_checkpoint(
    fund, coach, rotate, client
):
    """During the restarts of a rotation some processes still sign with the old key (the
    scheduler runs sign_checkpoint every few minutes): neither signs the size again."""
    delegated_decision(fund=fund, coach=coach)
    old = transparency.log_verifier()
    new = rotate()
    checkpoint_sign()
    still_old = {"DECISION_LOG_SIGNING_KEY": "", "DECISION_LOG_EARLIER_KEYS": []}

    with override_settings(**still_old):
        assert checkpoint_sign() is None
        assert transparency.latest_checkpoint().signed_with == old.name_and_id
    assert checkpoint_sign() is None
    assert transparency.latest_checkpoint().signed_with == new.verifier.name_and_id
    assert Checkpoint.objects.count() == 2
    served = client.get("/api/v1/decisions/checkpoint").content.decode()
    assert tlog.open_checkpoint(served, new.verifier).size == 1


@pytest.mark.django_db
def test_verify_decisions_asks_for_a_new_signature_after_a_rotation(fund, coach, rotate):
    delegated_decision(fund=fund, coach=coach)
    old = transparency.log_verifier()
    new = rotate()

    with pytest.raises(CommandError) as refused:
        verify_local()
    assert f"signed with the earlier key {old.name_and_id}" in str(refused.value)
    assert "manage.py sign_checkpoint" in str(refused.value)
    assert new.verifier.name_and_id in str(refused.value)

    call_command("sign_checkpoint", stdout=StringIO())
    assert "All 1 decisions verified." in verify_local()


@pytest.mark.django_db
def test_verify_decisions_fails_while_the_replaced_key_is_not_published(fund, coach, rotate):
    delegated_decision(fund=fund, coach=coach)
    old = transparency.log_verifier()
    rotate(publish=False)
    checkpoint_sign()

    with pytest.raises(CommandError) as refused:
        verify_local()
    assert f"{old.name_and_id} (1)" in str(refused.value)
    assert "IDESLUSS_LOG_EARLIER_KEYS" in str(refused.value)


@pytest.mark.django_db
def test_the_api_lists_the_current_key_then_the_earlier_ones(client, fund, coach, rotate):
    delegated_decision(fund=fund, coach=coach)
    old = transparency.log_verifier()
    new = rotate()
    checkpoint_sign()

    keys = client.get("/api/v1/decisions/keys").content.decode().split("\n")
    assert keys == [str(new.verifier), str(old), ""]
    assert client.get("/api/v1/decisions/key").content.decode() == f"{new.verifier}\n"
    listed = client.get("/api/v1/decisions/checkpoints").json()
    assert [(item["tree_size"], item["signed_with"]) for item in listed] == [
        (1, old.name_and_id),
        (1, new.verifier.name_and_id),
    ]


@pytest.mark.django_db
def test_a_server_of_the_release_before_still_writes_checkpoints(fund, coach):
    """During a rolling upgrade (docs/deploy.md) app servers of the previous release insert
    checkpoints without `signed_with`: the database default takes them, and the key is
    read from the note."""
    delegated_decision(fund=fund, coach=coach)
    signed = Checkpoint.objects.get()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO fund_checkpoint (tree_size, root_hash, note, signed_at) "
            "VALUES (%s, %s, %s, %s)",
            [signed.tree_size, signed.root_hash, signed.note, timezone.now()],
        )
    written_by_the_old_release = Checkpoint.objects.get(signed_with="")

    assert written_by_the_old_release.key == transparency.log_verifier().name_and_id
    assert checkpoint_sign() is None
    assert "All 1 decisions verified." in verify_local()
    listed = transparency.checkpoints_page(start=1, limit=10)
    assert [item["signed_with"] for item in listed] == [signed.signed_with] * 2


@pytest.mark.django_db
def test_a_malformed_earlier_key_stops_the_verifier(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.DECISION_LOG_EARLIER_KEYS = ["not-a-key"]
    with pytest.raises(ImproperlyConfigured, match="earlier decision log key"):
        transparency.log_earlier_verifiers()


# --- a checkpoint kept from before the rotation, checked over the public API ---------------


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


@pytest.fixture
def kept_before_rotation(fund, coach, tmp_path):
    """Two decisions signed with the old key, and the checkpoint a citizen kept then."""
    delegated_decision(fund=fund, coach=coach)
    delegated_decision(fund=fund, coach=coach)
    saved = tmp_path / "checkpoint.txt"
    saved.write_text(transparency.latest_checkpoint().note)
    return saved


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("verify", [command, standalone])
def test_a_checkpoint_kept_before_a_rotation_still_verifies(
    verify, live_server, kept_before_rotation, fund, coach, rotate
):
    rotate()
    checkpoint_sign()
    delegated_decision(fund=fund, coach=coach)  # signed with the new key only

    status, message = verify(live_server, kept_before_rotation)

    assert status == 0, message
    assert "(2 decisions)" in message and "(3 decisions)" in message


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("verify", [command, standalone])
def test_an_unpublished_earlier_key_can_be_given_by_the_verifier(
    verify, live_server, kept_before_rotation, fund, coach, rotate
):
    old = transparency.log_verifier()
    new = rotate(publish=False)
    checkpoint_sign()
    delegated_decision(fund=fund, coach=coach)

    status, message = verify(live_server, kept_before_rotation)
    assert status == 1 and "not signed by the key" in message, message

    pinned = ("--key", str(new.verifier), "--earlier-key", str(old))
    status, message = verify(live_server, kept_before_rotation, *pinned)
    assert status == 0, message


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("verify", [command, standalone])
def test_the_latest_checkpoint_must_be_signed_with_the_current_key(
    verify, live_server, kept_before_rotation, rotate
):
    """Until the new key has signed, the log's latest checkpoint is the old key's: a
    verifier that trusts the new key does not accept it (an earlier key, perhaps the
    compromised one, signs nothing new)."""
    rotate()

    status, message = verify(live_server, kept_before_rotation)

    assert status == 1
    assert "latest checkpoint does not verify" in message
