"""The daily run of the notifications, started once a day by cron or a systemd timer
(docs/operations.md):

1. the teams of tests whose planned end has passed are asked for the result
   (`notify_follow_ups_due`, once per test);
2. single e-mails that failed and whose next attempt is due are tried again
   (`failed_emails_retry`; a task backend that can defer does this itself);
3. everyone who chose a daily digest and has new notifications gets one e-mail with
   them (`digests_queue`, one task per person).

Idempotent: a notification is marked when it is e-mailed (`emailed_at`), so running the
command twice sends nothing twice, and a follow-up is asked for once.
"""

from django.core.management.base import BaseCommand

from workflows.notifications import digests_queue, failed_emails_retry, notify_follow_ups_due


class Command(BaseCommand):
    help = (
        "Daily: ask for the results of tests that have ended, retry failed e-mails and "
        "send each daily digest. Safe to run more than once."
    )

    def handle(self, *args, **options):
        follow_ups = notify_follow_ups_due()
        retried = failed_emails_retry()
        people, notifications = digests_queue()
        self.stdout.write(
            f"Follow-ups asked for: {follow_ups}. E-mails retried: {retried}. "
            f"Daily digests queued: {people} ({notifications} notifications)."
        )
