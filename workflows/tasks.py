"""Background tasks of the workflows (django-tasks, the task framework Wagtail 8 uses):
the e-mail of one notification, and a person's daily digest.

The default backend runs a task at once, in-process, and records an exception as a
failed result instead of raising it; in production a database backend with a worker
runs them. Either way the person whose action caused the e-mail never sees a failing
mail server.

django-tasks does not retry by itself, so a failed send is counted on the notification
(`email_attempts`, `email_error`) and tried again later with a growing delay, at most
`MAX_EMAIL_ATTEMPTS` times: at once by the worker when the backend can defer a task
(`run_after`), otherwise by the daily `send_notification_digests` command.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext
from django_tasks import task

from ideasluss.accounts.models import EmailNotifications, User

from .models import MAX_EMAIL_ATTEMPTS, Notification

logger = logging.getLogger(__name__)

#: The wait before the next attempt, after the first, second... failure.
RETRY_DELAYS = (
    datetime.timedelta(minutes=2),
    datetime.timedelta(minutes=15),
    datetime.timedelta(hours=1),
    datetime.timedelta(hours=6),
)
#: A digest lists what came in since; older unread notifications are left to the list.
DIGEST_WINDOW = datetime.timedelta(days=7)


def absolute_url(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def retry_delay(attempts: int) -> datetime.timedelta:
    """The wait after `attempts` failed attempts (1, 2, ...)."""
    return RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]


def _language_of(user: User) -> str:
    return user.preferred_language or settings.LANGUAGE_CODE


def _footer_context() -> dict:
    return {
        "notifications_url": absolute_url(reverse("notifications:list")),
        "profile_url": absolute_url(reverse("profile")),
    }


def _send(*, recipient: User, subject: str, body: str) -> None:
    send_mail(
        subject=" ".join(subject.split()),
        message=body.strip() + "\n",
        from_email=None,
        recipient_list=[recipient.email],
    )


def _record_failure(notification_ids: list[int], error: Exception) -> datetime.datetime | None:
    """Count the failed attempt on each notification; returns when to try again, or None
    when the last attempt has been used (the notification stays in the list, unsent)."""
    now = timezone.now()
    rows = Notification.objects.filter(pk__in=notification_ids)
    rows.update(email_attempts=F("email_attempts") + 1, email_error=str(error)[:300])
    attempts = max(rows.values_list("email_attempts", flat=True), default=MAX_EMAIL_ATTEMPTS)
    retry_at = now + retry_delay(attempts) if attempts < MAX_EMAIL_ATTEMPTS else None
    rows.update(email_retry_at=retry_at)
    return retry_at


def _schedule_retry(task_to_run, argument: int, retry_at: datetime.datetime | None) -> None:
    """Queue the next attempt for `retry_at` where the backend can wait that long; the
    daily command picks it up otherwise."""
    if retry_at is None or not task_to_run.get_backend().supports_defer:
        return
    try:
        task_to_run.using(run_after=retry_at).enqueue(argument)
    except Exception:
        logger.exception("Could not queue the next attempt for %s.", argument)


@task()
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification to its recipient, in the recipient's language, when they
    want an e-mail for each notification.

    Returns whether an e-mail was sent. Sent once: a repeated task finds it e-mailed. A
    failure is counted, the next attempt scheduled, and the error raised again so the
    task backend records the task as failed.
    """
    notification = Notification.objects.for_page().select_related("recipient")
    notification = notification.filter(pk=notification_id).first()
    if notification is None:
        logger.info("Notification %s is gone; no e-mail sent.", notification_id)
        return False
    recipient = notification.recipient
    if (
        notification.emailed_at is not None
        or notification.email_attempts >= MAX_EMAIL_ATTEMPTS
        or not recipient.is_active
        or not recipient.email
        or recipient.email_notifications != EmailNotifications.IMMEDIATE
    ):
        return False
    try:
        with translation.override(_language_of(recipient)):
            context = {
                "notification": notification,
                "recipient": recipient,
                "link": absolute_url(notification.url),
                **_footer_context(),
            }
            subject = notification.subject
            body = render_to_string("emails/notification_body.txt", context)
        _send(recipient=recipient, subject=subject, body=body)
    except Exception as error:
        logger.exception(
            "Could not e-mail notification %s to user %s.", notification_id, recipient.pk
        )
        retry_at = _record_failure([notification_id], error)
        _schedule_retry(send_notification_email, notification_id, retry_at)
        raise
    Notification.objects.filter(pk=notification_id).update(
        emailed_at=timezone.now(), email_retry_at=None, email_error=""
    )
    return True


def digest_pending(now: datetime.datetime | None = None):
    """The notifications a daily digest still has to bring: unread, not e-mailed, not
    given up on, from the last week, to active people with an address who chose it."""
    since = (now or timezone.now()) - DIGEST_WINDOW
    return (
        Notification.objects.not_emailed()
        .unread()
        .filter(
            created_at__gte=since,
            recipient__is_active=True,
            recipient__email_notifications=EmailNotifications.DAILY_DIGEST,
        )
        .exclude(recipient__email="")
    )


@task()
def send_notification_digest(user_id: int) -> int:
    """One e-mail with everything new for `user_id` since the last digest, in their
    language; returns how many notifications it brought (0: nothing sent).

    The rows are locked while the e-mail goes out and marked as e-mailed with it, so a
    digest queued twice sends them once. A failure is counted on each of them and the
    digest retried like a single e-mail.
    """
    recipient = User.objects.filter(pk=user_id).first()
    if recipient is None:
        return 0
    try:
        with transaction.atomic():
            pending = list(
                digest_pending()
                .filter(recipient_id=user_id)
                .select_for_update(of=("self",))
                .for_page()
                .order_by("-created_at", "-pk")
            )
            if not pending:
                return 0
            with translation.override(_language_of(recipient)):
                count = len(pending)
                subject = ngettext(
                    "%(count)s new notification in Idésluss",
                    "%(count)s new notifications in Idésluss",
                    count,
                ) % {"count": count}
                body = render_to_string(
                    "emails/notification_digest_body.txt",
                    {
                        "recipient": recipient,
                        "entries": [(n, absolute_url(n.url)) for n in pending],
                        **_footer_context(),
                    },
                )
            _send(recipient=recipient, subject=subject, body=body)
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
                emailed_at=timezone.now(), email_retry_at=None, email_error=""
            )
    except Exception as error:
        logger.exception("Could not e-mail the daily digest to user %s.", user_id)
        ids = list(digest_pending().filter(recipient_id=user_id).values_list("pk", flat=True))
        retry_at = _record_failure(ids, error)
        _schedule_retry(send_notification_digest, user_id, retry_at)
        raise
    return count
