"""`manage.py apply_retention`: what has outlived its purpose goes, the rest stays."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ideasluss.ideas.models import Attachment, Idea
from tests.factories import IdeaFactory, PictureAttachmentFactory, UserFactory
from workflows.models import Notification

pytestmark = pytest.mark.django_db

DAYS = {"unsubmitted_drafts": 730, "notifications": 365, "sign_in_records": 90, "email_queue": 30}


@pytest.fixture(autouse=True)
def periods(settings):
    settings.RETENTION_DAYS = DAYS


def apply() -> str:
    out = StringIO()
    call_command("apply_retention", stdout=out)
    return out.getvalue()


def notification(age_days: int) -> Notification:
    made = Notification.objects.create(recipient=UserFactory(), kind="comment", message="x")
    Notification.objects.filter(pk=made.pk).update(
        created_at=timezone.now() - timedelta(days=age_days)
    )
    return made


def email_task(*, finished_days_ago: int | None) -> DBTaskResult:
    now = timezone.now()
    return DBTaskResult.objects.create(
        status=TaskResultStatus.SUCCESSFUL if finished_days_ago is not None else "READY",
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="workflows.tasks.send_notification_email",
        backend_name="default",
        run_after=now,
        finished_at=None if finished_days_ago is None else now - timedelta(days=finished_days_ago),
    )


def test_notifications_past_their_period_are_deleted():
    old = notification(366)
    assert "Notifications older than 365 days: 1." in apply()
    assert not Notification.objects.filter(pk=old.pk).exists()


def test_notifications_within_their_period_stay():
    recent = notification(364)
    apply()
    assert Notification.objects.filter(pk=recent.pk).exists()


def test_finished_email_tasks_past_their_period_are_deleted():
    old = email_task(finished_days_ago=31)
    recent = email_task(finished_days_ago=29)
    assert "Finished e-mail tasks older than 30 days: 1." in apply()
    assert not DBTaskResult.objects.filter(pk=old.pk).exists()
    assert DBTaskResult.objects.filter(pk=recent.pk).exists()


def test_an_email_still_waiting_is_never_deleted():
    waiting = email_task(finished_days_ago=None)
    DBTaskResult.objects.filter(pk=waiting.pk).update(
        enqueued_at=timezone.now() - timedelta(days=400)
    )
    apply()
    assert DBTaskResult.objects.filter(pk=waiting.pk).exists()


def test_expired_sessions_are_deleted():
    Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert "Expired sessions: 1." in apply()


def test_running_twice_deletes_nothing_more():
    notification(400)
    apply()
    assert "Notifications older than 365 days: 0." in apply()


def draft(age_days: int, **kwargs) -> Idea:
    idea = IdeaFactory(state="draft", **kwargs)
    Idea.objects.filter(pk=idea.pk).update(updated_at=timezone.now() - timedelta(days=age_days))
    return idea


def test_a_draft_never_submitted_and_unchanged_for_two_years_is_deleted_with_its_files(
    django_capture_on_commit_callbacks,
):
    idea = draft(731)
    attachment = PictureAttachmentFactory(idea=idea)
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        assert "Drafts unchanged for 730 days: 1." in apply()
    assert not Idea.objects.filter(pk=idea.pk).exists()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not storage.exists(name)


def test_a_recent_draft_stays():
    idea = draft(729)
    apply()
    assert Idea.objects.filter(pk=idea.pk).exists()


def test_an_old_submitted_idea_stays():
    idea = draft(1000)
    Idea.objects.filter(pk=idea.pk).update(state="submitted")
    apply()
    assert Idea.objects.filter(pk=idea.pk).exists()


def test_the_privacy_page_states_the_periods_in_force():
    import tomllib

    from ideasluss.settings import base

    pages = tomllib.loads((base.BASE_DIR / "cms/data/information_pages.toml").read_text())
    privacy = next(page for page in pages["page"] if page["slug"] == "personuppgifter")
    text = " ".join(" ".join(block.get("text", [])) for block in privacy["sv"]["block"])
    in_words = {730: "två år", 365: "ett år", 90: "90 dagar", 30: "30 dagar"}
    for kind, days in base.RETENTION_DAYS.items():
        assert in_words[days] in text, kind


def test_sign_in_records_past_their_period_are_deleted():
    from axes.models import AccessFailureLog, AccessLog

    old = AccessLog.objects.create(username="anna", ip_address="10.1.2.3")
    recent = AccessFailureLog.objects.create(username="anna", ip_address="10.1.2.3")
    AccessLog.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - timedelta(days=91))
    assert "Sign-in records older than 90 days: 1." in apply()
    assert not AccessLog.objects.filter(pk=old.pk).exists()
    assert AccessFailureLog.objects.filter(pk=recent.pk).exists()
