import pytest
from django.core.management import CommandError, call_command

from ideasluss.accounts.models import User
from ideasluss.accounts.roles import Role
from ideasluss.demo.data import load
from ideasluss.ideas.models import Idea

pytestmark = pytest.mark.django_db

DEMO_USERS = [user["username"] for user in load("people")["user"]]


def test_seed_demo_creates_one_user_per_role_and_is_idempotent():
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    assert User.objects.filter(username__in=DEMO_USERS).count() == 7
    roles_present = set(User.objects.values_list("groups__name", flat=True))
    assert roles_present >= set(Role.values)
    assert User.objects.get(username="anna").unit != User.objects.get(username="bo").unit


def test_seed_demo_ideas_tops_up_to_n_spread_over_owners_and_units():
    call_command("seed_demo", ideas=300, verbosity=0)
    call_command("seed_demo", ideas=300, verbosity=0)
    assert Idea.objects.count() == 300
    assert Idea.objects.values("owner").distinct().count() == len(DEMO_USERS)
    assert Idea.objects.values("unit").distinct().count() > 3
    assert Idea.objects.values("state").distinct().count() > 3


def test_seed_demo_refuses_production_settings(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="refuses"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.filter(username="anna").exists()
