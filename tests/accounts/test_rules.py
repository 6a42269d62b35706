"""Every role predicate, for every role."""

import pytest

from ideasluss.accounts import rules as roles
from ideasluss.accounts.roles import Role
from tests.factories import UserFactory

ROLE_MATRIX = {
    # role group: (staff, coach, committee member, chair, administrator)
    Role.STAFF: (True, False, False, False, False),
    Role.COACH: (True, True, False, False, False),
    Role.COMMITTEE_MEMBER: (True, False, True, False, False),
    Role.COMMITTEE_CHAIR: (True, False, True, True, False),
    Role.ADMINISTRATOR: (True, False, False, False, True),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ROLE_MATRIX))
def test_role_predicates(role):
    user = UserFactory(roles=[role])
    expected = ROLE_MATRIX[role]
    actual = (
        roles.is_staff_member(user),
        roles.is_coach(user),
        roles.is_committee_member(user),
        roles.is_committee_chair(user),
        roles.is_administrator(user),
    )
    assert actual == expected


@pytest.mark.django_db
def test_user_without_role_is_nobody():
    user = UserFactory(roles=[])
    assert not roles.is_staff_member(user)
    assert not roles.is_fund_reviewer(user)


def test_anonymous_user_has_no_role():
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not roles.is_staff_member(anonymous)
    assert not roles.is_coach(anonymous)
    assert not roles.is_committee_member(anonymous)


@pytest.mark.django_db
def test_fund_permission_follows_roles():
    assert UserFactory(roles=[Role.COACH]).has_perm("accounts.access_fund")
    assert UserFactory(roles=[Role.COMMITTEE_MEMBER]).has_perm("accounts.access_fund")
    assert not UserFactory(roles=[Role.STAFF]).has_perm("accounts.access_fund")
    assert UserFactory(roles=[Role.COMMITTEE_CHAIR]).has_perm("accounts.chair_meetings")
    assert not UserFactory(roles=[Role.COMMITTEE_MEMBER]).has_perm("accounts.chair_meetings")


@pytest.mark.django_db
def test_role_groups_exist_after_migrations():
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)
