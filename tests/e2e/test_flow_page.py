"""The flow page in a real browser: accessible, and its charts readable at every width."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.workflows.flow_helpers import TARGETS, idea_history

from .helpers import log_in

pytestmark = pytest.mark.browser
live_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@live_db
@pytest.mark.parametrize("width", [1280, 320])
def test_flow_page_is_readable_and_accessible(live_server, page, axe_check, settings, width):
    settings.FLOW_TARGET_DAYS = TARGETS
    history = idea_history()
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server.url, history.coach.username)
    page.goto(live_server.url + reverse("flow:figures") + "?start=2025-03-01&end=2025-04-30")
    expect(page.get_by_role("heading", name="Ledtider", exact=True)).to_be_visible()
    expect(
        page.get_by_role(
            "img", name="Dagar per steg, till första svar och till fondbeslut: Till första svar"
        )
    ).to_be_visible()
    # Every text of every chart is at least 12 CSS px, and every chart fits the width.
    sizes = page.eval_on_selector_all(
        ".flow-chart__svg text", "texts => texts.map(t => t.getBoundingClientRect().height)"
    )
    fonts = page.eval_on_selector_all(
        ".flow-chart__svg text", "texts => texts.map(t => parseFloat(getComputedStyle(t).fontSize))"
    )
    assert sizes and min(fonts) >= 12 and min(sizes) >= 12
    rights = page.eval_on_selector_all(
        ".flow-chart", "charts => charts.map(c => c.getBoundingClientRect().right)"
    )
    assert max(rights) <= width
    # The main content never scrolls sideways (wide tables scroll in their own box).
    main_width = page.evaluate("document.querySelector('main').scrollWidth")
    assert main_width <= width
    axe_check(page)
