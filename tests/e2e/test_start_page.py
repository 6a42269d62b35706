"""“My work” in a real browser, on the demo: each role signs in, lands on its start page
and finds its real tasks from the demo by name; the stepper on an idea page and on an
application page; axe-core on the start page at desktop and phone widths.

With IDESLUSS_SCREENSHOT_DIR set, the coach's start page is saved there at 1280 and 320
CSS px (for the issue's closing note)."""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.helpers import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

#: The demo's password for every persona (ideasluss/demo/data/people.toml).
DEMO_PASSWORD = "idesluss-demo"
PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}


def sign_in(page, base, username):
    """Sign in through the form, as a person does: no `next`, so the site decides where."""
    log_in(page, base, username, password=DEMO_PASSWORD)
    expect(page).to_have_url(base + "/my-work/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mitt arbete")


def section(page, heading):
    """A section of the start page by its heading (the count after it is part of the name)."""
    return page.get_by_role("region", name=re.compile(rf"^{re.escape(heading)} \(\d+\)$"))


def expect_tasks(page, heading, *titles):
    region = section(page, heading)
    expect(region).to_be_visible()
    for title in titles:
        expect(region.get_by_role("link", name=title, exact=True).first).to_be_visible()
    return region


def save_screenshots(page, name):
    folder = os.environ.get("IDESLUSS_SCREENSHOT_DIR")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.screenshot(path=f"{folder}/{name}-{size['width']}.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def test_each_role_lands_on_its_start_page_with_its_demo_tasks(live_server, page, axe_check):
    call_command("seed_demo", verbosity=0)
    base = live_server.url
    page.set_viewport_size(DESKTOP)

    # A staff member: her draft, the tests she reports, the application returned to her.
    sign_in(page, base, "anna")
    expect(page.get_by_role("navigation", name="Huvudmeny").get_by_role("link").first).to_have_text(
        "Mitt arbete"
    )
    expect_tasks(
        page, "Utkast och återskickade idéer att skicka in", "Påminnelse-sms före hembesök"
    )
    expect_tasks(
        page, "Test att utvärdera och rapportera", "Cykling utan ålder", "Videosamtal med anhöriga"
    )
    returned = expect_tasks(
        page, "Ansökningar att göra klart och skicka in", "Videosamtal med anhöriga"
    )
    expect(returned).to_contain_text("Återremitterad")
    mine = expect_tasks(page, "Mina idéer", "Lunchvänner på Solrosen")
    expect(mine).to_contain_text("Nästa steg: en coach bedömer idén")
    axe_check(page)

    # The stepper on her idea page: where the test is, and that the next step is hers.
    section(page, "Test att utvärdera och rapportera").get_by_role(
        "link", name="Cykling utan ålder"
    ).click()
    stepper = page.get_by_role("list", name="Idéns väg")
    current = stepper.locator('[aria-current="step"]')
    expect(current).to_have_count(1)
    expect(current).to_contain_text("Test pågår")
    expect(current).to_contain_text("nu")
    expect(stepper.get_by_role("listitem").first).to_contain_text("klart")
    expect(stepper.get_by_role("listitem").last).to_contain_text("kommer")
    expect(page.get_by_text("Nästa steg är ditt: genomför testet")).to_be_visible()
    axe_check(page)

    # ...and on the returned application's page.
    page.goto(base + "/my-work/")
    section(page, "Ansökningar att göra klart och skicka in").get_by_role(
        "link", name="Videosamtal med anhöriga"
    ).click()
    stepper = page.get_by_role("list", name="Ansökans väg")
    expect(stepper.locator('[aria-current="step"]')).to_contain_text("Återremitterad")
    expect(page.locator(".next-step .button--primary")).to_have_count(1)
    axe_check(page)

    # The coach: ideas to screen, a test past its end, and both applications she may
    # decide, the one the committee has taken up included (the bug of issue 11).
    sign_in(page, base, "cia")
    expect_tasks(
        page,
        "Idéer att bedöma",
        "Grovsopor på beställning",
        "Lunchvänner på Solrosen",
        "Språkvänner för nyanlända föräldrar",
    )
    expect_tasks(page, "Test som passerat sitt slutdatum", "Läxhjälp på biblioteket")
    expect_tasks(page, "Testade idéer att besluta om med teamet", "Enklare bygglovsblanketter")
    expect_tasks(
        page,
        "Ansökningar att besluta om på delegation",
        "Läxhjälp på biblioteket",
        "Ängsmark i stället för klippt gräs",
    )
    expect(page.get_by_text("Inget väntar på dig just nu")).to_have_count(0)
    axe_check(page)
    page.set_viewport_size(PHONE)
    axe_check(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the start page is {width} px wide at 320 px"
    page.set_viewport_size(DESKTOP)
    save_screenshots(page, "start-page-coach")

    # A committee member: the application to declare a conflict of interest on.
    sign_in(page, base, "dan")
    expect_tasks(page, "Jäv att anmäla", "Läxhjälp på biblioteket")
    expect_tasks(page, "Mina idéer", "Ängsmark i stället för klippt gräs")
    axe_check(page)

    # The chair: the meeting she chairs, the decision on its agenda, her own declaration.
    sign_in(page, base, "fia")
    chaired = section(page, "Sammanträden du leder")
    expect(
        chaired.get_by_role("link", name=re.compile(r"^Sammanträde 3 för Innovationsfonden"))
    ).to_be_visible()
    expect(chaired).to_contain_text("förbered dagordningen")
    expect_tasks(
        page, "Beslut att fatta på kommande sammanträden", "Ängsmark i stället för klippt gräs"
    )
    expect_tasks(page, "Jäv att anmäla", "Ängsmark i stället för klippt gräs")
    axe_check(page)
    save_screenshots(page, "start-page-chair")

    # Signing in with a `next` still goes there.
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/?next=/ideas/")
    page.get_by_label("Användarnamn").fill("anna")
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page).to_have_url(base + "/ideas/")


def test_signing_in_without_the_demo_lands_on_a_kind_empty_start_page(live_server, page):
    from ideasluss.accounts.roles import Role
    from tests.factories import UserFactory

    UserFactory(username="ny", first_name="Nora", roles=[Role.STAFF])
    log_in(page, live_server.url, "ny")
    expect(page).to_have_url(live_server.url + "/my-work/")
    expect(page.get_by_text("Inget väntar på dig just nu.")).to_be_visible()
    expect(page.get_by_text("Du har inga idéer ännu.")).to_be_visible()
