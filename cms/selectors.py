"""Reads for the public site's pages, shaped so a page's queries do not grow with the data.

The story and home selectors are in `cms/story_selectors.py`.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from ideasluss.fund import money
from ideasluss.fund.models import GRANTING_KINDS, Decision, Fund
from ideasluss.fund.selectors import (
    PUBLIC_DECISION_FIELDS,
    decisions_matching,
    granted_by_year_and_category,
    public_decisions,
)
from ideasluss.ideas import selectors as idea_selectors
from ideasluss.ideas.models import Idea, IdeaState

from .locales import localized, localized_for_search
from .models import LessonPage, MistakeYearPage, ResultPage

# --- the fund page (/fonden/): figures, what the grants became, the public register -------

#: How long the fund page's figures are kept (seconds); saves of ideas and decisions
#: forget them sooner (`cms.signals`).
FUND_FIGURES_TTL = 300
FUND_FIGURES_KEY = "cms:fund-figures"


class GrantOutcome:
    """What a grant became, from the state its idea is in now."""

    SCALED = "scaled"
    LEARNED = "learned"
    TESTING = "testing"
    STOPPED = "stopped"

    ORDER = (SCALED, LEARNED, TESTING, STOPPED)
    LABELS = {
        SCALED: _("Scaled up"),
        LEARNED: _("Became a lesson"),
        TESTING: _("Still testing"),
        STOPPED: _("Stopped"),
    }
    #: Any other state (planning, testing, tested) means the test is still going on.
    OF_IDEA_STATE = {
        IdeaState.SCALED: SCALED,
        IdeaState.LEARNED: LEARNED,
        IdeaState.DECLINED: STOPPED,
        IdeaState.WITHDRAWN: STOPPED,
    }

    @classmethod
    def of(cls, idea_state: str) -> str:
        return cls.OF_IDEA_STATE.get(idea_state, cls.TESTING)

    @classmethod
    def expression(cls, idea_state_field: str) -> Case:
        """The outcome computed by the database from the idea's state."""
        return Case(
            *(
                When(**{idea_state_field: state}, then=Value(outcome))
                for state, outcome in cls.OF_IDEA_STATE.items()
            ),
            default=Value(cls.TESTING),
        )


@dataclass(frozen=True)
class YearTotals:
    """Money granted in one year (the year of the granting decision in force)."""

    year: int
    granted: int
    grants: int
    #: (category label, kronor) for every budget category, in the categories' order.
    by_category: tuple


@dataclass(frozen=True)
class OutcomeTotals:
    outcome: str
    grants: int
    granted: int

    @property
    def label(self) -> str:
        return GrantOutcome.LABELS[self.outcome]


@dataclass(frozen=True)
class FundFigures:
    years: tuple[YearTotals, ...]
    outcomes: tuple[OutcomeTotals, ...]

    @property
    def granted(self) -> int:
        return sum(year.granted for year in self.years)

    @property
    def grants(self) -> int:
        return sum(year.grants for year in self.years)


def grants_in_force() -> QuerySet[Decision]:
    """Decisions that grant money and that no later decision has superseded."""
    return Decision.objects.in_force().filter(kind__in=GRANTING_KINDS)


def compute_fund_figures() -> FundFigures:
    """The fund page's figures as the database says them now (three grouped queries)."""
    by_category = granted_by_year_and_category()
    per_year = (
        grants_in_force()
        .order_by()
        .values_list("year")
        .annotate(granted=Sum("amount"), grants=Count("pk"))
    )
    years = tuple(
        YearTotals(
            year=year, granted=granted, grants=grants, by_category=tuple(by_category.get(year, ()))
        )
        for year, granted, grants in sorted(per_year, reverse=True)
    )
    per_state = (
        grants_in_force()
        .order_by()
        .values_list("application__idea__state")
        .annotate(grants=Count("pk"), granted=Sum("amount"))
    )
    counts = {outcome: [0, 0] for outcome in GrantOutcome.ORDER}
    for state, grants, granted in per_state:
        counts[GrantOutcome.of(state)][0] += grants
        counts[GrantOutcome.of(state)][1] += granted
    outcomes = tuple(
        OutcomeTotals(outcome=outcome, grants=grants, granted=granted)
        for outcome, (grants, granted) in counts.items()
    )
    return FundFigures(years=years, outcomes=outcomes)


def fund_figures() -> FundFigures:
    """Money granted per year and budget category, and what the grants became, from the
    cache when fresh. Labels stay lazy, so one cached copy serves every language."""
    return cache.get_or_set(FUND_FIGURES_KEY, compute_fund_figures, FUND_FIGURES_TTL)


def forget_fund_figures() -> None:
    cache.delete(FUND_FIGURES_KEY)


def attach_stories(rows: Iterable, *, request) -> None:
    """Set `story_url` and `story_is_result` on each row (with an `idea_id`): the address
    of its idea's live result page, else lesson page, else None. A fixed number of
    queries for a whole page of rows (`live_story_pages`)."""
    rows = list(rows)
    pages = live_story_pages(idea_ids=[row.idea_id for row in rows])
    for row in rows:
        page = pages.get(row.idea_id)
        row.story_url = page.get_url(request=request) if page else None
        row.story_is_result = isinstance(page, ResultPage)


def finish_grant_rows(grants: Iterable[Decision], *, request) -> None:
    """Give a page of `grant_outcomes` rows their `outcome_label` and story links."""
    grants = list(grants)
    attach_stories(grants, request=request)
    for grant in grants:
        grant.outcome_label = GrantOutcome.LABELS[grant.outcome]


def grant_outcomes() -> QuerySet[Decision]:
    """Every grant in force, newest first, with what the public may know of it: the idea's
    title, the fund's name, what was granted, spent, returned and is left
    (`money.grant_balance_annotations`; `grant|grant_balance` in a template), what the
    grant became (`outcome`) and its `idea_id` (for `attach_stories`). No user is loaded."""
    return (
        grants_in_force()
        .only("pk", "registration_number", "decided_at", "year", "kind", "amount")
        .annotate(
            idea_title=F("application__idea__title"),
            fund_name=F("fund__name"),
            **money.grant_balance_annotations(application="application"),
            outcome=GrantOutcome.expression("application__idea__state"),
            idea_id=F("application__idea"),
        )
        .order_by("-decided_at", "-pk")
    )


class JSONArrayLength(Func):
    """The number of items in a JSON array, counted by the database (SQLite, PostgreSQL)."""

    function = "json_array_length"
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="jsonb_array_length", **extra_context)


#: What the public pages show of a committee decision's meeting: its date, and where its
#: minutes are (checked, posted) for the appeal period. Never its chair or attendees.
PUBLIC_MEETING_FIELDS = (
    "meeting",
    "meeting__number",
    "meeting__date",
    "meeting__state",
    "meeting__checked_at",
    "meeting__posted_on",
)


def public_register(
    *,
    text: str = "",
    fund: Fund | None = None,
    year: int | None = None,
    kind: str = "",
    idea: Idea | int | None = None,
) -> QuerySet[Decision]:
    """The public register (`fund.selectors.public_decisions`: no user is loaded), newest
    first, searched in registration number, idea title and rationale, filtered, with
    what a row links to: `meeting_number`, `supersedes_pk` and `superseded_by_pk`."""
    decisions = public_decisions(year=year, kind=kind)
    if fund is not None:
        decisions = decisions.filter(fund=fund)
    if idea is not None:
        decisions = decisions.filter(application__idea=idea)
    decisions = decisions_matching(decisions, text)
    # The meeting's date, minutes and appeal period (its row only: no user is loaded).
    decisions = decisions.select_related("meeting").only(
        *PUBLIC_DECISION_FIELDS, *PUBLIC_MEETING_FIELDS
    )
    return decisions.annotate(
        meeting_number=F("meeting__number"),
        supersedes_pk=F("supersedes"),
        superseded_by_pk=F("superseded_by__pk"),
    )


def public_decision(*, pk: int) -> Decision:
    """One decision as the public record states it, in one query: what `public_register`
    gives, the meeting's date, and how many took part and how many were recused (counted
    by the database: their names are never loaded)."""
    return (
        public_register()
        .annotate(
            idea_id=F("application__idea"),
            meeting_date=F("meeting__date"),
            attendee_count=JSONArrayLength("attendees"),
            recused_count=JSONArrayLength("recused"),
        )
        .get(pk=pk)
    )


# --- search and feeds ------------------------------------------------------------------------


def search_public_pages(*, query: str, site: Site):
    """Live, public pages of `site` matching `query`, best first, each as its own page type
    (one query per page type on the page shown, whatever the number of hits)."""
    return (
        localized_for_search(Page.objects.live().public().in_site(site))
        .defer_streamfields()
        .specific()
        .search(query, operator="and")
    )


def newest_stories(*, limit: int = 20) -> list[Page]:
    """The newest live, public results and lessons, newest first (for the feeds)."""
    return list(
        localized(Page.objects.live().public().type(ResultPage, LessonPage))
        .filter(first_published_at__isnull=False)
        .order_by("-first_published_at", "-pk")
        .defer_streamfields()
        .specific()[:limit]
    )


# --- the best mistake of the year (/arets-basta-misstag/) ------------------------------------


def mistake_year_pages() -> list[MistakeYearPage]:
    """The live, public year pages (in the visitor's language where translated), newest
    first, each with `winner_title`."""
    pages = list(localized(MistakeYearPage.objects.live().public()).order_by("-year"))
    winners = idea_selectors.public_winner_titles(years=[page.year for page in pages])
    for page in pages:
        page.winner_title = winners.get(page.year, "")
    return pages


def live_story_pages(*, idea_ids: Iterable[int | None]) -> dict[int, Page]:
    """The live, public result or lesson page of each idea in `idea_ids` that has one."""
    idea_ids = {pk for pk in idea_ids if pk is not None}
    if not idea_ids:
        return {}
    pages = {}
    for model in (LessonPage, ResultPage):  # a result outranks a lesson about the same idea
        stories = localized(model.objects.live().public().filter(idea_id__in=idea_ids))
        for page in stories.defer_streamfields():
            pages[page.idea_id] = page
    return pages


def mistake_year(*, year: int) -> dict:
    """What a year's public page shows: the winner and the shortlisted nominees, each with
    `story_page`, the live result or lesson page of its idea if there is one. Nothing
    before the jury has picked the winner."""
    winner, shortlisted = idea_selectors.public_mistakes(year=year)
    if winner is not None:
        pages = live_story_pages(idea_ids=[n.idea_id for n in [winner, *shortlisted]])
        for nomination in [winner, *shortlisted]:
            nomination.story_page = pages.get(nomination.idea_id)
    return {"winner": winner, "shortlisted": shortlisted}
