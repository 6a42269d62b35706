"""The fund's busiest pages cost the same at 10 decisions as at 1,000."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ideasluss.fund import figures
from tests.fund.decision_helpers import log_is_intact

from .conftest import bulk_decisions

PAGES = [
    ("fund-dashboard", lambda: reverse("fund:dashboard")),
    ("register", lambda: reverse("fund:register")),
    ("register-search", lambda: reverse("fund:register") + "?q=Bulk"),
    ("api", lambda: "/api/v1/decisions/"),
]


def query_count(client, url) -> int:
    """Queries of one request that computes the fund's figures afresh (`figures`)."""
    figures.figures_changed()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("name, url", PAGES, ids=[name for name, _ in PAGES])
def test_queries_do_not_grow_from_10_to_1000_decisions(client, fund, coach, name, url):
    fund.capital = 10_000_000
    fund.save()
    client.force_login(coach)
    bulk_decisions(fund=fund, by=coach, count=10)
    few = query_count(client, url())

    bulk_decisions(fund=fund, by=coach, count=990, start=10)
    many = query_count(client, url())

    assert many == few, f"{name}: {few} queries at 10 decisions, {many} at 1,000"
    assert log_is_intact()
