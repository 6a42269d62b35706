"""Reflow (WCAG 2.1, 1.4.10): at 320 CSS px no page type scrolls sideways and the header
takes at most 100 px of the screen; at 1280 px the main menu is one row. The phone menu
folds behind a real button that works with the keyboard, and without script the menu
is simply open.

One seeded demo and one browser for all page types (tests/e2e/site_pages.py): the
failures of every page are collected and reported together.
"""

import pytest
from playwright.sync_api import expect

from ideasluss.accounts.roles import Role
from tests.e2e.helpers import log_in
from tests.e2e.site_pages import Visitors, seed_demo_site
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
HEADER_MAX_HEIGHT = 100

MEASURE = """() => {
  const items = [...document.querySelectorAll('.site-nav li')];
  return {
    scrollWidth: document.documentElement.scrollWidth,
    header: document.querySelector('.site-header').getBoundingClientRect().height,
    menuRows: new Set(items.map(item => Math.round(item.getBoundingClientRect().top))).size,
    menuItems: items.length,
  };
}"""


def widest_elements(page, width):
    """What sticks out past the viewport, to say why a page scrolls sideways."""
    return page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
          .filter(el => el.getBoundingClientRect().right > width + 0.5)
          .slice(0, 5)
          .map(el => el.tagName.toLowerCase() + '.' + [...el.classList].join('.')
               + ' (' + Math.round(el.getBoundingClientRect().right) + ' px)')""",
        width,
    )


def test_no_page_type_scrolls_sideways_at_320_px_and_the_menu_is_one_row_at_1280(
    live_server, browser
):
    pages = seed_demo_site()
    visitors = Visitors(browser, live_server.url)
    problems = []
    try:
        for site_page, url in pages:
            page = visitors.page_for(site_page.user)
            page.set_viewport_size(PHONE)
            response = page.goto(live_server.url + url)
            assert response.ok, f"{site_page.name}: {url} answered {response.status}"
            phone = page.evaluate(MEASURE)
            if phone["scrollWidth"] > PHONE["width"]:
                problems.append(
                    f"{site_page.name} ({url}) is {phone['scrollWidth']} px wide at 320 px: "
                    f"{widest_elements(page, PHONE['width'])}"
                )
            if phone["header"] > HEADER_MAX_HEIGHT:
                problems.append(
                    f"{site_page.name} ({url}): header {phone['header']:.0f} px tall at 320 px"
                )
            page.set_viewport_size(DESKTOP)
            desktop = page.evaluate(MEASURE)
            if desktop["menuRows"] != 1:
                problems.append(
                    f"{site_page.name} ({url}): the main menu's {desktop['menuItems']} links "
                    f"take {desktop['menuRows']} rows at 1280 px"
                )
            if desktop["scrollWidth"] > DESKTOP["width"]:
                problems.append(f"{site_page.name} ({url}) scrolls sideways at 1280 px")
    finally:
        visitors.close()
    assert not problems, "\n".join(problems)


def test_the_phone_menu_opens_and_closes_with_the_keyboard(live_server, page):
    UserFactory(username="anna", first_name="Anna", last_name="Lind", roles=[Role.STAFF])
    log_in(page, live_server.url, "anna")
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/ideas/")

    menu_button = page.get_by_role("button", name="Meny")
    main_menu = page.get_by_role("navigation", name="Huvudmeny")
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    expect(menu_button).to_have_attribute("aria-controls", "site-menu")
    expect(main_menu).to_be_hidden()

    menu_button.focus()
    page.keyboard.press("Enter")
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    expect(main_menu.get_by_role("link", name="Idébank")).to_be_visible()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()

    # Tab goes from the button into the menu; Escape closes it and gives focus back.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Sök", exact=True)).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    expect(menu_button).to_be_focused()
    expect(main_menu).to_be_hidden()

    # On a desktop the button is gone and the menu always shows.
    page.set_viewport_size(DESKTOP)
    expect(menu_button).to_be_hidden()
    expect(main_menu.get_by_role("link", name="Idébank")).to_be_visible()


def test_without_script_the_menu_is_open_and_there_is_no_menu_button(live_server, browser):
    context = browser.new_context(locale="sv-SE", java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        expect(page.get_by_role("button", name="Meny")).to_have_count(0)
        main_menu = page.get_by_role("navigation", name="Huvudmeny")
        expect(main_menu.get_by_role("link", name="Resultat")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
