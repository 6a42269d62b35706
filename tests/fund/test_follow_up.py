"""After the grant: the idea may start its test, costs are recorded, unspent money returns."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ideasluss.errors import NotAllowed, RequirementsMissing
from ideasluss.fund import money, selectors
from ideasluss.fund.models import Application, DecisionKind, MoneyReturn
from ideasluss.fund.services import cost_record, money_return
from ideasluss.ideas.models import IdeaState
from tests.factories import ApplicationFactory, IdeaFactory, TestPlanFactory
from tests.fund.money_helpers import end_idea, grant_with_costs, left_on
from workflows.fund.services import decision_record
from workflows.transitions import transition_perform


def only_left(response) -> str:
    """The one "left" figure a page shows (the idea page shows it for the idea and for its
    application: both must agree)."""
    figures = set(left_on(response.content.decode()))
    assert len(figures) == 1, figures
    return figures.pop()


def plain(response) -> str:
    """The page's text with non-breaking spaces as plain spaces, for matching amounts."""
    return response.content.decode().replace("\xa0", " ")


@pytest.fixture
def granted(application, coach):
    decision_record(application=application, by=coach, kind=DecisionKind.APPROVE, rationale="Ja")
    return application


def test_an_idea_needing_money_cannot_start_its_test_until_a_grant_is_in_force(application, coach):
    idea = application.idea
    TestPlanFactory(idea=idea)
    with pytest.raises(RequirementsMissing, match="pengafrågan"):
        transition_perform(name="start_test", obj=idea, by=idea.owner)
    decision_record(application=application, by=coach, kind=DecisionKind.APPROVE, rationale="Ja")
    transition_perform(name="start_test", obj=idea, by=idea.owner)
    idea.refresh_from_db()
    assert idea.state == IdeaState.TESTING


def test_a_rejection_does_not_settle_the_money_question(application, coach):
    idea = application.idea
    TestPlanFactory(idea=idea)
    decision_record(application=application, by=coach, kind=DecisionKind.REJECT, rationale="Nej")
    with pytest.raises(RequirementsMissing):
        transition_perform(name="start_test", obj=idea, by=idea.owner)


def test_costs_are_recorded_against_the_grant(granted):
    owner = granted.idea.owner
    cost_record(application=granted, by=owner, amount=12_500, date=timezone.localdate(), note="Lås")
    assert money.grant_balance(granted).spent == 12_500
    assert money.fund_balance(granted.fund).spent == 12_500


@pytest.mark.parametrize("amount, note", [(0, "Lås"), (-1, "Lås"), (10**12, "Lås"), (100, " ")])
def test_bad_costs_are_refused(granted, amount, note):
    with pytest.raises(RequirementsMissing):
        cost_record(
            application=granted,
            by=granted.idea.owner,
            amount=amount,
            date=timezone.localdate(),
            note=note,
        )
    assert money.grant_balance(granted).spent == 0


def test_no_costs_without_a_grant(application):
    with pytest.raises(NotAllowed):
        cost_record(
            application=application,
            by=application.idea.owner,
            amount=100,
            date=timezone.localdate(),
            note="Lås",
        )


def test_unspent_money_returns_when_the_idea_has_ended(granted, coach):
    fund = granted.fund
    cost_record(application=granted, by=coach, amount=5_000, date=timezone.localdate(), note="Lås")
    with pytest.raises(NotAllowed, match="nått sitt slut"):
        money_return(application=granted, by=coach)
    type(granted.idea).objects.filter(pk=granted.idea_id).update(state=IdeaState.LEARNED)
    granted.idea.refresh_from_db()

    returned = money_return(application=granted, by=coach, note="Testet stoppades")

    assert returned.amount == 15_000
    balance = money.fund_balance(fund)
    assert (balance.granted, balance.returned, balance.spent) == (20_000, 15_000, 5_000)
    assert balance.remaining == fund.capital - 5_000
    with pytest.raises(NotAllowed, match="redan återförda"):
        money_return(application=granted, by=coach)
    with pytest.raises(NotAllowed):
        cost_record(application=granted, by=coach, amount=1, date=timezone.localdate(), note="Sent")


def test_only_a_coach_returns_money(granted):
    with pytest.raises(NotAllowed):
        money_return(application=granted, by=granted.idea.owner)


def test_the_idea_page_says_the_money_question_is_settled_by_the_grant(client, granted):
    TestPlanFactory(idea=granted.idea)
    client.force_login(granted.idea.owner)
    html = client.get(granted.idea.get_absolute_url()).content.decode()
    assert "Innovationsfonden har beviljat 20\xa0000 kr." in html
    assert "Inte avgjort ännu." not in html


# What is left of a grant: granted − spent − returned, the same on every page -------------

FOLLOW_UP = reverse("fund:follow-up")


def return_url(application):
    return reverse("fund:return-money", args=[application.pk])


@pytest.fixture
def ended(application, coach):
    """A grant of 20,000 kr with 5,000 kr spent on an idea that has ended (learned)."""
    grant_with_costs(application, by=coach, costs=[3_000, 2_000])
    end_idea(application, IdeaState.LEARNED)
    return application


def test_left_is_granted_minus_spent_minus_returned(ended, coach):
    assert money.grant_balance(ended) == money.GrantBalance(granted=20_000, spent=5_000)
    assert money.grant_balance(ended).left == 15_000
    money_return(application=ended, by=coach, amount=15_000)
    balance = money.grant_balance(ended)
    assert (balance.returned, balance.left, balance.returnable) == (15_000, 0, 0)


def test_the_database_and_python_agree_on_what_is_left(fund, coach):
    """`grant_left` (SQL, for filtering) and `GrantBalance.left` are the same arithmetic."""
    within = ApplicationFactory(fund=fund, total=20_000)
    grant_with_costs(within, by=coach, costs=[1_000])
    overspent = ApplicationFactory(fund=fund, total=10_000)
    grant_with_costs(overspent, by=coach, costs=[8_000, 4_000])
    returned = ApplicationFactory(fund=fund, total=5_000)
    grant_with_costs(returned, by=coach, costs=[500])
    end_idea(returned, IdeaState.DECLINED)
    money_return(application=returned, by=coach)
    ApplicationFactory(fund=fund, total=1_000)  # no grant: nothing granted, nothing left
    rows = Application.objects.filter(fund=fund).annotate(**money.grant_balance_annotations())
    lefts = {row.pk: (row.grant_left, money.GrantBalance.of(row).left) for row in rows}
    assert sorted(lefts.values()) == [(-2_000, -2_000), (0, 0), (0, 0), (19_000, 19_000)]


def test_after_costs_and_a_return_every_staff_page_says_what_is_left(client, ended, coach):
    TestPlanFactory(
        idea=ended.idea,
        start_date=timezone.localdate() - datetime.timedelta(days=60),
        end_date=timezone.localdate() - datetime.timedelta(days=30),
    )
    client.force_login(coach)
    pages = [
        FOLLOW_UP,
        ended.get_absolute_url(),
        ended.idea.get_absolute_url(),
        return_url(ended),
        reverse("fund:cost-add", args=[ended.pk]),
    ]
    for url in pages:
        assert only_left(client.get(url)) == "15 000 kr", url

    response = client.post(return_url(ended), {"amount": 15_000, "note": ""})
    assert response.status_code == 302

    # The tester's finding: after the return the application still said "Kvar 15 000 kr".
    for url in pages:
        assert only_left(client.get(url)) == "0 kr", url
    application_page = client.get(ended.get_absolute_url()).content.decode()
    assert "Återfört till fonden" in application_page
    assert "Återför oanvända pengar" not in application_page


def test_an_ended_idea_with_money_left_is_asked_to_return_it(client, ended, coach):
    client.force_login(coach)
    assert selectors.follow_up().get(application=ended).return_overdue
    assert "Idén är avslutad" in plain(client.get(FOLLOW_UP))  # the prompt
    assert return_url(ended) in client.get(ended.get_absolute_url()).content.decode()


def test_no_return_prompt_when_nothing_is_left(client, application, coach):
    grant_with_costs(application, by=coach, costs=[20_000])
    end_idea(application, IdeaState.SCALED)
    row = selectors.follow_up().get(application=application)
    assert not row.return_overdue and not row.overdue
    assert selectors.overdue_follow_up_count() == 0
    client.force_login(coach)
    follow_up_page = plain(client.get(FOLLOW_UP))
    assert "Idén är avslutad" not in follow_up_page
    assert "Försenad" not in follow_up_page
    assert (
        return_url(application) not in client.get(application.get_absolute_url()).content.decode()
    )


def test_nothing_to_return_is_said_in_swedish_and_nothing_is_written(client, application, coach):
    grant_with_costs(application, by=coach, costs=[20_000])
    end_idea(application, IdeaState.SCALED)
    client.force_login(coach)
    page = client.get(return_url(application)).content.decode()
    assert "Det finns inget kvar av bidraget att återföra." in page
    assert 'name="amount"' not in page  # no form offers to return anything
    response = client.post(return_url(application), {"amount": 0, "note": ""})
    assert response.status_code == 400
    assert "Det finns inget kvar av bidraget att återföra." in response.content.decode()
    with pytest.raises(NotAllowed, match="inget kvar av bidraget"):
        money_return(application=application, by=coach)
    assert not MoneyReturn.objects.exists()


def test_returning_more_than_is_left_is_refused_and_nothing_is_written(client, ended, coach):
    client.force_login(coach)
    response = client.post(return_url(ended), {"amount": 20_000, "note": ""})
    assert response.status_code == 400
    assert "Bara 15 000 kr finns kvar av bidraget; 20 000 kr kan inte återföras." in plain(response)
    with pytest.raises(NotAllowed, match="Bara 15"):
        money_return(application=ended, by=coach, amount=15_001)
    assert not MoneyReturn.objects.exists()


def test_a_cost_recorded_after_the_page_was_shown_makes_the_return_refused(client, ended, coach):
    client.force_login(coach)
    assert 'name="amount" value="15000"' in client.get(return_url(ended)).content.decode()
    cost_record(
        application=ended, by=coach, amount=5_000, date=timezone.localdate(), note="Sen faktura"
    )
    response = client.post(return_url(ended), {"amount": 15_000, "note": ""})
    assert response.status_code == 400
    assert "Bara 10 000 kr finns kvar" in plain(response)
    assert 'name="amount" value="10000"' in response.content.decode()  # what is left now
    assert not MoneyReturn.objects.exists()


def test_returning_less_than_is_left_is_refused(ended, coach):
    """A return closes the grant, so a part of what is left cannot go back on its own."""
    with pytest.raises(NotAllowed, match="Återför allt som finns kvar av bidraget, 15"):
        money_return(application=ended, by=coach, amount=10_000)
    assert not MoneyReturn.objects.exists()


def test_overspending_is_shown_as_overspent_and_nothing_is_offered_for_return(
    client, application, coach
):
    grant_with_costs(application, by=coach, costs=[15_000, 10_000])
    end_idea(application, IdeaState.LEARNED)
    balance = money.grant_balance(application)
    assert (balance.left, balance.overspent, balance.returnable) == (-5_000, 5_000, 0)
    client.force_login(coach)
    for url in (FOLLOW_UP, application.get_absolute_url()):
        assert left_on(client.get(url).content.decode()) == ["Överförbrukat med 5 000 kr"], url
    assert "Mer har förbrukats än vad som beviljades." in plain(
        client.get(application.get_absolute_url())
    )
    assert not selectors.follow_up().get(application=application).return_overdue


# Query counts ---------------------------------------------------------------------------


def returned_grants(fund, coach, count):
    """`count` grants with costs on ideas that have ended, half of them returned."""
    for n in range(count):
        application = ApplicationFactory(fund=fund, total=1_000)
        grant_with_costs(application, by=coach, costs=[100, 200])
        end_idea(application, IdeaState.LEARNED)
        if n % 2:
            money_return(application=application, by=coach)


def test_the_follow_up_page_runs_as_many_queries_for_2_grants_as_for_20(
    client, fund, coach, django_assert_max_num_queries
):
    returned_grants(fund, coach, 2)
    client.force_login(coach)
    client.get(FOLLOW_UP)  # warm caches (content types)
    with CaptureQueriesContext(connection) as few:
        assert client.get(FOLLOW_UP).status_code == 200
    returned_grants(fund, coach, 18)
    with django_assert_max_num_queries(len(few)):
        response = client.get(FOLLOW_UP)
    assert len(left_on(response.content.decode())) == 20


def test_the_idea_page_runs_as_many_queries_for_1_application_as_for_5(
    client, fund, coach, django_assert_max_num_queries
):
    idea = IdeaFactory(state=IdeaState.TESTING)

    def granted_application():
        application = ApplicationFactory(fund=fund, idea=idea, total=1_000)
        grant_with_costs(application, by=coach, costs=[300])

    granted_application()
    client.force_login(coach)
    client.get(idea.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        assert client.get(idea.get_absolute_url()).status_code == 200
    for _ in range(4):
        granted_application()
    with django_assert_max_num_queries(len(few)):
        response = client.get(idea.get_absolute_url())
    assert left_on(response.content.decode()) == ["700 kr"] * 5
