"""The bounded paginator: counts no further than a reader can click (ideasluss/pagination.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ideasluss.ideas.models import Idea, IdeaState
from ideasluss.pagination import BoundedPaginator

pytestmark = pytest.mark.django_db


def _ideas(owner, count: int) -> None:
    Idea.objects.bulk_create(
        Idea(title=f"Idé {number}", owner=owner, state=IdeaState.SUBMITTED)
        for number in range(count)
    )


class SmallPaginator(BoundedPaginator):
    count_cap = 30
    lookahead = 2


def test_below_the_bound_the_count_is_exact(staff):
    _ideas(staff, 25)
    paginator = SmallPaginator(Idea.objects.order_by("pk"), 10)
    page = paginator.get_page(1)
    assert (paginator.count, paginator.count_is_exact, paginator.num_pages) == (25, True, 3)
    assert page.has_next()


def test_above_the_bound_the_count_stops_at_it(staff):
    _ideas(staff, 45)
    paginator = SmallPaginator(Idea.objects.order_by("pk"), 10)
    paginator.get_page(1)
    assert (paginator.count, paginator.count_is_exact) == (30, False)
    assert paginator.num_pages == 3


def test_a_deep_page_counts_as_far_as_its_lookahead(staff):
    _ideas(staff, 100)
    paginator = SmallPaginator(Idea.objects.order_by("pk"), 10)
    page = paginator.get_page(5)
    # Page 5 and two pages beyond it: 70 rows counted, not 100.
    assert (paginator.count, paginator.count_is_exact) == (70, False)
    assert [idea.title for idea in page] == [f"Idé {n}" for n in range(40, 50)]
    assert page.has_next()


def test_the_last_page_is_reachable_and_exact(staff):
    _ideas(staff, 100)
    paginator = SmallPaginator(Idea.objects.order_by("pk"), 10)
    page = paginator.get_page(10)
    assert (paginator.count, paginator.count_is_exact) == (100, True)
    assert not page.has_next()
    assert len(page) == 10


def test_the_count_is_one_bounded_query_without_ordering(staff):
    _ideas(staff, 5)
    paginator = BoundedPaginator(Idea.objects.order_by("-created_at"), 20)
    with CaptureQueriesContext(connection) as queries:
        paginator.get_page(1)
    (count,) = (q["sql"] for q in queries.captured_queries if "COUNT" in q["sql"])
    assert "LIMIT 1001" in count
    assert "ORDER BY" not in count


def test_a_list_is_counted_by_its_length():
    paginator = SmallPaginator(list(range(45)), 10)
    paginator.get_page(1)
    assert (paginator.count, paginator.count_is_exact) == (45, True)


def test_the_idea_bank_says_more_than_when_it_stopped_counting(client, staff, monkeypatch):
    monkeypatch.setattr(BoundedPaginator, "count_cap", 30)
    monkeypatch.setattr(BoundedPaginator, "lookahead", 1)
    _ideas(staff, 45)
    client.force_login(staff)
    page = client.get(reverse("ideas:idea-list")).content.decode()
    assert "Fler än 40 idéer" in page
    assert "Sida 1</li>" in page
    assert "Sida 1 av" not in page
    assert 'rel="next"' in page


def test_the_idea_bank_says_how_many_when_it_counted_them_all(client, staff):
    _ideas(staff, 25)
    client.force_login(staff)
    page = client.get(reverse("ideas:idea-list")).content.decode()
    assert "25 idéer" in page
    assert "Sida 1 av 2" in page
