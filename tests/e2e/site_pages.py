"""Every page type of the site, once, for the checks that must hold on all of them
(tests/e2e/test_reflow.py, tests/e2e/test_accessibility.py).

The pages are read from the seeded demo (`seed_demo`): real content, long Swedish words,
wide tables and charts. A new page type is one more `SitePage` in `SITE_PAGES`: its name,
who looks at it (a demo username, or None for a visitor who is not signed in) and its
address, or a function that finds the address in the demo data once it is seeded.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.management import call_command
from django.urls import reverse

from cms.models import LessonPage, MistakeYearPage, ResultPage
from ideasluss.demo.data import load
from ideasluss.fund.models import Application, ApplicationState, Decision, Fund, Meeting
from ideasluss.ideas.models import Idea, IdeaState

#: Demo users (ideasluss/demo/data/people.toml): a staff member, a coach, a committee chair.
STAFF = "anna"
COACH = "cia"
CHAIR = "fia"


@dataclass(frozen=True)
class SitePage:
    name: str
    user: str | None
    address: str | Callable[[], str]

    def url(self) -> str:
        return self.address if isinstance(self.address, str) else self.address()


def _story(model) -> str:
    return model.objects.live().order_by("path").first().url


def _idea(state: str) -> str:
    # The idea with the longest life so far has the most on its page.
    idea = Idea.objects.filter(state=state).order_by("created_at").first()
    return reverse("ideas:idea-detail", args=[idea.pk])


def _application(state: str, **filters) -> Application:
    return Application.objects.filter(state=state, **filters).order_by("pk").first()


def _public_decision() -> str:
    decision = Decision.objects.order_by("pk").first()
    return f"/fonden/beslut/{decision.pk}/"


def _meeting() -> str:
    return Meeting.objects.order_by("date").first().get_absolute_url()


SITE_PAGES: list[SitePage] = [
    # The public site.
    SitePage("home", None, "/"),
    SitePage("results", None, "/resultat/"),
    SitePage("a result", None, lambda: _story(ResultPage)),
    SitePage("lessons", None, "/lardomar/"),
    SitePage("a lesson", None, lambda: _story(LessonPage)),
    SitePage("best mistake of a year", None, lambda: _story(MistakeYearPage)),
    SitePage("the innovation fund", None, "/fonden/"),
    SitePage("the public register", None, "/fonden/beslut/"),
    SitePage("a public decision", None, _public_decision),
    SitePage("search", None, "/sok/?q=cykel"),
    SitePage("accessibility statement", None, "/tillganglighet/"),
    SitePage("privacy", None, "/personuppgifter/"),
    SitePage("help and contact", None, "/hjalp/"),
    SitePage("login", None, "/accounts/login/"),
    # Staff pages.
    SitePage("my work, staff", STAFF, "/my-work/"),
    SitePage("my work, coach", COACH, "/my-work/"),
    SitePage("my work, chair", CHAIR, "/my-work/"),
    SitePage("profile", STAFF, "/accounts/profile/"),
    SitePage("password change", STAFF, "/accounts/password_change/"),
    SitePage("my data", STAFF, "/accounts/my-data/"),
    SitePage("flow figures", COACH, "/flow/"),
    SitePage("idea bank", STAFF, "/ideas/"),
    SitePage("an idea", COACH, lambda: _idea(IdeaState.TESTING)),
    SitePage("my ideas", STAFF, "/ideas/mine/"),
    SitePage("new idea form", STAFF, "/ideas/new/"),
    SitePage("coach inbox", COACH, "/ideas/inbox/"),
    SitePage("my nominations", STAFF, "/ideas/mistakes/"),
    SitePage("the fund", CHAIR, "/fund/"),
    SitePage(
        "a fund", CHAIR, lambda: Fund.objects.order_by("-start_date").first().get_absolute_url()
    ),
    SitePage("follow-up of grants", CHAIR, "/fund/follow-up/"),
    SitePage(
        "an application",
        CHAIR,
        lambda: _application(ApplicationState.IN_REVIEW).get_absolute_url(),
    ),
    SitePage(
        "application form",
        STAFF,
        lambda: reverse(
            "fund:application-edit",
            args=[_application(ApplicationState.RETURNED, idea__owner__username=STAFF).pk],
        ),
    ),
    SitePage("meetings", CHAIR, "/fund/meetings/"),
    SitePage("a meeting", CHAIR, _meeting),
    SitePage("the register", CHAIR, "/fund/decisions/"),
    SitePage(
        "a decision", CHAIR, lambda: Decision.objects.order_by("pk").first().get_absolute_url()
    ),
    SitePage("notifications", COACH, "/notifications/"),
]


def seed_demo_site() -> list[tuple[SitePage, str]]:
    """Seed the demo and return each page type with its address."""
    call_command("seed_demo", verbosity=0)
    return [(page, page.url()) for page in SITE_PAGES]


class Visitors:
    """One browser context per demo user (and one for the anonymous visitor), each
    signed in once, in the language asked for; closed together."""

    def __init__(self, browser, base_url: str, language: str = "sv"):
        self.browser = browser
        self.base_url = base_url
        self.language = language
        self.pages = {}

    def page_for(self, username: str | None):
        if username not in self.pages:
            context = self.browser.new_context(locale="sv-SE")
            context.add_cookies(
                [{"name": "django_language", "value": self.language, "url": self.base_url}]
            )
            page = context.new_page()
            if username:
                page.goto(self.base_url + "/accounts/login/")
                page.locator("#id_username").fill(username)
                page.locator("#id_password").fill(load("people")["password"])
                page.locator("main button[type=submit]").click()
                page.wait_for_url(lambda url: "/accounts/login/" not in url)
            self.pages[username] = page
        return self.pages[username]

    def close(self):
        for page in self.pages.values():
            page.context.close()
        self.pages.clear()
