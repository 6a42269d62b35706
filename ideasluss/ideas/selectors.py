"""Reads for the idea pages, each shaped so a page runs a fixed number of queries."""

import datetime

from django.db.models import Case, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django_fsm_log.models import StateLog

from ideasluss.accounts.models import User

from .models import Comment, Idea, IdeaState, Nomination, NominationState
from .search import search_ideas

ORDERINGS = {
    "newest": ("-created_at", "-id"),
    "champions": ("-champion_count", "-id"),
    "waiting": ("state_changed_at", "id"),
}


def _list_shape(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("owner", "unit").prefetch_related("tags")


def idea_bank(
    *,
    text: str = "",
    state: str = "",
    unit=None,
    target_group: str = "",
    tag: str = "",
    order: str = "newest",
) -> QuerySet:
    """Every submitted idea (never drafts), filtered, searched and sorted for the idea bank."""
    ideas = Idea.objects.submitted()
    if state:
        ideas = ideas.filter(state=state)
    if unit is not None:
        ideas = ideas.filter(Q(unit=unit) | Q(unit__parent=unit))
    if target_group:
        ideas = ideas.filter(target_group__icontains=target_group)
    if tag:
        ideas = ideas.filter(tags__name__iexact=tag)
    ideas = search_ideas(ideas, text)
    return _list_shape(ideas).order_by(*ORDERINGS.get(order, ORDERINGS["newest"]))


def my_ideas(*, user: User) -> QuerySet:
    """The ideas where `user` is on the team, drafts included, most recently changed first."""
    member_ids = Idea.objects.filter(Q(owner=user) | Q(co_owners=user)).values("pk")
    return _list_shape(Idea.objects.filter(pk__in=member_ids)).order_by("-state_changed_at", "-id")


def coach_inbox(*, today: datetime.date | None = None) -> QuerySet:
    """Ideas waiting for a coach: submitted ones to screen, and tests past their end date."""
    today = today or timezone.localdate()
    overdue_test = Q(state=IdeaState.TESTING, test_plan__end_date__lt=today)
    return (
        Idea.objects.filter(Q(state=IdeaState.SUBMITTED) | overdue_test)
        .select_related("owner", "unit", "test_plan")
        .order_by("state_changed_at", "id")
    )


def idea_for_page(*, pk: int, prefetch=()) -> Idea:
    """One idea with everything its page shows, in a fixed number of queries; `prefetch`
    adds what other apps show on it (the fund's applications)."""
    return (
        Idea.objects.select_related("owner", "unit", "run_by_unit", "test_plan", "evaluation")
        .prefetch_related(
            "co_owners",
            "tags",
            "attachments",
            Prefetch("champions__user"),
            Prefetch("comments", queryset=Comment.objects.select_related("author", "hidden_by")),
            *prefetch,
        )
        .get(pk=pk)
    )


def idea_timeline(*, idea: Idea) -> QuerySet:
    """Every transition of the idea, oldest first: who, when, from, to, message."""
    return StateLog.objects.for_(idea).select_related("by").order_by("timestamp", "pk")


# --- the best mistake of the year -------------------------------------------------------

_JURY_ORDER = Case(
    When(state=NominationState.WINNER, then=Value(0)),
    When(state=NominationState.SHORTLISTED, then=Value(1)),
    When(state=NominationState.NOMINATED, then=Value(2)),
    default=Value(3),
)


def my_nominations(*, user: User) -> QuerySet:
    """The nominations `user` made, newest year first."""
    return (
        Nomination.objects.filter(nominated_by=user)
        .select_related("idea")
        .order_by("-year", "-created_at", "-pk")
    )


def jury_nominations(*, year: int) -> QuerySet:
    """Every nomination of `year` for the jury: winner, shortlisted, new, then set aside."""
    return (
        Nomination.objects.filter(year=year)
        .select_related("idea", "nominated_by", "decided_by")
        .annotate(jury_order=_JURY_ORDER)
        .order_by("jury_order", "-created_at", "-pk")
    )


def years_with_nominations() -> list[int]:
    """The years that have nominations, newest first."""
    return list(Nomination.objects.order_by("-year").values_list("year", flat=True).distinct())


def public_mistakes(*, year: int) -> tuple[Nomination | None, list[Nomination]]:
    """What the public may see of `year`: the winner and the shortlisted, once there is a
    winner, and only with the consent of the people named. Nothing about who nominated."""
    nominations = list(
        Nomination.objects.filter(
            year=year,
            consent_confirmed=True,
            state__in=[NominationState.WINNER, NominationState.SHORTLISTED],
        )
        .only("pk", "year", "idea_id", "title", "story", "state", "jury_motivation")
        .order_by("title", "pk")
    )
    winner = next((n for n in nominations if n.state == NominationState.WINNER), None)
    if winner is None:
        return None, []
    return winner, [n for n in nominations if n is not winner]


def public_winner_titles(*, years) -> dict[int, str]:
    """The winning title of each of `years` that has a public winner."""
    return dict(
        Nomination.objects.filter(
            year__in=list(years), state=NominationState.WINNER, consent_confirmed=True
        ).values_list("year", "title")
    )
