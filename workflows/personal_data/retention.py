"""How long personal data that is only a means to an end is kept (GDPR art. 5.1 e).

Notifications, sign-in records and the e-mail queue exist to tell people things and to
protect the sign-in; once old they only hold who was told what, and who signed in from
where. `manage.py apply_retention`, run daily, deletes what is older than
`settings.RETENTION_DAYS` (the privacy page states the same periods). The work on ideas
and the fund's public records are not touched here: they are kept as the municipality's
records (see erasure.py).
"""

from dataclasses import dataclass
from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_fsm_log.models import StateLog
from django_tasks_db.models import DBTaskResult

from ideasluss.ideas.models import Idea, IdeaState
from workflows.models import Notification


@dataclass(frozen=True)
class Removed:
    drafts: int
    notifications: int
    sign_in_records: int
    email_tasks: int
    sessions: int


def cutoff(kind: str):
    return timezone.now() - timedelta(days=settings.RETENTION_DAYS[kind])


def retention_apply() -> Removed:
    notifications, _ = Notification.objects.filter(created_at__lt=cutoff("notifications")).delete()
    # Finished background tasks (the queued e-mails hold addresses and texts), whatever
    # their queue: what django-tasks-db's prune_db_task_results does for one backend.
    email_tasks, _ = (
        DBTaskResult.objects.finished().filter(finished_at__lt=cutoff("email_queue")).delete()
    )
    sessions, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return Removed(
        _stale_drafts_delete(), notifications, _sign_in_records_delete(), email_tasks, sessions
    )


def _stale_drafts_delete() -> int:
    """Ideas never submitted and left unchanged for the period, with their files.

    A draft is the proposer's own notes: nobody else has read it, so nothing of it is a
    record to keep. Each goes in its own transaction; its files are removed from the
    private storage once that transaction has committed."""
    content_type = ContentType.objects.get_for_model(Idea)
    stale = Idea.objects.filter(state=IdeaState.DRAFT, updated_at__lt=cutoff("unsubmitted_drafts"))
    deleted = 0
    for idea in stale.only("pk").iterator():
        with transaction.atomic():
            files = [attachment.file for attachment in idea.attachments.all()]
            StateLog.objects.filter(content_type=content_type, object_id=idea.pk).delete()
            idea.delete()
            transaction.on_commit(lambda files=files: [file.delete(save=False) for file in files])
        deleted += 1
    return deleted


def _sign_in_records_delete() -> int:
    """django-axes' records of sign-ins, sign-outs and failed attempts."""
    before = cutoff("sign_in_records")
    deleted = 0
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        count, _ = model.objects.filter(attempt_time__lt=before).delete()
        deleted += count
    return deleted
