"""How people hear of their notifications by e-mail: at once, in a daily digest or not at
all; the digest command is idempotent; a failing mail server is retried, bounded, with a
growing delay, and never blocks the step that caused the e-mail."""

import datetime
import logging

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ideasluss.accounts.models import EmailNotifications
from ideasluss.accounts.roles import Role
from ideasluss.ideas.models import IdeaState
from tests.factories import IdeaFactory, UserFactory
from tests.workflows.broken_mail import BROKEN_EMAIL_BACKEND
from workflows.ideas.services import team_member_add
from workflows.models import MAX_EMAIL_ATTEMPTS, Notification, NotificationKind
from workflows.notifications import failed_emails_retry
from workflows.tasks import (
    DIGEST_WINDOW,
    retry_delay,
    send_notification_digest,
    send_notification_email,
)
from workflows.transitions import transition_perform

pytestmark = pytest.mark.django_db

E = EmailNotifications


@pytest.fixture
def owner(db):
    return UserFactory(username="owner", preferred_language="sv", roles=[Role.STAFF])


@pytest.fixture
def idea(owner):
    return IdeaFactory(owner=owner, title="Digitala nycklar", state=IdeaState.SUBMITTED)


def member(username, choice, language="sv"):
    return UserFactory(username=username, preferred_language=language, email_notifications=choice)


def add_to_team(idea, owner, user, capture):
    with capture(execute=True):
        team_member_add(idea=idea, by=owner, user=user)


def added_to_two_teams(owner, colleague, capture):
    """`colleague` is put on the teams of “Digitala nycklar” and “Elcyklar”."""
    ideas = [IdeaFactory(owner=owner, title=title) for title in ("Digitala nycklar", "Elcyklar")]
    for idea in ideas:
        add_to_team(idea, owner, colleague, capture)
    return ideas


def digests(capture):
    with capture(execute=True):
        call_command("send_notification_digests", verbosity=0)


# --- the person's choice -------------------------------------------------------------------


def test_immediate_sends_one_e_mail_at_once_and_marks_it(
    idea, owner, django_capture_on_commit_callbacks
):
    colleague = member("bo", E.IMMEDIATE)
    add_to_team(idea, owner, colleague, django_capture_on_commit_callbacks)

    assert [m.to for m in mail.outbox] == [[colleague.email]]
    notification = Notification.objects.get()
    assert notification.emailed_at is not None
    assert notification.email_attempts == 0
    # A task run again (a worker retried it, a double enqueue) sends nothing more.
    assert send_notification_email.call(notification.pk) is False
    assert len(mail.outbox) == 1


def test_no_e_mail_keeps_the_notification_in_the_app_only(
    idea, owner, client, django_capture_on_commit_callbacks
):
    colleague = member("bo", E.OFF)
    add_to_team(idea, owner, colleague, django_capture_on_commit_callbacks)
    digests(django_capture_on_commit_callbacks)

    assert mail.outbox == []
    assert Notification.objects.get().recipient == colleague
    client.force_login(colleague)
    html = client.get("/notifications/").content.decode()
    assert "lagt till dig i teamet för idén ”Digitala nycklar”" in html
    assert "Du får ingen e-post om dem" in html


def test_a_daily_digest_waits_for_the_command_and_brings_everything_in_one_e_mail(
    owner, django_capture_on_commit_callbacks
):
    colleague = member("bo", E.DAILY_DIGEST, language="en")
    first, _second = added_to_two_teams(owner, colleague, django_capture_on_commit_callbacks)
    assert mail.outbox == []

    digests(django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [colleague.email]
    assert digest.subject == "2 new notifications in Idésluss"
    assert "since your last daily summary, 2 notifications:" in digest.body
    assert "added you to the team of the idea “Digitala nycklar”" in digest.body
    assert "added you to the team of the idea “Elcyklar”" in digest.body
    assert f"http://localhost{first.get_absolute_url()}" in digest.body
    assert "http://localhost/accounts/profile/" in digest.body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_the_digest_is_in_the_readers_language_and_leaves_out_what_was_read(
    owner, django_capture_on_commit_callbacks
):
    colleague = member("bo", E.DAILY_DIGEST, language="sv")
    first, _second = added_to_two_teams(owner, colleague, django_capture_on_commit_callbacks)
    Notification.objects.filter(idea=first).update(read_at=timezone.now())

    digests(django_capture_on_commit_callbacks)

    digest = mail.outbox[0]
    assert digest.subject == "1 ny avisering i Idésluss"
    assert "”Elcyklar”" in digest.body
    assert "Digitala nycklar" not in digest.body


def test_the_digest_command_is_idempotent(owner, django_capture_on_commit_callbacks):
    colleague = member("bo", E.DAILY_DIGEST)
    add_to_team(IdeaFactory(owner=owner), owner, colleague, django_capture_on_commit_callbacks)

    digests(django_capture_on_commit_callbacks)
    digests(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    # A digest task queued twice (two runs before a worker) sends once as well.
    assert send_notification_digest.call(colleague.pk) == 0
    assert len(mail.outbox) == 1

    add_to_team(IdeaFactory(owner=owner), owner, colleague, django_capture_on_commit_callbacks)
    digests(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2  # only what is new since
    assert "1 ny avisering" in mail.outbox[1].subject


def test_the_digest_command_says_what_it_did(owner, django_capture_on_commit_callbacks, capsys):
    for name in ("bo", "ann"):
        colleague = member(name, E.DAILY_DIGEST)
        add_to_team(IdeaFactory(owner=owner), owner, colleague, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_notification_digests")

    assert capsys.readouterr().out.strip() == (
        "Follow-ups asked for: 0. E-mails retried: 0. Daily digests queued: 2 (2 notifications)."
    )


def test_the_digest_brings_only_the_last_week(owner, django_capture_on_commit_callbacks):
    colleague = member("bo", E.DAILY_DIGEST)
    add_to_team(IdeaFactory(owner=owner), owner, colleague, django_capture_on_commit_callbacks)
    Notification.objects.update(created_at=timezone.now() - DIGEST_WINDOW - datetime.timedelta(1))

    digests(django_capture_on_commit_callbacks)

    assert mail.outbox == []


def test_a_person_without_an_address_or_account_gets_no_digest(
    owner, django_capture_on_commit_callbacks
):
    no_address = member("bo", E.DAILY_DIGEST)
    gone = member("ann", E.DAILY_DIGEST)
    for user in (no_address, gone):
        add_to_team(IdeaFactory(owner=owner), owner, user, django_capture_on_commit_callbacks)
    type(no_address).objects.filter(pk=no_address.pk).update(email="")
    type(gone).objects.filter(pk=gone.pk).update(is_active=False)

    digests(django_capture_on_commit_callbacks)

    assert mail.outbox == []


# --- failures and retries --------------------------------------------------------------


def test_a_failing_mail_server_never_blocks_the_step_and_the_attempt_is_recorded(
    idea, owner, coach, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = BROKEN_EMAIL_BACKEND

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        moved = transition_perform(
            name="accept", obj=idea, by=coach, expected_state=IdeaState.SUBMITTED
        )

    assert moved.state == IdeaState.PLANNING
    notification = Notification.objects.get(recipient=owner)
    assert notification.emailed_at is None
    assert notification.email_attempts == 1
    assert notification.email_error == "The mail server is down"
    retry_in = notification.email_retry_at - timezone.now()
    assert datetime.timedelta(minutes=1) < retry_in <= retry_delay(1)
    assert "Could not e-mail notification" in caplog.text


def test_a_failed_e_mail_is_retried_with_a_growing_delay_and_then_given_up(idea, owner, settings):
    notification = Notification.objects.create(
        recipient=owner, idea=idea, kind=NotificationKind.COMMENT
    )
    settings.EMAIL_BACKEND = BROKEN_EMAIL_BACKEND
    assert failed_emails_retry() == 0  # nothing has failed yet
    send_notification_email.enqueue(notification.pk)  # the first attempt
    delays = []
    for attempt in range(2, MAX_EMAIL_ATTEMPTS + 1):
        notification.refresh_from_db()
        delays.append(notification.email_retry_at - timezone.now())
        assert failed_emails_retry() == 0  # not due yet
        Notification.objects.filter(pk=notification.pk).update(email_retry_at=timezone.now())
        assert failed_emails_retry() == 1
        notification.refresh_from_db()
        assert notification.email_attempts == attempt

    assert notification.email_retry_at is None  # five attempts: given up
    assert delays == sorted(delays)  # each wait longer than the one before
    assert delays[0] <= retry_delay(1) < retry_delay(MAX_EMAIL_ATTEMPTS - 1)
    assert send_notification_email.call(notification.pk) is False  # no sixth attempt
    assert Notification.objects.filter(pk=notification.pk, read_at__isnull=True).exists()


def test_the_retry_succeeds_once_the_mail_server_is_back(idea, owner, settings):
    notification = Notification.objects.create(
        recipient=owner, idea=idea, kind=NotificationKind.COMMENT
    )
    settings.EMAIL_BACKEND = BROKEN_EMAIL_BACKEND
    send_notification_email.enqueue(notification.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Notification.objects.filter(pk=notification.pk).update(email_retry_at=timezone.now())

    call_command("send_notification_digests", verbosity=0)

    assert [m.to for m in mail.outbox] == [[owner.email]]
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert (notification.email_retry_at, notification.email_error) == (None, "")


def test_a_deferring_task_backend_queues_the_retry_for_later(idea, owner, settings):
    """With the database backend the worker runs the next attempt at `email_retry_at`."""
    from django_tasks_db.models import DBTaskResult

    notification = Notification.objects.create(
        recipient=owner, idea=idea, kind=NotificationKind.COMMENT
    )
    settings.EMAIL_BACKEND = BROKEN_EMAIL_BACKEND
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    with pytest.raises(ConnectionRefusedError):
        send_notification_email.call(notification.pk)

    notification.refresh_from_db()
    queued = DBTaskResult.objects.get()
    assert queued.status == "READY"
    assert queued.run_after == notification.email_retry_at
    assert queued.args_kwargs["args"] == [notification.pk]


def test_a_failing_digest_is_counted_on_each_of_its_notifications(
    owner, settings, django_capture_on_commit_callbacks
):
    colleague = member("bo", E.DAILY_DIGEST)
    for _ in range(2):
        add_to_team(IdeaFactory(owner=owner), owner, colleague, django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = BROKEN_EMAIL_BACKEND

    result = send_notification_digest.enqueue(colleague.pk)

    assert result.status == "FAILED"
    assert list(Notification.objects.values_list("email_attempts", flat=True)) == [1, 1]
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    digests(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1  # the next run brings them
