"""Every transition of an idea, for every role, and every guard."""

import pytest
from django_fsm_log.models import StateLog

from ideasluss.accounts.roles import Role
from ideasluss.errors import ConcurrentChange, NotAllowed, RequirementsMissing
from ideasluss.ideas.models import IdeaState
from tests.factories import (
    EvaluationFactory,
    IdeaFactory,
    TestPlanFactory,
    UnitFactory,
    UserFactory,
)
from workflows.ideas.lifecycle import IdeaLifecycle
from workflows.transitions import step_names, transition_perform

pytestmark = pytest.mark.django_db

S = IdeaState

# transition: (source state used in the test, target state, roles allowed)
TRANSITIONS = {
    "submit": (S.DRAFT, S.SUBMITTED, {"owner", "co_owner"}),
    "return_to_owner": (S.SUBMITTED, S.DRAFT, {"coach"}),
    "accept": (S.SUBMITTED, S.PLANNING, {"coach"}),
    "decline": (S.SUBMITTED, S.DECLINED, {"coach"}),
    "start_test": (S.PLANNING, S.TESTING, {"owner", "co_owner", "coach"}),
    "report": (S.TESTING, S.TESTED, {"owner", "co_owner"}),
    "iterate": (S.TESTED, S.TESTING, {"owner", "co_owner", "coach"}),
    "scale": (S.TESTED, S.SCALED, {"coach"}),
    "stop_and_learn": (S.TESTED, S.LEARNED, {"owner", "co_owner", "coach"}),
    "withdraw": (S.PLANNING, S.WITHDRAWN, {"owner"}),
}
ROLES = ["owner", "co_owner", "staff", "coach", "committee_member", "administrator"]


def ready_idea(state: str, **fields):
    """An idea in `state` with everything every guard asks for."""
    owner = UserFactory(roles=[Role.STAFF])
    idea = IdeaFactory(
        owner=owner,
        state=state,
        no_money_needed=True,
        lessons_learned="Vi lärde oss att börja mindre.",
        run_by_unit=UnitFactory(),
        run_by_contact="Kim Svensson",
        **fields,
    )
    idea.co_owners.add(UserFactory(roles=[Role.STAFF]))
    TestPlanFactory(idea=idea)
    EvaluationFactory(idea=idea)
    return idea


def actor(role: str, idea):
    if role == "owner":
        return idea.owner
    if role == "co_owner":
        return idea.co_owners.get()
    groups = {
        "staff": [Role.STAFF],
        "coach": [Role.STAFF, Role.COACH],
        "committee_member": [Role.STAFF, Role.COMMITTEE_MEMBER],
        "administrator": [Role.STAFF, Role.ADMINISTRATOR],
    }[role]
    return UserFactory(roles=groups)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_transition_for_role(name, role):
    source, target, allowed = TRANSITIONS[name]
    idea = ready_idea(source)
    by = actor(role, idea)
    if role in allowed:
        moved = transition_perform(
            obj=idea, name=name, by=by, message="Motivering", expected_state=source
        )
        assert moved.state == target
        entry = StateLog.objects.for_(idea).get()
        assert (entry.by, entry.source_state, entry.state) == (by, source, target)
        assert entry.description == "Motivering"
    else:
        with pytest.raises(NotAllowed):
            transition_perform(
                obj=idea, name=name, by=by, message="Motivering", expected_state=source
            )
        idea.refresh_from_db()
        assert idea.state == source
        assert not StateLog.objects.for_(idea).exists()


def test_every_declared_transition_is_covered_by_the_matrix():

    assert set(step_names(IdeaLifecycle)) == set(TRANSITIONS)


@pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED, S.PLANNING, S.TESTING, S.TESTED])
def test_owner_may_withdraw_from_any_state_that_is_not_final(state):
    idea = ready_idea(state)
    assert transition_perform(name="withdraw", obj=idea, by=idea.owner).state == S.WITHDRAWN


@pytest.mark.parametrize("state", [S.SCALED, S.LEARNED, S.DECLINED, S.WITHDRAWN])
def test_final_states_allow_nothing(state):
    idea = ready_idea(state)
    for name in step_names(idea):
        with pytest.raises(NotAllowed):
            transition_perform(
                obj=idea, name=name, by=UserFactory(roles=[Role.ADMINISTRATOR]), message="x"
            )
        with pytest.raises(NotAllowed):
            transition_perform(obj=idea, name=name, by=idea.owner, message="x")
        assert name


def test_stop_and_learn_also_stops_a_running_test():
    idea = ready_idea(S.TESTING)
    assert transition_perform(name="stop_and_learn", obj=idea, by=idea.owner).state == S.LEARNED


def test_a_transition_from_the_wrong_state_is_refused_in_plain_words():
    idea = ready_idea(S.DRAFT)
    with pytest.raises(NotAllowed, match="Utkast"):
        transition_perform(name="accept", obj=idea, by=UserFactory(roles=[Role.COACH]))


# Guards -------------------------------------------------------------------------------


def test_submit_requires_problem_target_group_and_idea():
    idea = IdeaFactory(problem="", target_group=" ", description="")
    with pytest.raises(RequirementsMissing) as refusal:
        transition_perform(name="submit", obj=idea, by=idea.owner)
    assert len(refusal.value.messages) == 3
    assert "Beskriv problemet" in refusal.value.messages[0]
    idea.refresh_from_db()
    assert idea.state == S.DRAFT


@pytest.mark.parametrize("name", ["return_to_owner", "decline"])
def test_return_and_decline_require_a_message(name):
    idea = ready_idea(S.SUBMITTED)
    coach = UserFactory(roles=[Role.COACH])
    with pytest.raises(RequirementsMissing, match="meddelande"):
        transition_perform(name=name, obj=idea, by=coach, message="  ")
    idea.refresh_from_db()
    assert idea.state == S.SUBMITTED


def test_start_test_requires_a_test_plan_and_settled_money():
    idea = IdeaFactory(state=S.PLANNING)
    with pytest.raises(RequirementsMissing) as refusal:
        transition_perform(name="start_test", obj=idea, by=idea.owner)
    text = " ".join(refusal.value.messages)
    assert "testplan" in text
    assert "pengafrågan" in text


def test_start_test_requires_success_criteria():
    idea = IdeaFactory(state=S.PLANNING, no_money_needed=True)
    TestPlanFactory(idea=idea, success_criteria=[" "])
    with pytest.raises(RequirementsMissing, match="framgångskriterium"):
        transition_perform(name="start_test", obj=idea, by=idea.owner)


def test_start_test_with_plan_and_no_money_needed_goes_ahead():
    idea = IdeaFactory(state=S.PLANNING, no_money_needed=True)
    TestPlanFactory(idea=idea)
    assert transition_perform(name="start_test", obj=idea, by=idea.owner).state == S.TESTING


def test_report_requires_a_result_for_every_success_criterion():
    idea = IdeaFactory(state=S.TESTING)
    TestPlanFactory(idea=idea, success_criteria=["Kortare väntan", "Nöjdare brukare"])
    EvaluationFactory(idea=idea, results=[{"criterion": "Kortare väntan", "result": "Ja"}])
    with pytest.raises(RequirementsMissing, match="Nöjdare brukare"):
        transition_perform(name="report", obj=idea, by=idea.owner)


def test_stop_and_learn_requires_lessons():
    idea = IdeaFactory(state=S.TESTED, lessons_learned="")
    with pytest.raises(RequirementsMissing, match="lärdomarna"):
        transition_perform(name="stop_and_learn", obj=idea, by=idea.owner)


def test_scale_requires_who_runs_it():
    idea = IdeaFactory(state=S.TESTED)
    with pytest.raises(RequirementsMissing) as refusal:
        transition_perform(name="scale", obj=idea, by=UserFactory(roles=[Role.COACH]))
    assert len(refusal.value.messages) == 2


def test_iterate_requires_saying_what_changes():
    idea = ready_idea(S.TESTED)
    with pytest.raises(RequirementsMissing):
        transition_perform(name="iterate", obj=idea, by=idea.owner, message="")


# Optimistic locking -------------------------------------------------------------------


def test_acting_on_a_stale_page_is_refused_and_changes_nothing():
    idea = ready_idea(S.SUBMITTED)
    coach = UserFactory(roles=[Role.COACH])
    transition_perform(name="accept", obj=idea, by=coach, expected_state=S.SUBMITTED)
    with pytest.raises(ConcurrentChange, match="ändrade idén"):
        transition_perform(
            name="decline", obj=idea, by=coach, message="Nej", expected_state=S.SUBMITTED
        )
    idea.refresh_from_db()
    assert idea.state == S.PLANNING
    assert StateLog.objects.for_(idea).count() == 1


def test_state_cannot_be_assigned_directly():
    idea = IdeaFactory()
    with pytest.raises(AttributeError):
        idea.state = S.SCALED
