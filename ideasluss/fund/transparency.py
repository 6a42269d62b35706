"""The decision register as a transparency log: what a leaf says, the signing key, and
the log's public reads (the API serves them; `verify_decisions` reads them locally).

The tree, the proofs, the checkpoint format and the verifier are Django-free in `tlog`.
Writes (appending a decision, signing a checkpoint) are in `services.py`.
"""

import base64
import functools
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from . import tlog
from .models import Checkpoint, Decision

#: Pages of entries and checkpoints are bounded, so no answer grows with the table.
MAX_PAGE = 200
#: Any key for PostgreSQL's transaction-scoped advisory lock that numbers the log.
LOG_LOCK_KEY = 7_310_162


class LogRequestError(ValueError):
    """A request the log cannot answer (a size of 0 or beyond the tree, an index out of it)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


# --- the leaf ----------------------------------------------------------------------------


def _full_name(user) -> str:
    # Spelled out rather than `User.full_name`, so the data migration (historical models,
    # no properties) builds the same leaf.
    return f"{user.first_name} {user.last_name}".strip() or user.username


def leaf_record(decision: Decision) -> dict:
    """Everything the public register states about `decision`, as the log's leaf.

    The one place that says what a leaf holds: add a key here and every verifier
    covers it. Built from the live rows (the fund's name and the idea's title as they
    are now), so renaming either changes the leaf and breaks the signed root.

    Who took part (the members of a committee decision, or the coach of a delegated
    one) and who recorded it are covered by a salted SHA-256 digest: the register
    publishes no names (tests/fund/test_api.py), yet changing any of them changes the
    leaf. Staff can recompute the digest from the decision's page."""
    meeting = decision.meeting
    return {
        "registration_number": decision.registration_number,
        # A committee decision carries its meeting's date (`Decision.decided_on`, spelled
        # out for the data migration's historical models).
        "decided_on": (
            meeting.date if meeting is not None else timezone.localdate(decision.decided_at)
        ).isoformat(),
        "fund": decision.fund.name,
        "idea": decision.application.idea.title,
        "kind": decision.kind,
        "amount": decision.amount,
        "amount_requested": decision.amount_requested,
        "conditions": decision.conditions,
        "rationale": decision.rationale,
        "delegated": decision.delegated,
        "meeting": {"number": meeting.number, "date": meeting.date.isoformat()}
        if meeting is not None
        else None,
        "members_taking_part": len(decision.attendees) if meeting is not None else 1,
        "members_recused": len(decision.recused),
        "decided_by_digest": people_digest(decision),
        "supersedes": decision.supersedes.registration_number if decision.supersedes else None,
    }


def people_digest(decision: Decision) -> str:
    """SHA-256 of the salt and the names of who took part, who led the item, who was
    disqualified or present, and who recorded the decision."""
    recorder = _full_name(decision.decided_by)
    took_part = list(decision.attendees) if decision.meeting_id else [recorder]
    people = {"took_part": took_part, "recorded_by": recorder}
    # Who led the item, who was disqualified and who was present without deciding are part
    # of the record too (kept out of the digest when empty, so older leaves stay the same).
    for key, value in (
        ("led_by", decision.chaired_by),
        ("disqualified", list(decision.recused)),
        ("present", list(decision.present)),
    ):
        if value:
            people[key] = value
    salted = bytes.fromhex(decision.people_salt) + tlog.leaf_bytes(people)
    return hashlib.sha256(salted).hexdigest()


def leaf_hash_hex(decision: Decision) -> str:
    return tlog.leaf_hash(tlog.leaf_bytes(leaf_record(decision))).hex()


def leaf_decisions() -> QuerySet[Decision]:
    """Decisions in log order with every row a leaf reads, in one query."""
    return Decision.objects.select_related(
        "fund", "application__idea", "meeting", "decided_by", "supersedes"
    ).order_by("log_index")


# --- the key and the origin --------------------------------------------------------------


def log_origin() -> str:
    return settings.DECISION_LOG_ORIGIN


@functools.cache
def _signer_from(key: str, key_file: str, generated: str) -> tlog.Signer:
    if key:
        return tlog.parse_signer(key)
    path = Path(key_file or generated)
    if not key_file and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(str(tlog.generate_signer(log_origin())) + "\n")
    try:
        return tlog.parse_signer(path.read_text())
    except OSError as error:
        raise ImproperlyConfigured(f"Cannot read the log signing key {path}: {error}") from None


def log_signer() -> tlog.Signer:
    """The key that signs checkpoints: from the environment, a key file, or (outside
    production) a key file generated once in VAR_DIR."""
    generated = settings.DECISION_LOG_GENERATE_KEY_FILE
    configured = settings.DECISION_LOG_SIGNING_KEY or settings.DECISION_LOG_SIGNING_KEY_FILE
    if not configured and not generated:
        raise ImproperlyConfigured("No signing key for the decision log is configured.")
    try:
        return _signer_from(
            settings.DECISION_LOG_SIGNING_KEY,
            settings.DECISION_LOG_SIGNING_KEY_FILE,
            str(generated or ""),
        )
    except tlog.NoteError as error:
        raise ImproperlyConfigured(f"The decision log signing key is malformed: {error}") from None


def log_verifier() -> tlog.Verifier:
    return log_signer().verifier


def log_earlier_verifiers() -> list[tlog.Verifier]:
    """The public keys that signed checkpoints before the signing key was rotated, newest
    first (`IDESLUSS_LOG_EARLIER_KEYS`): published, so that a checkpoint kept from
    before a rotation still verifies. Never private keys, and never from the database."""
    current = log_verifier()
    try:
        earlier = [tlog.parse_verifier(text) for text in settings.DECISION_LOG_EARLIER_KEYS]
    except tlog.NoteError as error:
        raise ImproperlyConfigured(f"An earlier decision log key is malformed: {error}") from None
    return [verifier for verifier in earlier if verifier != current]


def log_verifiers() -> list[tlog.Verifier]:
    """The current key first, then the earlier ones."""
    return [log_verifier(), *log_earlier_verifiers()]


def lock_log() -> None:
    """Serialize writers of the log until the transaction ends: PostgreSQL takes an advisory
    lock (no table privilege needed); SQLite's writers already hold the database's write
    lock from BEGIN (`transaction_mode=IMMEDIATE`)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOG_LOCK_KEY])


# --- the log's public reads --------------------------------------------------------------


def stored_leaf_hashes(size: int | None = None) -> list[bytes]:
    """The stored leaf hashes in log order (all of them, or the first `size`).

    Loads one column of every decision: fine at thousands of decisions; at far more,
    keep the tree's inner nodes instead (the performance issue)."""
    hashes = Decision.objects.order_by("log_index").values_list("leaf_hash", flat=True)
    if size is not None:
        hashes = hashes[:size]
    return [bytes.fromhex(value) for value in hashes]


def tree_size() -> int:
    return Decision.objects.count()


def _current_key_first(checkpoints: QuerySet[Checkpoint]) -> QuerySet[Checkpoint]:
    """Largest tree first; of a size signed by several keys (a rotation), the current
    key's, then the newest. While processes with the old and the new key both run, each
    then keeps to its own key's checkpoint instead of signing the size again."""
    of_another_key = Case(
        When(signed_with=log_verifier().name_and_id, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return checkpoints.order_by("-tree_size", of_another_key, "-pk")


def latest_checkpoint() -> Checkpoint | None:
    """The checkpoint of the largest tree (of the current key, where it has signed it)."""
    return _current_key_first(Checkpoint.objects.all()).first()


def checkpoint_at(size: int) -> Checkpoint:
    checkpoint = _current_key_first(Checkpoint.objects.filter(tree_size=size)).first()
    if checkpoint is None:
        raise LogRequestError(f"No checkpoint was signed at tree size {size}.", status=404)
    return checkpoint


def checkpoints_page(*, start: int, limit: int) -> list[dict]:
    """Signed checkpoints from tree size `start` up, smallest first."""
    rows = Checkpoint.objects.filter(tree_size__gte=start).order_by("tree_size", "pk")[
        : min(limit, MAX_PAGE)
    ]
    return [{"tree_size": row.tree_size, "note": row.note, "signed_with": row.key} for row in rows]


def entries_page(*, start: int, limit: int) -> list[dict]:
    """The leaves from log index `start` on, rebuilt from the live rows."""
    rows = leaf_decisions().filter(log_index__gte=start)[: min(limit, MAX_PAGE)]
    return [{"log_index": row.log_index, "leaf": leaf_record(row)} for row in rows]


def entry(index: int) -> dict:
    decision = leaf_decisions().filter(log_index=index).first()
    if decision is None:
        raise LogRequestError(f"No decision at log index {index}.", status=404)
    return {"log_index": decision.log_index, "leaf": leaf_record(decision)}


def _check_size(size: int, current: int, name: str = "size") -> None:
    if size < 1:
        raise LogRequestError(f"The {name} must be at least 1.")
    if size > current:
        raise LogRequestError(f"The {name} {size} is beyond the tree, which has {current} entries.")


@dataclass(frozen=True)
class Proof:
    tree_size: int
    hashes: list[bytes]

    def encoded(self) -> list[str]:
        return [base64.b64encode(value).decode() for value in self.hashes]


def _current_size() -> int:
    current = tree_size()
    if current == 0:
        raise LogRequestError("The log is empty.", status=404)
    return current


def inclusion(*, index: int, size: int | None = None) -> Proof:
    """The audit path of leaf `index` in the tree of `size` leaves (default: all)."""
    current = _current_size()
    size = current if size is None else size
    _check_size(size, current)
    if index >= size:
        raise LogRequestError(f"The index {index} is not in a tree of {size} entries.")
    return Proof(size, tlog.inclusion_proof(index, stored_leaf_hashes(size)))


def consistency(*, first: int, second: int | None = None) -> Proof:
    """The proof that the tree of `first` leaves is a prefix of that of `second` (default:
    all)."""
    current = _current_size()
    second = current if second is None else second
    _check_size(second, current, "second size")
    _check_size(first, current, "first size")
    if first > second:
        raise LogRequestError("The first size must not be larger than the second.")
    return Proof(second, tlog.consistency_proof(first, stored_leaf_hashes(second)))


class DatabaseSource:
    """The verifier's `Source` over this database: the same reads the public API serves."""

    def latest_checkpoint(self) -> str:
        checkpoint = latest_checkpoint()
        if checkpoint is None:
            raise tlog.SourceError("no checkpoint has been signed yet")
        return checkpoint.note

    def verifier_key(self) -> str:
        return str(log_verifier())

    def earlier_keys(self) -> list[str]:
        return [str(verifier) for verifier in log_earlier_verifiers()]

    def checkpoints(self, start: int, limit: int) -> list[dict]:
        return checkpoints_page(start=start, limit=limit)

    def entries(self, start: int, limit: int) -> list[dict]:
        return entries_page(start=start, limit=limit)

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        return self._proof(inclusion, index=index, size=size)

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        return self._proof(consistency, first=first, second=second)

    @staticmethod
    def _proof(compute, **arguments) -> list[bytes]:
        try:
            return compute(**arguments).hashes
        except LogRequestError as error:
            raise tlog.SourceError(str(error)) from None
