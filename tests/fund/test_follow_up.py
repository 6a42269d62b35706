"""After the grant: the idea may start its test, costs are recorded, unspent money returns."""

import datetime

import pytest

from ideasluss.errors import NotAllowed, RequirementsMissing
from ideasluss.fund import money
from ideasluss.fund.models import DecisionKind
from ideasluss.fund.services import cost_record, money_return
from ideasluss.ideas.models import IdeaState
from tests.factories import TestPlanFactory
from workflows.fund.services import decision_record
from workflows.transitions import transition_perform


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
    cost_record(
        application=granted, by=owner, amount=12_500, date=datetime.date.today(), note="Lås"
    )
    assert money.grant_balance(granted).spent == 12_500
    assert money.fund_balance(granted.fund).spent == 12_500


@pytest.mark.parametrize("amount, note", [(0, "Lås"), (-1, "Lås"), (10**12, "Lås"), (100, " ")])
def test_bad_costs_are_refused(granted, amount, note):
    with pytest.raises(RequirementsMissing):
        cost_record(
            application=granted,
            by=granted.idea.owner,
            amount=amount,
            date=datetime.date.today(),
            note=note,
        )
    assert money.grant_balance(granted).spent == 0


def test_no_costs_without_a_grant(application):
    with pytest.raises(NotAllowed):
        cost_record(
            application=application,
            by=application.idea.owner,
            amount=100,
            date=datetime.date.today(),
            note="Lås",
        )


def test_unspent_money_returns_when_the_idea_has_ended(granted, coach):
    fund = granted.fund
    cost_record(application=granted, by=coach, amount=5_000, date=datetime.date.today(), note="Lås")
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
        cost_record(
            application=granted, by=coach, amount=1, date=datetime.date.today(), note="Sent"
        )


def test_only_a_coach_returns_money(granted):
    with pytest.raises(NotAllowed):
        money_return(application=granted, by=granted.idea.owner)


def test_the_idea_page_says_the_money_question_is_settled_by_the_grant(client, granted):
    TestPlanFactory(idea=granted.idea)
    client.force_login(granted.idea.owner)
    html = client.get(granted.idea.get_absolute_url()).content.decode()
    assert "Innovationsfonden har beviljat 20\xa0000 kr." in html
    assert "Inte avgjort ännu." not in html
