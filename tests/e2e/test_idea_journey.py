"""The life of one idea in a real browser: submit → accept → plan and test → report → learn."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ideasluss.accounts.roles import Role
from tests.e2e.helpers import log_in
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_idea_from_submission_to_lessons_learned(live_server, page, axe_check):
    base = live_server.url
    UserFactory(username="anna", first_name="Anna", last_name="Lind", roles=[Role.STAFF])
    UserFactory(username="cia", first_name="Cia", last_name="Coach", roles=[Role.STAFF, Role.COACH])

    # Staff submits an idea, problem first.
    log_in(page, base, "anna")
    page.get_by_role("link", name="Ny idé").click()
    page.get_by_label("En kort rubrik").fill("Språkcafé på biblioteket")
    page.get_by_label("Vilket problem ser du?").fill("Nyanlända har få tillfällen att öva svenska.")
    page.get_by_label("Vem har problemet?").fill("nyanlända vuxna")
    page.get_by_label("Din idé").fill("Ett språkcafé varje torsdag med frivilliga.")
    page.get_by_role("button", name="Spara och skicka in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Språkcafé på biblioteket")
    expect(page.get_by_text("Tack! Idén är inskickad")).to_be_visible()
    idea_url = page.url
    page.get_by_role("link", name="Mina idéer").click()
    axe_check(page)

    # The coach finds it in the inbox and accepts it.
    log_in(page, base, "cia")
    page.get_by_role("link", name="Coachens inkorg").click()
    axe_check(page)
    page.get_by_role("link", name="Språkcafé på biblioteket").click()
    # Accepting is the primary action of the next-step box, one click with an optional
    # message to the owner.
    page.get_by_text("Skriv ett meddelande till idéägaren (frivilligt)").click()
    page.get_by_label("Meddelande").fill("Spännande! Börja i liten skala.")
    page.get_by_role("button", name="Anta", exact=True).click()
    expect(page.get_by_text("Idén är antagen. Teamet får veta det")).to_be_visible()

    # The owner writes a test plan and starts the test.
    log_in(page, base, "anna")
    page.goto(idea_url)
    expect(page.get_by_text("Skriv en testplan")).to_be_visible()
    page.get_by_role("link", name="Skriv testplanen").click()
    today = timezone.localdate()
    page.get_by_label("Hypotes").fill("Om vi erbjuder ett språkcafé kommer minst tio personer.")
    page.get_by_label("Framgångskriterier").fill("Minst tio deltagare\nDeltagarna vill komma igen")
    page.get_by_label("Startdatum").fill(today.isoformat())
    page.get_by_label("Slutdatum").fill((today + datetime.timedelta(days=28)).isoformat())
    page.get_by_label("Testet behöver inga pengar från innovationsfonden").check()
    page.get_by_role("button", name="Spara testplanen").click()
    expect(page.get_by_text("Testplanen är sparad.")).to_be_visible()
    page.get_by_role("button", name="Starta testet", exact=True).click()
    expect(page.get_by_text("Testet har startat.")).to_be_visible()

    # The owner evaluates and reports.
    page.get_by_role("link", name="Skriv utvärderingen").click()
    page.get_by_label("Resultat: Minst tio deltagare").fill("Sju deltagare i snitt.")
    page.get_by_label("Resultat: Deltagarna vill komma igen").fill("Ja, alla utom en.")
    page.get_by_role("button", name="Spara utvärderingen").click()
    page.get_by_role("button", name="Rapportera resultatet", exact=True).click()
    expect(page.get_by_text("Resultatet är rapporterat.")).to_be_visible()

    # The coach stops it and keeps the lessons.
    log_in(page, base, "cia")
    page.goto(idea_url)
    page.get_by_role("link", name="Avsluta och spara lärdomarna", exact=True).click()
    page.get_by_label("Lärdomar").fill("Torsdagskvällar krockar med SFI; prova lördagar.")
    page.get_by_role("button", name="Avsluta och spara lärdomarna", exact=True).click()
    expect(page.locator(".message--success")).to_contain_text("lärdomarna sparade")

    # The timeline tells the whole story.
    entries = page.locator(".timeline__entry")
    expect(entries).to_have_count(5)
    expect(entries.nth(0)).to_contain_text("från ”Utkast” till ”Inskickad”")
    expect(entries.nth(1)).to_contain_text("Spännande! Börja i liten skala.")
    expect(entries.nth(4)).to_contain_text("till ”Lärdom”")
    expect(page.get_by_text("Torsdagskvällar krockar med SFI")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Idébank").click()
    expect(page.get_by_role("link", name="Språkcafé på biblioteket")).to_be_visible()
    axe_check(page)
