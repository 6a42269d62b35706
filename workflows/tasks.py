"""Background tasks of the workflows (django-tasks, the task framework Wagtail 8 uses).

The default backend runs a task at once, in-process, and records an exception
as a failed result instead of raising it; in production a database backend with
a worker runs them. Either way the person whose action caused the e-mail never
sees a failing mail server.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from .models import Notification

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


@task()
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification to its recipient, in the recipient's language.

    Returns whether an e-mail was sent. A failure is logged and raised again so
    the task backend records the task as failed (and a worker may retry it).
    """
    notification = (
        Notification.objects.select_related("recipient", "idea", "actor", "decision")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None:
        logger.info("Notification %s is gone; no e-mail sent.", notification_id)
        return False
    recipient = notification.recipient
    if not recipient.is_active or not recipient.email:
        return False
    try:
        language = recipient.preferred_language or settings.LANGUAGE_CODE
        with translation.override(language):
            context = {
                "notification": notification,
                "recipient": recipient,
                "idea_url": absolute_url(notification.url),
                "notifications_url": absolute_url(reverse("notifications:list")),
            }
            subject = render_to_string("emails/notification_subject.txt", context)
            body = render_to_string("emails/notification_body.txt", context)
        send_mail(
            subject=" ".join(subject.split()),
            message=body.strip() + "\n",
            from_email=None,
            recipient_list=[recipient.email],
        )
    except Exception:
        logger.exception(
            "Could not e-mail notification %s to user %s.", notification_id, recipient.pk
        )
        raise
    return True
