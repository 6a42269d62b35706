"""The first walk through the site in a real browser, with accessibility checks."""

import re

import pytest
from playwright.sync_api import expect

from ideasluss.accounts.roles import Role
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.browser
# The live server needs committed data; serialized_rollback restores what the
# migrations created (role groups, the home page) for the tests after these.
live_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@live_db
def test_home_and_login_pages_are_accessible(live_server, page, axe_check):
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("main")).to_be_visible()
    axe_check(page)

    page.goto(live_server.url + "/accounts/login/")
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    axe_check(page)


@live_db
def test_skip_link_is_the_first_focus_and_moves_to_main(live_server, page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Hoppa till huvudinnehållet")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))


@live_db
def test_staff_member_logs_in_switches_language_and_logs_out(live_server, page, axe_check):
    UserFactory(username="anna", first_name="Anna", last_name="Lind", roles=[Role.STAFF])
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Användarnamn").fill("anna")
    page.get_by_label("Lösenord").fill("fel-lösenord")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("alert")).to_contain_text("Användarnamnet eller lösenordet är fel")
    axe_check(page)

    page.get_by_label("Lösenord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_text("Inloggad som Anna Lind")).to_be_visible()

    # The switcher is links, used here with the keyboard; the current language is marked.
    switcher = page.get_by_role("navigation", name="Språk")
    expect(switcher.get_by_role("link", name="Svenska")).to_have_attribute("aria-current", "true")
    switcher.get_by_role("link", name="English").focus()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Signed in as Anna Lind")).to_be_visible()
    switcher = page.get_by_role("navigation", name="Language")
    expect(switcher.get_by_role("link", name="English")).to_have_attribute("aria-current", "true")
    expect(switcher.get_by_role("link", name="Svenska")).not_to_have_attribute(
        "aria-current", "true"
    )
    axe_check(page)

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="You are logged out")).to_be_visible()


def test_the_accessibility_check_catches_a_real_violation(page, axe_check):
    page.set_content('<html><body><main><img src="x.png"><input type="text"></main></body></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        axe_check(page)
