"""The organisation at scale: administrations and their units, the employees, their roles."""

import datetime
import itertools
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from ideasluss.accounts.models import EmailNotifications, Unit, User
from ideasluss.accounts.roles import Role
from ideasluss.demo.data import load

from .bulk import between, insert, link

#: Every scale user's username is this and a number: `scale-00001`, `scale-00002`, …
USERNAME_PREFIX = "scale-"
#: Every scale user's password, published like the demo's (one hash, computed once).
PASSWORD = load("scale")["password"]
NUMBER_WIDTH = 5


def username(number: int) -> str:
    """The username of scale user `number` (from 1)."""
    return f"{USERNAME_PREFIX}{number:0{NUMBER_WIDTH}d}"


@dataclass
class People:
    """The scale's employees in number order, and who among them has which role."""

    users: list[User]
    coaches: list[User]
    committees: list[list[User]]  # one per fund; the chair first, the vice chair second

    def chair(self, fund_index: int) -> User:
        return self.committees[fund_index][0]


def seed_units(*, count: int, rng: random.Random) -> list[Unit]:
    """`count` units: administrations, then their units spread over them (as many as the
    data has names for). Returns them all, the administrations first."""
    data = load("scale")["units"]
    wanted = max(1, min(len(data["administration"]), count // 25))
    administrations = data["administration"][:wanted]
    tops = insert(Unit, [Unit(name=a["name"]) for a in administrations])
    names = {
        top.pk: [kind.format(area=area) for kind in spec["kinds"] for area in data["areas"]]
        for top, spec in zip(tops, administrations, strict=True)
    }
    for unit_names in names.values():
        rng.shuffle(unit_names)
    children = []
    tops_in_turn = itertools.cycle(tops)
    for _ in range(max(1, count - len(tops))):
        top = next(tops_in_turn)
        if names[top.pk]:
            children.append(Unit(name=names[top.pk].pop(), parent=top))
    return [*tops, *insert(Unit, children)]


def seed_users(
    *,
    count: int,
    units: list[Unit],
    rng: random.Random,
    since: datetime.datetime,
    now: datetime.datetime,
) -> list[User]:
    """`count` employees in the units, with one password hash for all of them."""
    data = load("scale")["people"]
    password = make_password(PASSWORD)
    users = []
    for number in range(1, count + 1):
        first, last = rng.choice(data["first_names"]), rng.choice(data["last_names"])
        name = username(number)
        users.append(
            User(
                username=name,
                password=password,
                first_name=first,
                last_name=last,
                email=f"{name}@idesluss.example",
                unit=rng.choice(units),
                preferred_language="en" if rng.random() < data["english"] else "sv",
                email_notifications=rng.choice(list(EmailNotifications.values)),
                is_active=True,
                date_joined=between(rng, since - datetime.timedelta(days=365), now),
            )
        )
    return insert(User, users)


def spread(users: list[User], count: int, *, offset: int) -> list[User]:
    """`count` users evenly spread over `users` (so roles do not go to the first numbers,
    who own the most ideas), starting at `offset`."""
    step = max(1, len(users) // max(1, count))
    return [users[(offset + i * step) % len(users)] for i in range(count)]


def assign_roles(*, users: list[User], coaches: int, committee: int, funds: int) -> People:
    """Everyone is staff; `coaches` coaches, and a committee of `committee` members for each
    of `funds` funds, the first of each its chair."""
    groups = dict(Group.objects.filter(name__in=Role.values).values_list("name", "pk"))
    coach_users = spread(users, coaches, offset=1)
    taken = {user.pk for user in coach_users}
    candidates = [user for user in users if user.pk not in taken]
    members = spread(candidates, committee * funds, offset=2)
    committees = [members[i * committee : (i + 1) * committee] for i in range(funds)]
    pairs = [(user.pk, groups[Role.STAFF]) for user in users]
    pairs += [(user.pk, groups[Role.COACH]) for user in coach_users]
    for members_of_fund in committees:
        chair, *others = members_of_fund
        pairs.append((chair.pk, groups[Role.COMMITTEE_CHAIR]))
        pairs += [(member.pk, groups[Role.COMMITTEE_MEMBER]) for member in others]
    link(User.groups, pairs)
    return People(users=users, coaches=coach_users, committees=committees)
