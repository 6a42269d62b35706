"""The public showcase in a real browser: a coach publishes a result from a scaled idea,
the jury picks the best mistake of the year, and axe-core checks every public page type
in Swedish and in English.

The visitor is a second browser context without a session: the public page cache
serves it, so what it sees after a publish or a jury decision also proves that the
cache was invalidated (each page is read once before the change, and comes from the
cache on the second read).
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cms.models import LessonPage, MistakeYearPage
from cms.site_tree import ensure_site_tree
from ideasluss.accounts.roles import Role
from ideasluss.ideas.models import Idea
from tests.e2e.helpers import log_in
from tests.factories import (
    EvaluationFactory,
    FundFactory,
    IdeaFactory,
    NominationFactory,
    PictureAttachmentFactory,
    TestPlanFactory,
    UnitFactory,
    UserFactory,
)
from tests.fund.decision_helpers import delegated_decision

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RESULT_TITLE = "Digitala nycklar i hemtjänsten"
RESULT_PROBLEM = "Brukarna väntar på att personalen ska hämta nycklar på kontoret."
PICTURE_ALT = "En brukare i hemtjänsten öppnar ytterdörren med mobilen"
RUN_BY_UNIT = "Hemtjänsten Norr"
LESSON_TITLE = "Matsvinn i skolköket"
LESSON_LEARNED = "Eleverna åt mer när de fick välja maten själva."
MISTAKE_TITLE = "Vi vägde fel mat i tre veckor"
OTHER_MISTAKE_TITLE = "Låsen som inte passade dörrarna"
MOTIVATION = "Ett modigt test som lärde hela kommunen att mäta rätt sak innan man börjar."
SEARCH_WORD = "nycklar"


@pytest.fixture
def visitor(browser):
    """An anonymous visitor: a browser context of its own, never signed in.

    Public pages may be kept by the browser for a minute (Cache-Control: private,
    max-age=60); routing every request through Playwright turns the browser's own
    cache off, so that each visit asks the server and meets the server's page cache.
    """
    context = browser.new_context(locale="sv-SE")
    context.route("**/*", lambda route: route.continue_())
    visitor_page = context.new_page()
    yield visitor_page
    context.close()


def read_again_from_cache(page, url):
    """Open a public page the visitor has read before: it comes from the page cache."""
    assert page.goto(url).headers.get("x-public-cache") == "hit", url


def build_showcase():
    """What exists before the journey: people, a scaled and a learned idea, a grant, a lesson
    page, a nomination of someone else's, and the (still empty) page of this year's best
    mistake. Returns the scaled idea, the fund decision and this year."""
    sections = ensure_site_tree()
    anna = UserFactory(username="anna", first_name="Anna", last_name="Lind", roles=[Role.STAFF])
    cecilia = UserFactory(
        username="cecilia", first_name="Cecilia", last_name="Berg", roles=[Role.STAFF, Role.COACH]
    )
    UserFactory(
        username="erik",
        first_name="Erik",
        last_name="Ström",
        roles=[Role.STAFF, Role.COMMITTEE_MEMBER],
    )
    UserFactory(
        username="frida",
        first_name="Frida",
        last_name="Holm",
        roles=[Role.STAFF, Role.COMMITTEE_CHAIR],
    )

    # A scaled idea with a grant in the public register, a test, its evaluation and a
    # picture with a description; its team agreed to a public page.
    fund = FundFactory(name="Innovationsfonden", registration_prefix="IF")
    decision = delegated_decision(
        fund=fund,
        coach=cecilia,
        total=18_000,
        idea=IdeaFactory(owner=anna, title=RESULT_TITLE, problem=RESULT_PROBLEM, state="planning"),
    )
    scaled = decision.application.idea
    TestPlanFactory(idea=scaled, hypothesis="Med digitala lås slipper brukarna vänta.")
    EvaluationFactory(idea=scaled)
    PictureAttachmentFactory(idea=scaled, uploaded_by=anna, alt_text=PICTURE_ALT)
    Idea.objects.filter(pk=scaled.pk).update(
        state="scaled",
        publication_consent=True,
        run_by_unit=UnitFactory(name=RUN_BY_UNIT),
        lessons_learned="Batterierna i låsen måste bytas oftare än vi trodde.",
    )

    # A learned idea, already told on a published lesson page.
    learned = IdeaFactory(
        owner=anna, state="learned", title=LESSON_TITLE, lessons_learned=LESSON_LEARNED
    )
    lesson = LessonPage(
        title=LESSON_TITLE,
        slug="matsvinn-i-skolkoket",
        summary="Vi vägde maten som slängdes i tre veckor.",
        idea=learned,
        what_was_tried="Eleverna fick välja portionsstorlek själva.",
        what_we_learned=LESSON_LEARNED,
        advice="Mät en vanlig vecka innan ni ändrar något.",
    )
    sections["lardomar"].add_child(instance=lesson)
    lesson.save_revision().publish()

    # This year's page of the best mistake (editors make one per year in Wagtail) and a
    # nomination the jury will find besides the one made in the browser.
    year = timezone.localdate().year
    year_page = MistakeYearPage(title=f"Årets bästa misstag {year}", slug=str(year), year=year)
    sections["arets-basta-misstag"].add_child(instance=year_page)
    year_page.save_revision().publish()
    NominationFactory(year=year, title=OTHER_MISTAKE_TITLE, nominated_by=cecilia)
    return scaled, decision, year


def test_the_public_showcase_from_publishing_to_accessibility(
    live_server, page, visitor, axe_check
):
    base = live_server.url
    scaled, decision, year = build_showcase()

    # Before anything happens the visitor reads the results and this year's best mistake;
    # both pages are then served from the cache.
    visitor.goto(base + "/resultat/")
    read_again_from_cache(visitor, base + "/resultat/")
    expect(visitor.get_by_role("link", name=RESULT_TITLE)).to_have_count(0)
    visitor.goto(base + "/arets-basta-misstag/")
    visitor.get_by_role("link", name=f"Årets bästa misstag {year}").click()
    year_url = visitor.url
    assert year_url == f"{base}/arets-basta-misstag/{year}/"
    read_again_from_cache(visitor, year_url)
    expect(visitor.get_by_text("Juryn har inte utsett någon vinnare ännu.")).to_be_visible()

    # 1. The coach makes a draft result page from the scaled idea and publishes it in
    # Wagtail's page editor.
    log_in(page, base, "cecilia")
    page.goto(base + scaled.get_absolute_url())
    public_page = page.get_by_role("region", name="Publik sida")
    axe_check(page)
    public_page.get_by_role("button", name="Gör ett utkast till resultatsida").click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    expect(page.get_by_text("Ett utkast till sida har gjorts från idén.")).to_be_visible()
    expect(page.locator("#id_title")).to_have_value(RESULT_TITLE)
    # The page is still a draft: the public site does not show it.
    visitor.goto(base + "/resultat/")
    expect(visitor.get_by_role("link", name=RESULT_TITLE)).to_have_count(0)

    footer = page.locator("footer")
    footer.get_by_role("button", name="Fler åtgärder").click()
    footer.get_by_role("button", name="Publicera", exact=True).click()
    expect(page.get_by_text(f"Sida '{RESULT_TITLE}' har blivit publicerad.")).to_be_visible()

    # The visitor finds it on /resultat/ (the cached list was renewed) and reads it.
    visitor.goto(base + "/resultat/")
    result_link = visitor.get_by_role("link", name=RESULT_TITLE)
    expect(result_link).to_be_visible()
    result_path = result_link.get_attribute("href")
    assert result_path.startswith("/resultat/"), result_path
    result_link.click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(RESULT_TITLE)
    expect(visitor.get_by_text(RESULT_PROBLEM).first).to_be_visible()
    expect(visitor.get_by_role("img", name=PICTURE_ALT)).to_have_count(1)
    expect(visitor.get_by_role("region", name="Vem som driver det nu")).to_contain_text(RUN_BY_UNIT)
    decisions = visitor.get_by_role("region", name="Fondens beslut")
    expect(decisions.get_by_role("link", name=decision.registration_number)).to_be_visible()
    # ...and in the feeds, with its address.
    for feed in ("/feed/rss/", "/feed/atom/"):
        answer = visitor.request.get(base + feed)
        assert answer.status == 200, feed
        assert RESULT_TITLE in answer.text(), feed
        assert result_path in answer.text(), feed

    # 2. An employee nominates the learned idea; the jury shortlists both nominations and
    # votes, and the chair declares the learned idea's the best mistake of the year, with
    # a motivation.
    log_in(page, base, "anna")
    page.get_by_role("link", name="Bästa misstaget").click()
    page.get_by_role("link", name="Nominera ett misstag").click()
    axe_check(page)
    # The idea by its number, as the learned idea's page fills it in.
    learned = Idea.objects.get(title=LESSON_TITLE)
    page.get_by_label("Nummer på en idé som blev en lärdom (valfritt)").fill(str(learned.pk))
    page.get_by_label("Rubrik").fill(MISTAKE_TITLE)
    page.get_by_label("De som nämns i berättelsen godkänner att nämnas offentligt").check()
    page.get_by_role("button", name="Skicka nomineringen").click()
    expect(page.get_by_text("Tack! Din nominering är skickad till juryn.")).to_be_visible()
    expect(page.get_by_text(MISTAKE_TITLE)).to_be_visible()
    axe_check(page)

    log_in(page, base, "erik")
    page.get_by_role("link", name="Bästa misstaget").click()
    page.get_by_role("link", name="Juryns sida").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(year))
    axe_check(page)
    for title in (MISTAKE_TITLE, OTHER_MISTAKE_TITLE):
        nomination = page.get_by_role("article", name=title)
        nomination.get_by_role("button", name="Gör till finalist").click()
        expect(page.get_by_text(f"”{title}” är finalist.")).to_be_visible()
    page.get_by_role("article", name=MISTAKE_TITLE).get_by_role(
        "button", name="Rösta på den här"
    ).click()
    expect(page.get_by_text(f"Din röst är på ”{MISTAKE_TITLE}”.")).to_be_visible()

    # The chair votes too (two of the three jurors: more than half) and declares the result.
    log_in(page, base, "frida")
    page.get_by_role("link", name="Bästa misstaget").click()
    page.get_by_role("link", name="Juryns sida").click()
    page.get_by_role("article", name=MISTAKE_TITLE).get_by_role(
        "button", name="Rösta på den här"
    ).click()
    page.get_by_role("link", name="Fastställ resultatet").click()
    axe_check(page)
    expect(page.get_by_text(f"Juryns val: ”{MISTAKE_TITLE}”")).to_be_visible()
    page.get_by_role("textbox", name="Juryns motivering").fill(MOTIVATION)
    page.get_by_role("button", name="Fastställ vinnaren").click()
    expect(page.get_by_text(f"”{MISTAKE_TITLE}” är årets bästa misstag {year}.")).to_be_visible()
    axe_check(page)

    # The visitor sees the winner and the motivation on the year's page, the other
    # finalist beside it, and the winner in the archive.
    visitor.goto(year_url)
    winner = visitor.get_by_role("region", name="Vinnaren")
    expect(winner.get_by_role("heading", name=MISTAKE_TITLE)).to_be_visible()
    expect(winner).to_contain_text(MOTIVATION)
    expect(winner.get_by_role("link", name=re.compile(LESSON_TITLE))).to_be_visible()
    expect(visitor.get_by_role("region", name="De andra finalisterna")).to_contain_text(
        OTHER_MISTAKE_TITLE
    )
    visitor.goto(base + "/arets-basta-misstag/")
    expect(visitor.get_by_text(f"Vinnare: {MISTAKE_TITLE}")).to_be_visible()

    # 3. Every public page type passes axe-core, in Swedish and then in English (chosen
    # with the site's language switcher).
    public_pages = [
        "/",
        "/resultat/",
        result_path,
        "/lardomar/",
        "/lardomar/matsvinn-i-skolkoket/",
        "/arets-basta-misstag/",
        f"/arets-basta-misstag/{year}/",
        "/fonden/",
        "/fonden/beslut/",
        f"/fonden/beslut/{decision.pk}/",
        f"/sok/?q={SEARCH_WORD}",
    ]
    for language, not_found_heading in [
        ("sv", "Vi hittade inte sidan"),
        ("en", "We could not find that page"),
    ]:
        if language == "en":
            visitor.goto(base + "/")
            visitor.get_by_role("navigation", name="Språk").get_by_role(
                "link", name="English"
            ).click()
            expect(visitor.locator("html")).to_have_attribute("lang", "en")
        for path in public_pages:
            response = visitor.goto(base + path)
            assert response.status == 200, f"{path} ({language}) answered {response.status}"
            expect(visitor.locator("html")).to_have_attribute("lang", language)
            expect(visitor.get_by_role("heading", level=1)).to_be_visible()
            axe_check(visitor)
        response = visitor.goto(base + "/finns-inte/")
        assert response.status == 404
        expect(visitor.get_by_role("heading", level=1)).to_have_text(not_found_heading)
        axe_check(visitor)

    # The English reader gets the same stories in an English frame, not a cached Swedish page.
    visitor.goto(year_url)
    expect(visitor.get_by_role("region", name="The winner")).to_contain_text(MOTIVATION)
    visitor.goto(f"{base}/sok/?q={SEARCH_WORD}")
    expect(visitor.get_by_role("link", name=RESULT_TITLE)).to_be_visible()
