"""Each case the black-box probe of issue 12 found, as a test: a clear 4xx with a Swedish
message and nothing written, where it used to be a 500 or accepted."""

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ideasluss.fund.models import Cost, DecisionKind, Meeting
from ideasluss.fund.services import meeting_create
from ideasluss.ideas.models import Idea
from ideasluss.ideas.models import TestPlan as IdeaTestPlan
from tests.factories import ApplicationFactory, IdeaFactory, UserFactory
from workflows.fund.services import decision_record

pytestmark = pytest.mark.django_db

IDEA_FORM = {
    "title": "Läxhjälp på biblioteket",
    "problem": "Många elever saknar hjälp med läxor hemma.",
    "target_group": "elever i årskurs 4–6",
    "description": "Frivilliga läxhjälpare två kvällar i veckan.",
    "tags": "skola, bibliotek",
}


def text_of(response) -> str:
    return response.content.decode()


def post_idea(client, **fields):
    return client.post(reverse("ideas:idea-create"), {**IDEA_FORM, **fields})


# --- 500s -------------------------------------------------------------------------------


@pytest.mark.parametrize("offset", [2**63, 2**64, 10**30, 9223372036854775808])
def test_api_offset_of_2_to_the_63_or_more_is_a_client_error(client, offset):
    response = client.get(f"/api/v1/decisions/?offset={offset}")
    assert response.status_code == 422
    assert "offset" in text_of(response)


@pytest.mark.parametrize("reference", [str(2**70), "²", "١٢٣"])
def test_api_decision_by_an_id_too_large_or_in_other_digits_is_404(client, reference):
    assert client.get(f"/api/v1/decisions/{reference}/").status_code == 404


@pytest.mark.parametrize("year", [0, 1, 9999, 2**70])
def test_api_year_out_of_range_is_a_client_error(client, year):
    assert client.get(f"/api/v1/decisions/?year={year}").status_code == 422


@pytest.mark.parametrize("remove", ["abc", "²", str(2**70), "-1", ""])
def test_team_remove_abc_as_the_owner_is_refused_with_a_message(client, remove):
    co_owner = UserFactory()
    idea = IdeaFactory()
    idea.co_owners.add(co_owner)
    client.force_login(idea.owner)
    response = client.post(
        reverse("ideas:idea-team", args=[idea.pk]), {"remove": remove}, follow=True
    )
    assert response.status_code == 200
    assert "Välj en medägare till idén att ta bort." in text_of(response)
    assert list(idea.co_owners.all()) == [co_owner]


def test_meeting_edit_with_an_agenda_id_of_2_to_the_70_is_a_form_error(client, fund, chair):
    meeting = meeting_create(fund=fund, by=chair, date=timezone.localdate())
    client.force_login(chair)
    response = client.post(
        reverse("fund:meeting-edit", args=[meeting.pk]),
        {"attendees": [chair.pk], "agenda": [str(2**70)]},
    )
    assert response.status_code == 400
    assert "är inte ett giltigt värde" in text_of(response)
    assert not meeting.attendees.exists() and not meeting.agenda.exists()


def test_an_idea_title_with_control_characters_is_refused(client, staff):
    client.force_login(staff)
    response = post_idea(client, title="Rubrik\x01\x02\x1f")
    assert response.status_code == 400
    assert "Skriv på en rad" in text_of(response) or "styrtecken" in text_of(response)
    assert "U+0001" in text_of(response)
    assert not Idea.objects.exists()


def test_an_old_title_with_control_characters_does_not_break_the_excel_export(
    client, fund, coach, staff
):
    """Rows written before the policy may hold control characters: the Excel file still
    opens (openpyxl refuses them in a cell), without them."""
    idea = IdeaFactory(title="Lås\x01\x07\x0b\x1f för hemtjänsten", state="planning")
    application = ApplicationFactory(fund=fund, idea=idea, total=10_000)
    decision_record(
        application=application, by=coach, kind=DecisionKind.APPROVE, rationale="Bra\x02 test."
    )
    client.force_login(staff)
    response = client.get(reverse("fund:decision-export", args=["xlsx"]))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [value for row in workbook.active.iter_rows(values_only=True) for value in row]
    assert "Lås för hemtjänsten" in cells
    assert "Bra test." in cells
    csv = client.get(reverse("fund:decision-export", args=["csv"]))
    assert csv.status_code == 200
    assert "hemtjänsten" in b"".join(csv.streaming_content).decode("utf-8-sig")


# --- accepted but should not be -----------------------------------------------------------


def test_a_1_mb_problem_text_is_refused(client, staff):
    client.force_login(staff)
    response = post_idea(client, problem="a" * 1_000_000)
    assert response.status_code == 400
    assert "Texten är för lång: högst 10000 tecken" in text_of(response)
    assert not Idea.objects.exists()


def test_problem_text_of_exactly_10000_characters_is_accepted(client, staff):
    client.force_login(staff)
    response = post_idea(client, problem="a" * 10_000, save="1")
    assert response.status_code == 302
    assert len(Idea.objects.get().problem) == 10_000


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "1900-01-01", "1999-12-31"])
def test_test_plan_dates_in_year_1_and_9999_are_refused(client, date):
    idea = IdeaFactory(state="planning")
    client.force_login(idea.owner)
    response = client.post(
        reverse("ideas:idea-test-plan", args=[idea.pk]),
        {
            "hypothesis": "Om ... så ...",
            "success_criteria": "Kortare väntan",
            "start_date": date,
            "end_date": "2100-12-31",
        },
    )
    assert response.status_code == 400
    assert "Välj ett datum mellan 2000-01-01 och 2100-12-31." in text_of(response)
    assert not IdeaTestPlan.objects.exists()


def test_a_meeting_in_1900_is_refused(client, fund, chair):
    client.force_login(chair)
    response = client.post(
        reverse("fund:meeting-create"), {"fund": fund.pk, "date": "1900-01-01", "location": "A"}
    )
    assert response.status_code == 400
    assert "Välj ett datum mellan 2000-01-01 och 2100-12-31." in text_of(response)
    assert not Meeting.objects.exists()


def test_a_cost_dated_in_year_1_is_refused(client, application, coach):
    grant(application, coach)
    client.force_login(coach)
    response = client.post(
        reverse("fund:cost-add", args=[application.pk]),
        {"amount": "1200", "date": "0001-01-01", "note": "Lås"},
    )
    assert response.status_code == 400
    assert "Välj ett datum mellan" in text_of(response)
    assert not Cost.objects.exists()


@pytest.mark.parametrize(
    "control",
    ["\u202e", "\u202a", "\u202b", "\u202c", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069"],
)
def test_a_right_to_left_override_in_a_title_is_refused(client, staff, control):
    client.force_login(staff)
    response = post_idea(client, title=f"Bild{control}gnp.exe")
    assert response.status_code == 400
    assert "vänder skrivriktningen" in text_of(response)
    assert not Idea.objects.exists()


def test_a_right_to_left_override_in_a_problem_text_is_refused(client, staff):
    client.force_login(staff)
    response = post_idea(client, problem="Se filen \u202egnp.exe\u202c\nrad två")
    assert response.status_code == 400
    assert not Idea.objects.exists()


def test_amounts_in_full_width_digits_are_read_as_ascii(client, staff):
    client.force_login(staff)
    response = post_idea(client, needs_money="１２３", needs_hours="４０", save="1")
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert (idea.needs_money, idea.needs_hours) == (123, 40)


@pytest.mark.parametrize("digits", ["١٢٣", "۱۲۳", "১২৩", "1٢3"])
def test_amounts_in_arabic_indic_digits_are_refused(client, staff, digits):
    client.force_login(staff)
    response = post_idea(client, needs_money=digits)
    assert response.status_code == 400
    assert "Skriv talet med siffrorna 0–9" in text_of(response)
    assert not Idea.objects.exists()


def test_swedish_digit_groups_are_read(client, staff):
    client.force_login(staff)
    post_idea(client, needs_money="12 500", save="1")
    assert Idea.objects.get().needs_money == 12_500


def grant(application, coach):
    return decision_record(
        application=application, by=coach, kind=DecisionKind.APPROVE, rationale="Bra test."
    )


def test_a_cost_of_1_000_000_000_kr_is_refused(client, application, coach):
    grant(application, coach)
    client.force_login(coach)
    response = client.post(
        reverse("fund:cost-add", args=[application.pk]),
        {"amount": "1000000000", "date": timezone.localdate().isoformat(), "note": "Lås"},
    )
    assert response.status_code == 400
    assert "större än fondens kapital" in text_of(response)
    assert not Cost.objects.exists()


def test_a_budget_line_above_the_funds_capital_is_refused(client, fund):
    idea = IdeaFactory(state="planning")
    client.force_login(idea.owner)
    response = client.post(
        reverse("fund:apply", args=[idea.pk]),
        {
            "fund": fund.pk,
            "motivation": "m",
            "expected_effect": "e",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-category": "materials",
            "lines-0-description": "Lås",
            "lines-0-amount": "100001",
        },
    )
    assert response.status_code == 400
    assert "större än fondens kapital" in text_of(response)
    assert not idea.applications.exists()


# --- the 400 page -----------------------------------------------------------------------


def test_a_bad_request_shows_the_swedish_400_page(settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client = Client(raise_request_exception=False)
    response = client.post(
        reverse("login"), {f"field{i}": "x" for i in range(50)} | {"username": "a"}
    )
    assert response.status_code == 400
    content = text_of(response)
    assert "Vi kunde inte ta emot det som skickades" in content
    assert "Ingenting har sparats" in content
    assert "TooManyFields" not in content


def test_the_400_page_is_english_for_an_english_reader(settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client = Client(raise_request_exception=False, headers={"cookie": "django_language=en"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("login"), {f"field{i}": "x" for i in range(50)})
    assert response.status_code == 400
    assert "We could not handle what was sent" in text_of(response)


@pytest.mark.parametrize("idea", ["²", "١٢٣", str(2**70), "abc"])
def test_the_nomination_page_with_a_malformed_idea_id_is_the_empty_form(client, staff, idea):
    client.force_login(staff)
    response = client.get(reverse("ideas:mistake-nominate"), {"idea": idea})
    assert response.status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/decisions/?fund=a%00b", "/api/v1/decisions/a%00b/"])
def test_api_text_with_a_nul_character_is_a_client_error(client, url):
    """PostgreSQL cannot compare text holding NUL: the API refuses it before the query."""
    assert client.get(url).status_code in (404, 422)
