"""One test per event: the real service runs, and the people concerned get a notification
and an e-mail in their own language, with a deep link; the one who acted gets neither."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from ideasluss.accounts.roles import Role
from ideasluss.fund.models import DecisionKind, MeetingState
from ideasluss.fund.services import conflict_declare
from ideasluss.ideas.models import IdeaState, NominationState
from ideasluss.ideas.services import vote_cast
from tests.dates import today
from tests.factories import (
    ApplicationFactory,
    CommentFactory,
    FundFactory,
    IdeaFactory,
    NominationFactory,
    TestPlanFactory,
    UserFactory,
)
from workflows.fund.services import (
    decision_record,
    meeting_create,
    meeting_minute_checkers_set,
    meeting_reschedule,
    meeting_update,
    minutes_sign,
    money_return,
    stand_in_appoint,
)
from workflows.ideas.services import (
    champion_toggle,
    comment_hide,
    nomination_create,
    team_member_add,
    team_member_remove,
    winner_declare,
)
from workflows.models import Notification, NotificationKind
from workflows.transitions import transition_perform

pytestmark = pytest.mark.django_db

K = NotificationKind


BASE = "http://localhost"  # WAGTAILADMIN_BASE_URL in the test settings


def long_date(day, language: str) -> str:
    with translation.override(language):
        return date_format(day, "j F Y")


def told() -> dict[str, str]:
    """username → kind of every notification."""
    return {n.recipient.username: n.kind for n in Notification.objects.select_related("recipient")}


def mail_to(user):
    found = [message for message in mail.outbox if message.to == [user.email]]
    assert len(found) == 1, f"expected one e-mail to {user.email}, got {len(found)}"
    return found[0]


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Call a service and run what it leaves for after the commit (the notifications)."""

    def call(service, **arguments):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**arguments)

    return call


@pytest.fixture
def owner(db):
    return UserFactory(username="agnes", preferred_language="sv", roles=[Role.STAFF])


@pytest.fixture
def co_owner(db):
    return UserFactory(username="eve", preferred_language="en", roles=[Role.STAFF])


@pytest.fixture
def idea(owner, co_owner):
    idea = IdeaFactory(owner=owner, title="Digitala nycklar", state=IdeaState.PLANNING)
    idea.co_owners.add(co_owner)
    return idea


@pytest.fixture
def english_member(db):
    return UserFactory(
        username="member-en", preferred_language="en", roles=[Role.STAFF, Role.COMMITTEE_MEMBER]
    )


@pytest.fixture
def fund(chair, committee_member, english_member):
    return FundFactory(
        name="Innovationsfonden 2026",
        capital=500_000,
        delegated_limit=30_000,
        committee=[chair, committee_member, english_member],
    )


@pytest.fixture
def application(fund, idea, owner):
    """Under the delegated limit: a coach decides it alone."""
    return ApplicationFactory(fund=fund, idea=idea, applicant=owner, total=20_000)


# --- the idea's team --------------------------------------------------------------------


def test_being_added_to_a_team_is_told_to_the_colleague(run, idea, owner):
    colleague = UserFactory(username="bo", preferred_language="sv")
    english = UserFactory(username="ann", preferred_language="en")

    run(team_member_add, idea=idea, by=owner, user=colleague)
    run(team_member_add, idea=idea, by=owner, user=english)

    assert told() == {"bo": K.TEAM_ADDED, "ann": K.TEAM_ADDED}
    swedish = mail_to(colleague)
    assert swedish.subject == "Du är med i teamet för ”Digitala nycklar” – Idésluss"
    assert f"{owner.full_name} har lagt till dig i teamet för idén ”Digitala nycklar”." in (
        swedish.body
    )
    assert f"{BASE}{idea.get_absolute_url()}" in swedish.body
    assert mail_to(english).subject == "You are on the team of “Digitala nycklar” – Idésluss"


def test_being_taken_off_a_team_is_told_and_leads_to_ones_own_ideas(run, idea, owner, co_owner):
    run(team_member_remove, idea=idea, by=owner, user=co_owner)

    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (co_owner, K.TEAM_REMOVED)
    assert notification.url == reverse("ideas:idea-mine")
    message = mail_to(co_owner)
    assert message.subject == "You are no longer on the team of “Digitala nycklar” – Idésluss"
    assert f"{BASE}{reverse('ideas:idea-mine')}" in message.body


def test_a_new_champion_is_told_to_the_team_once(run, idea, owner, co_owner, staff):
    run(champion_toggle, idea=idea, by=staff, offer="Jag kan låna ut min enhets lås.")
    run(champion_toggle, idea=idea, by=staff)  # undone
    run(champion_toggle, idea=idea, by=staff)  # and again: not news twice

    assert told() == {"agnes": K.CHAMPIONED, "eve": K.CHAMPIONED}
    swedish = mail_to(owner)
    assert swedish.subject == "En ny stöttare för ”Digitala nycklar” – Idésluss"
    assert "Jag kan låna ut min enhets lås." in swedish.body
    assert mail_to(co_owner).subject == "A new champion for “Digitala nycklar” – Idésluss"


def test_a_hidden_comment_is_told_to_its_author_with_the_reason(run, idea, owner, coach):
    author = UserFactory(username="bo", preferred_language="sv", roles=[Role.STAFF])
    comment = CommentFactory(idea=idea, author=author)

    run(comment_hide, comment=comment, by=coach, reason="Namnger en brukare.")

    assert told() == {"bo": K.COMMENT_HIDDEN}
    message = mail_to(author)
    assert message.subject == "Din kommentar om ”Digitala nycklar” är dold – Idésluss"
    assert f"{coach.full_name} har dolt din kommentar om idén ”Digitala nycklar”." in (message.body)
    assert "Namnger en brukare." in message.body
    assert f"{BASE}{idea.get_absolute_url()}" in message.body


def test_a_nominated_idea_is_told_to_its_team_but_not_to_the_nominator(
    run, idea, owner, co_owner, staff
):
    type(idea).objects.filter(pk=idea.pk).update(state=IdeaState.LEARNED)
    idea.refresh_from_db()

    nomination = run(
        nomination_create,
        by=staff,
        year=today().year,
        idea=idea,
        title="Låsen som inte passade",
        story="Vi mätte inte dörrarna först.",
        consent_confirmed=True,
    )

    assert told() == {"agnes": K.NOMINATED, "eve": K.NOMINATED}
    swedish = mail_to(owner)
    assert swedish.subject == (
        f"”Digitala nycklar” är nominerad till årets bästa misstag {nomination.year} – Idésluss"
    )
    assert mail_to(co_owner).subject == (
        f"“Digitala nycklar” is nominated for the best mistake of {nomination.year} – Idésluss"
    )


def test_a_nomination_in_free_text_tells_nobody(run, staff):
    run(
        nomination_create,
        by=staff,
        year=today().year,
        title="Vi beställde fel lås",
        story="Låsen passade inte. Nu mäter vi först.",
        consent_confirmed=True,
    )

    assert told() == {}


# --- the follow-up and the public page -------------------------------------------------------


def test_a_test_past_its_end_asks_the_team_for_the_result_once(run, idea, owner, co_owner):
    TestPlanFactory(
        idea=idea,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 1, 15),
    )
    type(idea).objects.filter(pk=idea.pk).update(state=IdeaState.TESTING)
    IdeaFactory(state=IdeaState.TESTING)  # no test plan: nothing is due

    run(call_command, command_name="send_notification_digests", verbosity=0)
    run(call_command, command_name="send_notification_digests", verbosity=0)

    assert told() == {"agnes": K.FOLLOW_UP_DUE, "eve": K.FOLLOW_UP_DUE}
    swedish = mail_to(owner)
    assert swedish.subject == "Dags att redovisa resultatet av ”Digitala nycklar” – Idésluss"
    assert "skulle avslutas den 15 januari 2026" in swedish.body
    assert f"{BASE}{reverse('ideas:idea-evaluation', args=[idea.pk])}" in swedish.body
    assert "was planned to end on 15 January 2026" in mail_to(co_owner).body


def test_publishing_the_story_of_an_idea_tells_its_team(
    run, django_capture_on_commit_callbacks, owner, co_owner, coach
):
    from cms.services import story_page_draft_create
    from cms.site_tree import ensure_site_tree

    ensure_site_tree()
    idea = IdeaFactory(
        owner=owner,
        title="Elcyklar i hemtjänsten",
        state=IdeaState.LEARNED,
        publication_consent=True,
        lessons_learned="Batterierna räckte inte i kylan.",
    )
    idea.co_owners.add(co_owner)
    page = story_page_draft_create(idea=idea, by=coach)
    assert not Notification.objects.exists()  # a draft is not news

    with django_capture_on_commit_callbacks(execute=True):
        page.get_latest_revision().publish(user=coach)
    with django_capture_on_commit_callbacks(execute=True):
        page.refresh_from_db()
        page.save_revision(user=coach).publish(user=coach)  # a correction is not news

    assert told() == {"agnes": K.PAGE_PUBLISHED, "eve": K.PAGE_PUBLISHED}
    page.refresh_from_db()
    swedish = mail_to(owner)
    assert swedish.subject == "Publicerad: en publik sida om ”Elcyklar i hemtjänsten” – Idésluss"
    assert f"{BASE}{page.url}" in swedish.body
    english = mail_to(co_owner)
    assert "A public page about the idea “Elcyklar i hemtjänsten” is published" in english.body


# --- the best mistake of the year --------------------------------------------------------


def test_a_shortlisted_nomination_is_told_to_the_nominator(run, coach, owner):
    nomination = NominationFactory(title="Låsen som inte passade", nominated_by=owner)

    run(transition_perform, obj=nomination, name="shortlist", by=coach)

    assert told() == {"agnes": K.NOMINATION_SHORTLISTED}
    assert mail_to(owner).subject == "På kortlistan: ”Låsen som inte passade” – Idésluss"


def test_winning_the_best_mistake_tells_the_nominator_and_the_team(
    run, coach, committee_member, chair, idea, owner, co_owner
):
    nominator = UserFactory(username="nils", preferred_language="sv")
    type(idea).objects.filter(pk=idea.pk).update(state=IdeaState.LEARNED)
    nomination = NominationFactory(
        title="Låsen som inte passade",
        nominated_by=nominator,
        idea=idea,
        state=NominationState.SHORTLISTED,
    )
    for juror in (coach, committee_member, chair):
        vote_cast(nomination=nomination, by=juror)

    run(winner_declare, year=nomination.year, by=chair, motivation="Modigt och lärorikt.")

    assert told() == {"nils": K.AWARD_WON, "agnes": K.AWARD_WON, "eve": K.AWARD_WON}
    year = nomination.year
    swedish = mail_to(nominator)
    assert swedish.subject == f"Årets bästa misstag {year}: ”Låsen som inte passade” – Idésluss"
    assert "Modigt och lärorikt." in swedish.body
    assert f"“Låsen som inte passade” is the best mistake of {year}." in mail_to(co_owner).body


# --- applications -----------------------------------------------------------------------


def test_a_submitted_application_asks_the_committee_to_review_and_tells_the_coaches(
    run, fund, idea, owner, coach, chair, committee_member, english_member
):
    draft = ApplicationFactory(fund=fund, idea=idea, applicant=owner, state="draft", total=35_000)
    other_fund_member = UserFactory(roles=[Role.STAFF, Role.COMMITTEE_MEMBER])

    run(transition_perform, obj=draft, name="submit", by=owner)

    assert told() == {
        "eve": K.APPLICATION_TRANSITION,
        "chair": K.REVIEW_REQUESTED,
        "member": K.REVIEW_REQUESTED,
        "member-en": K.REVIEW_REQUESTED,
        "coach": K.APPLICATION_SUBMITTED,
    }
    assert other_fund_member.username not in told()
    review = mail_to(english_member)
    assert review.subject == "An application to review: Digitala nycklar – Idésluss"
    assert "waits for your review: “Digitala nycklar”, SEK 35,000" in review.body
    assert f"{BASE}{draft.get_absolute_url()}" in review.body
    coaching = mail_to(coach)
    assert coaching.subject == "Ny ansökan till fonden: Digitala nycklar – Idésluss"
    assert "har sökt 35\u00a0000 kr ur Innovationsfonden 2026" in coaching.body
    team = mail_to(idea.co_owners.get())
    assert team.subject == "The application for “Digitala nycklar” is now “Submitted” – Idésluss"


def test_the_first_review_tells_the_team_the_review_has_started(
    run, application, owner, co_owner, committee_member
):
    from workflows.fund.services import review_submit

    conflict_declare(application=application, member=committee_member, has_conflict=False)
    scores = {criterion.pk: 4 for criterion in application.fund.criteria.all()}

    run(review_submit, application=application, member=committee_member, scores=scores)

    assert told() == {"agnes": K.APPLICATION_TRANSITION, "eve": K.APPLICATION_TRANSITION}
    assert mail_to(owner).subject == (
        "Ansökan för ”Digitala nycklar” har nu status ”Under bedömning” – Idésluss"
    )


def test_withdrawing_under_review_tells_the_reviewers(run, application, owner, coach, chair):
    run(transition_perform, obj=application, name="withdraw", by=owner)

    kinds = told()
    assert kinds["eve"] == kinds["coach"] == kinds["chair"] == K.APPLICATION_TRANSITION
    assert "agnes" not in kinds
    assert mail_to(coach).subject == (
        "Ansökan för ”Digitala nycklar” har nu status ”Återtagen” – Idésluss"
    )


def test_a_return_for_changes_asks_the_team_to_change_and_resubmit(
    run, application, owner, co_owner, coach
):
    run(
        decision_record,
        application=application,
        by=coach,
        kind=DecisionKind.RETURN,
        rationale="Budgeten saknar kostnaden för vikarie.",
    )

    assert told() == {"agnes": K.FUND_DECISION, "eve": K.FUND_DECISION}
    notification = Notification.objects.get(recipient=owner)
    assert notification.url == application.get_absolute_url()
    swedish = mail_to(owner)
    number = notification.decision.registration_number
    assert f"är återremitterad för ändringar ({number}): ändra den" in swedish.body
    assert "Budgeten saknar kostnaden för vikarie." in swedish.body
    english = mail_to(co_owner)
    assert english.subject == "Decision on the application for “Digitala nycklar” – Idésluss"
    assert "is returned for changes" in english.body


def test_returning_the_unspent_money_tells_the_team(run, application, owner, co_owner, coach):
    decision_record(
        application=application, by=coach, kind=DecisionKind.APPROVE, rationale="Bra test."
    )
    type(application.idea).objects.filter(pk=application.idea_id).update(state=IdeaState.LEARNED)
    application.idea.refresh_from_db()

    run(money_return, application=application, by=coach, note="Testet blev billigare.")

    assert told() == {"agnes": K.MONEY_RETURNED, "eve": K.MONEY_RETURNED}
    swedish = mail_to(owner)
    assert swedish.subject == "Outnyttjade pengar återförda: Digitala nycklar – Idésluss"
    assert "har fört tillbaka 20\u00a0000 kr som blev över" in swedish.body
    assert "returned SEK 20,000 left of the grant" in mail_to(co_owner).body


# --- meetings ----------------------------------------------------------------------------


def test_a_planned_meeting_and_a_new_date_are_told_to_the_committee(
    run, fund, chair, committee_member, english_member
):
    meeting = run(meeting_create, fund=fund, by=chair, date=datetime.date(2099, 12, 1))
    run(meeting_reschedule, meeting=meeting, by=chair, date=datetime.date(2099, 12, 8))

    planned = Notification.objects.filter(kind=K.MEETING_PLANNED)
    moved = Notification.objects.filter(kind=K.MEETING_RESCHEDULED)
    assert (
        {n.recipient for n in planned}
        == {n.recipient for n in moved}
        == {
            committee_member,
            english_member,
        }
    )
    swedish = [m for m in mail.outbox if m.to == [committee_member.email]]
    assert [m.subject for m in swedish] == [
        "Möte i fondrådet den 1 december 2099 – Idésluss",
        "Mötet i fondrådet är flyttat till den 8 december 2099 – Idésluss",
    ]
    assert f"{BASE}{meeting.get_absolute_url()}" in swedish[0].body
    english = [m for m in mail.outbox if m.to == [english_member.email]]
    assert english[1].subject == "The committee meeting is moved to 8 December 2099 – Idésluss"


def test_an_application_on_the_agenda_asks_the_committee_to_prepare_and_tells_the_team(
    run, fund, application, chair, committee_member, english_member, owner
):
    meeting = meeting_create(fund=fund, by=chair, date=datetime.date(2099, 12, 1))

    run(meeting_update, meeting=meeting, by=chair, agenda=[application])
    run(meeting_update, meeting=meeting, by=chair, agenda=[application])  # nothing new

    kinds = {n.recipient.username: n.kind for n in Notification.objects.filter(meeting=meeting)}
    assert kinds == {
        "agnes": K.APPLICATION_SCHEDULED,
        "eve": K.APPLICATION_SCHEDULED,
        "member": K.AGENDA_ITEM_ADDED,
        "member-en": K.AGENDA_ITEM_ADDED,
    }
    # Taken up by the agenda, the application is in review: the team hears both.
    assert sorted(m.subject for m in mail.outbox if m.to == [owner.email]) == [
        "Ansökan för ”Digitala nycklar” har nu status ”Under bedömning” – Idésluss",
        "Ansökan för ”Digitala nycklar” står på dagordningen den 1 december 2099 – Idésluss",
    ]
    english = mail_to(english_member)
    assert english.subject == "On the agenda of 1 December 2099: Digitala nycklar – Idésluss"
    assert "declare any conflict of interest and score it before the meeting" in english.body


def open_meeting_with(fund, chair, attendees, application):
    meeting = meeting_create(fund=fund, by=chair, date=today())
    meeting_update(meeting=meeting, by=chair, attendees=[chair, *attendees], agenda=[application])
    return transition_perform(obj=meeting, name="open", by=chair)


def test_the_member_appointed_to_lead_an_item_is_told(
    run, fund, application, chair, committee_member, english_member
):
    conflict_declare(application=application, member=chair, has_conflict=True, reason="Min son.")
    meeting = open_meeting_with(fund, chair, [committee_member, english_member], application)

    run(
        stand_in_appoint,
        meeting=meeting,
        application=application,
        member=english_member,
        by=chair,
    )

    notification = Notification.objects.get(kind=K.STAND_IN_APPOINTED)
    assert notification.recipient == english_member
    assert notification.url == meeting.get_absolute_url()
    assert mail_to(english_member).subject == (
        f"You lead an item at the meeting of {long_date(today(), 'en')} – Idésluss"
    )


def test_closing_asks_the_minute_checkers_to_sign_then_the_chair_to_post_then_all_hear(
    run, fund, application, chair, committee_member, english_member, owner
):
    meeting = open_meeting_with(fund, chair, [committee_member, english_member], application)
    decision_record(
        application=application,
        by=chair,
        meeting=meeting,
        kind=DecisionKind.APPROVE,
        rationale="Stor nytta.",
    )
    meeting_minute_checkers_set(meeting=meeting, by=chair, checkers=[english_member])
    Notification.objects.all().delete()
    mail.outbox.clear()

    run(transition_perform, obj=meeting, name="close", by=chair)
    assert told() == {"member-en": K.MINUTES_TO_SIGN}
    assert mail_to(english_member).subject.startswith("Minutes to check: the meeting of ")
    assert f"{BASE}{reverse('fund:minutes', args=[meeting.pk])}" in mail_to(english_member).body

    # A second checker chosen after the close is asked too; the first is not asked twice.
    run(
        meeting_minute_checkers_set,
        meeting=meeting,
        by=chair,
        checkers=[english_member, committee_member],
    )
    assert Notification.objects.filter(kind=K.MINUTES_TO_SIGN).count() == 2
    assert mail_to(committee_member).subject.startswith("Protokoll att justera: mötet den ")

    Notification.objects.all().delete()
    mail.outbox.clear()
    minutes_sign(meeting=meeting, by=english_member)
    minutes_sign(meeting=meeting, by=committee_member)
    run(minutes_sign, meeting=meeting, by=chair)  # the last signature checks the minutes
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CHECKED
    assert told() == {"chair": K.MINUTES_CHECKED}
    assert "anslå det på anslagstavlan" in mail_to(chair).body

    Notification.objects.all().delete()
    mail.outbox.clear()
    run(transition_perform, obj=meeting, name="post_minutes", by=chair)
    kinds = told()
    assert set(kinds) == {"member", "member-en", "agnes", "eve"}
    assert set(kinds.values()) == {K.MINUTES_POSTED}
    meeting.refresh_from_db()
    deadline = meeting.appeal_deadline
    assert f"kan överklagas till och med den {long_date(deadline, 'sv')}." in mail_to(owner).body
