"""The public register of fund decisions as open data: `/api/v1/decisions/`.

Anyone may read it, without logging in. It publishes what the decision itself
publishes (number, date, fund, idea title, kind, amounts, rationale, conditions,
how it was decided and what it supersedes) and nothing about the people
involved: no names, e-mail addresses or user ids, not even who recorded it
(the log's leaves cover them with a salted digest only).

The register is also a transparency log (docs/fund.md): its signed checkpoints, the
verifier key, every leaf, and inclusion and consistency proofs (RFC 9162), so that
anyone can check later that no decision was changed or removed.
"""

import datetime
from functools import wraps

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from ninja import Field, Path, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from ideasluss.db_routing import reads_from_replica
from ideasluss.input_policy import EARLIEST_DATE, LATEST_DATE, forbidden_characters, valid_id

from . import selectors, transparency
from .models import APPEAL_PERIOD, Decision, DecisionKind
from .tlog import MAX_SIZE

#: Decisions change seldom and are public: caches may keep a page for five minutes.
CACHE_SECONDS = 300
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

router = Router(tags=["decisions"])


def open_data(view):
    """Successful answers may be cached by anyone and read from any web page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
            response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


class DecisionPagination(LimitOffsetPagination):
    """`limit`/`offset`: one COUNT of the matching decisions alone and one page of rows
    with their public facts joined (`selectors.with_public_facts`), never the whole table."""

    class Input(Schema):
        limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Decisions per page.")
        # Bounded like every id and log index: a database cannot skip more rows than a
        # 64-bit number counts (an offset of 2**63 was a server error).
        offset: int = Field(0, ge=0, le=MAX_SIZE, description="How many decisions to skip.")

    def paginate_queryset(self, queryset, pagination, request, **params):
        offset, limit = pagination.offset, min(pagination.limit, self.max_limit)
        page = selectors.with_public_facts(queryset)[offset : offset + limit]
        return {self.items_attribute: page, "count": queryset.count()}


class DecisionOut(Schema):
    id: int
    log_index: int = Field(
        description="The decision's position in the transparency log (0, 1, 2… over every fund)."
    )
    registration_number: str = Field(examples=["IF 2026/0042"])
    decided_on: datetime.date = Field(
        description="The day of the decision (Swedish time): a committee decision carries "
        "its meeting's date."
    )
    fund: str = Field(description="The fund's name.")
    idea_title: str
    kind: DecisionKind
    amount: int = Field(description="Amount granted in SEK (0 unless approved).")
    amount_requested: int = Field(description="Amount applied for in SEK.")
    rationale: str
    conditions: str
    delegated: bool = Field(
        description="True: decided by a coach under delegation; false: by the fund committee."
    )
    supersedes: str | None = Field(
        description="Registration number of the decision this one corrects, if any."
    )
    superseded_by: str | None = Field(
        description="Registration number of the later decision that corrects this one, if any."
    )
    minutes_posted_on: datetime.date | None = Field(
        None,
        description="For a committee decision: the day the checked minutes were posted on the "
        "notice board (null until then).",
    )
    appeal_deadline: datetime.date | None = Field(
        None,
        description="The last day to appeal a committee decision: three weeks after the "
        "minutes were posted (kommunallagen 13 kap. 5 §); null until they are posted.",
    )

    @staticmethod
    def resolve_decided_on(decision: Decision) -> datetime.date:
        return decision.meeting_date or timezone.localdate(decision.decided_at)

    @staticmethod
    def resolve_minutes_posted_on(decision: Decision) -> datetime.date | None:
        return decision.minutes_posted_on

    @staticmethod
    def resolve_appeal_deadline(decision: Decision) -> datetime.date | None:
        posted = decision.minutes_posted_on
        return posted + APPEAL_PERIOD if posted else None

    @staticmethod
    def resolve_fund(decision: Decision) -> str:
        return decision.fund_name

    @staticmethod
    def resolve_supersedes(decision: Decision) -> str | None:
        return decision.supersedes_number

    @staticmethod
    def resolve_superseded_by(decision: Decision) -> str | None:
        return decision.superseded_by_number


@router.get(
    "/decisions/",
    response=list[DecisionOut],
    summary="Every fund decision, newest first",
    operation_id="decisions_list",
)
@paginate(DecisionPagination)
@decorate_view(open_data, reads_from_replica)
def list_decisions(
    request,
    fund: str | None = Query(None, max_length=200, description="Only this fund (its name)."),
    year: int | None = Query(
        None,
        ge=EARLIEST_DATE.year,
        le=LATEST_DATE.year,
        description="Only decisions numbered in this year.",
    ),
    kind: DecisionKind | None = None,
):
    if fund and forbidden_characters(fund, multi_line=False):
        # No fund's name holds a control character (PostgreSQL cannot even compare one).
        raise HttpError(422, "The fund's name contains control characters.")
    return selectors.matching_decisions(fund=fund or "", year=year, kind=kind or "")


# --- the transparency log ------------------------------------------------------------------

#: Cached briefly: a new decision signs a new checkpoint at once.
LOG_CACHE_SECONDS = 60
TEXT = "text/plain; charset=utf-8"


def _text(body: str) -> HttpResponse:
    response = HttpResponse(body, content_type=TEXT)
    patch_cache_control(response, public=True, max_age=LOG_CACHE_SECONDS)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _text_response(description: str) -> dict:
    text = {"text/plain": {"schema": {"type": "string"}}}
    return {"responses": {200: {"description": description, "content": text}}}


def _answer(compute, **arguments):
    """The log's answer, or its refusal as a 4xx with the reason."""
    try:
        return compute(**arguments)
    except transparency.LogRequestError as error:
        raise HttpError(error.status, str(error)) from None


class LogEntryOut(Schema):
    log_index: int = Field(description="Position in the log, from 0.")
    leaf: dict = Field(
        description=(
            "The leaf: what the register states about the decision, rebuilt from the live "
            "records. Its leaf hash is SHA-256(0x00 ‖ UTF-8 JSON of this object with sorted "
            "keys and no whitespace)."
        )
    )


class CheckpointOut(Schema):
    tree_size: int
    note: str = Field(description="The signed checkpoint (c2sp.org/tlog-checkpoint).")
    signed_with: str = Field(
        description="The key that signed it, `name+keyid` (after a key rotation the same "
        "tree size may be signed by the earlier key and by the new one)."
    )


class ProofOut(Schema):
    proof: list[str] = Field(description="The proof's hashes, base64, in RFC 9162 order.")


class InclusionProofOut(ProofOut):
    log_index: int
    tree_size: int


class ConsistencyProofOut(ProofOut):
    first: int
    second: int


@router.get(
    "/decisions/checkpoint",
    summary="The latest signed checkpoint of the decision log",
    description=(
        "A C2SP tlog-checkpoint: the log's origin, tree size and RFC 9162 root hash "
        "(base64), signed with Ed25519 as a C2SP signed note. Keep it: with the "
        "verifier (docs/verifier/) you can later check that no decision it covers has "
        "been changed or removed."
    ),
    operation_id="decisions_checkpoint",
    openapi_extra=_text_response("The latest checkpoint, as text."),
)
def latest_checkpoint(request):
    checkpoint = transparency.latest_checkpoint()
    if checkpoint is None:
        raise HttpError(404, "No checkpoint has been signed yet: the log is empty.")
    return _text(checkpoint.note)


@router.get(
    "/decisions/checkpoint/{size}",
    summary="The checkpoint signed at one tree size",
    description=(
        "Every signed checkpoint is kept. 404 when none was signed at that size "
        "(decisions recorded before the log existed were signed together)."
    ),
    operation_id="decisions_checkpoint_at",
    openapi_extra=_text_response("The checkpoint of that tree size, as text."),
)
def checkpoint_at_size(request, size: int = Path(..., ge=1, le=MAX_SIZE)):
    return _text(_answer(transparency.checkpoint_at, size=size).note)


@router.get(
    "/decisions/checkpoints",
    response=list[CheckpointOut],
    summary="Signed checkpoints, smallest tree first",
    description=f"From tree size `start` on, at most `limit` (up to {transparency.MAX_PAGE}).",
    operation_id="decisions_checkpoints",
)
@decorate_view(open_data)
def list_checkpoints(
    request,
    start: int = Query(1, ge=1, le=MAX_SIZE, description="The smallest tree size."),
    limit: int = Query(transparency.MAX_PAGE, ge=1, le=transparency.MAX_PAGE),
):
    return transparency.checkpoints_page(start=start, limit=limit)


@router.get(
    "/decisions/key",
    summary="The log's verifier key",
    description=(
        "The public key that signs the checkpoints, as a signed-note verifier key: "
        "`name+keyid+base64(0x01 ‖ Ed25519 public key)`."
    ),
    operation_id="decisions_key",
    openapi_extra=_text_response("The verifier key, as text."),
)
def verifier_key(request):
    return _text(str(transparency.log_verifier()) + "\n")


@router.get(
    "/decisions/keys",
    summary="Every verifier key of the log: the current one, then earlier ones",
    description=(
        "One verifier key a line: first the key that signs the checkpoints now (as "
        "`/decisions/key`), then the keys it replaced when the signing key was rotated, "
        "newest first. A checkpoint kept from before a rotation is signed by one of these."
    ),
    operation_id="decisions_keys",
    openapi_extra=_text_response("The verifier keys, one a line."),
)
def verifier_keys(request):
    return _text("".join(f"{verifier}\n" for verifier in transparency.log_verifiers()))


@router.get(
    "/decisions/entries",
    response=list[LogEntryOut],
    summary="The log's leaves, in log order",
    description=f"From log index `start` on, at most `limit` (up to {transparency.MAX_PAGE}).",
    operation_id="decisions_entries",
)
@decorate_view(open_data)
def list_entries(
    request,
    start: int = Query(0, ge=0, le=MAX_SIZE, description="The first log index."),
    limit: int = Query(transparency.MAX_PAGE, ge=1, le=transparency.MAX_PAGE),
):
    return transparency.entries_page(start=start, limit=limit)


@router.get(
    "/decisions/entries/{index}",
    response=LogEntryOut,
    summary="One leaf of the log, by log index",
    operation_id="decisions_entry",
)
@decorate_view(open_data)
def get_entry(request, index: int = Path(..., ge=0, le=MAX_SIZE)):
    return _answer(transparency.entry, index=index)


@router.get(
    "/decisions/proof/inclusion",
    response=InclusionProofOut,
    summary="Proof that a leaf is in the tree of a given size",
    description="RFC 9162 §2.1.3: the audit path of leaf `index` in the tree of `size` leaves.",
    operation_id="decisions_inclusion_proof",
)
@decorate_view(open_data)
def inclusion_proof(
    request,
    index: int = Query(0, ge=0, le=MAX_SIZE, description="The leaf's log index."),
    size: int | None = Query(
        None, ge=1, le=MAX_SIZE, description="The tree size (a checkpoint's); default: all."
    ),
):
    proof = _answer(transparency.inclusion, index=index, size=size)
    return {"log_index": index, "tree_size": proof.tree_size, "proof": proof.encoded()}


@router.get(
    "/decisions/proof/consistency",
    response=ConsistencyProofOut,
    summary="Proof that the tree of one size is a prefix of a larger one",
    description="RFC 9162 §2.1.4: the consistency proof from `first` to `second` leaves.",
    operation_id="decisions_consistency_proof",
)
@decorate_view(open_data)
def consistency_proof(
    request,
    first: int = Query(1, ge=1, le=MAX_SIZE, description="The smaller tree size."),
    second: int | None = Query(
        None, ge=1, le=MAX_SIZE, description="The larger tree size; default: all."
    ),
):
    proof = _answer(transparency.consistency, first=first, second=second)
    return {"first": first, "second": proof.tree_size, "proof": proof.encoded()}


@router.get(
    "/decisions/{path:reference}/",
    response=DecisionOut,
    summary="One decision, by registration number or id",
    operation_id="decisions_detail",
)
@decorate_view(open_data)
def get_decision(request, reference: str):
    """`reference` is the registration number (`IF 2026/0042`, URL-encoded) or the id."""
    decisions = selectors.public_decisions()
    if valid_id(reference):
        return get_object_or_404(decisions, pk=int(reference))
    # An id too large for the database, or digits of another script, is no decision.
    if (
        reference.isdigit()
        or len(reference) > 30
        or forbidden_characters(reference, multi_line=False)
    ):
        raise Http404
    return get_object_or_404(decisions, registration_number=reference.strip())
