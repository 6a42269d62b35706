"""Reads for the public site's story pages, each shaped for a fixed number of queries.

Only live, public pages are ever returned for the public; what a story page shows
of its idea is limited to what the public register and the page itself make
public: money granted, spent and returned (and so what is left), the unit that runs it,
the decisions.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from wagtail.images import get_image_model
from wagtail.models import Page

from ideasluss.accounts.models import Unit
from ideasluss.fund import money
from ideasluss.fund.models import Decision
from ideasluss.fund.money import GrantBalance
from ideasluss.ideas.models import Idea, Nomination, NominationState

from .locales import localized, originals
from .models import FundPage, LessonPage, MistakeYearPage, ResultPage

FEATURED_RESULTS = 3


def _with_hero_renditions(pages: QuerySet) -> QuerySet:
    """Pages with their main picture and its renditions loaded in two extra queries."""
    renditions = get_image_model().get_rendition_model().objects.all()
    return pages.select_related("hero_image").prefetch_related(
        Prefetch("hero_image__renditions", queryset=renditions)
    )


def story_list(*, model: type[Page]) -> QuerySet:
    """The live, public stories of the section (each in the visitor's language where it
    is translated, `cms.locales.localized`), newest first, ready for cards."""
    pages = localized(model.objects.live().public()).order_by("-first_published_at", "-pk")
    return _with_hero_renditions(pages)


def featured_results(*, limit: int = FEATURED_RESULTS) -> list[ResultPage]:
    pages = localized(ResultPage.objects.live().public()).order_by("-first_published_at", "-pk")
    return list(_with_hero_renditions(pages)[:limit])


@dataclass(frozen=True)
class BestMistake:
    page: MistakeYearPage
    winner: Nomination | None


def latest_best_mistake() -> BestMistake | None:
    """The newest published year of the best mistake, with its winner when there is one."""
    page = localized(MistakeYearPage.objects.live().public()).order_by("-year").first()
    if page is None:
        return None
    winner = Nomination.objects.filter(
        year=page.year, state=NominationState.WINNER, consent_confirmed=True
    ).first()
    return BestMistake(page=page, winner=winner)


# --- what a story's idea became ----------------------------------------------------------


@dataclass(frozen=True)
class RegisterEntry:
    decision: Decision
    url: str | None


def story_money(*, idea: Idea) -> GrantBalance:
    """The idea's grants added up: granted, spent, returned and left, as the staff pages
    say them (`money.idea_grant_balance`, one query)."""
    return money.idea_grant_balance(idea)


def public_fund_page() -> FundPage | None:
    return localized(FundPage.objects.live().public()).first()


def story_register_entries(*, idea: Idea) -> list[RegisterEntry]:
    """The idea's fund decisions, oldest first, each with its address in the public
    register (`/fonden/beslut/<id>/`, a route of the fund page)."""
    decisions = (
        Decision.objects.filter(application__idea=idea)
        .select_related("fund", "superseded_by")
        .order_by("decided_at", "pk")
    )
    fund_page = public_fund_page()
    fund_url = fund_page.url if fund_page is not None else None

    def register_url(decision: Decision) -> str | None:
        if fund_url is None:
            return None
        return fund_url + fund_page.reverse_subpage("decision", args=[decision.pk])

    return [RegisterEntry(decision=decision, url=register_url(decision)) for decision in decisions]


@dataclass(frozen=True)
class StoryFacts:
    """What a story page shows of its idea: money, decisions, who runs it now."""

    money: GrantBalance
    register_entries: list[RegisterEntry]
    run_by_unit: Unit | None
    run_by_contact: str


def story_facts(*, idea_id: int) -> StoryFacts | None:
    idea = Idea.objects.select_related("run_by_unit").filter(pk=idea_id).first()
    if idea is None:
        return None
    return StoryFacts(
        money=story_money(idea=idea),
        register_entries=story_register_entries(idea=idea),
        run_by_unit=idea.run_by_unit,
        run_by_contact=public_contact(idea.run_by_contact),
    )


def public_contact(text: str) -> str:
    """The contact as entered (a role or title), never an e-mail address."""
    text = (text or "").strip()
    return "" if "@" in text else text


def story_page_for_idea(*, idea: Idea) -> Page | None:
    """The story page (draft or live) already made from `idea`, if any."""
    for model in (ResultPage, LessonPage):
        page = originals(model.objects.filter(idea=idea)).first()
        if page is not None:
            return page
    return None
