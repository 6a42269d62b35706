"""The transparency log's public API: checkpoints, the key, leaves, proofs, and 4xx."""

import base64

import pytest

from ideasluss.fund import tlog, transparency
from ideasluss.fund.models import Checkpoint, DecisionKind
from tests.fund.decision_helpers import delegated_decision

pytestmark = pytest.mark.django_db
API = "/api/v1/decisions"


@pytest.fixture
def three(fund, coach):
    return [
        delegated_decision(fund=fund, coach=coach, kind=kind)
        for kind in (DecisionKind.APPROVE, DecisionKind.REJECT, DecisionKind.APPROVE)
    ]


def test_the_latest_checkpoint_is_signed_text(client, three):
    response = client.get(f"{API}/checkpoint")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    key = client.get(f"{API}/key").content.decode()
    head = tlog.open_checkpoint(response.content.decode(), tlog.parse_verifier(key))
    assert head.origin == "localhost/fonden/beslut" and head.size == 3
    assert head.root == tlog.root(transparency.stored_leaf_hashes())


def test_every_size_keeps_its_checkpoint(client, three):
    assert Checkpoint.objects.count() == 3
    note = client.get(f"{API}/checkpoint/2").content.decode()
    assert tlog.open_checkpoint(note, transparency.log_verifier()).size == 2
    listed = client.get(f"{API}/checkpoints", {"start": 2}).json()
    assert [item["tree_size"] for item in listed] == [2, 3]


def test_entries_are_the_live_leaves_in_log_order(client, three, fund):
    entries = client.get(f"{API}/entries", {"start": 1, "limit": 5}).json()
    assert [entry["log_index"] for entry in entries] == [1, 2]
    leaf = entries[0]["leaf"]
    assert leaf["registration_number"] == three[1].registration_number
    assert leaf["fund"] == fund.name and leaf["kind"] == "reject"
    assert tlog.leaf_hash(tlog.leaf_bytes(leaf)).hex() == three[1].leaf_hash
    one = client.get(f"{API}/entries/2").json()
    assert one["leaf"]["registration_number"] == three[2].registration_number


def test_the_leaf_names_nobody(client, three, coach):
    body = client.get(f"{API}/entries").content.decode()
    assert coach.full_name not in body and coach.last_name not in body


def test_proofs_verify_against_the_checkpoints(client, three):
    hashes = transparency.stored_leaf_hashes()
    answer = client.get(f"{API}/proof/inclusion", {"index": 1, "size": 3}).json()
    proof = [base64.b64decode(p) for p in answer["proof"]]
    assert tlog.verify_inclusion(1, 3, hashes[1], proof, tlog.root(hashes))
    answer = client.get(f"{API}/proof/consistency", {"first": 1, "second": 3}).json()
    proof = [base64.b64decode(p) for p in answer["proof"]]
    assert tlog.verify_consistency(1, 3, hashes[0], tlog.root(hashes), proof)


@pytest.mark.parametrize(
    "path, query, status",
    [
        ("checkpoint/0", {}, 422),
        ("checkpoint/4", {}, 404),
        ("checkpoint/abc", {}, 422),
        (f"checkpoint/{2**63}", {}, 422),
        ("entries/3", {}, 404),
        ("entries/-1", {}, 422),
        ("entries", {"limit": 201}, 422),
        ("entries", {"start": 2**64}, 422),
        ("proof/inclusion", {"index": 3, "size": 3}, 400),
        ("proof/inclusion", {"index": 0, "size": 4}, 400),
        ("proof/inclusion", {"index": 0, "size": 0}, 422),
        ("proof/inclusion", {"index": "x", "size": 2}, 422),
        ("proof/inclusion", {"index": 0, "size": 2**63}, 422),
        ("proof/consistency", {"first": 3, "second": 2}, 400),
        ("proof/consistency", {"first": 0, "second": 2}, 422),
        ("proof/consistency", {"first": 1, "second": 9}, 400),
    ],
)
def test_bad_parameters_are_refused_with_a_reason(client, three, path, query, status):
    response = client.get(f"{API}/{path}", query)
    assert response.status_code == status, response.content
    assert response.json()["detail"]


def test_an_empty_log_has_no_checkpoint_yet(client):
    assert client.get(f"{API}/checkpoint").status_code == 404
    assert client.get(f"{API}/proof/inclusion").status_code == 404


def test_every_log_endpoint_is_described_in_the_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "checkpoint",
        "checkpoint/{size}",
        "checkpoints",
        "key",
        "entries",
        "entries/{index}",
        "proof/inclusion",
        "proof/consistency",
    ):
        operation = paths[f"{API}/{path}"]["get"]
        assert operation.get("summary") and operation.get("operationId"), path


def test_the_key_comes_from_the_environment_or_a_file(settings, tmp_path):
    signer = tlog.generate_signer("example.se/fonden/beslut")
    settings.DECISION_LOG_SIGNING_KEY = str(signer)
    assert transparency.log_verifier() == signer.verifier
    other = tlog.generate_signer("example.se/fonden/beslut")
    key_file = tmp_path / "key"
    key_file.write_text(str(other) + "\n")
    settings.DECISION_LOG_SIGNING_KEY = ""
    settings.DECISION_LOG_SIGNING_KEY_FILE = str(key_file)
    assert transparency.log_verifier() == other.verifier


def test_a_key_file_is_generated_once_outside_production(settings, tmp_path):
    settings.DECISION_LOG_GENERATE_KEY_FILE = tmp_path / "generated"
    first = transparency.log_verifier()
    assert (tmp_path / "generated").stat().st_mode & 0o777 == 0o600
    assert transparency.log_verifier() == first


def test_the_public_register_links_the_checkpoint_and_the_key(client, three):
    from cms.site_tree import ensure_site_tree

    ensure_site_tree()
    page = client.get("/fonden/beslut/").content.decode()
    assert 'href="/api/v1/decisions/checkpoint"' in page
    assert 'href="/api/v1/decisions/key"' in page
    assert "Kontrollera själv att inget beslut har ändrats" in page
