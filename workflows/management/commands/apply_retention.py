"""Daily (cron or a systemd timer, beside send_notification_digests): delete the personal
data whose retention period has passed (workflows/personal_data/retention.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from workflows.personal_data.retention import retention_apply


class Command(BaseCommand):
    help = (
        "Delete drafts never submitted, notifications, sign-in records, finished e-mail "
        "tasks and expired sessions older than RETENTION_DAYS. Safe to run more than once."
    )

    def handle(self, *args, **options):
        removed = retention_apply()
        days = settings.RETENTION_DAYS
        self.stdout.write(
            f"Drafts unchanged for {days['unsubmitted_drafts']} days: {removed.drafts}. "
            f"Notifications older than {days['notifications']} days: {removed.notifications}. "
            f"Sign-in records older than {days['sign_in_records']} days: "
            f"{removed.sign_in_records}. "
            f"Finished e-mail tasks older than {days['email_queue']} days: {removed.email_tasks}. "
            f"Expired sessions: {removed.sessions}."
        )
