"""The public register of fund decisions as open data: `/api/v1/decisions/`.

Anyone may read it, without logging in. It publishes what the decision itself
publishes (number, date, fund, idea title, kind, amounts, rationale, conditions,
how it was decided and what it supersedes) and nothing about the people
involved: no names, e-mail addresses or user ids, not even who recorded it.
"""

import datetime
from functools import wraps

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.pagination import LimitOffsetPagination, paginate

from . import selectors
from .models import Decision, DecisionKind

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
    """`limit`/`offset`: one COUNT and one page of rows, never the whole table."""

    class Input(Schema):
        limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Decisions per page.")
        offset: int = Field(0, ge=0, description="How many decisions to skip.")


class DecisionOut(Schema):
    id: int
    registration_number: str = Field(examples=["IF 2026/0042"])
    decided_on: datetime.date = Field(description="The day of the decision (Swedish time).")
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

    @staticmethod
    def resolve_decided_on(decision: Decision) -> datetime.date:
        return timezone.localdate(decision.decided_at)

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
@decorate_view(open_data)
def list_decisions(
    request,
    fund: str | None = Query(None, description="Only this fund (its name)."),
    year: int | None = Query(None, description="Only decisions numbered in this year."),
    kind: DecisionKind | None = None,
):
    return selectors.public_decisions(fund=fund or "", year=year, kind=kind or "")


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
    if reference.isdigit():
        return get_object_or_404(decisions, pk=int(reference))
    return get_object_or_404(decisions, registration_number=reference.strip())
