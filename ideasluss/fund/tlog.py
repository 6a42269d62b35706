"""A transparency log anyone can verify: RFC 9162 Merkle trees, C2SP checkpoints, the verifier.

Self-contained on purpose (the standard library and `cryptography`, no Django): the
standalone verifier `docs/verifier/verify_register.py` is a byte-for-byte copy of this
file (a test keeps them equal), and `manage.py verify_decisions` runs the same
`verify_register` over the database or over the public API.

- The tree: RFC 9162 §2.1 (leaf hash SHA-256(0x00‖leaf), node SHA-256(0x01‖left‖right),
  empty tree SHA-256(""), split at the largest power of two below n), inclusion proofs
  (PATH, §2.1.3) and consistency proofs (PROOF/SUBPROOF, §2.1.4) over a list of leaf
  hashes, and their verification algorithms (§2.1.3.2, §2.1.4.2).
- Checkpoints: c2sp.org/tlog-checkpoint, a c2sp.org/signed-note signed with Ed25519.
- A leaf is the canonical UTF-8 JSON of one public decision (sorted keys, no whitespace).
"""

import argparse
import base64
import binascii
import hashlib
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

EMPTY_ROOT = hashlib.sha256(b"").digest()
ED25519 = 0x01
MAX_SIZE = 2**63 - 1
ENTRIES_PAGE = 200

# --- the tree (RFC 9162 §2.1) -------------------------------------------------------------


def leaf_hash(leaf: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def leaf_bytes(record: dict) -> bytes:
    """The canonical form of a leaf: UTF-8 JSON, sorted keys, no whitespace."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root(hashes: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of the leaf hashes."""
    if not hashes:
        return EMPTY_ROOT
    if len(hashes) == 1:
        return hashes[0]
    k = _split(len(hashes))
    return node_hash(root(hashes[:k]), root(hashes[k:]))


def prefix_roots(hashes: Sequence[bytes]) -> Iterator[bytes]:
    """The root of every prefix D[0:1], D[0:2], … in one pass (O(n log n), not O(n²)).

    A tree of size n is its perfect subtrees ("peaks", largest first) folded from the
    right, so each size needs only the peaks, kept as a stack."""
    peaks: list[tuple[int, bytes]] = []
    for hashed in hashes:
        size, node = 1, hashed
        while peaks and peaks[-1][0] == size:
            left_size, left = peaks.pop()
            size, node = left_size + size, node_hash(left, node)
        peaks.append((size, node))
        folded = peaks[-1][1]
        for _size, peak in reversed(peaks[:-1]):
            folded = node_hash(peak, folded)
        yield folded


def inclusion_proof(index: int, hashes: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]): the audit path of leaf `index` in the tree of `hashes`."""
    if not 0 <= index < len(hashes):
        raise ValueError("the leaf index must be smaller than the tree size")
    if len(hashes) == 1:
        return []
    k = _split(len(hashes))
    if index < k:
        return [*inclusion_proof(index, hashes[:k]), root(hashes[k:])]
    return [*inclusion_proof(index - k, hashes[k:]), root(hashes[:k])]


def consistency_proof(first: int, hashes: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) = SUBPROOF(m, D[n], true), for 0 < m <= n."""
    if not 0 < first <= len(hashes):
        raise ValueError("the first size must be between 1 and the tree size")
    return _subproof(first, hashes, True)


def _subproof(m: int, hashes: Sequence[bytes], complete: bool) -> list[bytes]:
    n = len(hashes)
    if m == n:
        return [] if complete else [root(hashes)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, hashes[:k], complete), root(hashes[k:])]
    return [*_subproof(m - k, hashes[k:], False), root(hashes[:k])]


def verify_inclusion(
    index: int, size: int, hashed: bytes, proof: Sequence[bytes], expected_root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2."""
    if index >= size or index < 0:
        return False
    fn, sn, r = index, size - 1, hashed
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == expected_root


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2 (equal sizes: an empty proof and equal roots)."""
    if first < 1 or first > second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_root and sr == second_root and sn == 0


# --- checkpoints: signed notes (c2sp.org/signed-note, c2sp.org/tlog-checkpoint) ------------


class NoteError(ValueError):
    """A malformed or unverifiable note, key or checkpoint."""


def _b64decode(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise NoteError(f"{what} is not valid base64") from error


def _check_key_name(name: str) -> None:
    if not name or any(c.isspace() or c == "+" for c in name):
        raise NoteError("a key name must be non-empty, without spaces or '+'")


def key_id(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([ED25519]) + public_key).digest()[:4]


@dataclass(frozen=True)
class Verifier:
    name: str
    public_key: bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public_key)

    @property
    def name_and_id(self) -> str:
        """ "name+keyid": how a signature line and an error name the key."""
        return f"{self.name}+{self.key_id.hex()}"

    def __str__(self) -> str:
        encoded = base64.b64encode(bytes([ED25519]) + self.public_key).decode()
        return f"{self.name}+{self.key_id.hex()}+{encoded}"


@dataclass(frozen=True)
class Signer:
    name: str
    private_key: Ed25519PrivateKey

    @property
    def verifier(self) -> Verifier:
        public = self.private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return Verifier(self.name, public)

    def __str__(self) -> str:
        """The private key as Go's note package writes it: PRIVATE+KEY+name+id+base64."""
        seed = self.private_key.private_bytes_raw()
        encoded = base64.b64encode(bytes([ED25519]) + seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier.key_id.hex()}+{encoded}"


def generate_signer(name: str) -> Signer:
    _check_key_name(name)
    return Signer(name, Ed25519PrivateKey.generate())


def parse_signer(text: str) -> Signer:
    parts = text.strip().split("+", 4)  # base64 may contain "+": split as Go's note does
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
        raise NoteError("a signing key has the form PRIVATE+KEY+name+keyid+base64")
    _prefix, _key, name, hex_id, encoded = parts
    _check_key_name(name)
    raw = _b64decode(encoded, "the signing key")
    if len(raw) != 33 or raw[0] != ED25519:
        raise NoteError("the signing key is not an Ed25519 key")
    signer = Signer(name, Ed25519PrivateKey.from_private_bytes(raw[1:]))
    if signer.verifier.key_id.hex() != hex_id.lower():
        raise NoteError("the signing key's id does not match its key")
    return signer


def parse_verifier(text: str) -> Verifier:
    parts = text.strip().split("+", 2)
    if len(parts) != 3:
        raise NoteError("a verifier key has the form name+keyid+base64(0x01‖public key)")
    name, hex_id, encoded = parts
    _check_key_name(name)
    raw = _b64decode(encoded, "the verifier key")
    if len(raw) != 33 or raw[0] != ED25519:
        raise NoteError("the verifier key is not an Ed25519 key")
    verifier = Verifier(name, raw[1:])
    if len(hex_id) != 8 or verifier.key_id.hex() != hex_id.lower():
        raise NoteError("the verifier key's id does not match its key")
    return verifier


def sign_note(text: str, signer: Signer) -> str:
    if not text.endswith("\n") or "\n\n" in text:
        raise NoteError("a note text ends in a newline and has no blank line")
    signature = signer.private_key.sign(text.encode())
    encoded = base64.b64encode(signer.verifier.key_id + signature).decode()
    return f"{text}\n\u2014 {signer.name} {encoded}\n"


def _split_note(note: str) -> tuple[str, list[tuple[str, bytes]]]:
    """The text of `note` and its signatures (key name, key id ‖ signature), unverified."""
    if any(ord(c) < 0x20 and c != "\n" for c in note):
        raise NoteError("a note may not contain control characters")
    text, separator, signatures = note.rpartition("\n\n")
    if not separator or not signatures.endswith("\n"):
        raise NoteError("not a signed note (text, blank line, signature lines)")
    found = []
    for line in signatures[:-1].split("\n"):
        prefix, _space, rest = line.partition(" ")
        name, _space, encoded = rest.partition(" ")
        if prefix != "\u2014" or not name or not encoded:
            raise NoteError("a signature line reads “— name base64(signature)”")
        raw = _b64decode(encoded, "a signature")
        if len(raw) < 5:
            raise NoteError("a signature is too short")
        found.append((name, raw))
    return text + "\n", found


def signature_keys(note: str) -> list[str]:
    """The keys whose signatures `note` carries, as "name+keyid", unverified."""
    return [f"{name}+{raw[:4].hex()}" for name, raw in _split_note(note)[1]]


def open_note(note: str, verifier: Verifier) -> str:
    """The text of `note` once the verifier's signature on it checks out."""
    text, signatures = _split_note(note)
    verified = False
    for name, raw in signatures:
        if name != verifier.name or raw[:4] != verifier.key_id:
            continue  # another key's signature (a witness, say): ignored, as the spec says
        if len(raw) != 4 + 64:
            raise NoteError("the log's signature has the wrong length")
        try:
            Ed25519PublicKey.from_public_bytes(verifier.public_key).verify(raw[4:], text.encode())
        except InvalidSignature as error:
            raise NoteError("the log's signature does not verify") from error
        verified = True
    if not verified:
        raise NoteError(f"the note is not signed by the key {verifier.name_and_id}")
    return text


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes

    def text(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"


def parse_checkpoint(text: str) -> Checkpoint:
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "" or not all(lines[:-1]):
        raise NoteError("a checkpoint is origin, tree size and root hash, one per line")
    origin, size_text, root_text = lines[:3]
    if not size_text.isdigit() or (size_text.startswith("0") and size_text != "0"):
        raise NoteError("the checkpoint's tree size is not a decimal number")
    size = int(size_text)
    if size > MAX_SIZE:
        raise NoteError("the checkpoint's tree size is too large")
    hashed = _b64decode(root_text, "the checkpoint's root hash")
    if len(hashed) != 32:
        raise NoteError("the checkpoint's root hash is not 32 bytes")
    return Checkpoint(origin, size, hashed)


def open_checkpoint(note: str, verifier: Verifier) -> Checkpoint:
    return parse_checkpoint(open_note(note, verifier))


def open_checkpoint_with(note: str, verifiers: Sequence[Verifier]) -> Checkpoint:
    """The checkpoint once one of `verifiers` (the log's key, then the earlier keys it
    published when it rotated its key) has a signature on it that checks out."""
    first_error = None
    for verifier in verifiers:
        try:
            return open_checkpoint(note, verifier)
        except NoteError as error:
            first_error = first_error or error
    if len(verifiers) > 1:
        earlier = ", ".join(v.name_and_id for v in verifiers[1:])
        raise NoteError(
            f"the note is not signed by the key {verifiers[0].name_and_id} "
            f"nor by an earlier key ({earlier})"
        )
    raise first_error or NoteError("no verifier key to check the note with")


# --- the verifier ------------------------------------------------------------------------


class SourceError(Exception):
    """The log could not be read (unreachable, or an answer that is not what the API serves)."""


class Source(Protocol):
    """Where the verifier reads the log: the public API, or the database behind it."""

    def latest_checkpoint(self) -> str: ...

    def verifier_key(self) -> str: ...

    def earlier_keys(self) -> list[str]: ...

    def checkpoints(self, start: int, limit: int) -> list[dict]: ...

    def entries(self, start: int, limit: int) -> list[dict]: ...

    def inclusion_proof(self, index: int, size: int) -> list[bytes]: ...

    def consistency_proof(self, first: int, second: int) -> list[bytes]: ...


@dataclass
class Failure(Exception):
    """The first decision that fails, where it is in the log, and why."""

    position: int
    registration_number: str | None
    reason: str

    def __str__(self) -> str:
        who = self.registration_number or "(no longer in the log)"
        return (
            f"the first decision that fails is {who} at log position {self.position}: {self.reason}"
        )


@dataclass(frozen=True)
class Verified:
    saved_size: int
    latest_size: int

    def __str__(self) -> str:
        return (
            f"The log verifies: your checkpoint ({self.saved_size} decisions) is contained "
            f"in the latest one ({self.latest_size} decisions), and every decision is unchanged."
        )


def _read_entries(source: Source, size: int) -> list[dict]:
    """The first `size` live entries (or fewer when the log has fewer), page by page."""
    entries: list[dict] = []
    while len(entries) < size:
        page = source.entries(len(entries), min(ENTRIES_PAGE, size - len(entries)))
        for offset, entry in enumerate(page):
            if not isinstance(entry, dict) or entry.get("log_index") != len(entries) + offset:
                raise SourceError("the entries are not numbered 0, 1, 2… in order")
            if not isinstance(entry.get("leaf"), dict):
                raise SourceError("an entry has no leaf data")
        entries.extend(page)
        if len(page) == 0:
            break
    return entries


def _signed_roots(source: Source, verifiers: Sequence[Verifier], up_to: int) -> dict[int, bytes]:
    """Every stored checkpoint up to size `up_to` whose signature verifies with one of
    `verifiers` (others count for nothing: whoever can write the database cannot sign)."""
    roots: dict[int, bytes] = {}
    start = 1
    while start <= up_to:
        page = source.checkpoints(start, ENTRIES_PAGE)
        if not page:
            break
        last = start - 1
        for item in page:
            listed = item.get("tree_size") if isinstance(item, dict) else None
            if isinstance(listed, int):
                last = max(last, listed)  # read on past a page of another key's checkpoints
            note = item.get("note") if isinstance(item, dict) else None
            try:
                checkpoint = open_checkpoint_with(note if isinstance(note, str) else "", verifiers)
            except NoteError:
                continue
            if checkpoint.size <= up_to:
                roots[checkpoint.size] = checkpoint.root
            last = max(last, checkpoint.size)
        if last < start:
            break
        start = last + 1
    return roots


def locate_failure(
    entries: list[dict], signed: dict[int, bytes], expected_size: int, reason: str
) -> Failure:
    """The first position where the live leaves stop matching a signed checkpoint.

    The prefix root of every size that has a signed checkpoint is compared with it; the
    first decision after the last matching size is the first that fails."""
    hashes = [leaf_hash(leaf_bytes(entry["leaf"])) for entry in entries]
    good, bad = 0, None
    for size, computed in enumerate(prefix_roots(hashes), start=1):
        if size in signed:
            if computed != signed[size]:
                bad = size
                break
            good = size
    if bad is None:
        bad = next((size for size in sorted(signed) if size > len(hashes)), None)
    if bad is None and len(hashes) < expected_size:
        bad = expected_size
    if bad is None:
        position = min(expected_size, len(hashes))
        number = entries[position - 1]["leaf"].get("registration_number") if position else None
        return Failure(max(position - 1, 0), number, reason)
    if good >= len(hashes):
        return Failure(
            good,
            None,
            f"missing: the log now has {len(hashes)} entries, a signed checkpoint has {bad} "
            f"({reason})",
        )
    number = entries[good]["leaf"].get("registration_number")
    if len(hashes) < expected_size:
        why = (
            f"changed or removed (the log now has {len(hashes)} entries, "
            f"{expected_size} were signed)"
        )
    else:
        why = "changed since it was signed"
    if bad > good + 1:
        why += f" (or one of the decisions up to position {bad - 1}: they were signed together)"
    return Failure(good, str(number) if number is not None else None, f"{why}; {reason}")


def verify_register(
    source: Source,
    saved_note: str,
    key: str | None = None,
    earlier_keys: Sequence[str] | None = None,
) -> Verified:
    """Verify the log against a checkpoint kept earlier; raise `Failure` naming the first
    decision that fails, `NoteError` for a malformed note or key, `SourceError` when the
    log cannot be read.

    `key` is the log's current key (default: the one the log serves); the latest
    checkpoint must be signed with it. A checkpoint kept from before a key rotation is
    signed with an earlier key: `earlier_keys` (default: those the log publishes)."""
    fetched = key is None
    verifier = parse_verifier(key if key is not None else source.verifier_key())
    earlier = source.earlier_keys() if earlier_keys is None else earlier_keys
    verifiers = [verifier, *(v for v in map(parse_verifier, earlier) if v != verifier)]
    try:
        saved = open_checkpoint_with(saved_note, verifiers)
    except NoteError as error:
        if fetched:
            message = f"your checkpoint does not verify with the log's key: {error}"
            raise NoteError(message) from None
        raise
    try:
        latest = open_checkpoint(source.latest_checkpoint(), verifier)
    except NoteError as error:
        raise NoteError(f"the log's latest checkpoint does not verify: {error}") from None
    if latest.origin != saved.origin:
        raise NoteError(f"the log is {latest.origin!r}, your checkpoint is of {saved.origin!r}")
    entries = _read_entries(source, max(saved.size, latest.size))

    def fail(reason: str) -> Failure:
        signed = _signed_roots(source, verifiers, max(saved.size, latest.size))
        signed[saved.size] = saved.root
        return locate_failure(entries, signed, saved.size, reason)

    if latest.size < saved.size:
        raise fail(
            f"the log shrank: the latest checkpoint has {latest.size} entries, yours {saved.size}"
        )
    hashes = [leaf_hash(leaf_bytes(entry["leaf"])) for entry in entries]
    if len(hashes) < latest.size:
        raise fail(f"the log serves {len(hashes)} entries, {latest.size} are signed")
    if saved.size and root(hashes[: saved.size]) != saved.root:
        raise fail("changed since your checkpoint was signed")
    if root(hashes[: latest.size]) != latest.root:
        raise fail("changed since the latest checkpoint was signed")

    def proof(fetch, *arguments) -> list[bytes]:
        try:
            return fetch(*arguments)
        except SourceError as error:
            raise fail(f"the log cannot give a proof: {error}") from None

    if saved.size and not verify_consistency(
        saved.size, latest.size, saved.root, latest.root,
        proof(source.consistency_proof, saved.size, latest.size)
        if saved.size < latest.size else [],
    ):  # fmt: skip
        raise fail("the latest checkpoint is not consistent with yours (the log was rewritten)")
    for index in sorted({0, saved.size - 1, latest.size - 1} - {-1}):
        path = proof(source.inclusion_proof, index, latest.size)
        if not verify_inclusion(index, latest.size, hashes[index], path, latest.root):
            raise fail("its inclusion proof does not verify")
    return Verified(saved.size, latest.size)


# --- reading the public API --------------------------------------------------------------


class HttpSource:
    """The public API at `base` (e.g. https://example.se/api/v1), read with urllib."""

    def __init__(self, base: str, timeout: float = 30):
        if urllib.parse.urlsplit(base).scheme not in ("http", "https"):
            raise SourceError(f"not an http(s) URL: {base}")
        self.base = base.rstrip("/")
        self.timeout = timeout

    def _get(self, path: str, **query) -> bytes:
        url = f"{self.base}/decisions/{path}"
        if query:
            url += "?" + urllib.parse.urlencode(query)
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as response:  # noqa: S310
                return response.read()
        except urllib.error.HTTPError as error:
            raise SourceError(f"{url} answered {error.code}") from None
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            raise SourceError(f"cannot reach {url}: {reason}") from None

    def _json(self, path: str, **query):
        try:
            return json.loads(self._get(path, **query))
        except ValueError:
            raise SourceError(f"{self.base}/decisions/{path} did not answer JSON") from None

    def _text(self, path: str) -> str:
        try:
            return self._get(path).decode()
        except UnicodeDecodeError:
            raise SourceError(f"{self.base}/decisions/{path} is not UTF-8") from None

    def _proof(self, path: str, **query) -> list[bytes]:
        answer = self._json(path, **query)
        proof = answer.get("proof") if isinstance(answer, dict) else None
        if not isinstance(proof, list) or not all(isinstance(p, str) for p in proof):
            raise SourceError(f"the {path} answer has no proof")
        try:
            return [_b64decode(p, "a proof hash") for p in proof]
        except NoteError as error:
            raise SourceError(str(error)) from None

    def latest_checkpoint(self) -> str:
        return self._text("checkpoint")

    def verifier_key(self) -> str:
        return self._text("key")

    def earlier_keys(self) -> list[str]:
        """The keys listed after the current one: those it replaced, newest first."""
        return self._text("keys").split()[1:]

    def checkpoints(self, start: int, limit: int) -> list[dict]:
        answer = self._json("checkpoints", start=start, limit=limit)
        if not isinstance(answer, list):
            raise SourceError("the checkpoints answer is not a list")
        return answer

    def entries(self, start: int, limit: int) -> list[dict]:
        answer = self._json("entries", start=start, limit=limit)
        if not isinstance(answer, list):
            raise SourceError("the entries answer is not a list")
        return answer

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        return self._proof("proof/inclusion", index=index, size=size)

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        return self._proof("proof/consistency", first=first, second=second)


def run(
    source: Source,
    checkpoint_file: str,
    key: str | None,
    out=sys.stdout,
    earlier_keys: Sequence[str] | None = None,
) -> int:
    """Verify and print one line; the exit status: 0 verified, 1 failed, 2 could not check."""
    try:
        with open(checkpoint_file, encoding="utf-8") as file:
            saved_note = file.read()
    except (OSError, UnicodeDecodeError) as error:
        print(f"Cannot read the checkpoint {checkpoint_file}: {error}", file=out)
        return 2
    try:
        print(verify_register(source, saved_note, key, earlier_keys), file=out)
    except Failure as failure:
        print(f"FAILED: {failure}", file=out)
        return 1
    except NoteError as error:
        print(f"FAILED: {error}", file=out)
        return 1
    except SourceError as error:
        print(f"Cannot read the log: {error}", file=out)
        return 2
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=(
            "Verify the innovation fund's decision register against a checkpoint kept earlier."
        )
    )
    parser.add_argument("--checkpoint", required=True, help="the checkpoint file you kept")
    parser.add_argument("--api", required=True, help="the API's base URL, e.g. https://…/api/v1")
    parser.add_argument("--key", help="the log's verifier key (name+keyid+base64)")
    parser.add_argument(
        "--earlier-key",
        action="append",
        help="a key the log used before it rotated its key (repeat for each; default: "
        "those the log publishes)",
    )
    options = parser.parse_args(argv)
    try:
        source = HttpSource(options.api)
    except SourceError as error:
        print(f"Cannot read the log: {error}")
        return 2
    return run(source, options.checkpoint, options.key, earlier_keys=options.earlier_key)


if __name__ == "__main__":
    sys.exit(main())
