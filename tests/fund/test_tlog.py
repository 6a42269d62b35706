"""The tree, the proofs and the checkpoints (`ideasluss.fund.tlog`) against known answers.

The vectors are the certificate-transparency / trillian ones, as published in
transparency-dev/merkle (tests/fund/data/rfc9162_vectors.json says where from)."""

import base64
import json
from pathlib import Path

import pytest

from ideasluss.fund import tlog

DATA = json.loads((Path(__file__).parent / "data" / "rfc9162_vectors.json").read_text())
LEAVES = [tlog.leaf_hash(bytes.fromhex(leaf)) for leaf in DATA["leaves"]]
ROOT = Path(__file__).resolve().parents[2]


def test_the_empty_tree_is_the_hash_of_nothing():
    assert tlog.root([]).hex() == DATA["empty_root"]


@pytest.mark.parametrize("size", range(1, 9))
def test_roots_match_the_known_roots(size):
    assert tlog.root(LEAVES[:size]).hex() == DATA["roots"][size - 1]


def test_prefix_roots_give_every_root_in_one_pass():
    assert [r.hex() for r in tlog.prefix_roots(LEAVES)] == DATA["roots"]


@pytest.mark.parametrize(
    "vector", DATA["inclusion"], ids=lambda v: f"{v['leaf_index']}@{v['tree_size']}"
)
def test_inclusion_proofs_match_and_verify(vector):
    index, size = vector["leaf_index"], vector["tree_size"]
    proof = tlog.inclusion_proof(index, LEAVES[:size])
    assert [p.hex() for p in proof] == vector["proof"]
    root = bytes.fromhex(vector["root"])
    assert tlog.verify_inclusion(index, size, bytes.fromhex(vector["leaf_hash"]), proof, root)


@pytest.mark.parametrize("vector", DATA["consistency"], ids=lambda v: f"{v['size1']}-{v['size2']}")
def test_consistency_proofs_match_and_verify(vector):
    first, second = vector["size1"], vector["size2"]
    proof = tlog.consistency_proof(first, LEAVES[:second])
    assert [p.hex() for p in proof] == vector["proof"]
    roots = bytes.fromhex(vector["root1"]), bytes.fromhex(vector["root2"])
    assert tlog.verify_consistency(first, second, *roots, proof)


def test_every_proof_of_every_size_verifies_and_a_wrong_one_does_not():
    for size in range(1, 9):
        root = tlog.root(LEAVES[:size])
        for index in range(size):
            proof = tlog.inclusion_proof(index, LEAVES[:size])
            assert tlog.verify_inclusion(index, size, LEAVES[index], proof, root)
            assert not tlog.verify_inclusion(index, size, LEAVES[(index + 1) % 8], proof, root)
            assert not tlog.verify_inclusion(index, size, LEAVES[index], proof, LEAVES[7])
            assert not tlog.verify_inclusion(size, size, LEAVES[index], proof, root)
        for first in range(1, size + 1):
            proof = tlog.consistency_proof(first, LEAVES[:size])
            first_root = tlog.root(LEAVES[:first])
            assert tlog.verify_consistency(first, size, first_root, root, proof)
            assert not tlog.verify_consistency(first, size, LEAVES[7], root, proof + [LEAVES[0]])


def test_a_checkpoint_is_signed_and_opened_as_a_c2sp_signed_note():
    signer = tlog.generate_signer("example.com/log")
    head = tlog.Checkpoint("example.com/log", 8, bytes.fromhex(DATA["roots"][7]))
    note = tlog.sign_note(head.text(), signer)
    body, signature = note.split("\n\n")
    assert body == "example.com/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="
    name, encoded = signature.removeprefix("\u2014 ").strip().split(" ")
    assert name == "example.com/log"
    assert base64.b64decode(encoded)[:4] == signer.verifier.key_id
    verifier = tlog.parse_verifier(str(signer.verifier))
    assert tlog.open_checkpoint(note, verifier) == head
    assert tlog.parse_signer(str(signer)).verifier == signer.verifier


def test_the_key_id_is_the_signed_note_one():
    # key ID = SHA-256(key name || 0x0A || 0x01 || public key)[:4] (c2sp.org/signed-note)
    import hashlib

    public = bytes(range(32))
    expected = hashlib.sha256(b"example.com/log\n\x01" + public).digest()[:4]
    assert tlog.key_id("example.com/log", public) == expected
    assert str(tlog.Verifier("example.com/log", public)).startswith(
        f"example.com/log+{expected.hex()}+"
    )


@pytest.mark.parametrize(
    "tamper",
    [
        lambda note: note.replace("\n8\n", "\n9\n"),
        lambda note: note.replace("\u2014 ", "- "),
        lambda note: note.split("\n\n")[0] + "\n",
        lambda note: note[:-10] + "AAAAAAAAA\n",
        lambda note: "\x01" + note,
    ],
    ids=["size", "dash", "no signature", "signature", "control character"],
)
def test_a_changed_or_malformed_checkpoint_is_refused(tamper):
    signer = tlog.generate_signer("example.com/log")
    note = tlog.sign_note(tlog.Checkpoint("example.com/log", 8, LEAVES[0]).text(), signer)
    with pytest.raises(tlog.NoteError):
        tlog.open_checkpoint(tamper(note), signer.verifier)


def test_a_note_signed_by_another_key_is_refused():
    note = tlog.sign_note(
        "example.com/log\n1\n" + base64.b64encode(LEAVES[0]).decode() + "\n",
        tlog.generate_signer("example.com/log"),
    )
    with pytest.raises(tlog.NoteError, match="not signed by the key"):
        tlog.open_checkpoint(note, tlog.generate_signer("example.com/log").verifier)


@pytest.mark.parametrize("key", ["", "a+b", "name+00000000+AAAA", "name+zz+" + "A" * 44])
def test_malformed_verifier_keys_are_refused(key):
    with pytest.raises(tlog.NoteError):
        tlog.parse_verifier(key)


def test_the_standalone_verifier_is_this_module():
    standalone = ROOT / "docs" / "verifier" / "verify_register.py"
    assert standalone.read_text() == (ROOT / "ideasluss" / "fund" / "tlog.py").read_text(), (
        "copy ideasluss/fund/tlog.py to docs/verifier/verify_register.py"
    )
