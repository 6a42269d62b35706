"""schemathesis against the published OpenAPI schema of /api/v1/: every operation with
generated parameters (valid and invalid). No answer is a server error, and every answer
the schema documents conforms to it (body, content type, headers).

Bounded by the Hypothesis profile (tests/hardening/hypothesis_profiles.py): 50 examples
per operation in `make test`, more with HYPOTHESIS_PROFILE=thorough."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
)

from ideasluss.fund.models import DecisionKind
from tests.factories import ApplicationFactory, FundFactory, IdeaFactory, UserFactory
from workflows.fund.services import decision_record

SCHEMA_PATH = "/api/v1/openapi.json"
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    response_headers_conformance,
]


@pytest.fixture
def connections_kept_open():
    """Calls through the WSGI app end with Django's `close_old_connections`, which would
    close the test's PostgreSQL connection mid-test; Django's own test client disconnects
    it the same way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def decisions(db, connections_kept_open):
    """A few decisions (and so a signed log) to find: an approval, a rejection and a title
    with characters from far in Unicode."""
    from ideasluss.accounts.roles import Role

    coach = UserFactory(username="api-coach", roles=[Role.STAFF, Role.COACH])
    fund = FundFactory(capital=200_000, delegated_limit=50_000)
    for title, kind in [
        ("Digitala lås för hemtjänsten", DecisionKind.APPROVE),
        ("Läxhjälp 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓", DecisionKind.REJECT),
    ]:
        application = ApplicationFactory(
            fund=fund, idea=IdeaFactory(title=title, state="planning"), total=10_000
        )
        decision_record(application=application, by=coach, kind=kind, rationale="Motivering.")


# Read from the app itself, as a consumer reads it (the schema view needs no database).
schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, get_wsgi_application())


@pytest.mark.django_db
@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_every_api_operation_answers_without_server_errors_and_as_documented(case, decisions):
    case.call_and_validate(checks=CHECKS)


def test_the_schema_lists_every_operation():
    """A new operation is covered by the test above without further work; this guards
    that the schema is the one the test reads (and not an empty one)."""
    operations = {result.ok().label for result in schema.get_all_operations() if result.ok()}
    assert "GET /api/v1/decisions/" in operations
    assert len(operations) >= 10


#: Values Hypothesis seldom draws for an integer, and where servers break: 32- and 64-bit
#: limits, far beyond them, other scripts' digits.
EXTREME_INTEGERS = [
    -(2**63) - 1,
    -1,
    0,
    2**31,
    2**63 - 1,
    2**63,
    2**64,
    10**30,
    "١٢٣",
    "²",
    "1e3",
    "9" * 5000,
]


def integer_parameters() -> list[tuple[str, str, str]]:
    """(path, where, name) of every integer parameter in the published schema."""
    found = []
    for path, operations in schema.raw_schema["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                types = [parameter.get("schema", {}).get("type")] + [
                    option.get("type") for option in parameter.get("schema", {}).get("anyOf", [])
                ]
                if "integer" in types:
                    found.append((path, parameter["in"], parameter["name"]))
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("path, where, name", integer_parameters())
def test_every_integer_parameter_survives_extreme_values(client, decisions, path, where, name):
    """Schema-driven like the test above, but with the values that broke servers (an offset
    of 2**63 was a 500): every one is answered, as a result or as a 4xx."""
    for value in EXTREME_INTEGERS:
        url = path.replace("{" + name + "}", str(value))
        url = url.replace("{path:reference}", "1")  # any other path parameter
        for other in ("size", "index"):
            url = url.replace("{" + other + "}", "1")
        query = {name: value} if where == "query" else {}
        response = client.get(url, query)
        assert response.status_code < 500, (path, name, value, response.status_code)
