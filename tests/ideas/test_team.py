"""The ideas on a person's team: owner or co-owner, found through both indexes."""

import pytest

from ideasluss.ideas import selectors
from ideasluss.ideas.models import Idea
from tests.factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_team_ideas_are_the_owned_and_the_co_owned_each_once(staff):
    owned = IdeaFactory.create_batch(3, owner=staff)
    co_owned = IdeaFactory.create_batch(2)
    for idea in co_owned:
        idea.co_owners.add(staff)
    both = IdeaFactory(owner=staff)
    both.co_owners.add(staff, UserFactory())
    IdeaFactory.create_batch(2)

    expected = {idea.pk for idea in [*owned, *co_owned, both]}
    found = list(Idea.objects.of_team(staff).values_list("pk", flat=True))
    assert sorted(found) == sorted(expected)
    assert sorted(idea.pk for idea in selectors.my_ideas(user=staff)) == sorted(expected)


def test_someone_on_no_team_has_no_team_ideas(staff):
    IdeaFactory.create_batch(2)
    assert not Idea.objects.of_team(staff).exists()
    assert list(selectors.my_ideas(user=staff)) == []
