"""The flow figures, computed by hand on a known history (tests/workflows/flow_helpers.py).

They run on both databases: PostgreSQL computes the percentiles itself, SQLite from a
histogram; both must give the numbers worked out here.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_fsm_log.models import StateLog

from ideasluss.ideas.models import Idea
from tests.factories import IdeaFactory, UserFactory
from workflows.flow.selectors import flow_figures, percentile_cont, rounded_days

from .flow_helpers import PERIOD, TARGETS, at, fund_history, idea_history

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def targets(settings):
    settings.FLOW_TARGET_DAYS = TARGETS


@pytest.fixture
def history():
    return idea_history()


def test_percentile_interpolates_as_postgresql_does():
    # 1.5, 2, 3, 4, 10, 21.5: median between 3 and 4; p90 at 0.9 × 5 = 4.5, halfway 10 → 21.5.
    histogram = [(21.5, 1), (2.0, 1), (3.0, 1), (10.0, 1), (1.5, 1), (4.0, 1)]
    assert percentile_cont(histogram, 0.5) == 3.5
    assert percentile_cont(histogram, 0.9) == pytest.approx(15.75)
    assert percentile_cont([(7.0, 3)], 0.9) == 7.0
    assert percentile_cont([], 0.5) is None
    # Counts stand for repeated values: 1, 1, 1, 5 → median 1, p90 at 2.7 → 1 + 0.7 × 4.
    assert percentile_cont([(5.0, 1), (1.0, 3)], 0.9) == pytest.approx(3.8)


def test_days_in_submitted_over_the_whole_period(history):
    figures = flow_figures(**PERIOD)
    submitted = figures.summary("submitted")
    # Stays 2, 4, 10, 1.5, 21.5, 3 → sorted 1.5 2 3 4 10 21.5.
    assert submitted.count == 6
    assert submitted.median == pytest.approx(3.5)
    assert submitted.p90 == pytest.approx(15.75)
    # Within the target of 10 days: all but 21.5 (10 itself is within).
    assert (submitted.within_target, submitted.target) == (5, 10)
    assert rounded_days(submitted.p90) == rounded_days(15.75)


def test_days_to_the_first_answer(history):
    first = flow_figures(**PERIOD).summary("first_answer")
    # 1 (a coach's comment before the step), 4 (the owner's comment does not answer),
    # 10, 1.5, 21.5; the withdrawn idea had no answer. Sorted 1 1.5 4 10 21.5.
    assert first.count == 5
    assert first.median == pytest.approx(4.0)
    assert first.p90 == pytest.approx(10 + 0.6 * 11.5)
    assert first.within_target == 3  # 1, 1.5 and 4 within 5 days
    assert first.share_within_target == pytest.approx(0.6)


def test_a_stay_still_going_on_is_not_counted(history):
    figures = flow_figures(**PERIOD)
    # Idea 1 is testing since 15 March: its planning stay (10 days) counts, testing not.
    assert figures.summary("planning").count == 1
    assert figures.summary("planning").median == pytest.approx(10.0)
    assert figures.summary("testing").count == 0
    assert figures.summary("testing").median is None
    assert figures.summary("testing").within_target is None  # no target set


def test_per_month_counts_where_the_interval_ended(history):
    figures = flow_figures(**PERIOD)
    by_month = dict(figures.month_summaries("submitted"))
    assert list(by_month) == [datetime.date(2025, 3, 1), datetime.date(2025, 4, 1)]
    march, april = by_month.values()
    # March: 2, 3, 4, 10 → median 3.5, p90 at 2.7 → 4 + 0.7 × 6.
    assert (march.count, march.median) == (4, pytest.approx(3.5))
    assert march.p90 == pytest.approx(8.2)
    # April: 1.5 and 21.5 → median 11.5, p90 1.5 + 0.9 × 20.
    assert (april.count, april.median, april.p90) == (2, 11.5, pytest.approx(19.5))


def test_per_unit(history):
    figures = flow_figures(**PERIOD)
    by_unit = dict(figures.unit_summaries("submitted"))
    assert list(by_unit) == [history.unit_b.pk, history.unit_a.pk]  # Norrskolan, Social…
    # Hemtjänst Norr: 1.5 2 3 4 10 → median 3, p90 at 3.6 → 4 + 0.6 × 6.
    unit_a = by_unit[history.unit_a.pk]
    assert (unit_a.count, unit_a.median, unit_a.p90) == (5, 3.0, pytest.approx(7.6))
    assert by_unit[history.unit_b.pk].median == 21.5
    assert figures.unit_labels[history.unit_a.pk] == "Socialförvaltningen › Hemtjänst Norr"


def test_unit_filter_includes_sub_units(history):
    parent = history.unit_a.parent
    figures = flow_figures(**PERIOD, unit=parent)
    assert figures.summary("submitted").count == 5
    assert flow_figures(**PERIOD, unit=history.unit_b).summary("submitted").count == 1


def test_period_filter_counts_what_ended_in_it(history):
    march = flow_figures(start=datetime.date(2025, 3, 1), end=datetime.date(2025, 3, 31))
    assert march.summary("submitted").count == 4
    # The last day is included: idea 4 left submitted on 2 April at 21:00 local time.
    early_april = flow_figures(start=datetime.date(2025, 4, 2), end=datetime.date(2025, 4, 2))
    assert early_april.summary("submitted").count == 1
    assert [m for m, _ in march.month_summaries("submitted")] == [datetime.date(2025, 3, 1)]


def test_days_to_a_fund_decision(history):
    fund_history(coach=history.coach, unit=history.unit_a)
    decision = flow_figures(**PERIOD).summary("fund_decision")
    # 4.5 days (approved) and 14 days (returned after one, rejected after fourteen):
    # the return is on the way, the first submission is the start.
    assert decision.count == 2
    assert decision.median == pytest.approx(9.25)
    assert decision.p90 == pytest.approx(4.5 + 0.9 * 9.5)
    assert decision.within_target == 1  # target 7 days


def test_nothing_in_the_period():
    figures = flow_figures(start=datetime.date(2020, 1, 1), end=datetime.date(2020, 2, 15))
    assert figures.summary("submitted").count == 0
    assert figures.units == []
    assert [m for m, _ in figures.month_summaries("first_answer")] == [
        datetime.date(2020, 1, 1),
        datetime.date(2020, 2, 1),
    ]


def many_ideas(count: int) -> None:
    """`count` ideas, each submitted, answered by a coach's comment and accepted."""
    owner = UserFactory()
    coach = UserFactory(roles=["staff", "coach"])
    ideas = Idea.objects.bulk_create(
        IdeaFactory.build(owner=owner, unit=owner.unit, state="planning") for _ in range(count)
    )
    idea_type = ContentType.objects.get_for_model(Idea)
    StateLog.objects.bulk_create(
        StateLog(
            content_type=idea_type,
            object_id=idea.pk,
            transition=transition,
            source_state=source,
            state=target,
            timestamp=at(3, 1 + number % 20) + datetime.timedelta(days=days),
        )
        for number, idea in enumerate(ideas)
        for transition, source, target, days in (
            ("submit", "draft", "submitted", 0),
            ("accept", "submitted", "planning", number % 7),
        )
    )
    from ideasluss.ideas.models import Comment

    Comment.objects.bulk_create(Comment(idea=idea, author=coach, body="Hej!") for idea in ideas)


@pytest.mark.parametrize("count", [10, 1000])
def test_queries_do_not_grow_with_the_ideas(count):
    many_ideas(count)
    with CaptureQueriesContext(connection) as queries:
        figures = flow_figures(**PERIOD)
    assert figures.summary("submitted").count == count
    # Three sources × three groupings (on PostgreSQL one query per source), the units
    # (once for labels, once for sub-units only with a unit filter) and the content
    # types (cached after the first).
    assert len(queries) <= 12


@pytest.mark.postgres
def test_postgresql_computes_the_percentiles_itself(history):
    with CaptureQueriesContext(connection) as queries:
        flow_figures(**PERIOD)
    aggregates = [q["sql"] for q in queries if "PERCENTILE_CONT" in q["sql"]]
    # One per source, each overall, per month and per unit at once (GROUPING SETS): the
    # ORM's nine queries repeated every subquery and took 39 s at 100,000 ideas.
    assert len(aggregates) == 3
    assert all("GROUPING SETS" in sql for sql in aggregates)
    assert all("PERCENTILE_CONT(0.9)" in sql or "PERCENTILE_CONT(0.5)" in sql for sql in aggregates)
