"""Funds in Wagtail's admin: administrators create and edit them with their criteria;
edits that would rewrite the public record are refused with a Swedish message."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.test.utils.form_data import inline_formset, nested_form_data, querydict_from_html

from ideasluss.fund.models import Criterion, Fund, Review, Score
from tests.factories import ApplicationFactory, FundFactory

from .decision_helpers import delegated_decision

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def new_fund_data(**overrides):
    data = {
        "name": "Klimatfonden",
        "start_date": f"{THIS_YEAR}-01-01",
        "end_date": f"{THIS_YEAR}-12-31",
        "capital": "400000",
        "delegated_limit": "25000",
        "registration_prefix": "KF",
        "is_open": "on",
        "criteria": inline_formset(
            [
                {"name": "Minskade utsläpp", "description": "", "ORDER": "1"},
                {"name": "Lärande", "description": "Vad lär vi oss?", "ORDER": "2"},
            ],
            min=1,
        ),
    }
    data.update(overrides)
    return nested_form_data(data)


def edit_form(client, fund):
    """The edit form as the page renders it, ready to change and post back."""
    response = client.get(reverse("funds:edit", args=[fund.pk]))
    assert response.status_code == 200
    # A mutable copy; post it as dict(data.lists()) so a field with several values keeps them.
    return querydict_from_html(response.content.decode(), form_id="w-editor-form")


def post_edit(client, fund, **changes):
    data = edit_form(client, fund)
    for name, value in changes.items():
        data[name] = value
    return client.post(reverse("funds:edit", args=[fund.pk]), dict(data.lists()))


def field_errors(response, field):
    return [str(error) for error in response.context["form"].errors.get(field, [])]


def test_administrator_creates_a_fund_with_its_criteria(client, administrator):
    client.force_login(administrator)
    response = client.post(reverse("funds:add"), new_fund_data())
    if response.status_code == 200:
        f = response.context["form"]
        print(
            "DBG", f.errors, {k: (fs.errors, fs.non_form_errors()) for k, fs in f.formsets.items()}
        )
    assert response.status_code == 302
    fund = Fund.objects.get(name="Klimatfonden")
    assert (fund.capital, fund.delegated_limit, fund.registration_prefix) == (400_000, 25_000, "KF")
    assert [(c.name, c.position) for c in fund.criteria.all()] == [
        ("Minskade utsläpp", 0),
        ("Lärande", 1),
    ]


def test_a_fund_needs_a_criterion(client, administrator):
    client.force_login(administrator)
    response = client.post(reverse("funds:add"), new_fund_data(criteria=inline_formset([])))
    assert response.status_code == 200
    assert not Fund.objects.filter(name="Klimatfonden").exists()


def test_administrator_renames_and_adds_criteria(client, administrator):
    fund = FundFactory(criteria=["Nytta"])
    client.force_login(administrator)
    data = edit_form(client, fund)
    data["criteria-0-name"] = "Nytta för invånarna"
    data["criteria-TOTAL_FORMS"] = "2"
    data.update({"criteria-1-name": "Skalbarhet", "criteria-1-ORDER": "2"})
    response = client.post(reverse("funds:edit", args=[fund.pk]), dict(data.lists()))
    assert response.status_code == 302
    assert list(fund.criteria.values_list("name", flat=True)) == [
        "Nytta för invånarna",
        "Skalbarhet",
    ]


def test_capital_below_what_is_granted_is_refused(client, administrator, fund, coach):
    delegated_decision(fund=fund, coach=coach, total=20_000)
    client.force_login(administrator)
    response = post_edit(client, fund, capital="15000", delegated_limit="10000")
    assert response.status_code == 200
    assert field_errors(response, "capital") == [
        "Fonden har redan beviljat 20\xa0000 kr: kapitalet kan inte vara lägre."
    ]
    fund.refresh_from_db()
    assert fund.capital == 100_000


def test_capital_at_what_is_granted_is_accepted(client, administrator, fund, coach):
    delegated_decision(fund=fund, coach=coach, total=20_000)
    client.force_login(administrator)
    response = post_edit(client, fund, capital="20000", delegated_limit="10000")
    assert response.status_code == 302
    fund.refresh_from_db()
    assert fund.capital == 20_000


def test_prefix_cannot_change_once_decisions_are_numbered(client, administrator, fund, coach):
    delegated_decision(fund=fund, coach=coach)
    client.force_login(administrator)
    response = post_edit(client, fund, registration_prefix="NY")
    assert field_errors(response, "registration_prefix") == [
        f"Fonden har beslut numrerade ”{fund.registration_prefix}”: "
        "diarieprefixet kan inte längre ändras."
    ]
    fund.refresh_from_db()
    assert fund.registration_prefix != "NY"


def test_prefix_can_change_before_any_decision(client, administrator, fund):
    ApplicationFactory(fund=fund)
    client.force_login(administrator)
    assert post_edit(client, fund, registration_prefix="NY").status_code == 302
    fund.refresh_from_db()
    assert fund.registration_prefix == "NY"


def test_period_must_still_contain_the_decisions(client, administrator, fund, coach):
    decided_on = delegated_decision(fund=fund, coach=coach).decided_at.astimezone().date()
    client.force_login(administrator)
    after = (decided_on + datetime.timedelta(days=1)).isoformat()
    before = (decided_on - datetime.timedelta(days=1)).isoformat()
    response = post_edit(client, fund, start_date=after, end_date=f"{THIS_YEAR + 1}-12-31")
    assert field_errors(response, "start_date") == [
        f"Fonden har ett beslut från {date_format(decided_on)}: "
        "perioden måste börja senast den dagen."
    ]
    response = post_edit(client, fund, start_date=f"{THIS_YEAR - 1}-01-01", end_date=before)
    assert field_errors(response, "end_date") == [
        f"Fonden har ett beslut från {date_format(decided_on)}: "
        "perioden måste sluta tidigast den dagen."
    ]


def test_the_shell_gets_the_same_refusals(fund, coach):
    delegated_decision(fund=fund, coach=coach, total=20_000)
    fund.capital, fund.delegated_limit, fund.registration_prefix = 1_000, 0, "ANNAT"
    with pytest.raises(ValidationError) as refused:
        fund.full_clean()
    assert set(refused.value.message_dict) == {"capital", "registration_prefix"}


def test_a_scored_criterion_cannot_be_removed(client, administrator, application, members):
    fund = application.fund
    criteria = list(fund.criteria.all())
    review = Review.objects.create(application=application, member=members[0])
    Score.objects.create(review=review, criterion=criteria[0], value=4)
    client.force_login(administrator)
    response = post_edit(client, fund, **{"criteria-0-DELETE": "1"})
    assert response.status_code == 200
    assert (
        f"Kriteriet ”{criteria[0].name}” har betyg och kan inte tas bort; byt hellre namn på det."
        in response.context["form"].non_field_errors()
    )
    assert fund.criteria.count() == len(criteria)


def test_an_unscored_criterion_can_be_removed(client, administrator):
    fund = FundFactory(criteria=["Nytta", "Lärande"])
    client.force_login(administrator)
    response = post_edit(client, fund, **{"criteria-1-DELETE": "1"})
    assert response.status_code == 302
    assert list(fund.criteria.values_list("name", flat=True)) == ["Nytta"]


def test_a_fund_with_applications_is_not_deleted(client, administrator, application):
    fund = application.fund
    client.force_login(administrator)
    for response in (
        client.get(reverse("funds:delete", args=[fund.pk]), follow=True),
        client.post(reverse("funds:delete", args=[fund.pk]), follow=True),
    ):
        assert response.redirect_chain[0] == (reverse("funds:edit", args=[fund.pk]), 302)
        assert [str(m) for m in response.context["messages"]] == [
            f"”{fund.name}” har ansökningar eller möten och kan inte tas bort. "
            "Stäng den för ansökningar i stället."
        ]
    assert Fund.objects.filter(pk=fund.pk).exists()


def test_an_unused_fund_is_deleted_with_its_criteria(client, administrator, fund):
    client.force_login(administrator)
    response = client.post(reverse("funds:delete", args=[fund.pk]))
    assert response.status_code == 302
    assert not Fund.objects.filter(pk=fund.pk).exists()
    assert not Criterion.objects.filter(fund_id=fund.pk).exists()


def test_the_list_searches_and_filters(client, administrator):
    FundFactory(name="Klimatfonden", is_open=True)
    FundFactory(name="Gamla fonden", is_open=False)
    client.force_login(administrator)
    index = reverse("funds:index")
    searched = client.get(index, {"q": "klimat"})
    assert [f.name for f in searched.context["object_list"]] == ["Klimatfonden"]
    closed = client.get(index, {"is_open": "false"})
    assert [f.name for f in closed.context["object_list"]] == ["Gamla fonden"]


def test_the_list_exports_csv(client, administrator):
    FundFactory(name="Klimatfonden", registration_prefix="KF", capital=400_000)
    client.force_login(administrator)
    response = client.get(reverse("funds:index"), {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    assert rows[0][:3] == ["Namn", "Diarieprefix", "Startdatum"]
    assert rows[1][:2] == ["Klimatfonden", "KF"]
    assert "400000" in rows[1]


def test_the_list_exports_xlsx(client, administrator, fund):
    client.force_login(administrator)
    response = client.get(reverse("funds:index"), {"export": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]


def test_a_staff_member_gets_no_admin(client, staff, fund):
    client.force_login(staff)
    for url in (reverse("wagtailadmin_home"), reverse("funds:index"), reverse("funds:add")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_a_coach_in_the_admin_cannot_manage_funds(client, coach, fund):
    client.force_login(coach)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert client.get(reverse("funds:index")).status_code in (302, 403)
    response = client.post(reverse("funds:add"), new_fund_data())
    assert response.status_code in (302, 403)
    assert not Fund.objects.filter(name="Klimatfonden").exists()
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("funds:index") not in home
