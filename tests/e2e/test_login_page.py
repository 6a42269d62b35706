"""The sign-in page as a municipality configures it: with the identity provider's button, and
locked after wrong passwords. Both pass axe-core at desktop and phone widths."""

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = [1280, 320]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_sign_in_page_with_the_providers_button(live_server, page, axe_check, settings, width):
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "Kommunens inloggning"
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + "/accounts/login/")
    expect(page.get_by_role("link", name="Logga in med Kommunens inloggning")).to_be_visible()
    expect(page.get_by_label("Användarnamn")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    axe_check(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_locked_sign_in_page(live_server, page, axe_check, settings, width):
    settings.AXES_ENABLED = True
    UserFactory(username="anna")
    page.set_viewport_size({"width": width, "height": 800})
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Användarnamn").fill("anna")
        page.get_by_label("Lösenord").fill("fel-lösenord")
        page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("alert")).to_contain_text("minuter")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    axe_check(page)
