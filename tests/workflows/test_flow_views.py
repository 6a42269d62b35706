"""The flow page and its exports: who may, what they show, in Swedish, in flat queries."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from ideasluss.accounts.models import Unit
from ideasluss.accounts.roles import Role
from tests.factories import UserFactory

from .flow_helpers import TARGETS, idea_history
from .test_flow_figures import many_ideas

pytestmark = pytest.mark.django_db

PAGE = reverse("flow:figures")
PERIOD_QUERY = {"start": "2025-03-01", "end": "2025-04-30"}


@pytest.fixture(autouse=True)
def targets(settings):
    settings.FLOW_TARGET_DAYS = TARGETS


def export(client, fmt: str, **query):
    return client.get(reverse("flow:export", args=[fmt]), {**PERIOD_QUERY, **query})


def read_csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def read_xlsx(response) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows(values_only=True))


# --- who may ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "roles",
    [[Role.STAFF, Role.COACH], [Role.STAFF, Role.COMMITTEE_MEMBER], [Role.COMMITTEE_CHAIR]],
)
def test_coaches_and_the_committee_see_the_page(client, roles):
    client.force_login(UserFactory(roles=roles))
    assert client.get(PAGE).status_code == 200
    assert export(client, "csv").status_code == 200


@pytest.mark.parametrize("roles", [[Role.STAFF], [Role.STAFF, Role.ADMINISTRATOR]])
def test_staff_and_administrators_are_refused(client, roles):
    # The administrator of the fixture set is also a Django superuser: no shortcut here.
    client.force_login(UserFactory(roles=roles, is_superuser=True, is_staff=True))
    assert client.get(PAGE).status_code == 403
    assert export(client, "xlsx").status_code == 403


def test_anonymous_visitors_sign_in_first(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert export(client, "csv").status_code == 302


def test_the_menu_links_the_page_for_those_who_may(client, coach, staff):
    client.force_login(coach)
    assert f'href="{PAGE}"' in client.get(reverse("ideas:idea-inbox")).content.decode()
    client.force_login(staff)
    assert f'href="{PAGE}"' not in client.get(reverse("ideas:idea-list")).content.decode()


# --- the page ---------------------------------------------------------------------------


def test_the_page_shows_the_figures_in_swedish(client, coach):
    idea_history()
    client.force_login(coach)
    response = client.get(PAGE, {**PERIOD_QUERY, "measure": "submitted"})
    html = response.content.decode()
    assert "<h1>Ledtider</h1>" in html
    assert "Räknat: det som avslutades från 1 mars 2025 till 30 april 2025, alla enheter." in html
    # The whole period, submitted: 6 stays, median 3,5, p90 15,75 → 15,8, 5 of 6 within 10.
    row = '<th scope="row">Inskickad</th>'
    cells = html.split(row, 1)[1].split("</tr>", 1)[0]
    for cell in ("6", "3,5", "15,8", "10", "83\u00a0% (5 av 6)"):
        assert f'<td class="numeric">{cell}</td>' in cells
    # Per month (the chosen measure): March 3,5 / 8,2 and April 11,5 / 19,5.
    march = html.split('<th scope="row">mars 2025</th>', 1)[1].split("</tr>", 1)[0]
    assert '<td class="numeric">3,5</td>' in march and '<td class="numeric">8,2</td>' in march
    april = html.split('<th scope="row">april 2025</th>', 1)[1].split("</tr>", 1)[0]
    assert '<td class="numeric">11,5</td>' in april and '<td class="numeric">19,5</td>' in april
    assert '<th scope="row">Socialförvaltningen › Hemtjänst Norr</th>' in html
    # Charts with their words: a legend, and a text alternative with the same numbers.
    assert "Median, dagar" in html and "90:e percentilen, dagar" in html
    assert "Inskickad, median 3,5, 90:e percentilen 15,8 dagar" in html
    assert "<caption>Inskickad, dagar per månad: det som avslutades" in html


def test_the_unit_filter(client, coach):
    history = idea_history()
    client.force_login(coach)
    parent = Unit.objects.get(name="Socialförvaltningen")
    html = client.get(PAGE, {**PERIOD_QUERY, "unit": parent.pk}).content.decode()
    assert "Socialförvaltningen med underenheter" in html
    assert "Norrskolan</th>" not in html
    assert history.unit_b.name in html  # still a choice in the filter


def test_a_period_that_ends_before_it_starts_is_refused_and_kept(client, coach):
    client.force_login(coach)
    response = client.get(PAGE, {"start": "2025-05-01", "end": "2025-04-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Slutet av perioden får inte ligga före starten (1 maj 2025)." in html
    assert 'value="2025-05-01"' in html and 'value="2025-04-01"' in html
    assert "Ledtider som Excel" not in html  # no figures for a period that is not one
    assert export(client, "csv", start="2025-05-01", end="2025-04-01").status_code == 400


def test_a_period_longer_than_five_years_is_refused(client, coach):
    client.force_login(coach)
    html = client.get(PAGE, {"start": "2015-01-01", "end": "2025-01-01"}).content.decode()
    assert "Välj en period på högst fem år." in html


def test_without_a_query_the_page_shows_the_last_twelve_months(client, coach):
    client.force_login(coach)
    response = client.get(PAGE)
    assert response.context["figures"].start.day == 1
    assert len(response.context["figures"].months) == 12
    assert response.context["measure"] == "first_answer"


@pytest.mark.parametrize("count", [10, 1000])
def test_page_queries_stay_flat(client, coach, count, django_assert_max_num_queries):
    many_ideas(count)
    client.force_login(coach)
    with django_assert_max_num_queries(22):
        response = client.get(PAGE, {**PERIOD_QUERY, "measure": "submitted"})
    assert response.context["figures"].summary("submitted").count == count


# --- exports ----------------------------------------------------------------------------


def test_csv_holds_the_page_numbers(client, coach):
    idea_history()
    client.force_login(coach)
    response = export(client, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="ledtider-')
    rows = read_csv(response)
    assert list(rows[0]) == [
        "Gruppering",
        "Grupp",
        "Mått",
        "Antal",
        "Median (dagar)",
        "90:e percentilen (dagar)",
        "Mål (dagar)",
        "Inom målet (antal)",
        "Inom målet (%)",
    ]
    total = next(r for r in rows if r["Gruppering"] == "Summa" and r["Mått"] == "Inskickad")
    assert total["Grupp"] == "från 1 mars 2025 till 30 april 2025, alla enheter"
    assert [total[k] for k in ("Antal", "Median (dagar)", "90:e percentilen (dagar)")] == [
        "6",
        "3.5",
        "15.8",
    ]
    assert (total["Mål (dagar)"], total["Inom målet (antal)"], total["Inom målet (%)"]) == (
        "10",
        "5",
        "83.3",
    )
    march = next(r for r in rows if r["Grupp"] == "mars 2025" and r["Mått"] == "Inskickad")
    assert (march["Median (dagar)"], march["90:e percentilen (dagar)"]) == ("3.5", "8.2")
    testing = next(r for r in rows if r["Gruppering"] == "Summa" and r["Mått"] == "Test pågår")
    assert (testing["Antal"], testing["Median (dagar)"], testing["Mål (dagar)"]) == ("0", "", "")


def test_excel_holds_the_same_numbers(client, coach):
    idea_history()
    client.force_login(coach)
    rows = read_xlsx(export(client, "xlsx"))
    assert rows[0][:3] == ("Gruppering", "Grupp", "Mått")
    total = next(r for r in rows if r[0] == "Summa" and r[2] == "Inskickad")
    assert total[3:] == (6, 3.5, 15.8, 10, 5, 83.3)
    unit = next(
        r for r in rows if r[0] == "Enhet" and r[2] == "Till första svar" and "Norrskolan" in r[1]
    )
    assert unit[3:6] == (1, 21.5, 21.5)


def test_exports_keep_typed_text_harmless(client, coach):
    history = idea_history()
    Unit.objects.filter(pk=history.unit_b.pk).update(name='=HYPERLINK("x")\x07')
    client.force_login(coach)
    csv_unit = next(r for r in read_csv(export(client, "csv")) if "HYPERLINK" in r["Grupp"])
    assert csv_unit["Grupp"].startswith("'=")
    xlsx_unit = next(r for r in read_xlsx(export(client, "xlsx")) if "HYPERLINK" in str(r[1]))
    assert xlsx_unit[1] == '=HYPERLINK("x")'  # text, without the control character


def test_an_unknown_format_is_not_found(client, coach):
    client.force_login(coach)
    assert export(client, "pdf").status_code == 404
