"""CSV and Excel exports of the decision register and of the costs against grants."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ideasluss.fund.models import DecisionKind
from ideasluss.fund.services import cost_record
from tests.factories import IdeaFactory, UserFactory
from workflows.fund.services import decision_record

from .conftest import bulk_decisions
from .decision_helpers import delegated_decision


def export_url(name: str, fmt: str) -> str:
    return reverse(f"fund:{name}-export", args=[fmt])


def read_xlsx(response) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows(values_only=True))


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def decisions(fund, coach):
    approved = delegated_decision(
        fund=fund,
        coach=coach,
        total=12_000,
        idea=IdeaFactory(title="Digitala lås för hemtjänsten", state="planning"),
    )
    rejected = delegated_decision(fund=fund, coach=coach, kind=DecisionKind.REJECT)
    return approved, rejected


# --- decisions ---------------------------------------------------------------------------


def test_decisions_as_excel(client, staff, coach, decisions):
    approved, rejected = decisions
    client.force_login(staff)
    response = client.get(export_url("decision", "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    today = timezone.localdate().isoformat()
    assert f'filename="beslut-{today}.xlsx"' in response["Content-Disposition"]
    header, *rows = read_xlsx(response)
    assert header[:5] == ("Diarienummer", "Datum", "Fond", "Idé", "Beslut")
    assert [row[0] for row in rows] == [rejected.registration_number, approved.registration_number]
    approved_row = dict(zip(header, rows[1], strict=True))
    assert approved_row["Idé"] == "Digitala lås för hemtjänsten"
    assert approved_row["Beslut"] == "Beviljad"
    assert approved_row["Beviljat belopp (kr)"] == 12_000
    assert approved_row["Sökt belopp (kr)"] == 12_000
    assert approved_row["Datum"] == timezone.localdate(approved.decided_at)
    assert approved_row["Beslutat av"] == f"{coach.full_name} på delegation"


def test_decisions_as_csv_honour_the_register_filters(client, staff, decisions):
    approved, rejected = decisions
    client.force_login(staff)
    response = client.get(export_url("decision", "csv"), {"kind": "reject"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"beslut-{timezone.localdate().isoformat()}.csv" in response["Content-Disposition"]
    header, *rows = read_csv(response)
    assert header[0] == "Diarienummer" and "Motivering" in header
    assert [row[0] for row in rows] == [rejected.registration_number]
    assert rows[0][header.index("Beslut")] == "Avslagen"
    everything = read_csv(client.get(export_url("decision", "csv")))
    assert len(everything) == 3


def test_a_correction_shows_in_the_export(client, staff, coach, decisions):
    approved, _rejected = decisions
    correction = decision_record(
        application=approved.application,
        by=coach,
        kind=DecisionKind.REJECT,
        rationale="Rättelse.",
        supersedes=approved,
    )
    client.force_login(staff)
    header, *rows = read_csv(client.get(export_url("decision", "csv")))
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_number[approved.registration_number]["Ersatt av"] == correction.registration_number
    assert by_number[correction.registration_number]["Ersätter"] == approved.registration_number


def test_csv_cells_never_run_as_formulas(client, staff, fund, coach):
    delegated_decision(
        fund=fund, coach=coach, idea=IdeaFactory(title="=HYPERLINK(1)", state="planning")
    )
    client.force_login(staff)
    header, row = read_csv(client.get(export_url("decision", "csv")))
    assert row[header.index("Idé")] == "'=HYPERLINK(1)"
    header, row = read_xlsx(client.get(export_url("decision", "xlsx")))
    assert row[header.index("Idé")] == "=HYPERLINK(1)"


def test_exports_need_a_login_and_a_known_format(client, staff, db):
    response = client.get(export_url("decision", "csv"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(staff)
    assert client.get(export_url("decision", "pdf")).status_code == 404


def test_someone_without_a_role_cannot_export_decisions(client, db):
    client.force_login(UserFactory(roles=[]))
    assert client.get(export_url("decision", "csv")).status_code == 403


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_query_count_does_not_grow_with_rows(client, staff, fund, coach, fmt):
    fund.capital = 10_000_000
    fund.save()
    client.force_login(staff)
    bulk_decisions(fund=fund, by=coach, count=2)

    def run() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(export_url("decision", fmt))
            content = b"".join(response.streaming_content)
        assert content
        return len(queries)

    few = run()
    bulk_decisions(fund=fund, by=coach, count=30, start=2)
    assert run() == few


# --- costs --------------------------------------------------------------------------------


@pytest.fixture
def costs(fund, coach, decisions):
    approved, _rejected = decisions
    application = approved.application
    first = cost_record(
        application=application,
        by=coach,
        amount=5_000,
        date=datetime.date(2026, 3, 1),
        note="Låsen",
    )
    second = cost_record(
        application=application,
        by=coach,
        amount=2_500,
        date=datetime.date(2026, 4, 1),
        note="Installation",
    )
    return approved, [first, second]


def test_plain_staff_cannot_export_costs(client, staff, costs):
    client.force_login(staff)
    assert client.get(export_url("cost", "csv")).status_code == 403
    assert client.get(export_url("cost", "xlsx")).status_code == 403


@pytest.mark.parametrize("reviewer", ["coach", "committee_member", "chair"])
def test_fund_reviewers_export_costs_with_what_remains(client, costs, reviewer, request):
    grant, _costs = costs
    client.force_login(request.getfixturevalue(reviewer))
    response = client.get(export_url("cost", "xlsx"))
    assert response.status_code == 200
    assert f"kostnader-{timezone.localdate().isoformat()}.xlsx" in response["Content-Disposition"]
    header, *rows = read_xlsx(response)
    assert header == (
        "Fond",
        "Diarienummer",
        "Idé",
        "Beviljat (kr)",
        "Kostnadsdatum",
        "Belopp (kr)",
        "Anteckning",
        "Kvar efter denna kostnad (kr)",
    )
    assert [row[1:] for row in rows] == [
        (
            grant.registration_number,
            "Digitala lås för hemtjänsten",
            12_000,
            datetime.date(2026, 3, 1),
            5_000,
            "Låsen",
            7_000,
        ),
        (
            grant.registration_number,
            "Digitala lås för hemtjänsten",
            12_000,
            datetime.date(2026, 4, 1),
            2_500,
            "Installation",
            4_500,
        ),
    ]


def test_costs_as_csv(client, coach, costs):
    client.force_login(coach)
    header, *rows = read_csv(client.get(export_url("cost", "csv")))
    assert header[0] == "Fond"
    assert [row[-3:] for row in rows] == [
        ["5000", "Låsen", "7000"],
        ["2500", "Installation", "4500"],
    ]
    assert rows[0][header.index("Kostnadsdatum")] == "2026-03-01"
