"""Notifications about ideas and fund decisions: in-app and by e-mail (workflows/tasks.py).

The services call these functions in `transaction.on_commit`, after the change
is saved. From there nothing may fail loudly: the idea has already moved, so a
broken mail server or task queue is logged, never raised to the person acting.
"""

import logging
from functools import partial

from django.db import transaction
from django.db.models import Q

from ideasluss.accounts.models import User
from ideasluss.accounts.roles import Role
from ideasluss.ideas.models import IdeaState

from .models import Notification, NotificationKind
from .tasks import send_notification_email

logger = logging.getLogger(__name__)


def notify_idea_transition(*, idea, log_entry) -> None:
    """Tell the owner and team (and on submit, the coaches) that the idea moved."""
    try:
        actor_id = log_entry.by_id if log_entry is not None else None
        target_state = log_entry.state if log_entry is not None else idea.state
        facts = {
            "idea": idea,
            "actor_id": actor_id,
            "transition": (log_entry.transition if log_entry is not None else "")[:50],
            "source_state": (log_entry.source_state or "") if log_entry is not None else "",
            "target_state": target_state,
            "message": (log_entry.description or "") if log_entry is not None else "",
        }
        members = _active_members(idea)
        coaches = set()
        if target_state == IdeaState.SUBMITTED:
            coaches = set(
                User.objects.filter(groups__name=Role.COACH, is_active=True)
                .values_list("pk", flat=True)
                .distinct()
            )
        notifications = [
            Notification(recipient_id=pk, kind=NotificationKind.TRANSITION, **facts)
            for pk in sorted(members - {actor_id})
        ] + [
            Notification(recipient_id=pk, kind=NotificationKind.SUBMITTED_FOR_SCREENING, **facts)
            for pk in sorted(coaches - members - {actor_id})
        ]
        _create_and_send(notifications)
    except Exception:
        logger.exception("Could not notify about the transition of idea %s", idea.pk)


def notify_comment(*, comment) -> None:
    """Tell the idea's owner and team about a new comment."""
    try:
        idea = comment.idea
        notifications = [
            Notification(
                recipient_id=pk,
                idea=idea,
                actor_id=comment.author_id,
                kind=NotificationKind.COMMENT,
                comment=comment,
            )
            for pk in sorted(_active_members(idea) - {comment.author_id})
        ]
        _create_and_send(notifications)
    except Exception:
        logger.exception("Could not notify about comment %s", comment.pk)


def notify_fund_decision(*, decision) -> None:
    """Tell the applicant and the idea's team what the fund decided."""
    try:
        application = decision.application
        idea = application.idea
        recipients = _active_members(idea) | {application.applicant_id}
        notifications = [
            Notification(
                recipient_id=pk,
                idea=idea,
                actor_id=decision.decided_by_id,
                kind=NotificationKind.FUND_DECISION,
                decision=decision,
            )
            for pk in sorted(recipients - {decision.decided_by_id})
        ]
        _create_and_send(notifications)
    except Exception:
        logger.exception("Could not notify about fund decision %s", decision.pk)


def _active_members(idea) -> set[int]:
    """The primary keys of the idea's owner and co-owners who can still sign in."""
    return set(
        User.objects.filter(is_active=True)
        .filter(Q(pk=idea.owner_id) | Q(co_owned_ideas=idea))
        .values_list("pk", flat=True)
        .distinct()
    )


def _create_and_send(notifications: list[Notification]) -> None:
    if not notifications:
        return
    with transaction.atomic():
        created = Notification.objects.bulk_create(notifications)
        for notification in created:
            # Enqueued once the rows are committed, so a worker always finds them.
            transaction.on_commit(partial(enqueue_notification_email, notification.pk))


def enqueue_notification_email(notification_id: int) -> None:
    """Queue the e-mail for one notification; a failing queue is logged, never raised."""
    try:
        send_notification_email.enqueue(notification_id)
    except Exception:
        logger.exception("Could not queue the e-mail for notification %s", notification_id)
