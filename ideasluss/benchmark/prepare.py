"""The benchmark's preparation, run under the settings the app servers use: sign in many
people (sessions stored as a sign-in stores them), pick the concrete addresses of every
page, and count each page's queries once with Django's test client.

`python -m ideasluss.benchmark.prepare OUT.json` writes what the runner needs.
"""

import json
import secrets
import string
import sys
from urllib.parse import quote

import django


def main(out: str) -> None:
    django.setup()
    plan = build_plan()
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(plan, handle, ensure_ascii=False, indent=1)


def build_plan() -> dict:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db.models import Q
    from django.utils.module_loading import import_string

    from cms.models import ResultPage
    from ideasluss.accounts.models import User
    from ideasluss.accounts.roles import Role
    from ideasluss.demo.scale import BENCH_COMMON_WORD, BENCH_RARE_WORD
    from ideasluss.ideas.models import Idea, IdeaState

    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    csrf_secret = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))

    def people(role: str, count: int, *, exclude_roles: tuple[str, ...] = ()) -> list:
        found = User.objects.filter(is_active=True, is_superuser=False, groups__name=role)
        if exclude_roles:
            found = found.exclude(groups__name__in=exclude_roles)
        return list(found.order_by("pk").distinct()[:count])

    def cookies(users: list) -> list[str]:
        headers = []
        for user in users:
            session = store()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            headers.append(
                f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
                f"{settings.CSRF_COOKIE_NAME}={csrf_secret}"
            )
        return headers

    staff = people(Role.STAFF, 300, exclude_roles=(Role.COACH, Role.COMMITTEE_MEMBER))
    coaches = people(Role.COACH, 40)
    committee = people(Role.COMMITTEE_MEMBER, 15)
    if not (staff and coaches and committee):
        raise SystemExit("The database has no staff, coaches or committee members: seed it first.")
    # Owners of many ideas make "my ideas" as heavy as it gets.
    busy_owners = list(
        User.objects.filter(pk__in=Idea.objects.values("owner")[:2000].values("owner"))
        .exclude(groups__name__in=(Role.COACH, Role.COMMITTEE_MEMBER))
        .distinct()[:300]
    )
    step_coach = benchmark_coach()
    to_accept = list(
        Idea.objects.filter(state=IdeaState.SUBMITTED)
        .exclude(Q(owner=step_coach) | Q(co_owners=step_coach) | Q(champions__user=step_coach))
        .order_by("-pk")
        .values_list("pk", flat=True)[:6001]
    )
    if len(to_accept) < 2:
        raise SystemExit("No submitted ideas left to accept: seed a fresh database.")
    visible = list(
        Idea.objects.exclude(state=IdeaState.DRAFT).order_by("?").values_list("pk", flat=True)[:300]
    )
    results = [page.url for page in ResultPage.objects.live().order_by("-pk")[:50]]
    unit = (
        Idea.objects.exclude(state=IdeaState.DRAFT)
        .exclude(unit=None)
        .values_list("unit_id", flat=True)
        .first()
    )

    groups = {
        "staff": cookies(staff),
        "owners": cookies(busy_owners or staff),
        "coach": cookies(coaches),
        "committee": cookies(committee),
        "step": cookies([step_coach]),
    }
    pages = [
        page("Idébanken", "staff", "staff", ["/ideas/"]),
        page(
            f"Idébanken, sök “{BENCH_COMMON_WORD}”",
            "search",
            "staff",
            [f"/ideas/?q={quote(BENCH_COMMON_WORD)}"],
        ),
        page(
            f"Idébanken, sök “{BENCH_RARE_WORD}”",
            "search",
            "staff",
            [f"/ideas/?q={quote(BENCH_RARE_WORD)}"],
        ),
        page("Idébanken, filtrerad", "staff", "staff", [f"/ideas/?state=testing&unit={unit}"]),
        page("Idébanken, sida 200", "staff", "staff", ["/ideas/?page=200"]),
        page("En idé", "staff", "staff", [f"/ideas/{pk}/" for pk in visible]),
        page("Mina idéer", "staff", "owners", ["/ideas/mine/"]),
        page("Mitt arbete (startsidan)", "staff", "staff", ["/my-work/"]),
        page("Coachens inkorg", "staff", "coach", ["/ideas/inbox/"]),
        page("Ledtider (de senaste tolv månaderna)", "staff", "coach", ["/flow/"]),
        page("Fondens översikt", "staff", "committee", ["/fund/"]),
        page("Beslutsregistret", "staff", "committee", ["/fund/decisions/"]),
        page("Notiser", "staff", "staff", ["/notifications/"]),
        page("API: beslut", "public", None, ["/api/v1/decisions/"]),
        page("Startsidan (publik)", "public", None, ["/"]),
        page("En resultatsida", "public", None, results or ["/"]),
        page("Fondens sida (publik)", "public", None, ["/fonden/"]),
        {
            **page(
                "Ett steg: coachen godtar en idé (POST)",
                "step",
                "step",
                [f"/ideas/{pk}/transition/accept/" for pk in to_accept[1:]],
            ),
            "method": "POST",
            "body": f"expected_state=submitted&csrfmiddlewaretoken={csrf_secret}",
            "expect": 302,
        },
    ]
    for entry in pages:
        entry["queries"] = count_queries(entry, groups, sample_accept=to_accept[0])
    return {"pages": pages, "cookies": groups, "ideas": Idea.objects.count()}


#: The coach whose steps are the benchmark's own: no seeded history is theirs.
STEP_COACH = "benchmark-coach"


def benchmark_coach():
    """The benchmark's own coach, with the ideas an earlier run had them accept put back.

    A run accepts up to a few thousand submitted ideas (one per POST); reopened here, a
    reused database measures the same step every time instead of running out of ideas."""
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django_fsm_log.models import StateLog

    from ideasluss.accounts.models import User
    from ideasluss.accounts.roles import Role
    from ideasluss.ideas.models import Idea, IdeaState

    coach, created = User.objects.get_or_create(
        username=STEP_COACH, defaults={"first_name": "Bänk", "last_name": "Coach"}
    )
    if created:
        coach.set_unusable_password()
        coach.save()
        coach.groups.add(Group.objects.get_or_create(name=Role.COACH)[0])
    steps = StateLog.objects.filter(
        by=coach, transition="accept", content_type=ContentType.objects.get_for_model(Idea)
    )
    with transaction.atomic():
        accepted = steps.values_list("object_id", flat=True)
        Idea.objects.filter(pk__in=accepted, state=IdeaState.PLANNING).update(
            state=IdeaState.SUBMITTED
        )
        steps.delete()
    return coach


def page(name: str, kind: str, people: str | None, paths: list[str]) -> dict:
    return {"name": name, "kind": kind, "people": people, "paths": paths, "method": "GET"}


def count_queries(entry: dict, groups: dict, *, sample_accept: int) -> int:
    """Queries of one warm request, as a person of the page's kind makes it."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    cookie = groups[entry["people"]][0] if entry["people"] else ""
    for pair in filter(None, cookie.split("; ")):
        name, _, value = pair.partition("=")
        client.cookies[name] = value
    path = entry["paths"][0]
    if entry["method"] == "POST":
        path = f"/ideas/{sample_accept}/transition/accept/"
        data = dict(pair.split("=", 1) for pair in entry["body"].split("&"))
        with CaptureQueriesContext(connection) as queries:
            response = client.post(path, data)
    else:
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
    expected = entry.get("expect", 200)
    if response.status_code != expected:
        raise SystemExit(f"{entry['name']}: {path} answered {response.status_code}, not {expected}")
    return len(queries)


if __name__ == "__main__":
    main(sys.argv[1])
