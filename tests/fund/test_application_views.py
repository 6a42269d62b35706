"""The applicant's pages: apply, edit, the application page, its steps, the lists, costs
with receipts and returned money. Access rules, bad input and query counts."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from ideasluss.accounts.roles import Role
from ideasluss.fund.models import (
    Application,
    ApplicationState,
    BudgetLine,
    Cost,
    DecisionKind,
    MoneyReturn,
)
from ideasluss.fund.services import conflict_declare, cost_record, money_return  # noqa: F401
from ideasluss.ideas.models import Idea, IdeaState
from tests.dates import today
from tests.factories import MINIMAL_PDF, ApplicationFactory, FundFactory, IdeaFactory, UserFactory
from workflows.fund.services import decision_record

pytestmark = pytest.mark.django_db

S = ApplicationState


def detail_url(application):
    return reverse("fund:application-detail", args=[application.pk])


def action_url(application, action):
    return reverse("fund:application-action", args=[application.pk, action])


def budget(*lines, total_forms=None):
    """POST data for the budget formset from (category, description, amount, hours, rate)."""
    data = {
        "lines-TOTAL_FORMS": str(total_forms or len(lines)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
    }
    for index, (category, description, amount, hours, rate) in enumerate(lines):
        data |= {
            f"lines-{index}-category": category,
            f"lines-{index}-description": description,
            f"lines-{index}-amount": amount,
            f"lines-{index}-hours": hours,
            f"lines-{index}-hourly_rate": rate,
        }
    return data


MATERIALS = ("materials", "Digitala lås", "5000", "", "")
SUBSTITUTE = ("substitute_staff", "Vikarie för undersköterska", "", "10", "350")


def application_form(fund, *lines, **fields):
    return {
        "fund": fund.pk,
        "motivation": "Vi behöver låsen för att kunna testa på riktigt.",
        "expected_effect": "Kortare väntetider för brukarna.",
        **budget(*lines),
        **fields,
    }


def granted(application, coach, amount=None):
    kind = DecisionKind.APPROVE if amount is None else DecisionKind.APPROVE_LOWER
    return decision_record(
        application=application, by=coach, kind=kind, amount=amount, rationale="Bra test."
    )


# Access -----------------------------------------------------------------------------------


def all_urls(application, cost=None):
    urls = [
        reverse("fund:apply", args=[application.idea.pk]),
        reverse("fund:application-list"),
        detail_url(application),
        reverse("fund:application-edit", args=[application.pk]),
        action_url(application, "withdraw"),
        reverse("fund:cost-add", args=[application.pk]),
        reverse("fund:return-money", args=[application.pk]),
        reverse("fund:declare", args=[application.pk]),
        reverse("fund:review", args=[application.pk]),
        reverse("fund:decide", args=[application.pk]),
    ]
    if cost is not None:
        urls.append(reverse("fund:cost-receipt", args=[cost.pk]))
    return urls


def test_anonymous_users_are_sent_to_login(client, application, coach):
    granted(application, coach)
    cost = cost_record(
        application=application,
        by=coach,
        amount=100,
        date="2026-01-02",
        note="Lås",
        receipt=SimpleUploadedFile("kvitto.pdf", MINIMAL_PDF),
    )
    for url in all_urls(application, cost):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_staff_not_on_the_team_cannot_see_that_an_application_exists(
    client, staff, application, coach
):
    granted(application, coach)
    cost = cost_record(
        application=application,
        by=coach,
        amount=100,
        date="2026-01-02",
        note="Lås",
        receipt=SimpleUploadedFile("kvitto.pdf", MINIMAL_PDF),
    )
    client.force_login(staff)
    for url in all_urls(application, cost)[2:]:
        assert client.get(url).status_code == 404, url
    assert client.post(action_url(application, "withdraw"), {}).status_code == 404


def test_staff_not_on_the_team_cannot_apply_for_someone_elses_idea(client, staff, fund):
    idea = IdeaFactory(state=IdeaState.PLANNING)
    client.force_login(staff)
    assert client.get(reverse("fund:apply", args=[idea.pk])).status_code == 403
    response = client.post(reverse("fund:apply", args=[idea.pk]), application_form(fund, MATERIALS))
    assert response.status_code == 403
    assert not Application.objects.exists()


def test_a_draft_idea_of_someone_else_is_not_found(client, staff, fund):
    idea = IdeaFactory(state=IdeaState.DRAFT)
    client.force_login(staff)
    assert client.get(reverse("fund:apply", args=[idea.pk])).status_code == 404


@pytest.mark.parametrize("state", [IdeaState.SUBMITTED, IdeaState.TESTED, IdeaState.SCALED])
def test_money_is_applied_for_only_while_planning_or_testing(client, fund, state):
    idea = IdeaFactory(state=state)
    client.force_login(idea.owner)
    assert client.get(reverse("fund:apply", args=[idea.pk])).status_code == 403


@pytest.mark.parametrize("who", ["applicant", "co_owner", "coach", "committee_member", "chair"])
def test_the_team_and_the_funds_reviewers_see_the_application(
    client, application, coach, committee_member, chair, who
):
    co_owner = UserFactory(roles=[Role.STAFF])
    application.idea.co_owners.add(co_owner)
    user = {
        "applicant": application.applicant,
        "co_owner": co_owner,
        "coach": coach,
        "committee_member": committee_member,
        "chair": chair,
    }[who]
    client.force_login(user)
    response = client.get(detail_url(application))
    assert response.status_code == 200
    content = response.content.decode()
    assert application.idea.title in content
    assert "20\xa0000 kr" in content


# Applying ---------------------------------------------------------------------------------


def test_the_owner_applies_with_materials_and_substitute_staff(client, fund):
    idea = IdeaFactory(state=IdeaState.PLANNING)
    client.force_login(idea.owner)
    response = client.post(
        reverse("fund:apply", args=[idea.pk]), application_form(fund, MATERIALS, SUBSTITUTE)
    )
    application = Application.objects.get()
    assert response["Location"] == detail_url(application)
    assert application.state == S.DRAFT
    assert application.applicant == idea.owner
    assert application.total == 8_500
    substitute = BudgetLine.objects.get(category="substitute_staff")
    assert (substitute.hours, substitute.hourly_rate, substitute.amount) == (10, 350, 3_500)
    content = client.get(detail_url(application)).content.decode()
    assert "10 timmar × 350 kr" in content
    assert "3\xa0500 kr" in content
    assert "Summa för Vikarier" in content
    assert "8\xa0500 kr" in content


def test_the_apply_page_chooses_the_single_open_fund_of_today(client):
    FundFactory(is_open=False, name="Stängda fonden")
    current = FundFactory(name="Årets fond")
    idea = IdeaFactory(state=IdeaState.TESTING)
    client.force_login(idea.owner)
    content = client.get(reverse("fund:apply", args=[idea.pk])).content.decode()
    assert f'<option value="{current.pk}" selected>' in content
    assert "Stängda fonden" not in content


def test_apply_and_submit_at_once(client, fund):
    idea = IdeaFactory(state=IdeaState.PLANNING)
    client.force_login(idea.owner)
    client.post(
        reverse("fund:apply", args=[idea.pk]),
        application_form(fund, MATERIALS, submit="1"),
    )
    application = Application.objects.get()
    assert application.state == S.SUBMITTED
    assert application.submitted_at is not None


def test_submitting_an_incomplete_application_keeps_the_draft_and_says_what_is_missing(
    client, fund
):
    idea = IdeaFactory(state=IdeaState.PLANNING)
    client.force_login(idea.owner)
    response = client.post(
        reverse("fund:apply", args=[idea.pk]),
        application_form(fund, MATERIALS, motivation="", submit="1"),
        follow=True,
    )
    application = Application.objects.get()
    assert application.state == S.DRAFT
    content = response.content.decode()
    assert "Skriv varför testet behöver pengarna" in content
    assert response.redirect_chain[-1][0] == reverse("fund:application-edit", args=[application.pk])


@pytest.mark.parametrize(
    "line, message",
    [
        (("materials", "Lås", "-5", "", ""), "Beloppet måste vara större än noll."),
        (("materials", "", "5000", "", ""), "Beskriv vad pengarna ska användas till."),
        (("substitute_staff", "Vikarie", "", "10", ""), "Vikarier behöver ett timpris."),
        (("substitute_staff", "Vikarie", "", "", "350"), "Vikarier behöver antal timmar."),
        (("materials", "Lås", "2000000000", "", ""), "Beloppet är orimligt stort."),
        (("materials", "Lås", "", "", ""), "Ange beloppet i kronor."),
        (("materials", "Lås", "12,5", "", ""), "Ange beloppet i hela kronor"),
        (("", "Lås", "5000", "", ""), "Välj en kategori."),
    ],
)
def test_bad_budget_lines_are_refused_with_a_message_and_nothing_is_written(
    client, fund, line, message
):
    idea = IdeaFactory(state=IdeaState.PLANNING)
    client.force_login(idea.owner)
    response = client.post(reverse("fund:apply", args=[idea.pk]), application_form(fund, line))
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert 'aria-invalid="true"' in content
    assert not Application.objects.exists()
    assert not BudgetLine.objects.exists()


def test_a_total_over_the_funds_capital_is_refused_by_the_service(client, fund):
    idea = IdeaFactory(state=IdeaState.PLANNING)
    client.force_login(idea.owner)
    big = ("materials", "Stort", str(fund.capital // 2 + 1), "", "")
    response = client.post(reverse("fund:apply", args=[idea.pk]), application_form(fund, big, big))
    assert response.status_code == 400
    assert "Summan är större än fondens kapital" in response.content.decode()
    assert not Application.objects.exists()


def test_adding_a_line_saves_nothing_and_keeps_what_was_typed(client, fund):
    idea = IdeaFactory(state=IdeaState.PLANNING)
    client.force_login(idea.owner)
    response = client.post(
        reverse("fund:apply", args=[idea.pk]), application_form(fund, MATERIALS, add_line="1")
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="Digitala lås"' in content
    assert 'name="lines-1-description"' in content
    assert 'name="lines-TOTAL_FORMS" value="2"' in content
    assert not Application.objects.exists()


def test_an_idea_with_an_application_in_progress_cannot_apply_to_the_same_fund_again(
    client, application
):
    client.force_login(application.applicant)
    url = reverse("fund:apply", args=[application.idea.pk])
    content = client.get(url).content.decode()
    assert "Ingen fond är öppen för ansökningar" in content
    assert detail_url(application) in content
    response = client.post(url, application_form(application.fund, MATERIALS))
    assert response.status_code == 400
    assert Application.objects.count() == 1


# Editing ----------------------------------------------------------------------------------


def test_the_applicant_edits_a_draft_and_its_budget(client, fund):
    application = ApplicationFactory(fund=fund, state=S.DRAFT, total=20_000)
    client.force_login(application.applicant)
    url = reverse("fund:application-edit", args=[application.pk])
    content = client.get(url).content.decode()
    assert 'value="Digitala lås"' in content
    data = application_form(fund, SUBSTITUTE, motivation="Ny motivering")
    data["lines-INITIAL_FORMS"] = "1"
    response = client.post(url, data)
    assert response["Location"] == detail_url(application)
    application.refresh_from_db()
    assert application.motivation == "Ny motivering"
    assert application.total == 3_500
    assert list(application.budget_lines.values_list("category", flat=True)) == ["substitute_staff"]


def test_unchanged_lines_are_kept_when_only_the_text_is_edited(client, fund):
    application = ApplicationFactory(fund=fund, state=S.DRAFT, total=20_000)
    client.force_login(application.applicant)
    data = application_form(
        fund, ("materials", "Digitala lås", "20000", "", ""), motivation="Bättre motivering"
    )
    data |= {"lines-INITIAL_FORMS": "1", "lines-TOTAL_FORMS": "3"}  # two blank extra lines
    client.post(reverse("fund:application-edit", args=[application.pk]), data)
    application.refresh_from_db()
    assert application.motivation == "Bättre motivering"
    assert application.total == 20_000
    assert application.budget_lines.count() == 1


def test_a_line_ticked_for_removal_is_removed(client, fund):
    application = ApplicationFactory(fund=fund, state=S.RETURNED)
    client.force_login(application.applicant)
    data = application_form(fund, ("materials", "Digitala lås", "20000", "", ""), MATERIALS)
    data |= {"lines-INITIAL_FORMS": "1", "lines-0-DELETE": "on"}
    client.post(reverse("fund:application-edit", args=[application.pk]), data)
    application.refresh_from_db()
    assert application.total == 5_000


def test_a_submitted_application_cannot_be_edited(client, application):
    client.force_login(application.applicant)
    url = reverse("fund:application-edit", args=[application.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, application_form(application.fund, SUBSTITUTE))
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.total == 20_000


# The application page and its steps --------------------------------------------------------


def test_the_page_shows_what_is_missing_before_submitting(client, fund):
    application = ApplicationFactory(fund=fund, state=S.DRAFT, expected_effect="")
    client.force_login(application.applicant)
    content = client.get(detail_url(application)).content.decode()
    assert "Skicka in ansökan" in content
    assert "Beskriv vilken effekt ni förväntar er." in content


def test_the_applicant_submits_from_the_application_page(client, fund):
    application = ApplicationFactory(fund=fund, state=S.DRAFT)
    client.force_login(application.applicant)
    response = client.post(action_url(application, "submit"), {"expected_state": S.DRAFT})
    assert response["Location"] == detail_url(application)
    application.refresh_from_db()
    assert application.state == S.SUBMITTED


def test_an_incomplete_application_is_not_submitted(client, fund):
    application = ApplicationFactory(fund=fund, state=S.DRAFT, motivation="")
    client.force_login(application.applicant)
    response = client.post(
        action_url(application, "submit"), {"expected_state": S.DRAFT}, follow=True
    )
    assert "Skriv varför testet behöver pengarna" in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.DRAFT


def test_a_stale_button_gets_a_reload_message(client, fund):
    application = ApplicationFactory(fund=fund, state=S.SUBMITTED)
    client.force_login(application.applicant)
    response = client.post(
        action_url(application, "submit"), {"expected_state": S.DRAFT}, follow=True
    )
    assert "Någon ändrade ansökan just nu" in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.SUBMITTED


def test_a_coach_takes_up_and_the_applicant_may_not(client, application, coach):
    client.force_login(application.applicant)
    response = client.post(action_url(application, "take_up"), {"expected_state": S.SUBMITTED})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    client.force_login(coach)
    assert "Påbörja bedömningen" in client.get(detail_url(application)).content.decode()
    client.post(action_url(application, "take_up"), {"expected_state": S.SUBMITTED})
    application.refresh_from_db()
    assert application.state == S.IN_REVIEW


def test_withdrawing_is_confirmed_first(client, application):
    client.force_login(application.applicant)
    page = client.get(action_url(application, "withdraw"))
    assert page.status_code == 200
    assert "Ta tillbaka ansökan" in page.content.decode()
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    client.post(
        action_url(application, "withdraw"),
        {"expected_state": S.SUBMITTED, "message": "Vi hittade en annan lösning."},
    )
    application.refresh_from_db()
    assert application.state == S.WITHDRAWN


def test_a_coach_cannot_withdraw_someone_elses_application(client, application, coach):
    client.force_login(coach)
    assert client.get(action_url(application, "withdraw")).status_code == 403
    response = client.post(action_url(application, "withdraw"), {"expected_state": S.SUBMITTED})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.state == S.SUBMITTED


def test_an_unknown_action_is_not_found(client, application):
    client.force_login(application.applicant)
    assert client.post(action_url(application, "approve"), {}).status_code == 404


def test_the_page_lists_decisions_and_marks_superseded_ones(client, application, coach):
    first = granted(application, coach)
    correction = decision_record(
        application=application,
        by=coach,
        kind=DecisionKind.APPROVE_LOWER,
        amount=15_000,
        rationale="Materialet kostar mindre.",
        conditions="Redovisa senast i juni.",
        supersedes=first,
    )
    client.force_login(application.applicant)
    content = client.get(detail_url(application)).content.decode()
    assert first.registration_number in content
    assert f"Ersatt av {correction.registration_number}" in content
    assert "Materialet kostar mindre." in content
    assert "Redovisa senast i juni." in content
    assert "15\xa0000 kr" in content


def test_html_in_the_application_is_shown_as_text(client, fund):
    evil = '<script>alert("x")</script>'
    application = ApplicationFactory(fund=fund, motivation=evil)
    client.force_login(application.applicant)
    content = client.get(detail_url(application)).content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert" in content


# The lists --------------------------------------------------------------------------------


def test_my_applications_are_my_own_and_my_teams(client, fund, staff):
    mine = ApplicationFactory(fund=fund, idea__owner=staff, idea__title="Min idé")
    team = ApplicationFactory(fund=fund, idea__title="Teamets idé")
    team.idea.co_owners.add(staff)
    ApplicationFactory(fund=fund, idea__title="Någon annans idé")
    client.force_login(staff)
    response = client.get(reverse("fund:application-list") + "?view=queue")
    content = response.content.decode()
    assert "Mina ansökningar" in content
    assert "Min idé" in content and "Teamets idé" in content
    assert "Någon annans idé" not in content
    assert detail_url(mine) in content


def test_the_queue_shows_submitted_applications_filtered_by_fund_and_state(
    client, fund, committee_member
):
    other_fund = FundFactory()
    ApplicationFactory(fund=fund, idea__title="Inskickad idé")
    ApplicationFactory(fund=fund, idea__title="Utkastidé", state=S.DRAFT)
    ApplicationFactory(fund=other_fund, idea__title="Annan fonds idé")
    ApplicationFactory(fund=fund, idea__title="Återtagen idé", state=S.WITHDRAWN)
    client.force_login(committee_member)
    content = client.get(reverse("fund:application-list")).content.decode()
    assert "Inskickad idé" in content and "Annan fonds idé" in content
    assert "Utkastidé" not in content
    assert "Ange jäv" in content
    content = client.get(
        reverse("fund:application-list"), {"fund": fund.pk, "state": S.SUBMITTED}
    ).content.decode()
    assert "Inskickad idé" in content
    assert "Annan fonds idé" not in content and "Återtagen idé" not in content


def test_the_list_runs_the_same_queries_for_2_and_30_applications(
    client, fund, committee_member, django_assert_max_num_queries
):
    def make(count):
        for n in range(count):
            application = ApplicationFactory(fund=fund, total=1_000)
            if n % 3 == 0:
                conflict_declare(
                    application=application, member=committee_member, has_conflict=False
                )

    coach = UserFactory(username="listcoach", roles=[Role.STAFF, Role.COACH])
    make(2)
    granted(Application.objects.first(), coach)
    client.force_login(committee_member)
    url = reverse("fund:application-list")
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    make(28)
    for application in Application.objects.filter(state=S.SUBMITTED)[:10]:
        granted(application, coach)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
        assert response.status_code == 200
    assert len(response.context["applications"]) == 20
    mine_url = url + "?view=mine"
    client.force_login(Application.objects.first().applicant)
    with django_assert_max_num_queries(len(few)):
        assert client.get(mine_url).status_code == 200


# Costs and receipts -----------------------------------------------------------------------


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(buffer, "PNG")
    return buffer.getvalue()


def cost_form(**fields):
    return {"amount": "1200", "date": "2026-01-15", "note": "Låscylindrar", **fields}


def test_a_coach_records_a_cost_with_a_pdf_receipt_only_the_team_can_open(
    client, application, coach, staff
):
    granted(application, coach)
    client.force_login(coach)
    response = client.post(
        reverse("fund:cost-add", args=[application.pk]),
        cost_form(receipt=SimpleUploadedFile("kvitto.pdf", MINIMAL_PDF, "application/pdf")),
    )
    assert response["Location"] == detail_url(application)
    cost = Cost.objects.get()
    assert cost.amount == 1_200 and cost.recorded_by == coach
    assert cost.receipt.name.startswith("fund/receipts/") and cost.receipt.name.endswith(".pdf")
    client.force_login(application.applicant)
    content = client.get(detail_url(application)).content.decode()
    assert "1\xa0200 kr" in content
    assert "18\xa0800 kr" in content  # remaining
    receipt = client.get(reverse("fund:cost-receipt", args=[cost.pk]))
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "application/pdf"
    assert b"".join(receipt.streaming_content) == MINIMAL_PDF
    client.force_login(staff)
    assert client.get(reverse("fund:cost-receipt", args=[cost.pk])).status_code == 404


def test_a_png_receipt_is_accepted_and_served_as_a_picture(client, application, coach):
    granted(application, coach)
    client.force_login(application.applicant)
    client.post(
        reverse("fund:cost-add", args=[application.pk]),
        cost_form(receipt=SimpleUploadedFile("foto.png", png_bytes(), "image/png")),
    )
    cost = Cost.objects.get()
    response = client.get(reverse("fund:cost-receipt", args=[cost.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"amount": "-100"}, "Beloppet måste vara större än noll."),
        ({"amount": "0"}, "Beloppet måste vara större än noll."),
        ({"amount": "99999999999"}, "Beloppet är orimligt stort."),
        ({"note": ""}, "Skriv vad pengarna användes till."),
        (
            {"date": (today() + datetime.timedelta(days=2)).isoformat()},
            "kan inte ligga i framtiden",
        ),
        ({"date": "2999-01-01"}, "Välj ett datum mellan 2000-01-01 och 2100-12-31."),
        (
            {"receipt": SimpleUploadedFile("kvitto.txt", b"just text", "text/plain")},
            "Kvittot måste vara en PDF-, JPEG- eller PNG-fil.",
        ),
    ],
)
def test_bad_costs_are_refused_and_nothing_is_written(
    client, application, coach, fields, message, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "ideasluss.ideas.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    granted(application, coach)
    client.force_login(coach)
    response = client.post(reverse("fund:cost-add", args=[application.pk]), cost_form(**fields))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Cost.objects.exists()
    assert not any(path.is_file() for path in tmp_path.rglob("*"))


def test_an_oversized_receipt_is_refused_before_it_is_read(client, application, coach, settings):
    settings.IDEA_ATTACHMENT_MAX_BYTES = 1024
    granted(application, coach)
    client.force_login(coach)
    big = SimpleUploadedFile("kvitto.pdf", MINIMAL_PDF + b"0" * 200_000, "application/pdf")
    response = client.post(
        reverse("fund:cost-add", args=[application.pk]), cost_form(receipt=big), follow=True
    )
    assert "för stor" in response.content.decode()
    assert not Cost.objects.exists()


def test_no_cost_without_a_grant(client, application, coach):
    client.force_login(coach)
    url = reverse("fund:cost-add", args=[application.pk])
    assert "har inget" in client.get(url).content.decode()
    response = client.post(url, cost_form())
    assert response.status_code == 400
    assert "Kostnader registreras mot ett beviljat bidrag" in response.content.decode()
    assert not Cost.objects.exists()


def test_staff_on_no_team_cannot_record_costs(client, application, coach, staff):
    granted(application, coach)
    client.force_login(staff)
    assert (
        client.post(reverse("fund:cost-add", args=[application.pk]), cost_form()).status_code == 404
    )
    committee = UserFactory(roles=[Role.STAFF, Role.COMMITTEE_MEMBER])
    client.force_login(committee)
    response = client.post(reverse("fund:cost-add", args=[application.pk]), cost_form())
    assert response.status_code == 403
    assert not Cost.objects.exists()


# Returning unspent money ------------------------------------------------------------------


def test_a_coach_returns_the_unspent_money_of_a_finished_idea(client, application, coach):
    granted(application, coach)
    cost_record(application=application, by=coach, amount=5_000, date="2026-01-10", note="Lås")
    Idea.objects.filter(pk=application.idea_id).update(state=IdeaState.LEARNED)
    client.force_login(coach)
    url = reverse("fund:return-money", args=[application.pk])
    page = client.get(url).content.decode()
    assert "15\xa0000 kr" in page
    response = client.post(url, {"amount": 15_000, "note": "Testet avbröts tidigt."})
    assert response["Location"] == detail_url(application)
    returned = MoneyReturn.objects.get()
    assert returned.amount == 15_000 and returned.returned_by == coach
    content = client.get(detail_url(application)).content.decode()
    assert "Återfört till fonden" in content
    assert "Registrera en kostnad" not in content


def test_money_is_not_returned_while_the_idea_is_still_testing(client, application, coach):
    granted(application, coach)
    client.force_login(coach)
    url = reverse("fund:return-money", args=[application.pk])
    assert (
        "Oanvända pengar återförs när idén har nått sitt slut." in client.get(url).content.decode()
    )
    response = client.post(url, {"note": ""})
    assert response.status_code == 400
    assert not MoneyReturn.objects.exists()


def test_only_a_coach_returns_money(client, application, coach):
    granted(application, coach)
    client.force_login(application.applicant)
    assert client.get(reverse("fund:return-money", args=[application.pk])).status_code == 403


# The idea page ----------------------------------------------------------------------------


def test_the_idea_page_lists_applications_and_offers_to_apply(client, fund, coach, staff):
    idea = IdeaFactory(state=IdeaState.PLANNING)
    application = ApplicationFactory(fund=fund, idea=idea)
    decision = granted(application, coach)
    idea_url = reverse("ideas:idea-detail", args=[idea.pk])
    client.force_login(idea.owner)
    content = client.get(idea_url).content.decode()
    assert "Innovationsfonden" in content
    assert detail_url(application) in content
    assert decision.registration_number in content
    assert reverse("fund:apply", args=[idea.pk]) in content
    client.force_login(coach)
    content = client.get(idea_url).content.decode()
    assert detail_url(application) in content
    assert reverse("fund:apply", args=[idea.pk]) not in content
    client.force_login(staff)
    content = client.get(idea_url).content.decode()
    assert detail_url(application) not in content


def test_no_apply_button_once_the_idea_is_tested(client):
    idea = IdeaFactory(state=IdeaState.TESTED)
    client.force_login(idea.owner)
    content = client.get(reverse("ideas:idea-detail", args=[idea.pk])).content.decode()
    assert reverse("fund:apply", args=[idea.pk]) not in content


def test_recording_a_cost_still_checks_the_csrf_token(application, coach):
    from django.test import Client

    granted(application, coach)
    client = Client(enforce_csrf_checks=True)
    client.force_login(coach)
    response = client.post(reverse("fund:cost-add", args=[application.pk]), cost_form())
    assert response.status_code == 403
    assert not Cost.objects.exists()
