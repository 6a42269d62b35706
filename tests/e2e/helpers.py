"""Steps the browser journeys share."""

from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD


def log_in(page, base_url, username, password=TEST_PASSWORD):
    """Sign in through the login form as `username` (any earlier session is dropped)."""
    page.context.clear_cookies()
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
