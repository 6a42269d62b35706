"""One idea's life from draft to a published lesson, as the people do it with "My work"
and the next-step box, counting every page load and every click.

Staff writes and submits the idea; the coach screens and accepts it; the owner writes the
test plan, starts the test, evaluates, reports and allows a public page; the coach stops
the test keeping the lessons (prefilled from the evaluation) and publishes the lesson
page in Wagtail. Everyone signs in through the login form and starts from where signing in
lands. Issue 11 counted about 95 page loads and 60 clicks for the same life before;
the test fails if the life grows back beyond a third of that.

With IDESLUSS_SCREENSHOT_DIR set, the counts are written there (journey-counts.txt).
"""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cms.site_tree import ensure_site_tree
from ideasluss.accounts.roles import Role
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Språkcafé på biblioteket"
BEFORE = {"page loads": 95, "clicks": 60}


class Counter:
    """Counts the page's loads (every document the browser loads, a redirect's target
    included, as a person sees pages) and the clicks made through `click`."""

    def __init__(self, page):
        self.loads = 0
        self.clicks = 0
        self.fields = 0
        self.log: list[str] = []
        page.on("load", self._loaded)
        self.page = page

    def _loaded(self, _page):
        self.loads += 1
        self.log.append(f"load  {self.page.url}")

    def click(self, locator):
        self.clicks += 1
        self.log.append(f"click {locator}")
        locator.click()

    def fill(self, locator, value):
        self.fields += 1
        locator.fill(value)

    def goto(self, url):
        """A person typing the address or opening a bookmark (counted as a load)."""
        self.page.goto(url)


def sign_in(counter, base, username):
    page = counter.page
    page.context.clear_cookies()
    counter.goto(base + "/accounts/login/")
    counter.fill(page.get_by_label("Användarnamn"), username)
    counter.fill(page.get_by_label("Lösenord"), TEST_PASSWORD)
    counter.click(page.get_by_role("button", name="Logga in"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mitt arbete")


def task(page, heading):
    return page.get_by_role("region", name=re.compile(rf"^{re.escape(heading)} \(\d+\)$"))


def test_an_ideas_life_to_a_published_lesson_in_few_page_loads_and_clicks(live_server, page):
    ensure_site_tree()
    base = live_server.url
    UserFactory(username="anna", first_name="Anna", last_name="Lind", roles=[Role.STAFF])
    UserFactory(username="cia", first_name="Cia", last_name="Coach", roles=[Role.STAFF, Role.COACH])
    page.set_viewport_size({"width": 1280, "height": 900})
    counter = Counter(page)
    click, fill = counter.click, counter.fill

    # 1. Staff writes the idea and submits it, from "My work".
    sign_in(counter, base, "anna")
    click(page.get_by_role("main").get_by_role("link", name="Dela en idé"))
    fill(page.get_by_label("En kort rubrik"), TITLE)
    fill(
        page.get_by_label("Vilket problem ser du?"), "Nyanlända har få tillfällen att öva svenska."
    )
    fill(page.get_by_label("Vem har problemet?"), "nyanlända vuxna")
    fill(page.get_by_label("Din idé"), "Ett språkcafé varje torsdag med frivilliga.")
    click(page.get_by_role("button", name="Spara och skicka in"))
    expect(page.get_by_text("Tack! Idén är inskickad. En coach läser den")).to_be_visible()
    expect(page.locator('[aria-current="step"]')).to_contain_text("Inskickad")

    # 2. The coach finds it waiting on her start page and accepts it in one click.
    sign_in(counter, base, "cia")
    click(task(page, "Idéer att bedöma").get_by_role("link", name=TITLE))
    expect(page.get_by_text("Nästa steg är ditt: bedöm idén")).to_be_visible()
    click(page.get_by_role("button", name="Anta", exact=True))
    expect(page.get_by_text("Idén är antagen. Teamet får veta det")).to_be_visible()

    # 3. The owner plans the test, starts it, evaluates and reports, each the primary
    # action of the next-step box; and allows a public page.
    sign_in(counter, base, "anna")
    click(task(page, "Test att planera och starta").get_by_role("link", name=TITLE))
    click(page.locator(".next-step").get_by_role("link", name="Skriv testplanen"))
    today = timezone.localdate()
    fill(page.get_by_label("Hypotes"), "Om vi erbjuder ett språkcafé kommer minst tio personer.")
    fill(page.get_by_label("Framgångskriterier"), "Minst tio deltagare\nDeltagarna vill komma igen")
    fill(page.get_by_label("Startdatum"), today.isoformat())
    fill(page.get_by_label("Slutdatum"), (today + datetime.timedelta(days=28)).isoformat())
    click(page.get_by_label("Testet behöver inga pengar från innovationsfonden"))
    click(page.get_by_role("button", name="Spara testplanen"))
    click(page.locator(".next-step").get_by_role("button", name="Starta testet"))
    expect(page.get_by_text("Testet har startat.")).to_be_visible()
    click(page.locator(".next-step").get_by_role("link", name="Skriv utvärderingen"))
    fill(page.get_by_label("Resultat: Minst tio deltagare"), "Sju deltagare i snitt.")
    fill(page.get_by_label("Resultat: Deltagarna vill komma igen"), "Ja, alla utom en.")
    click(page.get_by_role("button", name="Spara utvärderingen"))
    click(page.locator(".next-step").get_by_role("button", name="Rapportera resultatet"))
    expect(page.get_by_text("Resultatet är rapporterat.")).to_be_visible()
    click(page.get_by_role("button", name="Godkänn en publik sida"))

    # 4. The coach stops the test and keeps the lessons, prefilled from the evaluation...
    sign_in(counter, base, "cia")
    click(task(page, "Testade idéer att besluta om med teamet").get_by_role("link", name=TITLE))
    click(page.locator(".next-step").get_by_role("link", name="Avsluta och spara lärdomarna"))
    lessons = page.get_by_label("Lärdomar (obligatoriskt)")
    expect(lessons).to_have_value(re.compile("Sju deltagare i snitt"))
    fill(lessons, lessons.input_value() + "Torsdagskvällar krockar med SFI; prova lördagar.")
    click(page.get_by_role("button", name="Avsluta och spara lärdomarna"))
    expect(page.locator(".message--success")).to_contain_text("Testet är avslutat och lärdomarna")

    # ...and makes the lesson page and publishes it in Wagtail.
    click(page.get_by_role("button", name="Gör ett utkast till lärdomssida"))
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    footer = page.locator("footer")
    click(footer.get_by_role("button", name="Fler åtgärder"))
    click(footer.get_by_role("button", name="Publicera", exact=True))
    expect(page.get_by_text("har blivit publicerad")).to_be_visible()

    counts = {"page loads": counter.loads, "clicks": counter.clicks}
    report = (
        f"One idea's life, draft to published lesson, with My work and the next-step box:\n"
        f"  page loads: {counter.loads} (before: about {BEFORE['page loads']})\n"
        f"  clicks:     {counter.clicks} (before: about {BEFORE['clicks']})\n"
        f"  fields filled: {counter.fields}; sign-ins: 4\n\n" + "\n".join(counter.log) + "\n"
    )
    print(report)
    folder = os.environ.get("IDESLUSS_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        Path(folder, "journey-counts.txt").write_text(report)
    assert counts["page loads"] <= BEFORE["page loads"] // 3, report
    assert counts["clicks"] <= BEFORE["clicks"] // 2, report
