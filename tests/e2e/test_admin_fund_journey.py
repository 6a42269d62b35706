"""A fund made in Wagtail's admin is one staff can apply to and the committee can score:
an administrator creates it with two criteria, a staff member applies from an idea in
planning, a committee member declares no conflict and scores on the new criteria.
axe-core checks the staff pages; Wagtail's own admin pages are exempt."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ideasluss.accounts.roles import Role
from ideasluss.fund.models import Fund
from tests.e2e.helpers import log_in
from tests.factories import IdeaFactory, TestPlanFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FUND = "Klimatfonden"
IDEA_TITLE = "Cykelpool för hemtjänsten"
CRITERIA = ["Minskade utsläpp", "Lärande"]


def test_a_fund_made_in_the_admin_takes_applications_and_scores(live_server, page, axe_check):
    base = live_server.url
    UserFactory(
        username="ada", first_name="Ada", last_name="Berg", roles=[Role.STAFF, Role.ADMINISTRATOR]
    )
    anna = UserFactory(username="anna", first_name="Anna", last_name="Lind", roles=[Role.STAFF])
    UserFactory(
        username="erik",
        first_name="Erik",
        last_name="Ström",
        roles=[Role.STAFF, Role.COMMITTEE_MEMBER],
    )
    idea = IdeaFactory(title=IDEA_TITLE, owner=anna, state="planning", no_money_needed=False)
    TestPlanFactory(idea=idea)
    year = timezone.localdate().year

    # 1. The administrator creates the fund with two criteria in Wagtail's admin.
    log_in(page, base, "ada")
    page.goto(base + "/admin/")
    page.get_by_role("link", name="Fonder").click()
    page.get_by_role("link", name=re.compile("Lägg till fond", re.IGNORECASE)).click()
    page.locator("#id_name").fill(FUND)
    for label, date in [("Startdatum", f"{year}-01-01"), ("Slutdatum", f"{year}-12-31")]:
        # Typed without focusing the field: Wagtail's date picker opens on focus and, on a
        # loaded machine, can stay open over the form whatever closes it.
        page.get_by_label(label).evaluate(
            "(field, value) => { field.value = value;"
            " field.dispatchEvent(new Event('change', {bubbles: true})); }",
            date,
        )
    expect(page.locator(".xdsoft_datetimepicker:visible")).to_have_count(0)
    page.get_by_label("Kapital (kr)").fill("300000")
    page.get_by_label("Delegationsgräns (kr)").fill("25000")
    page.get_by_role("textbox", name=re.compile("^Diarieprefix")).fill("KF")
    page.get_by_role("checkbox", name="Öppen för ansökningar").check()
    page.get_by_role("checkbox", name="Erik Ström").check()  # the fund's committee
    page.locator("#id_criteria-0-name").fill(CRITERIA[0])
    page.get_by_role("button", name=re.compile("Lägg till bedömningskriterium", re.I)).click()
    page.locator("#id_criteria-1-name").fill(CRITERIA[1])
    page.locator("#id_criteria-1-description").fill("Vad lär vi oss om cykling i tjänsten?")
    page.get_by_role("button", name="Skapa").click()
    expect(page.get_by_text(f"Fond '{FUND}' skapad.")).to_be_visible()
    fund = Fund.objects.get(name=FUND)
    assert list(fund.criteria.values_list("name", flat=True)) == CRITERIA
    assert list(fund.committee_members.values_list("username", flat=True)) == ["erik"]

    # 2. The idea's owner applies to the new fund and submits.
    log_in(page, base, "anna")
    page.goto(base + idea.get_absolute_url())
    axe_check(page)
    page.get_by_role("link", name="Ansök om pengar").click()
    expect(page.get_by_label("Fond")).to_have_value(str(fund.pk))
    axe_check(page)
    page.get_by_label("Varför behöver testet pengarna?").fill("Vi behöver fem elcyklar.")
    page.get_by_label("Vilken effekt förväntar ni er?").fill("Färre bilresor mellan brukarna.")
    line = page.get_by_role("group", name="Budgetrad 1")
    line.get_by_label("Kategori").select_option(label="Material")
    line.get_by_label("Vad pengarna ska användas till").fill("Hyra av fem elcyklar")
    line.get_by_label("Belopp (kr)").fill("20000")
    page.get_by_role("button", name="Spara och skicka in").click()
    expect(page.get_by_text("Ansökan är inskickad. Belopp inom delegationsgränsen")).to_be_visible()
    application_url = page.url
    axe_check(page)

    # 3. A committee member declares no conflict and scores on the fund's own criteria.
    log_in(page, base, "erik")
    page.goto(application_url)
    axe_check(page)
    page.get_by_role("link", name="Lämna jävsdeklaration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Är du jävig?")
    axe_check(page)
    page.get_by_label("Nej, jag är inte jävig").check()
    page.get_by_role("button", name="Lämna min jävsdeklaration").click()
    expect(page.get_by_text("Tack. Nu kan du bedöma ansökan.")).to_be_visible()
    axe_check(page)
    for criterion, score in zip(CRITERIA, ["4", "5"], strict=True):
        page.get_by_role("group", name=criterion).get_by_label(score, exact=True).check()
    page.get_by_role("button", name="Spara mina betyg").click()
    expect(page.get_by_text("Dina betyg är sparade.")).to_be_visible()
    scores = page.get_by_role("table", name="Betyg per ledamot och kriterium (1–5)")
    for criterion in CRITERIA:
        expect(scores.get_by_role("columnheader", name=criterion)).to_be_visible()
    expect(scores.get_by_role("row", name=re.compile("Erik Ström"))).to_contain_text("4")
    axe_check(page)
