"""The public register as open data: /api/v1/decisions/ and its OpenAPI schema."""

import datetime
import json
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ideasluss.fund.models import DecisionKind, Meeting
from tests.factories import FundFactory, IdeaFactory
from workflows.fund.services import decision_record

from .conftest import bulk_decisions
from .decision_helpers import committee_decision, count_queries, delegated_decision

LIST = "/api/v1/decisions/"
FIELDS = {
    "id",
    "log_index",
    "registration_number",
    "decided_on",
    "fund",
    "idea_title",
    "kind",
    "amount",
    "amount_requested",
    "rationale",
    "conditions",
    "delegated",
    "supersedes",
    "minutes_posted_on",
    "appeal_deadline",
    "superseded_by",
}


@pytest.fixture
def record(fund, coach, chair, members):
    """A delegated approval, corrected to a lower amount, and a committee decision
    with a recused member."""
    first = delegated_decision(
        fund=fund,
        coach=coach,
        total=20_000,
        idea=IdeaFactory(title="Digitala lås", state="planning"),
    )
    correction = decision_record(
        application=first.application,
        by=coach,
        kind=DecisionKind.APPROVE_LOWER,
        amount=15_000,
        rationale="Rättelse: materialet kostar mindre.",
        conditions="Redovisa kostnaderna senast i december.",
        supersedes=first,
    )
    committee, _meeting = committee_decision(
        fund=fund, chair=chair, members=members, recused=[members[0]]
    )
    return {"first": first, "correction": correction, "committee": committee}


def test_anyone_can_read_every_decision(client, record, fund):
    response = client.get(LIST)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["count"] == 3
    items = {item["registration_number"]: item for item in body["items"]}
    assert set(items) == {decision.registration_number for decision in record.values()}
    for item in items.values():
        assert set(item) == FIELDS
    first, correction = record["first"], record["correction"]
    assert items[correction.registration_number] == {
        "id": correction.pk,
        "log_index": correction.log_index,
        "registration_number": correction.registration_number,
        "decided_on": timezone.localdate(correction.decided_at).isoformat(),
        "fund": fund.name,
        "idea_title": "Digitala lås",
        "kind": "approve_lower",
        "amount": 15_000,
        "amount_requested": 20_000,
        "rationale": "Rättelse: materialet kostar mindre.",
        "conditions": "Redovisa kostnaderna senast i december.",
        "delegated": True,
        "supersedes": first.registration_number,
        "superseded_by": None,
        "minutes_posted_on": None,
        "appeal_deadline": None,
    }
    assert items[first.registration_number]["superseded_by"] == correction.registration_number
    assert items[record["committee"].registration_number]["delegated"] is False


def test_the_list_is_newest_first_and_paginated(client, fund, coach):
    fund.capital = 10_000_000
    fund.save()
    decisions = bulk_decisions(fund=fund, by=coach, count=7)
    body = client.get(LIST, {"limit": 3, "offset": 2}).json()
    assert body["count"] == 7
    expected = [d.registration_number for d in reversed(decisions)][2:5]
    assert [item["registration_number"] for item in body["items"]] == expected
    assert client.get(LIST, {"limit": 1000}).status_code == 422


def test_filter_by_fund_and_year(client, record, coach):
    other = FundFactory(name="Klimatfonden", capital=500_000, delegated_limit=50_000)
    elsewhere = delegated_decision(fund=other, coach=coach)
    body = client.get(LIST, {"fund": "klimatfonden"}).json()
    assert [item["registration_number"] for item in body["items"]] == [
        elsewhere.registration_number
    ]
    year = elsewhere.year
    assert client.get(LIST, {"year": year}).json()["count"] == 4
    assert client.get(LIST, {"year": year - 1}).json()["count"] == 0
    assert client.get(LIST, {"kind": "approve_lower"}).json()["count"] == 1
    assert client.get(LIST, {"kind": "maybe"}).status_code == 422


def test_one_decision_by_registration_number_or_id(client, record):
    correction = record["correction"]
    by_number = client.get(f"{LIST}{quote(correction.registration_number)}/")
    assert by_number.status_code == 200
    assert by_number.json()["id"] == correction.pk
    by_id = client.get(f"{LIST}{correction.pk}/")
    assert by_id.json()["registration_number"] == correction.registration_number
    assert client.get(f"{LIST}IF%202099/0001/").status_code == 404
    assert client.get(f"{LIST}999999/").status_code == 404


def test_no_personal_data_is_published(client, record, coach, chair, members):
    bodies = [client.get(LIST).content.decode()]
    bodies += [client.get(f"{LIST}{d.pk}/").content.decode() for d in record.values()]
    applicants = [d.application.applicant for d in record.values()]
    people = [coach, chair, *members, *applicants]
    for body in bodies:
        for person in people:
            assert person.email not in body
            assert f'"{person.username}"' not in body
            assert person.full_name not in body
            assert person.last_name not in body
        for key in ("decided_by", "attendees", "recused", "applicant", "email", "user"):
            assert f'"{key}"' not in body


def test_answers_can_be_cached_and_read_from_other_sites(client, record):
    response = client.get(LIST)
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "public" in client.get(f"{LIST}{record['first'].pk}/")["Cache-Control"]


def test_list_query_count_is_constant(client, fund, coach):
    fund.capital = 10_000_000
    fund.save()
    year = bulk_decisions(fund=fund, by=coach, count=2)[0].year
    url = f"{LIST}?year={year}&fund={quote(fund.name)}"
    few = count_queries(client, url)
    bulk_decisions(fund=fund, by=coach, count=38, start=2)
    many = count_queries(client, url)
    assert many == few <= 2
    assert client.get(url).json()["count"] == 40


def test_the_list_counts_the_decisions_without_joining_the_ideas(client, record):
    """A count over the decision table alone: joined to the ideas it took 30 ms at
    100,000 ideas (docs/benchmarks)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST, {"kind": "approve"}).status_code == 200
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1
    assert "JOIN" not in counts[0].upper()
    assert "ideas_idea" in " ".join(q["sql"] for q in queries.captured_queries)


def test_the_openapi_schema_describes_the_api(client, record):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/decisions/" in schema["paths"]
    assert "/api/v1/decisions/{reference}/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/decisions/"]["get"]["parameters"]}
    assert {"fund", "year", "kind", "limit", "offset"} <= parameters
    # The answers match the schema: the same fields, the required ones always present.
    decision_schema = schema["components"]["schemas"]["DecisionOut"]
    assert set(decision_schema["properties"]) == FIELDS
    item = client.get(LIST).json()["items"][0]
    assert set(decision_schema["required"]) <= set(item)
    kinds = schema["components"]["schemas"]["DecisionKind"]["enum"]
    assert item["kind"] in kinds
    assert set(kinds) == {kind.value for kind in DecisionKind}


def test_every_answer_validates_against_the_published_schema(client, record, fund, coach):
    """Not a field check by hand: jsonschema validates the real answers against the
    response schemas the OpenAPI document publishes (refs resolved in that document)."""
    from jsonschema import Draft202012Validator

    openapi = client.get("/api/v1/openapi.json").json()

    def validate(path, url):
        response_schema = openapi["paths"][path]["get"]["responses"]["200"]["content"][
            "application/json"
        ]["schema"]
        validator = Draft202012Validator({**response_schema, "components": openapi["components"]})
        answer = client.get(url).json()
        errors = sorted(validator.iter_errors(answer), key=str)
        assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]
        assert any(validator.iter_errors([answer])), "the schema must be able to refuse"
        return answer

    listing = validate("/api/v1/decisions/", LIST)
    assert listing["items"], "the list must not be empty, or nothing was validated"
    first = listing["items"][0]
    validate("/api/v1/decisions/{reference}/", f"{LIST}{first['id']}/")


def test_a_committee_decision_carries_its_meetings_date_and_the_appeal_period(
    client, fund, chair, members
):
    decision, meeting = committee_decision(fund=fund, chair=chair, members=members)
    url = f"{LIST}{decision.pk}/"
    body = client.get(url).json()
    assert body["decided_on"] == meeting.date.isoformat()
    assert body["minutes_posted_on"] is None and body["appeal_deadline"] is None

    posted = meeting.date + datetime.timedelta(days=2)
    Meeting.objects.filter(pk=meeting.pk).update(state="posted", posted_on=posted)
    cache.clear()
    body = client.get(url).json()
    assert body["minutes_posted_on"] == posted.isoformat()
    assert body["appeal_deadline"] == (posted + datetime.timedelta(weeks=3)).isoformat()
