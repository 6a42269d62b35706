"""The home page's live figures, computed from the domain and never typed in by hand.

Two aggregate queries, cached for a few minutes. The cache is forgotten whenever
an idea or a fund decision is saved (`cms.signals`), so a new figure shows on the
next request rather than after the timeout.
"""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from ideasluss.fund.models import GRANTING_KINDS, Decision
from ideasluss.ideas.models import Idea, IdeaState

CACHE_SECONDS = 5 * 60
CACHE_KEY_PREFIX = "cms:home-figures"


@dataclass(frozen=True)
class HomeFigures:
    year: int
    ideas_submitted: int
    tests_running: int
    scaled: int
    learned: int
    granted_this_year: int


def _cache_key(year: int) -> str:
    return f"{CACHE_KEY_PREFIX}:{year}"


def compute_home_figures(*, year: int) -> HomeFigures:
    """The figures as the database says them now (no cache)."""
    ideas = Idea.objects.aggregate(
        submitted=Count("pk", filter=~Q(state=IdeaState.DRAFT)),
        testing=Count("pk", filter=Q(state=IdeaState.TESTING)),
        scaled=Count("pk", filter=Q(state=IdeaState.SCALED)),
        learned=Count("pk", filter=Q(state=IdeaState.LEARNED)),
    )
    # The decision's own year (as in its registration number), the same rule as /fonden/.
    granted = (
        Decision.objects.in_force()
        .filter(kind__in=GRANTING_KINDS, year=year)
        .aggregate(total=Coalesce(Sum("amount"), 0))["total"]
    )
    return HomeFigures(
        year=year,
        ideas_submitted=ideas["submitted"],
        tests_running=ideas["testing"],
        scaled=ideas["scaled"],
        learned=ideas["learned"],
        granted_this_year=granted,
    )


def home_figures(*, today: datetime.date | None = None) -> HomeFigures:
    """The figures for the home page, from the cache when they are fresh."""
    year = (today or timezone.localdate()).year
    return cache.get_or_set(
        _cache_key(year), lambda: compute_home_figures(year=year), CACHE_SECONDS
    )


def forget_home_figures() -> None:
    """Drop the cached figures so the next request computes them again."""
    cache.delete(_cache_key(timezone.localdate().year))
