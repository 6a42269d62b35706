"""The coach inbox flags an idea that has stayed in its stage longer than the target."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ideasluss.ideas.models import Idea
from tests.factories import IdeaFactory, TestPlanFactory
from workflows.flow.targets import flow_targets, waiting_flag

pytestmark = pytest.mark.django_db

INBOX = reverse("ideas:idea-inbox")


@pytest.fixture(autouse=True)
def targets(settings):
    settings.FLOW_TARGET_DAYS = {"submitted": 10, "testing": 90, "planning": None, "unknown": 3}


def waiting(days: int, **fields) -> Idea:
    """An idea that changed state at noon, `days` calendar days ago in the municipality's
    time zone (now − days moves across a midnight when summer time lies in between)."""
    idea = IdeaFactory(**fields)
    day = timezone.localdate() - datetime.timedelta(days=days)
    noon = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    Idea.objects.filter(pk=idea.pk).update(state_changed_at=noon)
    idea.refresh_from_db()
    return idea


def test_targets_come_from_the_setting():
    # Unknown measures and measures without a target are left out.
    assert flow_targets() == {"submitted": 10, "testing": 90}


def test_flag_only_past_the_target():
    today = timezone.localdate()
    assert waiting_flag(waiting(10, state="submitted"), today=today) is None
    flag = waiting_flag(waiting(11, state="submitted"), today=today)
    assert (flag.days, flag.target) == (11, 10)
    assert waiting_flag(waiting(300, state="planning"), today=today) is None  # no target


def test_inbox_says_how_long_and_the_target_in_words(client, coach):
    late = waiting(14, state="submitted", title="Digitala nycklar")
    on_time = waiting(3, state="submitted", title="Lånecyklar")
    client.force_login(coach)
    html = client.get(INBOX).content.decode()
    late_row = html.split(late.title, 1)[1].split("</tr>", 1)[0]
    assert '<strong class="badge badge--warning flow-flag">Väntat 14 dagar (mål 10)</strong>' in (
        late_row
    )
    on_time_row = html.split(on_time.title, 1)[1].split("</tr>", 1)[0]
    assert "badge" not in on_time_row


def test_inbox_flags_a_long_test_past_its_end(client, coach):
    today = timezone.localdate()
    idea = waiting(95, state="testing", title="Videobesök")
    TestPlanFactory(
        idea=idea,
        hypothesis="Färre resor.",
        start_date=today - datetime.timedelta(days=95),
        end_date=today - datetime.timedelta(days=5),
    )
    client.force_login(coach)
    html = client.get(INBOX).content.decode()
    assert "I test 95 dagar (mål 90)" in html


def test_inbox_queries_stay_flat(client, coach, django_assert_max_num_queries):
    for days in range(30):
        waiting(days, state="submitted")
    client.force_login(coach)
    with django_assert_max_num_queries(12):
        response = client.get(INBOX)
    assert (
        sum(1 for idea in response.context["ideas"] if idea.waiting_flag) == 19
    )  # the oldest 20 of 0…29 days: 11…29
