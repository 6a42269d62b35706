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
def decisions(db):
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
