"""The committee's dashboard, a fund's page and the follow-up of grants."""

import datetime
import re

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ideasluss.accounts.roles import Role
from ideasluss.fund import figures, money, selectors
from ideasluss.fund.models import BudgetCategory, BudgetLine, Decision, DecisionKind, Meeting
from ideasluss.fund.money import GrantBalance
from ideasluss.fund.services import conflict_declare, cost_record, meeting_create, money_return
from ideasluss.ideas.models import Idea, IdeaState
from tests.dates import today
from tests.factories import ApplicationFactory, FundFactory, TestPlanFactory, UserFactory
from workflows.fund.services import decision_record, review_submit

DASHBOARD = reverse("fund:dashboard")
FOLLOW_UP = reverse("fund:follow-up")


def fund_url(fund):
    return reverse("fund:fund-detail", args=[fund.pk])


def set_idea_state(application, state):
    """Move the idea directly: these tests set up situations, the lifecycle is tested elsewhere.
    A queryset's update sends no signal, so the cached fund figures are told as a service
    would tell them."""
    Idea.objects.filter(pk=application.idea_id).update(state=state)
    figures.figures_changed()
    application.idea.refresh_from_db()


def grant(application, by, **kwargs):
    arguments = {"kind": DecisionKind.APPROVE, "rationale": "Bra test."} | kwargs
    return decision_record(application=application, by=by, **arguments)


def cost(application, by, amount, date=None):
    date = date or today()
    return cost_record(application=application, by=by, amount=amount, date=date, note="Lås")


def plain(response) -> str:
    """The page's text with non-breaking spaces as plain spaces, for matching amounts."""
    return response.content.decode().replace("\xa0", " ")


# Access --------------------------------------------------------------------------------


@pytest.fixture
def urls(fund):
    return [DASHBOARD, fund_url(fund), FOLLOW_UP]


def test_anonymous_users_are_sent_to_login(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_staff_and_applicants_are_refused(client, staff, application, urls):
    for user in (staff, application.applicant):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", ["coach", "committee_member", "chair"])
def test_the_committee_and_coaches_see_the_fund_pages(client, urls, role, request):
    client.force_login(request.getfixturevalue(role))
    for url in urls:
        assert client.get(url).status_code == 200


def test_an_unknown_fund_is_not_found(client, coach):
    client.force_login(coach)
    assert client.get(reverse("fund:fund-detail", args=[999_999])).status_code == 404


def test_the_menu_links_to_the_fund_only_for_those_with_access(client, staff, committee_member):
    client.force_login(staff)
    content = client.get("/ideas/").content.decode()
    assert f'href="{DASHBOARD}"' not in content
    assert f'href="{reverse("fund:application-list")}?view=mine"' in content
    assert "Mina ansökningar" in content
    client.force_login(committee_member)
    content = client.get("/ideas/").content.decode()
    assert f'href="{DASHBOARD}"' in content
    assert ">Fonden<" in content


# Money on the dashboard ----------------------------------------------------------------


@pytest.fixture
def busy_fund(fund, coach):
    """A fund with grants (one lowered, one superseded), a rejection, costs and a return."""
    full = ApplicationFactory(fund=fund, total=20_000)
    grant(full, coach)
    cost(full, coach, 7_500)
    lowered = ApplicationFactory(fund=fund, total=25_000)
    first = grant(lowered, coach)
    grant(
        lowered,
        coach,
        kind=DecisionKind.APPROVE_LOWER,
        amount=12_000,
        rationale="Rättelse",
        supersedes=first,
    )
    ended = ApplicationFactory(fund=fund, total=10_000)
    grant(ended, coach)
    cost(ended, coach, 4_000)
    set_idea_state(ended, IdeaState.LEARNED)
    money_return(application=ended, by=coach)
    grant(ApplicationFactory(fund=fund, total=5_000), coach, kind=DecisionKind.REJECT)
    return fund


def test_dashboard_figures_are_what_money_says(client, committee_member, busy_fund):
    other = FundFactory(capital=500_000, delegated_limit=10_000, is_open=False)
    client.force_login(committee_member)
    response = client.get(DASHBOARD)
    funds = response.context["funds"]
    assert [f.pk for f in funds] == [busy_fund.pk, other.pk]  # open funds first
    for fund in funds:
        assert fund.balance == money.fund_balance(fund)
    balance = funds[0].balance
    assert (balance.granted, balance.returned, balance.spent) == (42_000, 6_000, 11_500)
    assert (balance.committed, balance.remaining) == (36_000, 64_000)
    content = plain(response)
    for amount in ("100 000 kr", "36 000 kr", "11 500 kr", "64 000 kr"):
        assert amount in content


def test_fund_page_shows_its_balance_criteria_applications_and_register_link(
    client, coach, busy_fund
):
    ApplicationFactory(fund=busy_fund, state="draft")
    client.force_login(coach)
    response = client.get(fund_url(busy_fund))
    assert response.context["fund"].balance == money.fund_balance(busy_fund)
    counts = {state: count for state, _, count in response.context["application_counts"]}
    assert counts["decided"] == 4
    assert "draft" not in counts
    content = plain(response)
    assert "Nytta för invånarna" in content
    assert f"{reverse('fund:register')}?fund={busy_fund.pk}" in content
    assert "30 000 kr" in content  # the delegated limit


# Waiting for me ------------------------------------------------------------------------


def waiting(response) -> dict[str, list]:
    return {key: list.items for key, _, list in response.context["waiting"]}


def test_a_member_is_asked_to_declare_then_to_score(client, committee_member, application):
    client.force_login(committee_member)
    assert waiting(client.get(DASHBOARD)) == {"declare": [application], "score": []}

    conflict_declare(application=application, member=committee_member, has_conflict=False)
    assert waiting(client.get(DASHBOARD)) == {"declare": [], "score": [application]}

    scores = {criterion.pk: 4 for criterion in application.fund.criteria.all()}
    review_submit(application=application, member=committee_member, scores=scores)
    assert waiting(client.get(DASHBOARD)) == {"declare": [], "score": []}


def test_a_recused_member_is_not_asked_to_score(client, committee_member, application):
    conflict_declare(
        application=application, member=committee_member, has_conflict=True, reason="Min syster"
    )
    client.force_login(committee_member)
    assert waiting(client.get(DASHBOARD)) == {"declare": [], "score": []}


def test_a_coach_sees_what_they_may_decide_under_delegation(client, coach, fund):
    within = ApplicationFactory(fund=fund, total=30_000)  # exactly at the limit
    over = ApplicationFactory(fund=fund, total=30_001)  # the committee's: the coach takes it up
    ApplicationFactory(fund=fund, total=1_000, idea__owner=coach)  # the coach's own idea
    ApplicationFactory(fund=fund, total=1_000, state="draft")
    client.force_login(coach)
    response = client.get(DASHBOARD)
    assert waiting(response) == {"take_up": [over], "decide": [within]}
    assert reverse("fund:decide", args=[within.pk]) in response.content.decode()


def test_an_application_taken_up_stays_with_the_coach_who_may_decide_it(client, coach, fund):
    """Issue 11: the first review or an agenda takes an application up (in review); the
    coach may still decide it under delegation, so it must not drop off their list."""
    taken_up = ApplicationFactory(fund=fund, total=10_000, state="in_review")
    client.force_login(coach)
    assert waiting(client.get(DASHBOARD))["decide"] == [taken_up]


def test_upcoming_meetings_start_today(client, chair, fund):
    todays = meeting_create(fund=fund, by=chair, date=today(), location="Stadshuset")
    Meeting.objects.create(
        fund=fund, number=2, chair=chair, date=today() - datetime.timedelta(days=1)
    )
    client.force_login(chair)
    assert list(client.get(DASHBOARD).context["meetings"]) == [todays]


# Charts --------------------------------------------------------------------------------


def chart_rows(response, key) -> dict[str, int]:
    chart = next(c for c in response.context["charts"] if c.key == key)
    return dict(chart.rows)


def test_category_chart_scales_lowered_grants_and_matches_the_database(client, coach):
    fund = FundFactory(capital=200_000, delegated_limit=50_000)
    application = ApplicationFactory(fund=fund, total=40_000)
    BudgetLine.objects.filter(application=application).update(amount=30_000)
    application.budget_lines.create(
        category=BudgetCategory.EXTERNAL_SERVICES, description="Konsult", amount=10_000
    )
    grant(application, coach, kind=DecisionKind.APPROVE_LOWER, amount=20_000, rationale="Mindre")
    full = ApplicationFactory(fund=fund, total=8_000)
    grant(full, coach)
    ApplicationFactory(fund=fund, total=9_000)  # not decided: not in the chart
    client.force_login(coach)
    rows = chart_rows(client.get(DASHBOARD), "category")
    assert rows == {
        "Vikarier": 0,
        "Material": 15_000 + 8_000,
        "Externa tjänster": 5_000,
        "Övrigt": 0,
    }
    granted = Decision.objects.in_force().filter(kind__in=["approve", "approve_lower"])
    assert sum(rows.values()) == granted.aggregate(total=Sum("amount"))["total"]


def test_state_chart_matches_the_database(client, coach, busy_fund):
    testing = ApplicationFactory(fund=busy_fund, total=3_000)
    grant(testing, coach)
    set_idea_state(testing, IdeaState.TESTING)
    client.force_login(coach)
    rows = chart_rows(client.get(DASHBOARD), "idea-state")
    expected = {}
    for decision in Decision.objects.in_force().filter(kind__in=["approve", "approve_lower"]):
        label = IdeaState(decision.application.idea.state).label
        expected[label] = expected.get(label, 0) + decision.amount
    assert {label: value for label, value in rows.items() if value} == expected
    assert rows["Planering"] == 20_000 + 12_000
    assert rows["Test pågår"] == 3_000
    assert sum(rows.values()) == 42_000 + 3_000


def test_each_chart_is_an_svg_image_with_a_table_of_the_same_numbers(client, coach, busy_fund):
    client.force_login(coach)
    content = plain(client.get(DASHBOARD))
    assert content.count('role="img"') == 2
    assert content.count("<title id=") == 2
    # The charts need no script: the only one is the site's own menu script, from /static/.
    assert re.findall(r"<script[^>]*>", content) == ['<script src="/static/js/site.js">']
    for caption in ("per budgetkategori", "den finansierade idén har nu"):
        assert re.search(rf"<caption[^>]*>[^<]*{caption}", content, re.IGNORECASE)
    assert '<td class="numeric">32 000 kr</td>' in content  # planning: 20 000 + 12 000


# Follow-up -----------------------------------------------------------------------------


@pytest.fixture
def granted(fund, coach):
    application = ApplicationFactory(fund=fund, total=20_000)
    grant(application, coach)
    return application


def plan_ended(application, days_ago):
    end = today() - datetime.timedelta(days=days_ago)
    TestPlanFactory(
        idea=application.idea, start_date=end - datetime.timedelta(days=30), end_date=end
    )


def overdue(application) -> tuple[bool, bool]:
    row = selectors.follow_up().get(application=application)
    return row.costs_overdue, row.return_overdue


def test_no_costs_long_after_the_test_ended_is_overdue(granted):
    plan_ended(granted, days_ago=15)
    assert overdue(granted) == (True, False)


def test_within_the_grace_period_is_not_overdue(granted):
    plan_ended(granted, days_ago=14)
    assert overdue(granted) == (False, False)


def test_a_recorded_cost_is_a_follow_up(granted, coach):
    plan_ended(granted, days_ago=40)
    cost(granted, coach, 1_000)
    assert overdue(granted) == (False, False)


def test_an_ended_idea_with_money_still_out_is_overdue(granted, coach):
    cost(granted, coach, 1_000)
    set_idea_state(granted, IdeaState.SCALED)
    assert overdue(granted) == (False, True)


def test_returned_money_closes_the_follow_up(granted, coach):
    plan_ended(granted, days_ago=40)
    set_idea_state(granted, IdeaState.DECLINED)
    assert overdue(granted) == (True, True)
    money_return(application=granted, by=coach)
    row = selectors.follow_up().get(application=granted)
    assert not row.overdue and row.is_returned
    assert selectors.overdue_follow_up_count() == 0


def test_follow_up_page_lists_grants_with_spent_and_remaining(client, coach, granted, fund):
    cost(granted, coach, 7_500)
    plan_ended(granted, days_ago=40)
    late = ApplicationFactory(fund=fund, total=5_000)
    grant(late, coach)
    set_idea_state(late, IdeaState.LEARNED)
    ApplicationFactory(fund=fund, total=1_000)  # no grant: not followed up
    client.force_login(coach)
    response = client.get(FOLLOW_UP)
    grants = list(response.context["grants"])
    assert [g.application for g in grants] == [late, granted]  # overdue first
    balance = GrantBalance.of(grants[1])
    assert (balance.granted, balance.spent, balance.returned, balance.left) == (
        20_000,
        7_500,
        0,
        12_500,
    )
    assert balance == money.grant_balance(granted)
    content = plain(response)
    assert "12 500 kr" in content
    assert "Försenad" in content
    only_overdue = client.get(FOLLOW_UP + "?overdue=1").context["grants"]
    assert [g.application for g in only_overdue] == [late]


def test_a_superseded_grant_is_not_followed_up(granted, coach):
    first = Decision.objects.get(application=granted)
    grant(granted, coach, kind=DecisionKind.REJECT, rationale="Rättelse", supersedes=first)
    assert not selectors.follow_up().filter(application=granted).exists()


def test_the_coach_inbox_shows_overdue_follow_ups(client, coach, granted):
    client.force_login(coach)
    content = client.get("/ideas/inbox/").content.decode()
    assert "Uppföljning av fondmedel" in content
    assert "Ingen uppföljning av fondmedel är försenad" in content
    set_idea_state(granted, IdeaState.LEARNED)
    content = client.get("/ideas/inbox/").content.decode()
    assert "1 beviljande behöver följas upp" in content
    assert f"{FOLLOW_UP}?overdue=1" in content


# Query counts --------------------------------------------------------------------------


def make_grants(fund, coach, count):
    """`count` applications, each granted with a cost and a test plan, some overdue."""
    for n in range(count):
        application = ApplicationFactory(fund=fund, total=1_000)
        grant(application, coach)
        cost(application, coach, 100)
        plan_ended(application, days_ago=n % 30)
        if n % 3 == 0:
            set_idea_state(application, IdeaState.LEARNED)
        ApplicationFactory(fund=fund, total=500)  # waiting: to declare and to decide


@pytest.mark.parametrize("page", ["dashboard", "fund", "follow-up", "inbox"])
def test_pages_run_the_same_queries_for_2_and_20_applications(
    db, client, page, django_assert_max_num_queries
):
    coach = UserFactory(username="coachmember", roles=[Role.COACH, Role.COMMITTEE_MEMBER])
    fund = FundFactory(capital=1_000_000, delegated_limit=50_000)
    url = {
        "dashboard": DASHBOARD,
        "fund": fund_url(fund),
        "follow-up": FOLLOW_UP,
        "inbox": "/ideas/inbox/",
    }[page]
    meeting_create(fund=fund, by=UserFactory(roles=[Role.COMMITTEE_CHAIR]), date=today())
    make_grants(fund, coach, 2)
    client.force_login(coach)
    client.get(url)  # warm caches (content types)
    # Both measured with the fund's figures to compute (`figures`): the worst case.
    figures.figures_changed()
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    make_grants(fund, coach, 18)
    FundFactory(is_open=False)
    meeting_create(fund=fund, by=UserFactory(roles=[Role.COMMITTEE_CHAIR]), date=today())
    figures.figures_changed()
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200


def test_follow_up_is_paginated(client, coach, fund):
    make_grants(fund, coach, 30)
    client.force_login(coach)
    response = client.get(FOLLOW_UP)
    assert len(response.context["grants"]) == 25
    assert response.context["page_obj"].paginator.count == 30
    assert len(client.get(FOLLOW_UP + "?page=2").context["grants"]) == 5
