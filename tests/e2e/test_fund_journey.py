"""Money for an idea in a real browser: apply → declare and score → a meeting approves a
lower amount → the test starts → costs are followed up. axe-core checks every fund page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ideasluss.accounts.roles import Role
from tests.e2e.helpers import log_in
from tests.factories import (
    FundFactory,
    IdeaFactory,
    TestPlanFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

IDEA_TITLE = "Digitala nycklar i hemtjänsten"
CRITERIA = ["Nytta för invånarna", "Lärande", "Genomförbarhet", "Skalbarhet"]
# 60 h × 400 kr substitute staff + 16 000 kr materials = 40 000 kr, over the
# delegated limit of 30 000 kr: the committee must decide. It grants 32 000 kr.
APPLIED_FOR = "40 000 kr"
GRANTED = "32 000 kr"


def figure(page, term):
    """The value (<dd>) next to the term (<dt>) in a list of facts."""
    return page.locator(f"dt:text-is('{term}') + dd")


def test_money_from_application_to_followed_up_costs(live_server, page, axe_check):
    base = live_server.url
    anna = UserFactory(username="anna", first_name="Anna", last_name="Lind", roles=[Role.STAFF])
    UserFactory(
        username="cecilia", first_name="Cecilia", last_name="Berg", roles=[Role.STAFF, Role.COACH]
    )
    erik = UserFactory(
        username="erik",
        first_name="Erik",
        last_name="Ström",
        roles=[Role.STAFF, Role.COMMITTEE_MEMBER],
    )
    maria = UserFactory(
        username="maria",
        first_name="Maria",
        last_name="Holm",
        roles=[Role.STAFF, Role.COMMITTEE_MEMBER],
    )
    lars = UserFactory(
        username="lars",
        first_name="Lars",
        last_name="Ek",
        roles=[Role.STAFF, Role.COMMITTEE_CHAIR],
    )
    FundFactory(
        name="Innovationsfonden",
        registration_prefix="IF",
        capital=500_000,
        delegated_limit=30_000,
        criteria=CRITERIA,
        committee=[erik, maria, lars],
    )
    idea = IdeaFactory(title=IDEA_TITLE, owner=anna, state="planning", no_money_needed=False)
    TestPlanFactory(idea=idea)
    idea_url = base + idea.get_absolute_url()
    registration_number = f"IF {timezone.now().year}/0001"

    # 1. The owner cannot start the test before the money question is settled, and applies.
    log_in(page, base, "anna")
    page.goto(idea_url)
    expect(page.get_by_text("Avgör pengafrågan: få ett beviljat bidrag")).to_be_visible()
    expect(page.get_by_text("Inga pengar har sökts från innovationsfonden.")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Ansök om pengar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ansök om pengar från innovationsfonden"
    )
    axe_check(page)
    page.get_by_label("Varför behöver testet pengarna?").fill(
        "Personalen behöver tid för att lära brukarna de digitala låsen."
    )
    page.get_by_label("Vilken effekt förväntar ni er?").fill(
        "Brukarna slipper vänta på nycklar; personalen sparar en timme per dag."
    )
    substitute = page.get_by_role("group", name="Budgetrad 1")
    substitute.get_by_label("Kategori").select_option(label="Vikarier")
    substitute.get_by_label("Vad pengarna ska användas till").fill("Vikarie under utbildningen")
    substitute.get_by_label("Timmar").fill("60")
    substitute.get_by_label("Timpris (kr)").fill("400")
    materials = page.get_by_role("group", name="Budgetrad 2")
    materials.get_by_label("Kategori").select_option(label="Material")
    materials.get_by_label("Vad pengarna ska användas till").fill("Tio digitala lås")
    materials.get_by_label("Belopp (kr)").fill("16000")
    page.get_by_role("button", name="Spara och skicka in").click()
    expect(page.get_by_text("Ansökan är inskickad. Belopp inom delegationsgränsen")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ansökan: {IDEA_TITLE}")
    expect(page.locator(".idea__meta .state")).to_have_text("Inskickad")
    budget = page.get_by_role("table", name="Budget")
    substitute_row = budget.get_by_role("row", name=re.compile("Vikarie under utbildningen"))
    expect(substitute_row).to_contain_text("60 timmar × 400 kr")
    expect(substitute_row).to_contain_text("24 000 kr")
    expect(budget.get_by_role("row", name="Sökt belopp totalt")).to_contain_text(APPLIED_FOR)
    application_url = page.url
    axe_check(page)

    # 2a. A committee member declares no conflict and scores every criterion.
    log_in(page, base, "erik")
    page.get_by_role("link", name="Fonden").click()
    # The link's name ends in a visually hidden ": <title>".
    declare = page.get_by_role("link", name=re.compile(rf"^Ange jäv\s*: {IDEA_TITLE}$"))
    expect(declare).to_be_visible()
    axe_check(page)
    declare.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Är du jävig?")
    axe_check(page)
    page.get_by_label("Nej, jag är inte jävig").check()
    page.get_by_role("button", name="Lämna min jävsdeklaration").click()
    expect(page.get_by_text("Tack. Nu kan du bedöma ansökan.")).to_be_visible()
    axe_check(page)
    for criterion, score in zip(CRITERIA, ["5", "4", "4", "3"], strict=True):
        page.get_by_role("group", name=criterion).get_by_label(score, exact=True).check()
    page.get_by_label("Kommentar").fill("Tydlig nytta; skalbarheten beror på leverantören.")
    page.get_by_role("button", name="Spara mina betyg").click()
    expect(page.get_by_text("Dina betyg är sparade.")).to_be_visible()
    scores = page.get_by_role("table", name="Betyg per ledamot och kriterium (1–5)")
    expect(scores.get_by_role("row", name="Erik Ström")).to_contain_text(
        "Tydlig nytta; skalbarheten beror på leverantören."
    )
    axe_check(page)

    # 2b. Another member declares a conflict and is recused: no score form, no scores.
    log_in(page, base, "maria")
    page.goto(application_url)
    page.get_by_role("link", name="Lämna jävsdeklaration").click()
    page.get_by_label("Ja, jag är jävig").check()
    page.get_by_label("Varför du är jävig").fill("Min sambo arbetar i hemtjänstgruppen.")
    page.get_by_role("button", name="Lämna min jävsdeklaration").click()
    expect(page.get_by_text("Ditt jäv är antecknat.")).to_be_visible()
    expect(page.get_by_role("link", name="Bedöm ansökan")).to_have_count(0)
    expect(page.get_by_text("Erik Ström")).to_have_count(0)
    # Trying the review page's address directly shows no more.
    page.goto(application_url + "review/")
    expect(page.get_by_role("heading", name="Du är jävig")).to_be_visible()
    expect(page.get_by_role("button", name="Spara mina betyg")).to_have_count(0)
    expect(page.get_by_role("table")).to_have_count(0)
    expect(page.get_by_text("Tydlig nytta")).to_have_count(0)
    axe_check(page)

    # 3. The chair plans a meeting, opens it and approves a lower amount.
    log_in(page, base, "lars")
    page.get_by_role("link", name="Fonden").click()
    page.get_by_role("main").get_by_role("link", name="Möten", exact=True).click()
    axe_check(page)
    page.get_by_role("link", name="Planera ett möte").click()
    axe_check(page)
    page.get_by_label("Datum").fill(timezone.localdate().isoformat())
    page.get_by_label("Plats", exact=True).fill("Stadshuset, rum 3")
    page.get_by_role("button", name="Planera mötet").click()
    expect(page.get_by_text(re.compile(r"Möte .+ är planerat\."))).to_be_visible()
    axe_check(page)
    for name in ["Erik Ström", "Maria Holm", "Lars Ek"]:
        page.get_by_role("group", name="Närvarande").get_by_label(name).check()
    page.get_by_role("group", name="Ärenden").get_by_label(IDEA_TITLE).check()
    page.get_by_role("button", name="Spara närvaro och dagordning").click()
    expect(page.get_by_text("Närvaron och dagordningen är sparade.")).to_be_visible()
    page.get_by_role("button", name="Öppna mötet").click()
    expect(page.get_by_text("Mötet är öppnat: registrera besluten.")).to_be_visible()
    item = page.get_by_role("region", name=f"§ 1. {IDEA_TITLE}")
    expect(figure(item, "Jäviga")).to_have_text("Maria Holm (har anmält jäv)")
    expect(figure(item, "Beslutförhet")).to_contain_text("Ja: 2 av 3 ledamöter deltar")
    axe_check(page)
    decision_form = item.get_by_role("group", name=f"Beslut om ”{IDEA_TITLE}”")
    decision_form.get_by_label("Bevilja ett lägre belopp").check()
    decision_form.get_by_label("Lägre belopp (kr)").fill("32000")
    decision_form.get_by_label("Motivering").fill(
        "Bra test med tydlig nytta; vikarietimmarna räcker med 40 timmar."
    )
    decision_form.get_by_label("Villkor").fill("Återrapportera till beslutsgruppen efter testet.")
    item.get_by_role("button", name="Registrera beslutet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekräfta beslutet")
    expect(figure(page, "Beviljat belopp")).to_have_text(GRANTED)
    axe_check(page)
    page.get_by_role("button", name="Bekräfta och registrera beslutet").click()
    expect(
        page.get_by_text(f"Beslut {registration_number} om ”{IDEA_TITLE}” är registrerat.")
    ).to_be_visible()
    expect(item.get_by_role("link", name=registration_number)).to_be_visible()
    page.get_by_role("button", name="Avsluta mötet").click()
    expect(page.get_by_text(re.compile("Mötet är avslutat"))).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Läs protokollet").click()
    paragraph = page.get_by_role("region", name=f"§ 1 {IDEA_TITLE}")
    expect(figure(paragraph, "Beslut")).to_have_text("Beviljad med lägre belopp")
    expect(figure(paragraph, "Beviljat belopp")).to_have_text(GRANTED)
    expect(paragraph).to_contain_text("Maria Holm deltog inte i beslutet på grund av jäv.")
    expect(figure(paragraph, "Deltog i beslutet")).to_have_text("Lars Ek, Erik Ström")
    axe_check(page)
    pdf_href = page.get_by_role("link", name="Ladda ner protokollet (PDF)").get_attribute("href")
    pdf = page.request.get(base + pdf_href)
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    paragraph.get_by_role("link", name=registration_number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Beslut {registration_number}")
    expect(figure(page, "Beviljat belopp")).to_have_text(GRANTED)
    expect(figure(page, "Jäviga (deltog inte)")).to_have_text("Maria Holm")
    axe_check(page)
    page.get_by_role("link", name="Beslutsregister").click()
    expect(page.get_by_role("link", name=registration_number)).to_be_visible()
    axe_check(page)

    # 4. The money question is settled: the owner starts the test.
    log_in(page, base, "anna")
    page.goto(idea_url)
    fund_section = page.get_by_role("region", name="Innovationsfonden")
    expect(fund_section).to_contain_text(f"{registration_number}: Beviljad med lägre belopp")
    expect(fund_section).to_contain_text(GRANTED)
    axe_check(page)
    page.get_by_role("button", name="Starta testet", exact=True).click()
    expect(page.get_by_text("Testet har startat.")).to_be_visible()

    # 5. Costs are recorded against the grant: by the owner, then by the coach.
    page.goto(application_url)
    expect(figure(page, "Beviljat")).to_have_text(f"{GRANTED} ({registration_number})")
    page.get_by_role("link", name="Registrera en kostnad").click()
    axe_check(page)
    page.get_by_label("Belopp (kr)").fill("8500")
    page.get_by_label("Vad pengarna användes till").fill("Fem digitala lås")
    page.get_by_role("button", name="Registrera kostnaden").click()
    expect(page.get_by_text("Kostnaden är registrerad.")).to_be_visible()
    expect(figure(page, "Förbrukat")).to_have_text("8 500 kr")
    expect(figure(page, "Kvar av bidraget")).to_have_text("23 500 kr")

    log_in(page, base, "cecilia")
    page.get_by_role("link", name="Fonden").click()
    axe_check(page)
    page.get_by_role("link", name="Uppföljning av beviljade medel").click()
    grant_row = page.get_by_role("row", name=re.compile(IDEA_TITLE))
    expect(grant_row).to_contain_text(registration_number)
    expect(grant_row).to_contain_text("23 500 kr")
    axe_check(page)
    grant_row.get_by_role("link", name=IDEA_TITLE).click()
    page.get_by_role("link", name="Registrera en kostnad").click()
    page.get_by_label("Belopp (kr)").fill("6000")
    page.get_by_label("Vad pengarna användes till").fill("Vikarie, 15 timmar")
    page.get_by_role("button", name="Registrera kostnaden").click()
    expect(page.get_by_text("Kostnaden är registrerad.")).to_be_visible()
    expect(figure(page, "Beviljat")).to_have_text(f"{GRANTED} ({registration_number})")
    expect(figure(page, "Förbrukat")).to_have_text("14 500 kr")
    expect(figure(page, "Kvar av bidraget")).to_have_text("17 500 kr")
    costs = page.get_by_role("table", name="Registrerade kostnader")
    expect(costs.get_by_role("row", name=re.compile("Fem digitala lås"))).to_contain_text(
        "Anna Lind"
    )
    expect(costs.get_by_role("row", name=re.compile("Vikarie, 15 timmar"))).to_contain_text(
        "Cecilia Berg"
    )
    axe_check(page)
