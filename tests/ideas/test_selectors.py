"""The idea selectors whose counting is done apart from their lists."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ideasluss.ideas.selectors import coach_inbox, coach_inbox_size
from tests.factories import IdeaFactory, TestPlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox_mix():
    """Three submitted ideas, two tests past their end, and what the inbox leaves out."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    begun = yesterday - datetime.timedelta(days=30)
    IdeaFactory.create_batch(3, state="submitted")
    for _ in range(2):
        TestPlanFactory(idea=IdeaFactory(state="testing"), start_date=begun, end_date=yesterday)
    TestPlanFactory(idea=IdeaFactory(state="testing"))  # ends in 30 days
    TestPlanFactory(idea=IdeaFactory(state="planning"), start_date=begun, end_date=yesterday)
    IdeaFactory(state="testing")  # no plan
    IdeaFactory(state="draft")


@pytest.mark.parametrize("up_to", [1, 2, 3, 4, 5, 6, 100])
def test_the_inbox_size_is_its_rows_counted_up_to_the_bound(inbox_mix, up_to):
    assert coach_inbox().count() == 5

    assert coach_inbox_size(up_to=up_to) == min(up_to, 5)


def test_the_inbox_size_counts_on_the_day_given(inbox_mix):
    two_days_ago = timezone.localdate() - datetime.timedelta(days=2)

    assert coach_inbox_size(up_to=100, today=two_days_ago) == 3


def test_the_inbox_page_counts_by_the_size(client, coach, inbox_mix):
    client.force_login(coach)

    response = client.get(reverse("ideas:idea-inbox"))

    assert response.context["paginator"].count == 5
    assert len(response.context["ideas"]) == 5
