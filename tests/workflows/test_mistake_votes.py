"""The jury votes for the best mistake of the year, and the chair declares the result."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_fsm_log.models import StateLog

from ideasluss.accounts.roles import Role
from ideasluss.errors import NotAllowed, WorkflowError
from ideasluss.ideas.models import JuryVote, NominationState
from ideasluss.ideas.rules import is_mistake_jury
from ideasluss.ideas.selectors import jurors, jury_tally
from ideasluss.ideas.services import vote_cast
from tests.factories import NominationFactory, UserFactory
from workflows.ideas.services import winner_declare
from workflows.transitions import transition_perform

pytestmark = pytest.mark.django_db

N = NominationState
THIS_YEAR = timezone.localdate().year
MOTIVATION = "Modigt, ärligt och lärorikt."


@pytest.fixture
def members(db):
    """Two more committee members: with the coach, the member and the chair, five jurors."""
    return [UserFactory(roles=[Role.STAFF, Role.COMMITTEE_MEMBER]) for _ in range(2)]


@pytest.fixture
def jury(coach, committee_member, chair, members):
    return {
        "coach": coach,
        "member": committee_member,
        "chair": chair,
        "a": members[0],
        "b": members[1],
    }


def finalist(title, **kwargs):
    return NominationFactory(title=title, state=N.SHORTLISTED, **kwargs)


def votes_of(year=THIS_YEAR) -> dict[str, int]:
    tally = jury_tally(year=year)
    titles = {vote.nomination_id: vote.nomination.title for vote in tally.votes}
    return {titles[pk]: count for pk, count in tally.counts.items()}


# Voting ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coach", "committee_member", "chair"])
def test_a_juror_votes_for_a_finalist(request, role):
    juror = request.getfixturevalue(role)
    nomination = finalist("Låsen")
    vote = vote_cast(nomination=nomination, by=juror)
    assert (vote.juror, vote.year, vote.nomination) == (juror, THIS_YEAR, nomination)
    assert votes_of() == {"Låsen": 1}


def test_a_juror_changes_their_vote(coach):
    first, second = finalist("Låsen"), finalist("Cyklarna")
    vote_cast(nomination=first, by=coach)
    vote_cast(nomination=second, by=coach)
    assert JuryVote.objects.filter(juror=coach).count() == 1
    assert votes_of() == {"Cyklarna": 1}


def test_a_juror_votes_once_a_year_and_again_the_next_year(coach):
    vote_cast(nomination=finalist("I år"), by=coach)
    vote_cast(nomination=finalist("Förra året", year=THIS_YEAR - 1), by=coach)
    assert JuryVote.objects.filter(juror=coach).count() == 2


def test_the_database_holds_one_vote_per_juror_and_year(coach):
    vote_cast(nomination=finalist("Låsen"), by=coach)
    with pytest.raises(IntegrityError), transaction.atomic():
        JuryVote.objects.create(juror=coach, year=THIS_YEAR, nomination=finalist("Cyklarna"))


@pytest.mark.parametrize("roles", [[Role.STAFF], [Role.STAFF, Role.ADMINISTRATOR], []])
def test_someone_outside_the_jury_cannot_vote(roles):
    nomination = finalist("Låsen")
    with pytest.raises(NotAllowed) as refusal:
        vote_cast(nomination=nomination, by=UserFactory(roles=roles))
    assert "Bara juryn" in refusal.value.messages[0]
    assert not JuryVote.objects.exists()


@pytest.mark.parametrize("state", [N.NOMINATED, N.NOT_CHOSEN])
def test_only_a_finalist_gets_votes(coach, state):
    with pytest.raises(WorkflowError) as refusal:
        vote_cast(nomination=NominationFactory(state=state), by=coach)
    assert refusal.value.messages == [
        "Bara en finalist kan få röster: gör nomineringen till finalist först."
    ]
    assert not JuryVote.objects.exists()


def test_a_vote_cannot_change_once_the_year_is_decided(coach):
    NominationFactory(state=N.WINNER)
    nomination = finalist("Låsen")
    with pytest.raises(WorkflowError) as refusal:
        vote_cast(nomination=nomination, by=coach)
    assert refusal.value.messages == [
        f"Årets bästa misstag {THIS_YEAR} är fastställt: rösterna kan inte längre ändras."
    ]


def test_a_vote_for_a_nomination_set_aside_no_longer_counts(coach, chair):
    nomination = finalist("Låsen")
    vote_cast(nomination=nomination, by=coach)
    transition_perform(name="set_aside", obj=nomination, by=chair)
    tally = jury_tally(year=THIS_YEAR)
    assert (tally.voted, tally.counts) == (0, {})
    assert tally.vote_of(coach).nomination == nomination


def test_the_vote_of_someone_who_left_the_jury_no_longer_counts(coach):
    vote_cast(nomination=finalist("Låsen"), by=coach)
    coach.groups.set([])
    assert jury_tally(year=THIS_YEAR).voted == 0


def test_the_jurors_are_those_the_jury_predicate_names(jury, staff, administrator):
    listed = set(jurors())
    assert listed == set(jury.values())
    for user in (*jury.values(), staff, administrator):
        assert (user in listed) == is_mistake_jury.test(user)


# Declaring the result -------------------------------------------------------------------


def test_the_majority_wins(jury):
    locks, bikes = finalist("Låsen"), finalist("Cyklarna")
    for name in ("coach", "member"):
        vote_cast(nomination=locks, by=jury[name])
    vote_cast(nomination=bikes, by=jury["chair"])
    winner = winner_declare(year=THIS_YEAR, by=jury["chair"], motivation=MOTIVATION)
    assert winner == locks
    locks.refresh_from_db()
    assert (locks.state, locks.jury_motivation, locks.decided_by) == (
        N.WINNER,
        MOTIVATION,
        jury["chair"],
    )
    log = StateLog.objects.for_(locks).get(transition="declare_winner")
    assert log.by == jury["chair"]
    assert log.description == ("Fastställt av juryns ordförande: 2 av 3 röster (5 jurymedlemmar).")


def test_a_tie_is_broken_by_the_chairs_vote(jury):
    locks, bikes = finalist("Låsen"), finalist("Cyklarna")
    vote_cast(nomination=locks, by=jury["coach"])
    vote_cast(nomination=locks, by=jury["chair"])
    vote_cast(nomination=bikes, by=jury["a"])
    vote_cast(nomination=bikes, by=jury["b"])
    winner = winner_declare(year=THIS_YEAR, by=jury["chair"], motivation=MOTIVATION)
    assert winner == locks
    log = StateLog.objects.for_(locks).get(transition="declare_winner")
    assert "lika röstetal avgjort av ordförandens röst" in log.description


def test_a_tie_the_chair_did_not_vote_in_is_refused_until_the_chair_chooses(jury):
    locks, bikes, lists = finalist("Låsen"), finalist("Cyklarna"), finalist("Listan")
    vote_cast(nomination=locks, by=jury["coach"])
    vote_cast(nomination=locks, by=jury["member"])
    vote_cast(nomination=bikes, by=jury["a"])
    vote_cast(nomination=bikes, by=jury["b"])
    vote_cast(nomination=lists, by=jury["chair"])
    with pytest.raises(WorkflowError) as refusal:
        winner_declare(year=THIS_YEAR, by=jury["chair"], motivation=MOTIVATION)
    assert refusal.value.messages == [
        "Rösterna är lika mellan ”Cyklarna” och ”Låsen”. Som juryns ordförande avgör du: "
        "rösta på en av dem och fastställ sedan resultatet."
    ]
    for nomination in (locks, bikes, lists):
        nomination.refresh_from_db()
        assert nomination.state == N.SHORTLISTED
    vote_cast(nomination=bikes, by=jury["chair"])
    assert winner_declare(year=THIS_YEAR, by=jury["chair"], motivation=MOTIVATION) == bikes


def test_not_enough_votes_is_refused(jury):
    locks = finalist("Låsen")
    vote_cast(nomination=locks, by=jury["coach"])
    vote_cast(nomination=locks, by=jury["chair"])
    with pytest.raises(WorkflowError) as refusal:
        winner_declare(year=THIS_YEAR, by=jury["chair"], motivation=MOTIVATION)
    assert refusal.value.messages == [
        "Mer än hälften av juryn måste ha röstat innan resultatet kan fastställas: "
        "2 av 5 jurymedlemmar har röstat på en finalist, 3 behövs."
    ]
    locks.refresh_from_db()
    assert locks.state == N.SHORTLISTED


def test_exactly_half_of_the_jury_is_not_enough(coach, committee_member, chair, members):
    members[1].groups.set([])  # four jurors: two votes are half, not more
    locks = finalist("Låsen")
    vote_cast(nomination=locks, by=coach)
    vote_cast(nomination=locks, by=chair)
    with pytest.raises(WorkflowError) as refusal:
        winner_declare(year=THIS_YEAR, by=chair, motivation=MOTIVATION)
    assert "2 av 4 jurymedlemmar har röstat på en finalist, 3 behövs" in refusal.value.messages[0]


def test_no_votes_is_refused(jury):
    finalist("Låsen")
    with pytest.raises(WorkflowError) as refusal:
        winner_declare(year=THIS_YEAR, by=jury["chair"], motivation=MOTIVATION)
    assert "0 av 5 jurymedlemmar" in refusal.value.messages[0]


@pytest.mark.parametrize("name", ["coach", "member", "a"])
def test_only_the_chair_declares(jury, name):
    locks = finalist("Låsen")
    for juror in jury.values():
        vote_cast(nomination=locks, by=juror)
    with pytest.raises(NotAllowed) as refusal:
        winner_declare(year=THIS_YEAR, by=jury[name], motivation=MOTIVATION)
    assert refusal.value.messages == [
        "Bara juryns ordförande – beslutsgruppens ordförande – fastställer resultatet."
    ]
    locks.refresh_from_db()
    assert locks.state == N.SHORTLISTED


def test_the_declared_winner_needs_the_jurys_motivation(jury):
    locks = finalist("Låsen")
    for juror in jury.values():
        vote_cast(nomination=locks, by=juror)
    with pytest.raises(WorkflowError) as refusal:
        winner_declare(year=THIS_YEAR, by=jury["chair"], motivation="  ")
    assert refusal.value.messages == [
        "Skriv juryns motivering: den publiceras tillsammans med vinnaren."
    ]


def test_a_decided_year_cannot_be_declared_again(jury):
    NominationFactory(state=N.WINNER, title="Förra vinnaren")
    with pytest.raises(WorkflowError) as refusal:
        winner_declare(year=THIS_YEAR, by=jury["chair"], motivation=MOTIVATION)
    assert refusal.value.messages == [
        f"Årets bästa misstag {THIS_YEAR} är redan fastställt: ”Förra vinnaren”."
    ]


def test_after_a_withdrawn_win_the_jury_votes_again_and_the_chair_declares_again(jury):
    locks, bikes = finalist("Låsen"), finalist("Cyklarna")
    for name in ("coach", "member", "chair"):
        vote_cast(nomination=locks, by=jury[name])
    winner_declare(year=THIS_YEAR, by=jury["chair"], motivation=MOTIVATION)
    transition_perform(
        name="withdraw_winner", obj=locks, by=jury["chair"], message="Samtycket drogs tillbaka."
    )
    for name in ("coach", "member", "chair"):
        vote_cast(nomination=bikes, by=jury[name])
    assert winner_declare(year=THIS_YEAR, by=jury["chair"], motivation=MOTIVATION) == bikes
