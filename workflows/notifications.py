"""Notifications: who is told about what, in-app and by e-mail (workflows/tasks.py).

Every event where someone must act or would want to know has one `notify_…` function
here; the services and lifecycles call it in `transaction.on_commit`, after the change
is saved. From there nothing may fail loudly: the idea has already moved, so a broken
mail server or task queue is logged, never raised to the person acting.

Each person is told once per event (the first role that concerns them wins: the team
before the committee before the coaches), never about what they did themselves, and
only while their account is active. How they hear of it by e-mail — at once, in a
daily digest or not at all — is their own choice (`User.email_notifications`); the
in-app list always has it.
"""

import datetime
import logging
from collections.abc import Iterable
from functools import partial, wraps

from django.db import transaction
from django.utils import timezone

from ideasluss.accounts.models import EmailNotifications, User
from ideasluss.accounts.roles import Role
from ideasluss.fund.models import ApplicationState, DecisionKind, MeetingState
from ideasluss.ideas.models import Idea, IdeaState, NominationState

from .models import Notification, NotificationKind
from .tasks import digest_pending, send_notification_digest, send_notification_email

logger = logging.getLogger(__name__)

K = NotificationKind


def _never_raises(what: str):
    """Log, never raise: a notification must not undo or block what caused it."""

    def decorate(function):
        @wraps(function)
        def wrapper(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except Exception:
                logger.exception("Could not notify about %s (%s).", what, kwargs or args)
                return None

        return wrapper

    return decorate


# --- who ---------------------------------------------------------------------------------


def _active(pks: Iterable[int]) -> set[int]:
    pks = {pk for pk in pks if pk is not None}
    if not pks:
        return set()
    return set(User.objects.filter(pk__in=pks, is_active=True).values_list("pk", flat=True))


def _active_members(idea) -> set[int]:
    """The primary keys of the idea's owner and co-owners who can still sign in.

    Two indexed reads: "owner or co-owner" in one query joined every user to the
    co-owners and took 20 ms at 40,000 users (docs/benchmarks)."""
    co_owners = idea.co_owners.through.objects.filter(idea_id=idea.pk)
    return _active([idea.owner_id, *co_owners.values_list("user_id", flat=True)])


def _coaches() -> set[int]:
    return set(
        User.objects.filter(groups__name=Role.COACH, is_active=True)
        .values_list("pk", flat=True)
        .distinct()
    )


def _committee(fund) -> set[int]:
    """The fund's committee: who reviews and decides its applications."""
    return set(fund.committee_members.filter(is_active=True).values_list("pk", flat=True))


def _application_team(application) -> set[int]:
    return _active_members(application.idea) | _active([application.applicant_id])


def _tell(*groups: tuple[Iterable[int], dict], actor_id: int | None = None, **facts) -> None:
    """One notification per person: `groups` are (recipients, their own facts), the
    first group that names a person decides what they are told; `actor_id` is left out."""
    told = {actor_id}
    rows = []
    for recipients, own in groups:
        for pk in sorted(set(recipients) - told):
            rows.append(Notification(recipient_id=pk, actor_id=actor_id, **facts, **own))
            told.add(pk)
    _create_and_send(rows)


def _create_and_send(notifications: list[Notification]) -> None:
    if not notifications:
        return
    with transaction.atomic():
        created = Notification.objects.bulk_create(notifications)
        wanted = set(
            User.objects.filter(
                pk__in={n.recipient_id for n in created},
                email_notifications=EmailNotifications.IMMEDIATE,
            ).values_list("pk", flat=True)
        )
        for notification in created:
            if notification.recipient_id in wanted:
                # Enqueued once the rows are committed, so a worker always finds them.
                transaction.on_commit(partial(enqueue_notification_email, notification.pk))


def enqueue_notification_email(notification_id: int) -> None:
    """Queue the e-mail for one notification; a failing queue is logged, never raised."""
    try:
        send_notification_email.enqueue(notification_id)
    except Exception:
        logger.exception("Could not queue the e-mail for notification %s", notification_id)


# --- ideas -------------------------------------------------------------------------------


@_never_raises("an idea's step")
def notify_idea_transition(*, idea, log_entry) -> None:
    """Tell the owner and team (and on submit, the coaches) that the idea moved."""
    target_state = log_entry.state if log_entry is not None else idea.state
    facts = {
        "idea": idea,
        "actor_id": log_entry.by_id if log_entry is not None else None,
        "transition": (log_entry.transition if log_entry is not None else "")[:50],
        "source_state": (log_entry.source_state or "") if log_entry is not None else "",
        "target_state": target_state,
        "message": (log_entry.description or "") if log_entry is not None else "",
    }
    coaches = _coaches() if target_state == IdeaState.SUBMITTED else set()
    _tell(
        (_active_members(idea), {"kind": K.TRANSITION}),
        (coaches, {"kind": K.SUBMITTED_FOR_SCREENING}),
        **facts,
    )


@_never_raises("a comment")
def notify_comment(*, comment) -> None:
    """Tell the idea's owner and team about a new comment."""
    _tell(
        (_active_members(comment.idea), {}),
        actor_id=comment.author_id,
        kind=K.COMMENT,
        idea=comment.idea,
        comment=comment,
    )


@_never_raises("a hidden comment")
def notify_comment_hidden(*, comment) -> None:
    """Tell the author that a coach hid their comment, and why (the reason is the
    message): a comment that silently disappears reads as censorship."""
    _tell(
        (_active([comment.author_id]), {}),
        actor_id=comment.hidden_by_id,
        kind=K.COMMENT_HIDDEN,
        idea=comment.idea,
        comment=comment,
        message=comment.hidden_reason,
    )


@_never_raises("a new team member")
def notify_team_added(*, idea, user, by) -> None:
    """Tell a colleague they were put on the idea's team (they did not ask to be)."""
    _tell((_active([user.pk]), {}), actor_id=by.pk, kind=K.TEAM_ADDED, idea=idea)


@_never_raises("a team member taken off")
def notify_team_removed(*, idea, user, by) -> None:
    """Tell a colleague they are no longer on the idea's team."""
    _tell((_active([user.pk]), {}), actor_id=by.pk, kind=K.TEAM_REMOVED, idea=idea)


@_never_raises("a new champion")
def notify_championed(*, idea, by, offer: str = "") -> None:
    """Tell the team that a colleague champions their idea, and what help they offer;
    once per colleague and idea, however often they undo it and champion it again."""
    if Notification.objects.filter(idea=idea, actor=by, kind=K.CHAMPIONED).exists():
        return
    _tell(
        (_active_members(idea), {}),
        actor_id=by.pk,
        kind=K.CHAMPIONED,
        idea=idea,
        message=offer.strip(),
    )


@_never_raises("a published page")
def notify_page_published(*, page) -> None:
    """Tell the team that the public page about their idea is out (the first time only:
    a corrected revision is not news)."""
    idea_id = getattr(page, "idea_id", None)
    if idea_id is None or page.first_published_at != page.last_published_at:
        return
    idea = Idea.objects.filter(pk=idea_id).first()
    if idea is None:
        return
    _tell(
        (_active_members(idea), {}),
        kind=K.PAGE_PUBLISHED,
        idea=idea,
        page_id=page.pk,
        link=page.get_url() or "",
    )


@_never_raises("a nomination's step")
def notify_nomination_step(*, nomination, log_entry) -> None:
    """Tell the nominator and the idea's team that the jury shortlisted their nomination,
    or that it won the best mistake of the year (with the jury's motivation)."""
    kinds = {
        NominationState.SHORTLISTED: K.NOMINATION_SHORTLISTED,
        NominationState.WINNER: K.AWARD_WON,
    }
    kind = kinds.get(nomination.state)
    if kind is None or (log_entry is not None and log_entry.transition == "withdraw_winner"):
        return
    team = _active_members(nomination.idea) if nomination.idea_id else set()
    _tell(
        (_active([nomination.nominated_by_id]) | team, {}),
        actor_id=log_entry.by_id if log_entry is not None else None,
        kind=kind,
        nomination=nomination,
        idea_id=nomination.idea_id,
        message=nomination.jury_motivation if kind == K.AWARD_WON else "",
    )


@_never_raises("a new nomination")
def notify_nominated(*, nomination) -> None:
    """Tell an idea's team that a colleague nominated it for the best mistake of the
    year; a nomination written as free text has no team to tell."""
    if not nomination.idea_id:
        return
    _tell(
        (_active_members(nomination.idea), {}),
        actor_id=nomination.nominated_by_id,
        kind=K.NOMINATED,
        nomination=nomination,
        idea_id=nomination.idea_id,
    )


def notify_follow_ups_due(*, today: datetime.date | None = None) -> int:
    """Tell the team of each running test whose planned end has passed to report its
    result, once per test and end date (an iteration starts a new test, a later end date
    a new wait). Returns how many teams were told. Run daily by `send_notification_digests`."""
    today = today or timezone.localdate()
    due = (
        Idea.objects.filter(state=IdeaState.TESTING, test_plan__end_date__lt=today)
        .select_related("test_plan")
        .order_by("pk")
    )
    told = 0
    for idea in due.iterator():
        already = Notification.objects.filter(
            idea=idea,
            kind=K.FOLLOW_UP_DUE,
            due_on=idea.test_plan.end_date,
            created_at__gte=idea.state_changed_at,
        ).exists()
        if not already:
            _tell(
                (_active_members(idea), {}),
                kind=K.FOLLOW_UP_DUE,
                idea=idea,
                due_on=idea.test_plan.end_date,
            )
            told += 1
    return told


# --- the innovation fund -----------------------------------------------------------------


@_never_raises("an application's step")
def notify_application_transition(*, application, log_entry) -> None:
    """Submitted: the coaches and the fund's committee are asked to take it up and review
    it. Taken up: the team hears the review has started. Withdrawn while under review:
    whoever was reviewing it can stop."""
    actor_id = log_entry.by_id if log_entry is not None else None
    facts = {
        "idea_id": application.idea_id,
        "application": application,
        "transition": (log_entry.transition if log_entry is not None else "")[:50],
        "source_state": (log_entry.source_state or "") if log_entry is not None else "",
        "target_state": application.state,
        "message": (log_entry.description or "") if log_entry is not None else "",
    }
    team = _application_team(application)
    moved = (team, {"kind": K.APPLICATION_TRANSITION})
    if application.state == ApplicationState.SUBMITTED:
        _tell(
            moved,
            (_committee(application.fund), {"kind": K.REVIEW_REQUESTED}),
            (_coaches(), {"kind": K.APPLICATION_SUBMITTED}),
            actor_id=actor_id,
            **facts,
        )
    elif application.state == ApplicationState.WITHDRAWN and facts["source_state"] in (
        ApplicationState.SUBMITTED,
        ApplicationState.IN_REVIEW,
    ):
        reviewers = (_committee(application.fund) | _coaches(), {"kind": K.APPLICATION_TRANSITION})
        _tell(moved, reviewers, actor_id=actor_id, **facts)
    else:
        _tell(moved, actor_id=actor_id, **facts)


@_never_raises("a fund decision")
def notify_fund_decision(*, decision) -> None:
    """Tell the applicant and the idea's team what the fund decided; a return for
    changes asks them to change the application and submit it again."""
    application = decision.application
    _tell(
        (_application_team(application), {}),
        actor_id=decision.decided_by_id,
        kind=K.FUND_DECISION,
        idea_id=application.idea_id,
        application=application,
        decision=decision,
        message=decision.rationale if decision.kind == DecisionKind.RETURN else "",
    )


@_never_raises("the unspent money returned")
def notify_money_returned(*, money_return) -> None:
    """Tell the team that what was left of their grant went back to the fund."""
    application = money_return.application
    _tell(
        (_application_team(application), {}),
        actor_id=money_return.returned_by_id,
        kind=K.MONEY_RETURNED,
        idea_id=application.idea_id,
        application=application,
        amount=money_return.amount,
        message=money_return.note,
    )


@_never_raises("new agenda items")
def notify_agenda_items_added(*, meeting, applications, by) -> None:
    """Each application newly on a meeting's agenda: its team hears when it is decided,
    and the fund's committee is asked to declare and score it before the meeting."""
    committee = _committee(meeting.fund)
    for application in applications:
        _tell(
            (_application_team(application), {"kind": K.APPLICATION_SCHEDULED}),
            (committee, {"kind": K.AGENDA_ITEM_ADDED}),
            actor_id=by.pk,
            idea_id=application.idea_id,
            application=application,
            meeting=meeting,
        )


@_never_raises("a planned meeting")
def notify_meeting_planned(*, meeting, by, rescheduled: bool = False) -> None:
    """Tell the fund's committee when it meets (and when a meeting moves)."""
    _tell(
        (_committee(meeting.fund) | _active(meeting.attendees.values_list("pk", flat=True)), {}),
        actor_id=by.pk,
        kind=K.MEETING_RESCHEDULED if rescheduled else K.MEETING_PLANNED,
        meeting=meeting,
        message=meeting.location,
    )


@_never_raises("a stand-in chair")
def notify_stand_in_appointed(*, item, by) -> None:
    """Tell the member the meeting appointed to lead an item the chair may not lead."""
    application = item.application
    _tell(
        (_active([item.stand_in_id]), {}),
        actor_id=by.pk,
        kind=K.STAND_IN_APPOINTED,
        idea_id=application.idea_id,
        application=application,
        meeting_id=item.meeting_id,
    )


@_never_raises("minutes to check")
def notify_minutes_to_sign(*, meeting, by=None) -> None:
    """Ask the minute checkers of a closed meeting to check and sign its minutes, each
    once (a checker chosen again, or after the close, is asked only if not yet asked)."""
    if meeting.state != MeetingState.CLOSED:
        return
    signed = set(meeting.signatures.values_list("signer_id", flat=True))
    asked = set(
        Notification.objects.filter(meeting=meeting, kind=K.MINUTES_TO_SIGN).values_list(
            "recipient_id", flat=True
        )
    )
    checkers = _active(meeting.minute_checkers.values_list("pk", flat=True))
    _tell(
        (checkers - signed - asked, {}),
        actor_id=by.pk if by is not None else None,
        kind=K.MINUTES_TO_SIGN,
        meeting=meeting,
    )


@_never_raises("a meeting's step")
def notify_meeting_transition(*, meeting, log_entry) -> None:
    """Closed: the minute checkers are asked to sign. Checked: the chair is asked to post
    the minutes. Posted: the committee, those who attended and the teams of the
    applications decided there hear that the weeks for appeals have started."""
    by = log_entry.by if log_entry is not None else None
    if meeting.state == MeetingState.CLOSED:
        notify_minutes_to_sign(meeting=meeting, by=by)
    elif meeting.state == MeetingState.CHECKED:
        # The last signature checks the minutes: the chair is told even when it was theirs.
        _tell((_active([meeting.chair_id]), {}), kind=K.MINUTES_CHECKED, meeting=meeting)
    elif meeting.state == MeetingState.POSTED:
        teams = set()
        for item in meeting.items.select_related("application"):
            teams |= _application_team(item.application)
        _tell(
            (_committee(meeting.fund), {}),
            (_active(meeting.attendees.values_list("pk", flat=True)), {}),
            (teams, {}),
            actor_id=by.pk if by is not None else None,
            kind=K.MINUTES_POSTED,
            meeting=meeting,
        )


# --- e-mail: the daily digest and the retries ----------------------------------------------


def digests_queue() -> tuple[int, int]:
    """Queue one digest for each person who has new notifications and chose a daily
    digest. Returns (people, notifications). Safe to run twice: a digest marks what it
    sent, and a second one for the same person finds nothing left."""
    pending = digest_pending()
    recipients = sorted(set(pending.values_list("recipient_id", flat=True)))
    count = pending.count()
    for user_id in recipients:
        try:
            send_notification_digest.enqueue(user_id)
        except Exception:
            logger.exception("Could not queue the daily digest for user %s.", user_id)
    return len(recipients), count


def failed_emails_retry(*, now: datetime.datetime | None = None) -> int:
    """Try again the single e-mails whose next attempt is due (where the task backend
    could not wait for it). Returns how many were queued."""
    due = (
        Notification.objects.not_emailed()
        .filter(
            email_retry_at__lte=now or timezone.now(),
            recipient__email_notifications=EmailNotifications.IMMEDIATE,
        )
        .values_list("pk", flat=True)
        .order_by("pk")
    )
    queued = 0
    for notification_id in list(due):
        enqueue_notification_email(notification_id)
        queued += 1
    return queued
