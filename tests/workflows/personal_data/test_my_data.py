"""`/accounts/my-data/`: everything held about the signed-in person, as a page and as JSON."""

import json

import pytest
from django.apps import apps
from django.urls import reverse

from ideasluss.accounts.models import User
from ideasluss.accounts.roles import Role
from tests.factories import CommentFactory, IdeaFactory, UserFactory
from workflows.models import Notification
from workflows.personal_data.sections import NOT_SECTIONS, SECTIONS

pytestmark = pytest.mark.django_db

OUR_APPS = {"accounts", "ideas", "fund", "workflows", "cms"}


@pytest.fixture
def anna(client):
    user = UserFactory(
        username="anna", first_name="Anna", last_name="Andersson", roles=[Role.STAFF, Role.COACH]
    )
    client.force_login(user)
    return user


def notify(user, count):
    Notification.objects.bulk_create(
        Notification(recipient=user, kind="comment", message=f"Meddelande {n}")
        for n in range(count)
    )


def test_signing_in_is_needed(client):
    response = client.get(reverse("my-data"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_page_shows_the_persons_own_account_ideas_and_comments(client, anna):
    IdeaFactory(owner=anna, title="Bokningskalender för bilarna")
    CommentFactory(author=anna, body="Vi testar gärna i Hemtjänst Norr.")
    content = client.get(reverse("my-data")).content.decode()
    assert "anna" in content
    assert "Bokningskalender för bilarna" in content
    assert "Vi testar gärna i Hemtjänst Norr." in content


def test_the_page_shows_nothing_of_other_people(client, anna):
    bo = UserFactory(username="bo")
    IdeaFactory(owner=bo, title="Bos hemliga utkast", state="draft")
    CommentFactory(author=bo, body="Bos kommentar")
    content = client.get(reverse("my-data")).content.decode()
    assert "Bos hemliga utkast" not in content
    assert "Bos kommentar" not in content


def test_stored_codes_are_shown_as_words(client, anna):
    IdeaFactory(owner=anna, state="submitted")
    assert "Inskickad" in client.get(reverse("my-data")).content.decode()


def test_the_json_file_has_every_section_and_every_row(client, anna):
    notify(anna, 120)
    response = client.get(reverse("my-data-json"))
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    document = json.loads(response.content)
    assert document["profile"]["användarnamn"] == "anna"
    assert set(document["sections"]) == {section.key for section in SECTIONS}
    assert len(document["sections"]["notifications"]["rows"]) == 120


def test_the_page_shows_the_newest_rows_and_says_how_many_more(client, anna):
    notify(anna, 120)
    content = client.get(reverse("my-data")).content.decode()
    assert "Meddelande 119" in content
    assert "Meddelande 0<" not in content
    assert "Och 70 till i filen." in content


@pytest.mark.parametrize("view", ["my-data", "my-data-json"])
def test_queries_do_not_grow_with_the_persons_data(
    client, anna, view, django_assert_max_num_queries
):
    notify(anna, 10)
    CommentFactory(author=anna, idea=IdeaFactory(owner=anna))
    with django_assert_max_num_queries(2 * len(SECTIONS) + 10) as few:
        client.get(reverse(view))
    notify(anna, 990)
    for _ in range(30):
        CommentFactory(author=anna, idea=IdeaFactory(owner=anna))
    with django_assert_max_num_queries(len(few)):
        client.get(reverse(view))


def test_every_link_from_our_records_to_a_person_is_listed_or_explained():
    covered = {(section.model._meta.label, section.person_filter) for section in SECTIONS}
    missing = []
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS or model._meta.proxy:
            continue
        for field in model._meta.get_fields():
            if getattr(field, "related_model", None) is not User or not field.concrete:
                continue
            label = f"{model._meta.label}.{field.name}"
            wildcard = f"{model._meta.app_label}.*.{field.name}"
            if (model._meta.label, field.name) in covered:
                continue
            if label in NOT_SECTIONS or wildcard in NOT_SECTIONS:
                continue
            missing.append(label)
    assert missing == []


def test_sign_ins_are_listed_by_username(client, anna):
    from axes.models import AccessLog

    AccessLog.objects.create(username="anna", ip_address="10.1.2.3", user_agent="Firefox")
    AccessLog.objects.create(username="bo", ip_address="10.9.9.9", user_agent="Chrome")
    content = client.get(reverse("my-data")).content.decode()
    assert "10.1.2.3" in content
    assert "10.9.9.9" not in content


def test_roles_are_named_in_words(client, anna):
    content = client.get(reverse("my-data")).content.decode()
    assert "Innovationscoach, Medarbetare" in content
