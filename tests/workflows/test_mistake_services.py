"""The best mistake of the year: who may nominate and judge, and every refusal."""

import threading

import pytest
from django.db import connections
from django.utils import timezone
from django_fsm_log.models import StateLog

from ideasluss.accounts.roles import Role
from ideasluss.errors import NotAllowed, WorkflowError
from ideasluss.ideas.models import IdeaState, Nomination, NominationState
from ideasluss.ideas.selectors import nomination_open_years
from ideasluss.ideas.services import nomination_create
from tests.factories import IdeaFactory, NominationFactory, UserFactory
from workflows.transitions import transition_perform

pytestmark = pytest.mark.django_db

N = NominationState
THIS_YEAR = timezone.localdate().year
JURY_ROLES = ["coach", "committee_member", "chair"]


@pytest.fixture
def learned_idea(db):
    return IdeaFactory(
        title="Digitala lås i hemtjänsten",
        state=IdeaState.LEARNED,
        lessons_learned="Låsen passade inte dörrarna. Mät dörrarna först.",
    )


def nominate(by, **overrides):
    arguments = {
        "year": THIS_YEAR,
        "title": "Vi beställde fel lås",
        "story": "Låsen passade inte. Nu mäter vi först.",
        "consent_confirmed": True,
        **overrides,
    }
    return nomination_create(by=by, **arguments)


# Nominating ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["staff", *JURY_ROLES])
def test_every_employee_can_nominate_in_their_own_words(request, role):
    user = request.getfixturevalue(role)
    nomination = nominate(user)
    assert nomination.state == N.NOMINATED
    assert nomination.nominated_by == user
    assert nomination.consent_confirmed is True
    assert nomination.idea is None


def test_nominating_a_learned_idea_fills_in_its_title_and_lessons(staff, learned_idea):
    nomination = nominate(staff, idea=learned_idea, title="", story="  ")
    assert nomination.idea == learned_idea
    assert nomination.title == "Digitala lås i hemtjänsten"
    assert nomination.story == "Låsen passade inte dörrarna. Mät dörrarna först."


def test_a_nomination_from_an_idea_keeps_the_words_given(staff, learned_idea):
    nomination = nominate(staff, idea=learned_idea, title="Låsen som aldrig passade")
    assert nomination.title == "Låsen som aldrig passade"
    assert nomination.story == "Låsen passade inte. Nu mäter vi först."


def test_nominating_without_consent_is_refused(staff):
    with pytest.raises(WorkflowError) as refusal:
        nominate(staff, consent_confirmed=False)
    assert "samtycke" in refusal.value.messages[0]
    assert not Nomination.objects.exists()


def test_a_user_without_a_role_cannot_nominate(db):
    with pytest.raises(NotAllowed) as refusal:
        nominate(UserFactory(roles=[]))
    assert "Bara medarbetare" in refusal.value.messages[0]
    assert not Nomination.objects.exists()


@pytest.mark.parametrize("state", [IdeaState.TESTING, IdeaState.SCALED, IdeaState.DRAFT])
def test_only_a_learned_idea_can_be_nominated(staff, state):
    idea = IdeaFactory(state=state, owner=staff, lessons_learned="Något")
    with pytest.raises(NotAllowed) as refusal:
        nominate(staff, idea=idea)
    assert "lärdom" in refusal.value.messages[0]
    assert not Nomination.objects.exists()


def test_title_and_story_are_needed_without_an_idea(staff):
    with pytest.raises(WorkflowError) as refusal:
        nominate(staff, title=" ", story="")
    assert refusal.value.messages == [
        "Ge misstaget en rubrik.",
        "Berätta vad som hände och vad ni lärde er.",
    ]


def test_a_too_long_title_is_refused(staff):
    with pytest.raises(WorkflowError) as refusal:
        nominate(staff, title="x" * 201)
    assert "högst 200 tecken" in refusal.value.messages[0]


@pytest.mark.parametrize("year", [THIS_YEAR + 1, THIS_YEAR - 2, 1999])
def test_a_year_that_is_not_open_is_refused_with_the_open_years(staff, year):
    with pytest.raises(WorkflowError) as refusal:
        nominate(staff, year=year)
    assert refusal.value.messages == [
        f"Nomineringen är öppen för {THIS_YEAR - 1} eller {THIS_YEAR}."
    ]
    assert not Nomination.objects.exists()


def test_nominating_for_a_decided_year_is_refused_and_offers_the_next_year(staff):
    NominationFactory(state=N.WINNER)
    NominationFactory(state=N.WINNER, year=THIS_YEAR - 1)
    with pytest.raises(WorkflowError) as refusal:
        nominate(staff)
    assert refusal.value.messages == [
        f"Årets bästa misstag {THIS_YEAR} är redan utsett. Nominera till {THIS_YEAR + 1} i stället."
    ]
    assert Nomination.objects.count() == 2


def test_once_this_year_is_decided_next_year_is_open(staff):
    NominationFactory(state=N.WINNER)
    assert nomination_open_years() == [THIS_YEAR - 1, THIS_YEAR + 1]
    nomination = nominate(staff, year=THIS_YEAR + 1)
    assert nomination.year == THIS_YEAR + 1


def test_last_year_closes_when_it_is_decided(db):
    NominationFactory(state=N.WINNER, year=THIS_YEAR - 1)
    assert nomination_open_years() == [THIS_YEAR]


def test_an_idea_is_offered_the_years_it_is_not_nominated_for(staff, learned_idea):
    nominate(staff, idea=learned_idea)
    assert nomination_open_years(idea=learned_idea) == [THIS_YEAR - 1]


def test_an_idea_is_nominated_once_a_year(staff, coach, learned_idea):
    nominate(staff, idea=learned_idea)
    with pytest.raises(WorkflowError) as refusal:
        nominate(coach, idea=learned_idea)
    assert "redan nominerad" in refusal.value.messages[0]
    nominate(coach, idea=learned_idea, year=THIS_YEAR - 1)
    assert learned_idea.nominations.count() == 2


# The jury ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", JURY_ROLES)
def test_the_jury_shortlists(request, role):
    member = request.getfixturevalue(role)
    nomination = transition_perform(name="shortlist", obj=NominationFactory(), by=member)
    assert nomination.state == N.SHORTLISTED
    assert nomination.decided_by == member
    assert nomination.decided_at is not None


@pytest.mark.parametrize("role", JURY_ROLES)
def test_the_jury_sets_aside(request, role):
    member = request.getfixturevalue(role)
    for state in (N.NOMINATED, N.SHORTLISTED):
        nomination = transition_perform(
            name="set_aside", obj=NominationFactory(state=state), by=member
        )
        assert nomination.state == N.NOT_CHOSEN


def declare(nomination, by, motivation="Modigt, ärligt och lärorikt."):
    """The lifecycle's internal step, as `winner_declare` takes it (its guards under test)."""
    return transition_perform(
        name="declare_winner",
        obj=nomination,
        by=by,
        changes={"jury_motivation": motivation},
        internal=True,
    )


@pytest.mark.parametrize("role", JURY_ROLES)
def test_no_juror_alone_can_declare_a_winner(request, role):
    nomination = NominationFactory(state=N.SHORTLISTED)
    with pytest.raises(NotAllowed) as refusal:
        transition_perform(
            name="declare_winner",
            obj=nomination,
            by=request.getfixturevalue(role),
            changes={"jury_motivation": "Bra."},
        )
    assert refusal.value.messages == ["Det här steget tas av den tjänst som äger det."]
    nomination.refresh_from_db()
    assert nomination.state == N.SHORTLISTED


def test_the_declared_winner_keeps_the_motivation(chair):
    winner = declare(NominationFactory(state=N.SHORTLISTED), chair, "  Modigt och ärligt.  ")
    assert winner.state == N.WINNER
    assert winner.jury_motivation == "Modigt och ärligt."
    assert winner.decided_by == chair


def test_the_chair_withdraws_a_win_with_a_reason(chair):
    nomination = transition_perform(
        name="withdraw_winner",
        obj=NominationFactory(state=N.WINNER),
        by=chair,
        message="De som nämns har ångrat sitt samtycke.",
    )
    assert nomination.state == N.SHORTLISTED
    assert nomination.jury_motivation == ""


def test_withdrawing_a_win_needs_a_reason(chair):
    nomination = NominationFactory(state=N.WINNER)
    with pytest.raises(WorkflowError) as refusal:
        transition_perform(name="withdraw_winner", obj=nomination, by=chair, message="  ")
    assert refusal.value.messages == [
        "Skriv varför vinsten dras tillbaka: skälet sparas i nomineringens historik."
    ]
    nomination.refresh_from_db()
    assert nomination.state == N.WINNER


def test_a_withdrawn_win_is_logged_with_its_reason(chair):
    nomination = NominationFactory(state=N.WINNER)
    transition_perform(
        name="withdraw_winner", obj=nomination, by=chair, message="Fel år: det hände 2024."
    )
    log = StateLog.objects.for_(nomination).get()
    assert (log.transition, log.by, log.description) == (
        "withdraw_winner",
        chair,
        "Fel år: det hände 2024.",
    )
    assert (log.source_state, log.state) == (N.WINNER, N.SHORTLISTED)


@pytest.mark.parametrize("role", ["coach", "committee_member"])
def test_only_the_chair_withdraws_a_win(request, role):
    nomination = NominationFactory(state=N.WINNER)
    with pytest.raises(NotAllowed):
        transition_perform(
            name="withdraw_winner", obj=nomination, by=request.getfixturevalue(role), message="Nej."
        )
    nomination.refresh_from_db()
    assert nomination.state == N.WINNER


@pytest.mark.parametrize(
    "step, state",
    [
        ("shortlist", N.NOMINATED),
        ("set_aside", N.NOMINATED),
        ("withdraw_winner", N.WINNER),
    ],
)
def test_staff_outside_the_jury_cannot_judge(staff, step, state):
    nomination = NominationFactory(state=state, nominated_by=staff)
    arguments = {"message": "Därför."} if step == "withdraw_winner" else {}
    with pytest.raises(NotAllowed) as refusal:
        transition_perform(obj=nomination, name=step, by=staff, **arguments)
    assert "Bara juryn" in refusal.value.messages[0]
    nomination.refresh_from_db()
    assert nomination.state == state
    assert nomination.decided_by is None


def test_a_set_aside_nomination_can_be_shortlisted_again(coach):
    nomination = transition_perform(
        name="shortlist", obj=NominationFactory(state=N.NOT_CHOSEN), by=coach
    )
    assert nomination.state == N.SHORTLISTED


def test_a_winner_cannot_be_set_aside(coach):
    nomination = NominationFactory(state=N.WINNER)
    with pytest.raises(WorkflowError) as refusal:
        transition_perform(name="set_aside", obj=nomination, by=coach)
    assert refusal.value.messages == ["Vinnaren kan inte väljas bort. Dra först tillbaka vinsten."]
    nomination.refresh_from_db()
    assert nomination.state == N.WINNER


def test_shortlisting_twice_says_why_not(coach):
    nomination = NominationFactory(state=N.SHORTLISTED)
    with pytest.raises(WorkflowError) as refusal:
        transition_perform(name="shortlist", obj=nomination, by=coach)
    assert refusal.value.messages == ["Det går inte medan nomineringen är ”Finalist”."]


def test_a_nomination_without_consent_goes_no_further(coach):
    nomination = NominationFactory(consent_confirmed=False)
    with pytest.raises(WorkflowError) as refusal:
        transition_perform(name="shortlist", obj=nomination, by=coach)
    assert "inte godkänt att nämnas" in refusal.value.messages[0]
    nomination.refresh_from_db()
    assert nomination.state == N.NOMINATED


@pytest.mark.parametrize("motivation", ["", "   \n "])
def test_a_winner_needs_a_motivation(chair, motivation):
    nomination = NominationFactory(state=N.SHORTLISTED)
    with pytest.raises(WorkflowError) as refusal:
        declare(nomination, chair, motivation)
    assert refusal.value.messages == [
        "Skriv juryns motivering: den publiceras tillsammans med vinnaren."
    ]
    nomination.refresh_from_db()
    assert nomination.state == N.SHORTLISTED


@pytest.mark.parametrize("state", [N.NOMINATED, N.NOT_CHOSEN])
def test_a_winner_must_be_shortlisted_first(chair, state):
    nomination = NominationFactory(state=state)
    with pytest.raises(WorkflowError) as refusal:
        declare(nomination, chair)
    assert refusal.value.messages == [
        "Gör nomineringen till finalist innan den kan utses till vinnare."
    ]
    nomination.refresh_from_db()
    assert nomination.state == state


def test_a_year_has_one_winner(chair):
    first = NominationFactory(state=N.WINNER, title="Låsen som inte passade")
    second = NominationFactory(state=N.SHORTLISTED)
    with pytest.raises(WorkflowError) as refusal:
        declare(second, chair)
    assert refusal.value.messages == [
        f"Juryn har redan utsett ”Låsen som inte passade” till årets bästa misstag {THIS_YEAR}. "
        "Dra först tillbaka den vinsten om juryn har ändrat sig."
    ]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (N.WINNER, N.SHORTLISTED)


def test_another_year_may_have_its_own_winner(chair):
    NominationFactory(state=N.WINNER, year=THIS_YEAR - 1)
    winner = declare(NominationFactory(state=N.SHORTLISTED), chair)
    assert winner.state == N.WINNER


def test_declaring_again_is_a_withdrawal_then_a_new_declaration(chair):
    first = NominationFactory(state=N.WINNER)
    second = NominationFactory(state=N.SHORTLISTED)
    transition_perform(name="withdraw_winner", obj=first, by=chair, message="Juryn ändrade sig.")
    declare(second, chair, "Ännu mer lärorikt.")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (N.SHORTLISTED, N.WINNER)


def test_declaring_the_winner_again_says_it_already_won(chair):
    nomination = NominationFactory(state=N.WINNER)
    with pytest.raises(WorkflowError) as refusal:
        declare(nomination, chair, "Igen.")
    assert refusal.value.messages == ["Nomineringen är redan vinnare."]


@pytest.mark.parametrize("state", [N.NOMINATED, N.SHORTLISTED, N.NOT_CHOSEN])
def test_only_a_winner_can_have_its_win_withdrawn(chair, state):
    nomination = NominationFactory(state=state)
    with pytest.raises(WorkflowError):
        transition_perform(name="withdraw_winner", obj=nomination, by=chair, message="Därför.")
    nomination.refresh_from_db()
    assert nomination.state == state


def test_the_jury_acts_on_the_current_state_not_a_stale_copy(coach, chair):
    nomination = NominationFactory()
    stale = Nomination.objects.get(pk=nomination.pk)
    transition_perform(name="set_aside", obj=nomination, by=chair)
    with pytest.raises(WorkflowError) as refusal:
        declare(stale, coach)
    assert "finalist" in refusal.value.messages[0]


def test_a_user_with_only_the_staff_role_is_not_in_the_jury(db):
    user = UserFactory(roles=[Role.STAFF])
    assert user.has_perm("ideas.nominate_mistake")
    assert not user.has_perm("ideas.judge_mistakes")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("round_", range(3))
def test_two_declarations_of_different_winners_at_once_get_one_winner(round_):
    first, second = NominationFactory(state=N.SHORTLISTED), NominationFactory(state=N.SHORTLISTED)
    jury = [UserFactory(roles=[Role.COMMITTEE_CHAIR]) for _ in range(2)]
    start = threading.Barrier(2)
    outcomes = {}

    def pick(index, nomination):
        try:
            start.wait(timeout=10)
            declare(nomination, jury[index], "Bra.")
            outcomes[index] = "won"
        except WorkflowError as refusal:
            outcomes[index] = refusal.messages[0]
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=pick, args=(0, first)),
        threading.Thread(target=pick, args=(1, second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert sorted(outcomes.values()).count("won") == 1
    loser = next(outcome for outcome in outcomes.values() if outcome != "won")
    assert "redan utsett" in loser
    assert Nomination.objects.filter(state=N.WINNER).count() == 1
