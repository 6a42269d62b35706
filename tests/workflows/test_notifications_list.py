"""The list of notifications at /notifications/: every kind reads well with its own link,
and the page costs the same few queries at 10 rows as at 1,000."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ideasluss.accounts.models import EmailNotifications
from ideasluss.fund.services import meeting_create
from tests.factories import ApplicationFactory, NominationFactory, UserFactory
from workflows.fund.services import decision_record
from workflows.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db

K = NotificationKind
LIST_URL = "/notifications/"


@pytest.fixture
def reader(db):
    return UserFactory(username="reader", preferred_language="sv")


@pytest.fixture
def facts(chair, coach):
    """One of each thing a notification can be about."""
    application = ApplicationFactory(total=20_000)
    application.fund.committee_members.add(chair)
    decision = decision_record(
        application=application, by=coach, kind="approve", rationale="Bra test."
    )
    meeting = meeting_create(fund=application.fund, by=chair, date=datetime.date(2099, 12, 1))
    return {
        "idea": application.idea,
        "application": application,
        "decision": decision,
        "meeting": meeting,
        "nomination": NominationFactory(idea=application.idea),
        "actor": coach,
    }


def notification_for(kind, reader, facts) -> Notification:
    """A row of `kind` with the facts its sentence and link read."""
    row = Notification(recipient=reader, kind=kind, actor=facts["actor"], idea=facts["idea"])
    if kind.startswith(("application", "review", "agenda", "fund", "money")):
        row.application = facts["application"]
    if kind == K.FUND_DECISION:
        row.decision = facts["decision"]
    if kind.startswith(("meeting", "minutes", "stand_in", "agenda", "application_scheduled")):
        row.meeting = facts["meeting"]
    if kind in (K.NOMINATION_SHORTLISTED, K.AWARD_WON):
        row.nomination = facts["nomination"]
    if kind == K.PAGE_PUBLISHED:
        row.link = "/lardomar/digitala-nycklar/"
    if kind == K.FOLLOW_UP_DUE:
        row.due_on = datetime.date(2026, 11, 30)
    if kind == K.MONEY_RETURNED:
        row.amount = 1_500
    if kind in (K.TRANSITION, K.APPLICATION_TRANSITION):
        row.target_state = "planning" if kind == K.TRANSITION else "in_review"
    return row


def make(reader, facts, count: int) -> None:
    kinds = list(NotificationKind)
    Notification.objects.bulk_create(
        notification_for(kinds[i % len(kinds)], reader, facts) for i in range(count)
    )


def test_every_kind_has_a_sentence_and_a_link_of_its_own(client, reader, facts):
    for kind in NotificationKind:
        notification_for(kind, reader, facts).save()
    client.force_login(reader)

    html = client.get(LIST_URL).content.decode()

    for notification in Notification.objects.for_page():
        assert notification.summary in html.replace("&#x27;", "'"), notification.kind
        assert "%(" not in notification.summary
        assert notification.subject.endswith(" – Idésluss")
        assert notification.url != reverse("notifications:list"), notification.kind
    assert "Protokollet från möte 1 för" in html
    assert "1\u00a0500 kr" in html
    assert "30 november 2026" in html


def test_opening_a_notification_leads_to_its_deep_link(client, reader, facts):
    meeting_row = notification_for(K.MINUTES_TO_SIGN, reader, facts)
    meeting_row.save()
    application_row = notification_for(K.REVIEW_REQUESTED, reader, facts)
    application_row.save()
    client.force_login(reader)

    response = client.post(reverse("notifications:open", args=[meeting_row.pk]))
    assert response["Location"] == reverse("fund:minutes", args=[facts["meeting"].pk])
    response = client.post(reverse("notifications:open", args=[application_row.pk]))
    assert response["Location"] == facts["application"].get_absolute_url()
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_list_says_how_e_mail_comes_and_links_to_the_choice(client, reader):
    client.force_login(reader)
    html = client.get(LIST_URL).content.decode()
    assert "Du får också ett e-postmeddelande för var och en av dem." in html
    assert 'href="/accounts/profile/"' in html

    type(reader).objects.filter(pk=reader.pk).update(
        email_notifications=EmailNotifications.DAILY_DIGEST
    )
    assert "i en sammanfattning om dagen" in client.get(LIST_URL).content.decode()


def queries_for_list(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL)
    assert response.status_code == 200
    return len(queries)


def test_the_list_needs_the_same_queries_at_10_and_1000_rows(
    client, reader, facts, django_assert_max_num_queries
):
    client.force_login(reader)
    make(reader, facts, 10)
    at_ten = queries_for_list(client)

    make(reader, facts, 990)
    assert Notification.objects.filter(recipient=reader).count() == 1_000
    with django_assert_max_num_queries(at_ten):
        response = client.get(LIST_URL)
    assert response.context["paginator"].count == 1_000
    assert len(response.context["notifications"]) == 25
    with django_assert_max_num_queries(at_ten):
        assert client.get(LIST_URL, {"page": 40}).status_code == 200
    assert at_ten <= 8


def test_the_unread_count_in_the_header_is_one_query(client, reader, facts):
    make(reader, facts, 30)
    Notification.objects.filter(pk__in=Notification.objects.values("pk")[:5]).update(
        read_at=timezone.now()
    )
    client.force_login(reader)
    html = client.get("/notifications/").content.decode()
    assert "Aviseringar (25 olästa)" in html
