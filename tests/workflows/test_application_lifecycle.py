"""Every step of an application's life, for every role: who may and who is refused."""

import pytest
from django.utils import timezone

from ideasluss.accounts.roles import Role
from ideasluss.errors import NotAllowed, RequirementsMissing
from ideasluss.fund.models import ApplicationState, Decision, DecisionKind
from ideasluss.fund.services import BudgetLineInput, application_update, meeting_create
from tests.factories import ApplicationFactory, FundFactory, IdeaFactory, UserFactory
from workflows.fund.services import decision_record, meeting_update
from workflows.transitions import transition_perform

S = ApplicationState

ROLES = {
    "owner": None,  # the idea's owner, who applies
    "co_owner": None,
    "staff": [Role.STAFF],
    "coach": [Role.STAFF, Role.COACH],
    "member": [Role.STAFF, Role.COMMITTEE_MEMBER],
    "chair": [Role.STAFF, Role.COMMITTEE_CHAIR],
    "administrator": [Role.STAFF, Role.ADMINISTRATOR],
}


@pytest.fixture
def people(db):
    owner = UserFactory(username="owner", roles=[Role.STAFF])
    co_owner = UserFactory(username="co_owner", roles=[Role.STAFF])
    others = {
        name: UserFactory(username=name, roles=roles)
        for name, roles in ROLES.items()
        if roles is not None
    }
    return {"owner": owner, "co_owner": co_owner, **others}


def application_in(state, people):
    idea = IdeaFactory(owner=people["owner"], state="planning")
    idea.co_owners.add(people["co_owner"])
    return ApplicationFactory(
        fund=FundFactory(), idea=idea, applicant=people["owner"], state=state, total=10_000
    )


def meeting_for(application, chair):
    meeting = meeting_create(
        fund=application.fund, by=chair, date=timezone.localdate(), location="Rådhuset"
    )
    meeting_update(meeting=meeting, by=chair, agenda=[application])
    return transition_perform(name="open", obj=meeting, by=chair)


def run(step, application, user, people):
    if step == "submit":
        transition_perform(name="submit", obj=application, by=user)
    elif step == "take_up":
        transition_perform(name="take_up", obj=application, by=user)
    elif step == "withdraw":
        transition_perform(name="withdraw", obj=application, by=user)
    elif step in ("decide_delegated", "return_delegated"):
        kind = DecisionKind.APPROVE if step == "decide_delegated" else DecisionKind.RETURN
        decision_record(application=application, by=user, kind=kind, rationale="Motivering")
    elif step == "decide_at_meeting":
        meeting = meeting_for(application, people["chair"])
        decision_record(
            application=application,
            by=user,
            kind=DecisionKind.APPROVE,
            rationale="Motivering",
            meeting=meeting,
        )
    else:  # pragma: no cover
        raise AssertionError(step)


STEPS = {
    # step: (state before, state after, roles allowed)
    "submit": (S.DRAFT, S.SUBMITTED, {"owner", "co_owner"}),
    "take_up": (S.SUBMITTED, S.IN_REVIEW, {"coach", "chair"}),
    "withdraw": (S.SUBMITTED, S.WITHDRAWN, {"owner", "co_owner"}),
    "decide_delegated": (S.IN_REVIEW, S.DECIDED, {"coach"}),
    "return_delegated": (S.SUBMITTED, S.RETURNED, {"coach"}),
    "decide_at_meeting": (S.IN_REVIEW, S.DECIDED, {"chair"}),
}


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("step", list(STEPS))
def test_every_step_for_every_role(step, role, people):
    before, after, allowed = STEPS[step]
    application = application_in(before, people)

    if role in allowed:
        run(step, application, people[role], people)
        application.refresh_from_db()
        assert application.state == after
    else:
        with pytest.raises(NotAllowed):
            run(step, application, people[role], people)
        application.refresh_from_db()
        assert application.state in (before, S.IN_REVIEW)  # a meeting's agenda takes it up
        assert not Decision.objects.exists()


def test_a_returned_application_can_be_changed_and_submitted_again(people):
    application = application_in(S.SUBMITTED, people)
    decision_record(
        application=application,
        by=people["coach"],
        kind=DecisionKind.RETURN,
        rationale="Beskriv hur testet ska utvärderas.",
    )
    application_update(
        application=application,
        by=people["owner"],
        motivation="Ny motivering",
        expected_effect="Halverad väntetid",
        lines=[BudgetLineInput(category="materials", description="Lås", amount=8000)],
    )
    submitted = transition_perform(name="submit", obj=application, by=people["co_owner"])
    assert submitted.state == S.SUBMITTED
    assert submitted.total == 8000


def test_submit_names_what_is_missing(people):
    application = application_in(S.DRAFT, people)
    application.motivation = ""
    application.save(update_fields=["motivation"])
    with pytest.raises(RequirementsMissing) as refusal:
        transition_perform(name="submit", obj=application, by=people["owner"])
    assert refusal.value.messages == ["Skriv varför testet behöver pengarna (motivering)."]


def test_a_decided_or_withdrawn_application_cannot_be_withdrawn_or_changed(people):
    application = application_in(S.DECIDED, people)
    with pytest.raises(NotAllowed):
        transition_perform(name="withdraw", obj=application, by=people["owner"])
    with pytest.raises(NotAllowed):
        application_update(
            application=application,
            by=people["owner"],
            motivation="x",
            expected_effect="y",
            lines=[BudgetLineInput(category="materials", description="Lås", amount=1)],
        )


def test_a_returned_and_resubmitted_application_is_decided_anew(people):
    application = application_in(S.SUBMITTED, people)
    returned = decision_record(
        application=application, by=people["coach"], kind=DecisionKind.RETURN, rationale="Mer"
    )
    transition_perform(name="submit", obj=application, by=people["owner"])

    approved = decision_record(
        application=application, by=people["coach"], kind=DecisionKind.APPROVE, rationale="Ja"
    )

    application.refresh_from_db()
    assert application.state == S.DECIDED
    assert approved.sequence == returned.sequence + 1
