"""The fund's figures are kept in the cache and renewed by every change under them
(ideasluss/fund/figures.py): one test per kind of change."""

import datetime

import pytest

from ideasluss.fund import figures, selectors
from ideasluss.fund.models import ApplicationState, BudgetCategory, DecisionKind
from ideasluss.fund.services import BudgetLineInput, application_update, cost_record, money_return
from ideasluss.ideas.models import IdeaState
from tests.dates import today
from tests.factories import ApplicationFactory, TestPlanFactory
from workflows.fund.services import decision_record

pytestmark = pytest.mark.django_db


def grant(application, coach, amount=None):
    kind = DecisionKind.APPROVE if amount is None else DecisionKind.APPROVE_LOWER
    return decision_record(
        application=application, by=coach, kind=kind, rationale="Bra test.", amount=amount
    )


@pytest.fixture
def granted_application(fund, coach):
    application = ApplicationFactory(fund=fund, total=20_000)
    grant(application, coach)
    return application


def test_a_stored_figure_is_read_without_a_query(fund, django_assert_num_queries):
    selectors.granted_by_idea_state()
    with django_assert_num_queries(0):
        selectors.granted_by_idea_state()


def test_a_decision_renews_the_figures(fund, coach):
    application = ApplicationFactory(fund=fund, total=20_000)
    assert selectors.funds_with_balances()[0].balance.granted == 0
    grant(application, coach)
    assert selectors.funds_with_balances()[0].balance.granted == 20_000


def test_a_cost_renews_the_figures(fund, coach, granted_application):
    assert selectors.funds_with_balances()[0].balance.spent == 0
    cost_record(application=granted_application, by=coach, amount=500, date=today(), note="Lås")
    assert selectors.funds_with_balances()[0].balance.spent == 500


def test_a_return_of_money_renews_the_figures(fund, coach, granted_application):
    idea = granted_application.idea
    type(idea).objects.filter(pk=idea.pk).update(state=IdeaState.LEARNED)
    idea.refresh_from_db()
    assert selectors.funds_with_balances()[0].balance.returned == 0
    money_return(application=granted_application, by=coach, note="Testet stoppades.")
    assert selectors.funds_with_balances()[0].balance.returned == 20_000


def test_a_step_of_the_funded_idea_renews_the_chart_by_state(fund, coach, granted_application):
    """Every transition ends in a save of the idea: that save is what renews the figures
    (the state is set beforehand by a queryset update, which alone would not)."""
    idea = granted_application.idea
    before = dict(selectors.granted_by_idea_state())
    type(idea).objects.filter(pk=idea.pk).update(state=IdeaState.LEARNED)
    assert dict(selectors.granted_by_idea_state()) == before
    idea.refresh_from_db()
    idea.save()
    after = dict(selectors.granted_by_idea_state())
    assert before != after
    assert after[IdeaState.LEARNED.label] == 20_000


def test_a_test_plan_renews_the_overdue_count(fund, coach, granted_application):
    assert selectors.overdue_follow_up_count() == 0
    TestPlanFactory(
        idea=granted_application.idea,
        start_date=today() - datetime.timedelta(days=60),
        end_date=today() - datetime.timedelta(days=30),
    )
    assert selectors.overdue_follow_up_count() == 1


def test_the_overdue_count_is_kept_per_day(fund, coach, granted_application):
    TestPlanFactory(
        idea=granted_application.idea,
        start_date=today() - datetime.timedelta(days=10),
        end_date=today() - datetime.timedelta(days=1),
    )
    assert selectors.overdue_follow_up_count(today=today()) == 0
    later = today() + datetime.timedelta(days=30)
    assert selectors.overdue_follow_up_count(today=later) == 1


def test_a_rewritten_budget_renews_the_figures(fund, coach):
    """The budget is written with bulk_create and update, which send no signal."""
    application = ApplicationFactory(fund=fund, total=20_000, state=ApplicationState.DRAFT)
    version = figures.figures_version()
    application_update(
        application=application,
        by=application.applicant,
        motivation="Mer tid.",
        expected_effect="Färre resor.",
        lines=[BudgetLineInput(BudgetCategory.MATERIALS, "Lås", amount=4_000)],
    )
    assert figures.figures_version() != version


def test_a_change_elsewhere_keeps_the_figures(fund, staff):
    version = figures.figures_version()
    staff.first_name = "Ny"
    staff.save()
    assert figures.figures_version() == version
