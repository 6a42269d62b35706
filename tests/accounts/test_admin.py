"""Units and people in Wagtail's admin: the unit tree, people's unit, language and roles,
and who may use it."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from ideasluss.accounts.models import EmailNotifications, Unit, User
from ideasluss.accounts.roles import Role
from tests.factories import IdeaFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

CYCLE_MESSAGE = (
    "En enhet kan inte vara en del av sig själv eller av någon av sina egna underenheter."
)


@pytest.fixture
def tree(db):
    """Two administrations, one with a unit that has a group of its own."""
    social = UnitFactory(name="Socialförvaltningen")
    home_care = UnitFactory(name="Hemtjänst Norr", parent=social)
    night = UnitFactory(name="Nattpatrullen", parent=home_care)
    culture = UnitFactory(name="Kultur- och fritidsförvaltningen")
    library = UnitFactory(name="Stadsbiblioteket", parent=culture)
    return {"social": social, "home_care": home_care, "night": night, "library": library}


def edit_form(client, url):
    response = client.get(url)
    assert response.status_code == 200
    # A mutable copy; post it as dict(data.lists()) so a field with several values keeps them.
    return querydict_from_html(response.content.decode(), form_id="w-editor-form")


def field_errors(response, field):
    return [str(error) for error in response.context["form"].errors.get(field, [])]


# --- units -------------------------------------------------------------------------------


def test_administrator_creates_a_unit_in_an_administration(client, administrator, tree):
    client.force_login(administrator)
    response = client.post(
        reverse("units:add"), {"name": "Dagverksamheten", "parent": tree["social"].pk}
    )
    assert response.status_code == 302
    assert Unit.objects.get(name="Dagverksamheten").parent == tree["social"]


def test_units_are_listed_as_a_tree(client, administrator, tree):
    client.force_login(administrator)
    response = client.get(reverse("units:index"))
    paths = [unit.path for unit in response.context["object_list"]]
    own = [
        path
        for path in paths
        if path.split(" › ")[0] in {"Socialförvaltningen", "Kultur- och fritidsförvaltningen"}
    ]
    assert own == [
        "Kultur- och fritidsförvaltningen",
        "Kultur- och fritidsförvaltningen › Stadsbiblioteket",
        "Socialförvaltningen",
        "Socialförvaltningen › Hemtjänst Norr",
        "Socialförvaltningen › Hemtjänst Norr › Nattpatrullen",
    ]
    assert "Socialförvaltningen › Hemtjänst Norr › Nattpatrullen" in response.content.decode()


def test_the_unit_list_filters_by_parent_and_searches(client, administrator, tree):
    client.force_login(administrator)
    index = reverse("units:index")
    children = client.get(index, {"parent": tree["social"].pk}).context["object_list"]
    assert [unit.name for unit in children] == ["Hemtjänst Norr"]
    found = client.get(index, {"q": "biblio"}).context["object_list"]
    assert [unit.name for unit in found] == ["Stadsbiblioteket"]


def test_a_unit_cannot_be_its_own_ancestor(client, administrator, tree):
    client.force_login(administrator)
    social = tree["social"]
    url = reverse("units:edit", args=[social.pk])
    for new_parent in (tree["night"], social):
        data = edit_form(client, url)
        data["parent"] = str(new_parent.pk)
        response = client.post(url, dict(data.lists()))
        assert response.status_code == 200
        assert field_errors(response, "parent") == [CYCLE_MESSAGE]
    social.refresh_from_db()
    assert social.parent is None


def test_a_unit_can_move_to_another_administration(client, administrator, tree):
    client.force_login(administrator)
    url = reverse("units:edit", args=[tree["home_care"].pk])
    data = edit_form(client, url)
    data["parent"] = str(tree["library"].pk)
    assert client.post(url, dict(data.lists())).status_code == 302
    tree["night"].refresh_from_db()
    assert tree["night"].path == (
        "Kultur- och fritidsförvaltningen › Stadsbiblioteket › Hemtjänst Norr › Nattpatrullen"
    )


def test_the_shell_gets_the_cycle_refusal(tree):
    social = tree["social"]
    social.parent = tree["night"]
    with pytest.raises(ValidationError) as refused:
        social.full_clean()
    assert refused.value.message_dict == {"parent": [CYCLE_MESSAGE]}


def test_a_unit_in_use_is_not_deleted(client, administrator, tree):
    library = tree["library"]
    IdeaFactory(owner=UserFactory(unit=library))
    client.force_login(administrator)
    response = client.post(reverse("units:delete", args=[library.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "”Stadsbiblioteket” har underenheter, personer eller idéer och kan inte tas bort. "
        "Flytta dem till en annan enhet först."
    ]
    assert Unit.objects.filter(pk=library.pk).exists()


def test_an_unused_unit_is_deleted(client, administrator, tree):
    client.force_login(administrator)
    response = client.post(reverse("units:delete", args=[tree["night"].pk]))
    assert response.status_code == 302
    assert not Unit.objects.filter(pk=tree["night"].pk).exists()


def test_the_unit_list_exports_csv(client, administrator, tree):
    client.force_login(administrator)
    response = client.get(reverse("units:index"), {"export": "csv", "q": "Nattpatrullen"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    assert rows == [
        ["Plats i organisationen", "Namn", "Del av"],
        ["Socialförvaltningen › Hemtjänst Norr › Nattpatrullen", "Nattpatrullen", "Hemtjänst Norr"],
    ]


# --- people --------------------------------------------------------------------------------


def test_the_user_form_shows_unit_language_and_roles(client, administrator, tree):
    person = UserFactory(unit=tree["library"], roles=[Role.STAFF])
    client.force_login(administrator)
    content = client.get(reverse("wagtailusers_users:edit", args=[person.pk])).content.decode()
    for label in [
        "Medarbetare",
        "Innovationscoach",
        "Ledamot i fondrådet",
        "Ordförande i fondrådet",
        "Administratör",
        "Kultur- och fritidsförvaltningen › Stadsbiblioteket",
        "Föredraget språk",
        "Aviseringar via e-post",
    ]:
        assert label in content, label


def test_administrator_moves_a_person_and_gives_a_role(client, administrator, tree):
    person = UserFactory(unit=tree["library"], roles=[Role.STAFF])
    client.force_login(administrator)
    url = reverse("wagtailusers_users:edit", args=[person.pk])
    data = edit_form(client, url)
    data["unit"] = str(tree["home_care"].pk)
    data["preferred_language"] = "en"
    data.setlist(
        "groups", [str(Group.objects.get(name=role).pk) for role in (Role.STAFF, Role.COACH)]
    )
    response = client.post(url, dict(data.lists()))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.unit == tree["home_care"]
    assert person.preferred_language == "en"
    assert set(person.groups.values_list("name", flat=True)) == {Role.STAFF, Role.COACH}


def test_administrator_changes_a_persons_e_mail_choice(client, administrator, tree):
    person = UserFactory(unit=tree["library"], roles=[Role.STAFF])
    client.force_login(administrator)
    url = reverse("wagtailusers_users:edit", args=[person.pk])
    data = edit_form(client, url)
    assert data["email_notifications"] == EmailNotifications.IMMEDIATE
    data["email_notifications"] = EmailNotifications.DAILY_DIGEST
    response = client.post(url, dict(data.lists()))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email_notifications == EmailNotifications.DAILY_DIGEST


def test_administrator_adds_a_person_with_unit_and_role(client, administrator, tree):
    client.force_login(administrator)
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "gun",
            "email": "gun@example.se",
            "first_name": "Gun",
            "last_name": "Ek",
            "password1": "ett-långt-lösenord-2026",
            "password2": "ett-långt-lösenord-2026",
            "unit": tree["night"].pk,
            "preferred_language": "sv",
            "groups": [Group.objects.get(name=Role.STAFF).pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    gun = User.objects.get(username="gun")
    assert gun.unit == tree["night"]
    assert list(gun.groups.values_list("name", flat=True)) == [Role.STAFF]


def test_an_administrator_cannot_make_a_superuser(client):
    """The administrator role (without Django's superuser flag) cannot hand out full access."""
    administrator = UserFactory(roles=[Role.STAFF, Role.ADMINISTRATOR], is_staff=True)
    person = UserFactory(roles=[Role.STAFF])
    client.force_login(administrator)
    url = reverse("wagtailusers_users:edit", args=[person.pk])
    data = edit_form(client, url)
    assert "is_superuser" not in data
    data["is_superuser"] = "on"
    assert client.post(url, dict(data.lists())).status_code == 302
    person.refresh_from_db()
    assert not person.is_superuser


def test_the_user_list_shows_and_filters_by_unit_and_role(client, administrator, tree):
    coach = UserFactory(username="cia", unit=tree["night"], roles=[Role.STAFF, Role.COACH])
    UserFactory(username="bo", unit=tree["library"], roles=[Role.STAFF])
    client.force_login(administrator)
    index = reverse("wagtailusers_users:index")
    response = client.get(index)
    content = response.content.decode()
    assert "Socialförvaltningen › Hemtjänst Norr › Nattpatrullen" in content
    assert "Medarbetare, Innovationscoach" in content
    by_unit = client.get(index, {"unit": tree["night"].pk}).context["object_list"]
    assert [user.username for user in by_unit] == ["cia"]
    coach_group = Group.objects.get(name=Role.COACH)
    by_role = client.get(index, {"group": coach_group.pk}).context["object_list"]
    assert [user.username for user in by_role] == ["cia"]
    searched = client.get(index, {"q": coach.last_name}).context["object_list"]
    assert "cia" in [user.username for user in searched]


# --- who may -----------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["units:index", "units:add", "wagtailusers_users:index"])
def test_a_staff_member_gets_no_admin(client, staff, url_name):
    client.force_login(staff)
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_a_coach_sees_no_administration(client, coach, tree):
    client.force_login(coach)
    home = client.get(reverse("wagtailadmin_home"))
    assert home.status_code == 200
    for url in (reverse("units:index"), reverse("wagtailusers_users:index")):
        assert client.get(url).status_code in (302, 403)
        assert url not in home.content.decode()
    response = client.post(reverse("units:add"), {"name": "Smygenheten"})
    assert not Unit.objects.filter(name="Smygenheten").exists()
    assert response.status_code in (302, 403)


def test_administrators_and_superusers_hold_the_administration_permissions(
    administrator, coach, staff
):
    superuser = UserFactory(is_superuser=True, roles=[])
    for permission in ("fund.change_fund", "accounts.change_unit", "accounts.change_user"):
        assert administrator.has_perm(permission)
        assert superuser.has_perm(permission)
        assert not coach.has_perm(permission)
        assert not staff.has_perm(permission)


def test_the_administration_menu_shows_for_an_administrator(client, administrator):
    client.force_login(administrator)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    for url in (
        reverse("funds:index"),
        reverse("units:index"),
        reverse("wagtailusers_users:index"),
    ):
        assert url in home
