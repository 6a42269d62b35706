"""axe-core finds no serious or critical violation on any page type, in Swedish and in
English, on a desktop (1280 px) and on a phone (320 px, with the menu opened so that
its links are checked too).

One seeded demo, one browser and one signed-in context per person and language for
all page types (tests/e2e/site_pages.py); every page's violations are reported together.
"""

import pytest

from tests.e2e.site_pages import Visitors, seed_demo_site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 320, "height": 640}}
LANGUAGES = ("sv", "en")


def test_every_page_type_passes_axe_in_both_languages_on_desktop_and_phone(
    live_server, browser, axe_check
):
    pages = seed_demo_site()
    problems = []
    for language in LANGUAGES:
        visitors = Visitors(browser, live_server.url, language=language)
        try:
            for site_page, url in pages:
                page = visitors.page_for(site_page.user)
                page.set_viewport_size(VIEWPORTS["desktop"])
                response = page.goto(live_server.url + url)
                assert response.ok, f"{site_page.name}: {url} answered {response.status}"
                served_in = page.locator("html").get_attribute("lang")
                assert served_in == language, f"{url} came in {served_in}, not {language}"
                # The same page is narrowed to a phone's width rather than loaded again.
                for viewport_name, viewport in VIEWPORTS.items():
                    page.set_viewport_size(viewport)
                    menu_button = page.locator("[data-menu-toggle]")
                    if (
                        menu_button.is_visible()
                        and menu_button.get_attribute("aria-expanded") == "false"
                    ):
                        menu_button.click()
                    try:
                        axe_check(page)
                    except AssertionError as violations:
                        problems.append(
                            f"{site_page.name}, {language}, {viewport_name}: {violations}"
                        )
        finally:
            visitors.close()
    assert not problems, "\n\n".join(problems)
