"""Notifications: who is told about what, in which language, and that mail never breaks a step."""

import logging
import re

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from ideasluss.accounts.roles import Role
from ideasluss.ideas.models import Comment, IdeaState
from tests.factories import IdeaFactory, UserFactory
from tests.workflows.broken_mail import BROKEN_EMAIL_BACKEND
from workflows import notifications as notifications_module
from workflows.context_processors import notifications as notifications_context
from workflows.ideas.services import comment_create
from workflows.models import Notification, NotificationKind
from workflows.notifications import notify_comment
from workflows.tasks import send_notification_email
from workflows.transitions import transition_perform

pytestmark = pytest.mark.django_db

LIST_URL = "/notifications/"


@pytest.fixture
def owner(db):
    return UserFactory(username="owner", preferred_language="sv", roles=[Role.STAFF])


@pytest.fixture
def co_owner(db):
    return UserFactory(username="co-owner", preferred_language="en", roles=[Role.STAFF])


@pytest.fixture
def other_coach(db):
    return UserFactory(
        username="other-coach", preferred_language="en", roles=[Role.STAFF, Role.COACH]
    )


@pytest.fixture
def draft(owner, co_owner):
    idea = IdeaFactory(
        owner=owner,
        title="Digitala nycklar",
        problem="Brukarna väntar för länge på nycklar.",
        target_group="äldre med hemtjänst",
        description="Digitala lås i stället för nyckelskåp.",
    )
    idea.co_owners.add(co_owner)
    return idea


@pytest.fixture
def submitted(draft, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        idea = transition_perform(
            name="submit", obj=draft, by=owner, expected_state=IdeaState.DRAFT
        )
    Notification.objects.all().delete()
    mail.outbox.clear()
    return idea


def recipients(**filters) -> dict[str, str]:
    """username → kind of every notification matching `filters`."""
    return {
        n.recipient.username: n.kind
        for n in Notification.objects.filter(**filters).select_related("recipient")
    }


def mail_to(user):
    found = [message for message in mail.outbox if message.to == [user.email]]
    assert len(found) == 1, f"expected one e-mail to {user.email}, got {len(found)}"
    return found[0]


# Who is told ----------------------------------------------------------------


def test_submit_tells_the_team_and_the_coaches_but_not_the_submitter(
    draft, owner, co_owner, coach, other_coach, staff, django_capture_on_commit_callbacks
):
    UserFactory(username="retired-coach", roles=[Role.STAFF, Role.COACH], is_active=False)
    UserFactory(username="admin-user", roles=[Role.STAFF, Role.ADMINISTRATOR])

    with django_capture_on_commit_callbacks(execute=True):
        transition_perform(name="submit", obj=draft, by=owner, expected_state=IdeaState.DRAFT)

    assert recipients(idea=draft) == {
        "co-owner": NotificationKind.TRANSITION,
        "coach": NotificationKind.SUBMITTED_FOR_SCREENING,
        "other-coach": NotificationKind.SUBMITTED_FOR_SCREENING,
    }
    notification = Notification.objects.get(recipient=co_owner)
    assert notification.actor == owner
    assert notification.transition == "submit"
    assert (notification.source_state, notification.target_state) == ("draft", "submitted")
    assert notification.read_at is None
    assert notification.url == draft.get_absolute_url()
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [co_owner.email, coach.email, other_coach.email]
    )
    assert mail_to(other_coach).subject == "New idea to screen: Digitala nycklar – Idésluss"
    assert (
        f"{owner.full_name} submitted the idea “Digitala nycklar”. It waits for a coach."
        in mail_to(other_coach).body
    )


def test_a_coach_in_the_team_is_told_once_as_a_member(
    draft, owner, coach, django_capture_on_commit_callbacks
):
    draft.co_owners.add(coach)
    with django_capture_on_commit_callbacks(execute=True):
        transition_perform(name="submit", obj=draft, by=owner, expected_state=IdeaState.DRAFT)

    assert Notification.objects.filter(recipient=coach).count() == 1
    assert Notification.objects.get(recipient=coach).kind == NotificationKind.TRANSITION
    assert len([m for m in mail.outbox if m.to == [coach.email]]) == 1


def test_accept_tells_owner_and_team_but_not_the_coaches(
    submitted, owner, co_owner, coach, other_coach, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        transition_perform(
            name="accept", obj=submitted, by=coach, expected_state=IdeaState.SUBMITTED
        )

    assert recipients() == {
        "owner": NotificationKind.TRANSITION,
        "co-owner": NotificationKind.TRANSITION,
    }
    assert set(Notification.objects.values_list("actor", flat=True)) == {coach.pk}
    assert set(Notification.objects.values_list("target_state", flat=True)) == {"planning"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([owner.email, co_owner.email])


def test_the_coachs_message_reaches_the_owner(
    submitted, owner, coach, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        transition_perform(
            name="decline",
            obj=submitted,
            by=coach,
            message="Liknande lås testas redan i Hemtjänst Söder.",
            expected_state=IdeaState.SUBMITTED,
        )

    notification = Notification.objects.get(recipient=owner)
    assert notification.target_state == IdeaState.DECLINED
    assert notification.message == "Liknande lås testas redan i Hemtjänst Söder."
    assert "Liknande lås testas redan i Hemtjänst Söder." in mail_to(owner).body


def test_a_refused_transition_tells_nobody(
    draft, co_owner, staff, django_capture_on_commit_callbacks
):
    from ideasluss.errors import NotAllowed

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(NotAllowed):
        transition_perform(name="accept", obj=draft, by=staff)
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_comment_tells_owner_and_team_but_not_the_author(
    submitted, owner, co_owner, coach, django_capture_on_commit_callbacks
):
    comment = Comment.objects.create(idea=submitted, author=co_owner, body="Jag kan testa.")
    with django_capture_on_commit_callbacks(execute=True):
        notify_comment(comment=comment)

    assert recipients() == {"owner": NotificationKind.COMMENT}
    notification = Notification.objects.get()
    assert (notification.actor, notification.comment) == (co_owner, comment)
    assert [m.to for m in mail.outbox] == [[owner.email]]


def test_commenting_through_the_service_tells_the_team(
    submitted, owner, co_owner, coach, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_create(idea=submitted, by=coach, body="Hur många brukare berörs?")

    assert recipients() == {"owner": "comment", "co-owner": "comment"}
    assert set(Notification.objects.values_list("comment", flat=True)) == {comment.pk}
    english = mail_to(co_owner)
    assert english.subject == "New comment on “Digitala nycklar” – Idésluss"
    assert f"{coach.full_name} commented on the idea “Digitala nycklar”." in english.body


def test_a_coachs_comment_tells_the_whole_team(
    submitted, owner, co_owner, coach, django_capture_on_commit_callbacks
):
    comment = Comment.objects.create(idea=submitted, author=coach, body="Bra idé!")
    with django_capture_on_commit_callbacks(execute=True):
        notify_comment(comment=comment)

    assert recipients() == {"owner": "comment", "co-owner": "comment"}


# E-mail: language, link, failures ---------------------------------------------


def test_each_recipient_gets_the_e_mail_in_their_own_language(
    submitted, owner, co_owner, coach, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        transition_perform(
            name="accept", obj=submitted, by=coach, expected_state=IdeaState.SUBMITTED
        )

    idea_link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + submitted.get_absolute_url()

    english = mail_to(co_owner)
    assert english.subject == "“Digitala nycklar” is now “Planning” – Idésluss"
    assert english.body.startswith(f"Hello {co_owner.full_name},")
    assert f"{coach.full_name} moved the idea “Digitala nycklar” to “Planning”." in english.body
    assert idea_link in english.body

    swedish = mail_to(owner)
    assert swedish.subject == "”Digitala nycklar” är nu ”Planering” – Idésluss"
    assert swedish.body.startswith(f"Hej {owner.full_name}!")
    assert f"{coach.full_name} flyttade idén ”Digitala nycklar” till ”Planering”." in swedish.body
    assert "Planning" not in swedish.subject + swedish.body
    assert idea_link in swedish.body


def test_a_failing_mail_server_does_not_break_the_transition(
    submitted, owner, co_owner, coach, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = BROKEN_EMAIL_BACKEND

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        idea = transition_perform(
            name="accept", obj=submitted, by=coach, expected_state=IdeaState.SUBMITTED
        )

    assert idea.state == IdeaState.PLANNING
    submitted.refresh_from_db()
    assert submitted.state == IdeaState.PLANNING
    assert recipients() == {"owner": "transition", "co-owner": "transition"}
    assert mail.outbox == []
    assert "Could not e-mail notification" in caplog.text


def test_a_failing_task_queue_does_not_break_the_transition(
    submitted, coach, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    class BrokenQueue:
        def enqueue(self, *args, **kwargs):
            raise ConnectionError("The task database is gone")

    monkeypatch.setattr(notifications_module, "send_notification_email", BrokenQueue())

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        transition_perform(
            name="accept", obj=submitted, by=coach, expected_state=IdeaState.SUBMITTED
        )

    submitted.refresh_from_db()
    assert submitted.state == IdeaState.PLANNING
    assert Notification.objects.count() == 2
    assert "Could not queue the e-mail" in caplog.text


def test_the_task_raises_so_a_backend_records_the_failure(submitted, owner, settings):
    """The immediate backend turns the exception into a failed result, as a worker would."""
    notification = Notification.objects.create(
        recipient=owner, idea=submitted, kind=NotificationKind.COMMENT
    )
    settings.EMAIL_BACKEND = BROKEN_EMAIL_BACKEND

    result = send_notification_email.enqueue(notification.pk)

    assert result.status == "FAILED"
    assert result.errors[0].exception_class is ConnectionRefusedError


def test_no_e_mail_for_a_deleted_notification_or_a_user_without_address(submitted, owner):
    assert send_notification_email.call(999_999) is False
    owner.email = ""
    owner.save()
    notification = Notification.objects.create(
        recipient=owner, idea=submitted, kind=NotificationKind.COMMENT
    )
    assert send_notification_email.call(notification.pk) is False
    assert mail.outbox == []


def test_the_text_is_written_in_the_readers_language(submitted, owner, coach):
    notification = Notification.objects.create(
        recipient=owner,
        idea=submitted,
        actor=coach,
        kind=NotificationKind.TRANSITION,
        transition="accept",
        source_state=IdeaState.SUBMITTED,
        target_state=IdeaState.PLANNING,
    )
    with translation.override("en"):
        assert notification.summary == (
            f"{coach.full_name} moved the idea “Digitala nycklar” to “Planning”."
        )
    with translation.override("sv"):
        assert notification.summary == (
            f"{coach.full_name} flyttade idén ”Digitala nycklar” till ”Planering”."
        )


# The list page ----------------------------------------------------------------


def make_notifications(recipient, count, **extra):
    """`count` notifications, each about its own idea and by its own actor."""
    for _ in range(count):
        actor = UserFactory()
        Notification.objects.create(
            recipient=recipient,
            idea=IdeaFactory(owner=actor),
            actor=actor,
            kind=NotificationKind.TRANSITION,
            transition="accept",
            source_state=IdeaState.SUBMITTED,
            target_state=IdeaState.PLANNING,
            **extra,
        )


def test_the_list_needs_a_login(client):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_list_shows_my_notifications_newest_first_with_unread_marked(client, co_owner):
    older_idea = IdeaFactory(title="Äldre idé")
    newer_idea = IdeaFactory(title="Nyare idé")
    older = Notification.objects.create(
        recipient=co_owner,
        idea=older_idea,
        kind=NotificationKind.COMMENT,
        read_at=timezone.now(),
    )
    Notification.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=1)
    )
    Notification.objects.create(
        recipient=co_owner,
        idea=newer_idea,
        actor=older_idea.owner,
        kind=NotificationKind.SUBMITTED_FOR_SCREENING,
    )
    client.force_login(co_owner)  # English

    response = client.get(LIST_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Notifications</h1>" in html
    assert html.index("Nyare idé") < html.index("Äldre idé")
    assert html.count("Unread:") == 1
    assert "You have 1 unread notification." in html
    assert html.count('name="csrfmiddlewaretoken"') >= 3  # mark all + two "open" forms
    assert "style=" not in html
    # No inline script (CSP): the only script is the site's own menu script, from /static/.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/site.js">']


def test_the_list_is_in_the_viewers_language(client, owner, coach):
    make_notifications(owner, 1)
    client.force_login(owner)  # Swedish
    html = client.get(LIST_URL).content.decode()
    assert '<html lang="sv">' in html
    assert "Planering" in html


def test_nobody_sees_someone_elses_notifications(client, owner, co_owner):
    Notification.objects.create(
        recipient=owner, idea=IdeaFactory(title="Hemlig idé"), kind=NotificationKind.COMMENT
    )
    client.force_login(co_owner)
    html = client.get(LIST_URL).content.decode()
    assert "Hemlig idé" not in html
    assert "You have no notifications yet." in html


def test_the_list_takes_the_same_few_queries_for_5_or_50(
    client, co_owner, django_assert_max_num_queries
):
    client.force_login(co_owner)
    # Per request: session, user, the menu's role checks in base.html; and ours:
    # the page count, the page's rows with their ideas and actors, the unread count
    # (the header and the page share it). None of it grows with the rows.
    make_notifications(co_owner, 5)
    with django_assert_max_num_queries(10) as five:
        response = client.get(LIST_URL)
    assert response.status_code == 200
    assert len(response.context["notifications"]) == 5

    make_notifications(co_owner, 45)
    with django_assert_max_num_queries(len(five)) as fifty:
        response = client.get(LIST_URL)
    assert len(fifty) == len(five)
    assert len(response.context["notifications"]) == 25
    assert response.context["is_paginated"]
    assert "Page 1 of 2" in response.content.decode()
    unread_counts = [q for q in fifty.captured_queries if "read_at" in q["sql"].split("WHERE")[-1]]
    assert len(unread_counts) == 1

    page_two = client.get(f"{LIST_URL}?page=2")
    assert len(page_two.context["notifications"]) == 25


def test_the_site_header_shows_the_unread_count(client, co_owner):
    make_notifications(co_owner, 2)
    client.force_login(co_owner)
    html = client.get(LIST_URL).content.decode()
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    assert "Notifications (2 unread)" in header


# Reading ------------------------------------------------------------------------


def test_mark_all_as_read_reads_only_mine(client, owner, co_owner):
    make_notifications(owner, 3)
    make_notifications(co_owner, 2)
    client.force_login(co_owner)

    response = client.post(reverse("notifications:mark-all-read"))

    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    assert not Notification.objects.filter(recipient=co_owner, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=owner, read_at__isnull=True).count() == 3
    html = client.get(LIST_URL).content.decode()
    assert "Unread:" not in html
    assert "All notifications are marked as read." in html


def test_opening_a_notification_marks_it_read_and_goes_to_the_idea(client, co_owner):
    make_notifications(co_owner, 2)
    first, second = Notification.objects.filter(recipient=co_owner)
    client.force_login(co_owner)

    response = client.post(reverse("notifications:open", args=[first.pk]))

    assert response.status_code == 302
    assert response["Location"] == first.idea.get_absolute_url()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None


def test_reading_needs_post_and_ones_own_notification(client, owner, co_owner):
    make_notifications(owner, 1)
    notification = Notification.objects.get(recipient=owner)
    client.force_login(co_owner)

    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 405
    assert client.get(reverse("notifications:mark-all-read")).status_code == 405
    assert client.post(reverse("notifications:open", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_reading_needs_a_login(client, owner):
    make_notifications(owner, 1)
    notification = Notification.objects.get()
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    notification.refresh_from_db()
    assert notification.read_at is None


# The header link and its count ----------------------------------------------------


def header_link(user, language="en") -> str:
    request = RequestFactory().get("/")
    request.user = user
    with translation.override(language):
        return render_to_string("components/notifications_link.html", request=request)


def test_the_header_link_says_how_many_are_unread(co_owner):
    make_notifications(co_owner, 3)
    make_notifications(co_owner, 1, read_at=timezone.now())

    html = header_link(co_owner)

    assert f'href="{LIST_URL}"' in html
    assert "Notifications (3 unread)" in html


def test_the_header_link_without_unread(co_owner):
    make_notifications(co_owner, 1, read_at=timezone.now())
    html = header_link(co_owner)
    assert "Notifications" in html
    assert "unread" not in html


def test_the_header_link_counts_only_my_own(owner, co_owner):
    make_notifications(owner, 2)
    assert "unread" not in header_link(co_owner)


def test_no_header_link_for_anonymous_visitors():
    from django.contrib.auth.models import AnonymousUser

    assert header_link(AnonymousUser()).strip() == ""


def test_the_count_is_one_lazy_query(co_owner, django_assert_num_queries):
    make_notifications(co_owner, 2)
    request = RequestFactory().get("/")
    request.user = co_owner

    with django_assert_num_queries(0):
        context = notifications_context(request)
    with django_assert_num_queries(1):
        assert context["unread_notification_count"]() == 2
        assert context["unread_notification_count"]() == 2


def test_no_count_for_anonymous_visitors():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert notifications_context(request) == {}


def test_the_list_is_in_swedish_for_a_swedish_reader(client, owner):
    Notification.objects.create(
        recipient=owner, idea=IdeaFactory(title="Nyare idé"), kind=NotificationKind.COMMENT
    )
    client.force_login(owner)

    html = client.get(LIST_URL).content.decode()

    assert "<h1>Aviseringar</h1>" in html
    assert html.count("Oläst:") == 1
