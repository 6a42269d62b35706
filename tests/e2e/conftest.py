"""Browser tests: Debian's Chromium driven by Python Playwright, never a downloaded browser.

When no Chromium is found the tests are skipped with a loud message, except
with CI=true, where a missing browser fails the run.
"""

import os
import shutil

import pytest

from tests.conftest import IN_CI

CHROMIUM_CANDIDATES = ["chromium", "chromium-browser"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def find_chromium() -> str | None:
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    return next(filter(None, map(shutil.which, CHROMIUM_CANDIDATES)), None)


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if not browser_items or find_chromium():
        return
    if IN_CI:
        raise pytest.UsageError(
            "CI=true but no Chromium was found: browser tests cannot be skipped."
        )
    skip = pytest.mark.skip(
        reason="NO CHROMIUM FOUND: browser tests skipped (apt install chromium)"
    )
    for item in browser_items:
        item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not find_chromium():
        terminalreporter.write_sep(
            "!", "Chromium not found: the browser tests were SKIPPED", red=True, bold=True
        )


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make meanwhile are ordinary blocking calls, so Django may allow them.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=find_chromium(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe_check():
    """Run axe-core on the page and fail on any serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        violations = axe.run(page).response["violations"]
        bad = [v for v in violations if v["impact"] in {"serious", "critical"}]
        summary = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']]}"
            for v in bad
        ]
        assert not bad, f"axe-core violations on {page.url}:\n" + "\n".join(summary)
        return violations

    return check
