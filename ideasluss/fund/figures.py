"""The fund's aggregate figures, kept in the shared cache until the data under them changes.

The committee's dashboard and a fund's page add up the whole history of the fund: every
grant in force, its budget lines, costs and returns, and the state of each funded idea.
At 5,000 applications that is about 100 ms of database time a page (docs/benchmarks),
while the figures themselves change only when someone records a decision, a cost, a
return, a budget or a step of an idea.

So the totals (plain numbers, never labels: those follow the reader's language) are
stored under a *figures version* (`ideasluss.cache_versions`, as `cms.cache` stores the
public pages). A save or delete of any row they are computed from renews it, so a page
never shows a figure older than the last change it could see. Writes that send no signal (a
queryset's `update`, `bulk_create`) call `figures_changed` themselves. The "overdue"
count also depends on the date, which is part of its key.

The cache must be shared by every app server (the settings' CACHES), or a change would
only reach the server that made it.
"""

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ideasluss.cache_versions import current_version, renew_version

VERSION_KEY = "fund-figures:version"
KEY_PREFIX = "fund-figures"
#: A bound on what no signal sees; the version renews the figures long before.
SECONDS = 60 * 60

#: The rows the figures are computed from: a save or delete of one renews them.
SOURCE_MODELS = frozenset(
    {
        "fund.Application",
        "fund.BudgetLine",
        "fund.Cost",
        "fund.Decision",
        "fund.Fund",
        "fund.MoneyReturn",
        # The chart by the idea's state, and "overdue" (a final state, a test's end).
        "ideas.Idea",
        "ideas.TestPlan",
    }
)

T = TypeVar("T")


def figures_version() -> str:
    return current_version(cache, VERSION_KEY)


def figures_changed() -> None:
    """Forget every stored figure (now, and again once the transaction has committed:
    `ideasluss.cache_versions`)."""
    renew_version(cache, VERSION_KEY)


def remembered(name: str, compute: Callable[[], T], *parts: object) -> T:
    """`compute()`, or what it returned under the current figures version for the same
    `name` and `parts` (a fund's key, the date)."""
    key = ":".join([KEY_PREFIX, figures_version(), name, *map(str, parts)])
    stored = cache.get(key)
    if stored is not None:
        return stored
    value = compute()
    cache.set(key, value, SECONDS)
    return value


def _is_source(model) -> bool:
    # Proxies (the lifecycle models) count as their concrete model.
    return model._meta.concrete_model._meta.label in SOURCE_MODELS


@receiver(post_save, dispatch_uid="fund-figures-row-saved")
@receiver(post_delete, dispatch_uid="fund-figures-row-deleted")
def forget_figures_when_their_rows_change(sender, raw=False, **kwargs):
    if not raw and _is_source(sender):
        figures_changed()
