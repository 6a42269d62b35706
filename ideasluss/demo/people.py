"""The demo organisation: units and one user per role."""

from dataclasses import dataclass

from django.contrib.auth.models import Group

from ideasluss.accounts.models import Unit, User
from ideasluss.accounts.roles import Role

DEMO_PASSWORD = "idesluss-demo"  # noqa: S105 - published demo login, refused in production

UNITS = {
    "Socialförvaltningen": ["Hemtjänst Norr", "Äldreboendet Solrosen"],
    "Barn- och utbildningsförvaltningen": ["Norrskolan", "Ekbackens förskola"],
    "Samhällsbyggnadsförvaltningen": ["Gata och park"],
    "Kommunledningsförvaltningen": ["Innovationsenheten", "Ekonomienheten"],
    "Kultur- och fritidsförvaltningen": ["Stadsbiblioteket"],
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    unit: str
    roles: tuple[Role, ...]
    language: str = "sv"


DEMO_USERS = [
    DemoUser("anna", "Anna", "Lindqvist", "Hemtjänst Norr", (Role.STAFF,)),
    DemoUser("bo", "Bo", "Eriksson", "Norrskolan", (Role.STAFF,), language="en"),
    DemoUser("cia", "Cia", "Nyström", "Innovationsenheten", (Role.STAFF, Role.COACH)),
    DemoUser("dan", "Dan", "Holm", "Gata och park", (Role.STAFF, Role.COMMITTEE_MEMBER)),
    DemoUser("eva", "Eva", "Sandberg", "Ekonomienheten", (Role.STAFF, Role.COMMITTEE_MEMBER)),
    DemoUser("fia", "Fia", "Karlsson", "Stadsbiblioteket", (Role.STAFF, Role.COMMITTEE_CHAIR)),
    DemoUser("admin", "Ada", "Berg", "Innovationsenheten", (Role.STAFF, Role.ADMINISTRATOR)),
]


def seed_units() -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for administration, children in UNITS.items():
        parent, _ = Unit.objects.get_or_create(name=administration, parent=None)
        units[administration] = parent
        for name in children:
            units[name], _ = Unit.objects.get_or_create(name=name, parent=parent)
    return units


def seed_users(units: dict[str, Unit]) -> tuple[list[User], int]:
    """Create or refresh the demo users; returns them and how many were new."""
    groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
    users, created_count = [], 0
    for spec in DEMO_USERS:
        user, created = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@idesluss.example",
                "unit": units[spec.unit],
                "preferred_language": spec.language,
                "is_active": True,
                "is_staff": Role.ADMINISTRATOR in spec.roles,
                "is_superuser": Role.ADMINISTRATOR in spec.roles,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created_count += 1
        user.groups.set([groups[role.value] for role in spec.roles])
        users.append(user)
    return users, created_count
