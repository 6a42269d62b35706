"""Erasing a person: what goes, what is pseudonymised, and the public records that stay.

One test per rule (workflows/personal_data/erasure.py says why each holds)."""

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.urls import reverse

from ideasluss.accounts.roles import Role
from ideasluss.fund.models import Decision
from ideasluss.ideas.models import Champion
from tests.factories import (
    TEST_PASSWORD,
    CommentFactory,
    FundFactory,
    IdeaFactory,
    UnitFactory,
    UserFactory,
)
from tests.fund.decision_helpers import committee_decision, delegated_decision
from workflows.models import Notification
from workflows.personal_data.erasure import person_erase

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(db):
    return UserFactory(
        username="anna.lind",
        first_name="Anna",
        last_name="Lind",
        email="anna.lind@kommun.se",
        unit=UnitFactory(name="Hemtjänst Norr"),
        roles=[Role.STAFF],
    )


def erase(person, by):
    person_erase(person=person, by=by)
    person.refresh_from_db()
    return person


def test_the_account_loses_its_username_e_mail_unit_and_roles(person, administrator):
    erased = erase(person, administrator)
    assert erased.username == f"erased-{person.pk}"
    assert erased.email == ""
    assert erased.unit is None
    assert not erased.groups.exists()
    assert not erased.is_active
    assert erased.erased_at is not None


def test_the_account_can_no_longer_sign_in(person, administrator):
    erase(person, administrator)
    assert authenticate(username="anna.lind", password=TEST_PASSWORD) is None
    assert authenticate(username=f"erased-{person.pk}", password=TEST_PASSWORD) is None


def test_a_signed_in_session_ends(client, person, administrator):
    client.force_login(person)
    erase(person, administrator)
    response = client.get(reverse("profile"))
    assert response.status_code == 302


def test_a_person_in_no_public_record_becomes_former_employee(person, administrator):
    erased = erase(person, administrator)
    assert erased.first_name == erased.last_name == ""
    assert erased.full_name == "Tidigare medarbetare"


def test_an_idea_passes_to_a_remaining_co_owner(person, administrator):
    heir = UserFactory(username="bo")
    idea = IdeaFactory(owner=person)
    idea.co_owners.add(heir)
    erase(person, administrator)
    idea.refresh_from_db()
    assert idea.owner == heir
    assert not idea.co_owners.exists()


def test_an_idea_without_co_owners_stays_with_former_employee(client, person, administrator):
    idea = IdeaFactory(owner=person, title="Bokningskalender för bilarna", state="submitted")
    erase(person, administrator)
    client.force_login(UserFactory(roles=[Role.STAFF]))
    content = client.get(idea.get_absolute_url()).content.decode()
    assert "Bokningskalender för bilarna" in content
    assert "Tidigare medarbetare" in content
    assert "Anna Lind" not in content


def test_the_person_leaves_the_teams_of_other_ideas(person, administrator):
    idea = IdeaFactory()
    idea.co_owners.add(person)
    erase(person, administrator)
    assert not idea.co_owners.exists()


def test_comments_stay_by_former_employee(person, administrator):
    comment = CommentFactory(author=person, body="Vi testar gärna.")
    erase(person, administrator)
    comment.refresh_from_db()
    assert comment.body == "Vi testar gärna."
    assert comment.author.full_name == "Tidigare medarbetare"


def test_offers_written_when_championing_are_removed(person, administrator):
    Champion.objects.create(idea=IdeaFactory(), user=person, offer="Ring mig på 070-123 45 67")
    erase(person, administrator)
    assert Champion.objects.get(user=person).offer == ""


def test_the_persons_notifications_are_deleted_and_others_lose_the_actor(person, administrator):
    other = UserFactory()
    Notification.objects.create(recipient=person, kind="comment", message="Till Anna")
    told = Notification.objects.create(
        recipient=other, actor=person, kind="comment", message="Från Anna"
    )
    erase(person, administrator)
    assert not Notification.objects.filter(recipient=person).exists()
    told.refresh_from_db()
    assert told.actor is None


def test_a_coach_who_decided_keeps_the_name_and_the_register_verifies(coach, administrator):
    fund = FundFactory(capital=100_000, delegated_limit=30_000)
    decision = delegated_decision(fund=fund, coach=coach)
    name = coach.full_name
    erased = erase(coach, administrator)
    assert erased.full_name == name
    assert erased.email == ""
    decision = Decision.objects.get(pk=decision.pk)
    from ideasluss.fund.transparency import leaf_hash_hex

    assert leaf_hash_hex(decision) == decision.leaf_hash


def test_a_member_at_a_meeting_keeps_the_name(chair, committee_member, administrator):
    fund = FundFactory(capital=100_000, committee=[chair, committee_member])
    committee_decision(fund=fund, chair=chair, members=[committee_member])
    erased = erase(committee_member, administrator)
    assert erased.first_name == committee_member.first_name
    assert erased.last_name == committee_member.last_name


def test_an_administrator_cannot_erase_themselves(administrator):
    with pytest.raises(ValidationError, match="inte radera dina egna"):
        person_erase(person=administrator, by=administrator)


def test_a_person_is_erased_once(person, administrator):
    erase(person, administrator)
    with pytest.raises(ValidationError, match="redan raderats"):
        person_erase(person=person, by=administrator)


def test_the_vice_chair_of_a_fund_is_refused_until_replaced(person, administrator):
    FundFactory(vice_chair=person)
    with pytest.raises(ValidationError, match="vice ordförande"):
        person_erase(person=person, by=administrator)
    person.refresh_from_db()
    assert person.erased_at is None
    assert person.email == "anna.lind@kommun.se"


# --- in the admin ----------------------------------------------------------------------


def test_an_administrator_erases_from_the_user_list(client, person, administrator):
    client.force_login(administrator)
    listing = client.get(reverse("wagtailusers_users:index")).content.decode()
    url = reverse("person_erase", args=[person.pk])
    assert url in listing
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Ja, radera personuppgifterna" in confirm.content.decode()
    response = client.post(url, follow=True)
    assert "Tidigare medarbetare" in response.content.decode()
    person.refresh_from_db()
    assert person.erased_at is not None


def test_others_may_not_erase(client, person, coach):
    client.force_login(coach)
    assert client.post(reverse("person_erase", args=[person.pk])).status_code in {302, 403}
    person.refresh_from_db()
    assert person.erased_at is None


def test_sign_in_records_and_the_sign_on_subject_go(person, administrator):
    from axes.models import AccessFailureLog, AccessLog

    person.oidc_subject = "entra-1234"
    person.save()
    AccessLog.objects.create(username="anna.lind", ip_address="10.1.2.3")
    AccessFailureLog.objects.create(username="anna.lind", ip_address="10.1.2.3")
    erased = erase(person, administrator)
    assert erased.oidc_subject is None
    assert not AccessLog.objects.filter(username="anna.lind").exists()
    assert not AccessFailureLog.objects.filter(username="anna.lind").exists()
