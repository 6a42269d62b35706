"""The permission matrix: every URL pattern, requested as every persona, against a table.

Why: permissions are checked in many views, each in its own way; a new URL (or a changed
view) that forgets its check is found here, because no URL can be left out.

- `test_every_url_pattern_is_declared` walks the root resolver. Each pattern must match
  exactly one declaration: a row of `MATRIX` (keyed by the pattern's full name, e.g.
  `ideas:idea-detail`, or its route when it has no name) or one of `FRAMEWORK_RULES`.
  A product row must declare POST exactly when the view accepts POST.
- `test_permission_matrix` builds one world (personas, ideas in every state, the fund's
  objects), requests every row's URL as every persona (GET, and POST where declared;
  the framework admins' parameterless GETs only) and compares the outcome class with
  the table. Every request runs in a transaction that is rolled back, so a POST by one
  persona changes nothing the next one sees. All mismatches are reported at once.

To add a URL: add a row to `MATRIX` in `tests/permission_matrix.py`, with one variant per
kind of object that matters (say which personas may act, and, if not every employee may
see the object, who may see it). A new kind of object in the URL: add it to `world` below
and map its kwarg in `OBJECT_KWARGS`.
"""

import logging
import time
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from ideasluss.accounts.roles import Role
from ideasluss.fund.models import ConflictDeclaration, Cost, Decision, Meeting
from ideasluss.fund.models import Review as FundReview
from ideasluss.fund.services import decision_log_append
from workflows.models import Notification

from . import permission_matrix as pm
from .factories import (
    MINIMAL_PDF,
    ApplicationFactory,
    AttachmentFactory,
    CommentFactory,
    EvaluationFactory,
    FundFactory,
    IdeaFactory,
    NominationFactory,
    TestPlanFactory,
    UserFactory,
)

# --- the URL patterns -------------------------------------------------------------------


def url_patterns():
    """Every pattern of the root resolver as (key, route, pattern), in resolver order."""
    found = []

    def walk(patterns, prefix, namespaces):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = namespaces + ([pattern.namespace] if pattern.namespace else [])
                walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern):
                key = ":".join([*namespaces, pattern.name]) if pattern.name else route
                found.append((key, route, pattern))

    walk(get_resolver().url_patterns, "", [])
    return found


def declarations_for(key: str, route: str) -> list[str]:
    matched = [f"MATRIX[{key!r}]"] if key in pm.MATRIX else []
    matched += [f"rule {rule.label!r}" for rule in pm.FRAMEWORK_RULES if rule.matches(key, route)]
    return matched


def accepts_post(key: str, pattern: URLPattern) -> bool:
    view_class = getattr(pattern.callback, "view_class", None)
    if view_class is None:
        return key in pm.FUNCTION_VIEWS_ACCEPTING_POST
    return "post" in view_class.http_method_names and hasattr(view_class, "post")


def test_every_url_pattern_is_declared(db):
    problems = []
    patterns = url_patterns()
    keys = [key for key, _route, _pattern in patterns]
    for key, route, pattern in patterns:
        if keys.count(key) > 1 and key in pm.MATRIX:
            problems.append(f"{key}: two patterns share this key; name one of them")
        matched = declarations_for(key, route)
        if not matched:
            problems.append(f"{key} ({route}): no declared expectation; add it to MATRIX")
        elif len(matched) > 1:
            problems.append(f"{key} ({route}): declared {len(matched)} times: {matched}")
        elif key in pm.MATRIX and key not in pm.EXPLICIT_PATHS:
            declared = {method for methods in pm.MATRIX[key].values() for method in methods}
            wanted = {pm.GET, pm.POST} if accepts_post(key, pattern) else {pm.GET}
            if key in ("logout", "set_language"):
                wanted = {pm.POST}  # their GET is refused (405) by Django; nothing to ask
            if declared != wanted:
                problems.append(
                    f"{key}: declares {sorted(declared)}, the view takes {sorted(wanted)}"
                )
    for key in set(pm.MATRIX) - set(keys):
        problems.append(f"MATRIX[{key!r}]: no such URL pattern (renamed or removed?)")
    assert not problems, "\n".join(["The permission matrix is out of step:", *problems])


# --- the world --------------------------------------------------------------------------


def _delegated_grant(application, *, by, amount: int) -> Decision:
    """A decision written directly (the services under test move applications)."""
    now = timezone.now()
    decision = Decision(
        fund=application.fund,
        application=application,
        year=now.year,
        sequence=1,
        registration_number=f"{application.fund.registration_prefix} {now.year}/0001",
        kind="approve",
        amount=amount,
        amount_requested=application.total,
        rationale="Bra test med tydliga kriterier.",
        decided_at=now,
        decided_by=by,
        delegated=True,
    )
    decision_log_append(decision=decision)
    return decision


def build_world() -> tuple[dict, dict]:
    """The personas and one object of every kind in every variant the table names."""
    from cms.site_tree import ensure_site_tree

    ensure_site_tree()
    staff = [Role.STAFF]
    users = {
        pm.STAFF_A: UserFactory(username="staff_a", roles=staff),
        pm.STAFF_B: UserFactory(username="staff_b", roles=staff),
        pm.CO_OWNER: UserFactory(username="co_owner", roles=staff),
        pm.COACH: UserFactory(username="coach", roles=[*staff, Role.COACH]),
        pm.MEMBER: UserFactory(username="member", roles=[*staff, Role.COMMITTEE_MEMBER]),
        pm.RECUSED: UserFactory(username="recused", roles=[*staff, Role.COMMITTEE_MEMBER]),
        pm.TEAM_MEMBER: UserFactory(username="team_member", roles=[*staff, Role.COMMITTEE_MEMBER]),
        pm.CHAIR: UserFactory(username="chair", roles=[*staff, Role.COMMITTEE_CHAIR]),
        pm.ADMIN: UserFactory(username="admin", roles=[*staff, Role.ADMINISTRATOR]),
    }
    admin = users[pm.ADMIN]
    admin.is_superuser = admin.is_staff = True
    admin.save()
    owner, coach = users[pm.STAFF_A], users[pm.COACH]

    ideas = {}
    for state in pm.IDEA_STATES:
        idea = IdeaFactory(
            owner=owner,
            state=state,
            title=f"Idé {state}",
            lessons_learned="Vi lärde oss mäta först." if state == "learned" else "",
        )
        idea.co_owners.add(users[pm.CO_OWNER], users[pm.TEAM_MEMBER])
        ideas[state] = idea
    TestPlanFactory(idea=ideas["testing"])
    TestPlanFactory(idea=ideas["tested"])
    EvaluationFactory(idea=ideas["tested"])
    # Someone else's ideas with the coach on the team.
    outsider = UserFactory(username="outsider")
    ideas["coach_team"] = IdeaFactory(owner=outsider, state="submitted", title="Coachens idé")
    ideas["coach_team"].co_owners.add(coach)
    coach_team_planned = IdeaFactory(owner=outsider, state="planning")
    coach_team_planned.co_owners.add(coach)

    committee = [users[p] for p in (pm.CHAIR, pm.MEMBER, pm.RECUSED, pm.TEAM_MEMBER)]
    fund = FundFactory(capital=100_000, delegated_limit=30_000, committee=committee)
    applications = {
        "draft": ApplicationFactory(fund=fund, idea=ideas["testing"], state="draft"),
        "review": ApplicationFactory(fund=fund, idea=ideas["planning"], state="submitted"),
        "decided": ApplicationFactory(fund=fund, idea=ideas["learned"], state="decided"),
        "coach_team": ApplicationFactory(fund=fund, idea=coach_team_planned, state="submitted"),
        "chair_recused": ApplicationFactory(fund=fund, state="submitted"),
    }
    review = applications["review"]
    ConflictDeclaration.objects.create(
        application=review, member=users[pm.MEMBER], has_conflict=False
    )
    ConflictDeclaration.objects.create(
        application=review, member=users[pm.RECUSED], has_conflict=True, reason="Min syster."
    )
    ConflictDeclaration.objects.create(
        application=applications["chair_recused"],
        member=users[pm.CHAIR],
        has_conflict=True,
        reason="Min bror.",
    )
    scored = FundReview.objects.create(application=review, member=users[pm.MEMBER], comment="Bra")
    for criterion in fund.criteria.all():
        scored.scores.create(criterion=criterion, value=4)
    decision = _delegated_grant(applications["decided"], by=coach, amount=20_000)
    cost = Cost.objects.create(
        application=applications["decided"],
        amount=5_000,
        date=timezone.localdate(),
        note="Digitala lås",
        receipt=ContentFile(MINIMAL_PDF, name="kvitto.pdf"),
        recorded_by=owner,
    )
    chair = users[pm.CHAIR]
    today = timezone.localdate()  # a meeting opens on its date, the municipality's
    planned = Meeting.objects.create(fund=fund, number=1, date=today, chair=chair)
    planned.agenda.add(review)
    opened = Meeting.objects.create(
        fund=fund, number=2, date=today, chair=chair, state="open", opened_at=timezone.now()
    )
    opened.attendees.add(chair, users[pm.MEMBER], users[pm.RECUSED], users[pm.TEAM_MEMBER])
    opened.agenda.add(review, applications["chair_recused"])
    # Held meetings: minutes being checked (the member checks them with the chair), and
    # checked minutes the chair may post.
    held = {"closed": 3, "checked": 4}
    for state, number in held.items():
        meeting = Meeting.objects.create(
            fund=fund, number=number, date=today, chair=chair, state=state
        )
        meeting.attendees.add(chair, users[pm.MEMBER])
        meeting.minute_checkers.add(users[pm.MEMBER])
        held[state] = meeting

    world = {
        "persona": users,
        "idea": ideas,
        "attachment": {
            "draft": AttachmentFactory(idea=ideas["draft"]),
            "submitted": AttachmentFactory(idea=ideas["submitted"]),
        },
        "comment": {"submitted": CommentFactory(idea=ideas["submitted"], author=users[pm.STAFF_B])},
        "nomination": {
            "nominated": NominationFactory(nominated_by=users[pm.STAFF_B]),
            "shortlisted": NominationFactory(nominated_by=users[pm.STAFF_B], state="shortlisted"),
            # Last year's: this year stays open for votes and nominations.
            "winner": NominationFactory(
                nominated_by=users[pm.STAFF_B],
                state="winner",
                year=timezone.localdate().year - 1,
            ),
        },
        "fund": {"fund": fund},
        "application": applications,
        "cost": {"decided": cost},
        "meeting": {"planned": planned, "open": opened, **held},
        "decision": {"delegated": decision},
        "notification": {
            "staff_a": Notification.objects.create(
                recipient=owner, idea=ideas["submitted"], actor=coach, kind="transition"
            )
        },
    }
    return users, world


# --- requests and outcomes --------------------------------------------------------------


def object_kind(key: str, kwarg: str) -> str | None:
    prefixes = [p for (p, name) in pm.OBJECT_KWARGS if name == kwarg and key.startswith(p)]
    return pm.OBJECT_KWARGS[(max(prefixes, key=len), kwarg)] if prefixes else None


def path_for(key: str, pattern: URLPattern, variant: str, world: dict) -> str:
    if key in pm.EXPLICIT_PATHS:
        return variant
    names = list(pattern.pattern.converters) or list(pattern.pattern.regex.groupindex)
    object_variant, _slash, word = variant.partition("/")
    # "open/chair_recused/up": the open meeting, its "chair_recused" item, the word "up".
    second, _slash, last_word = word.partition("/")
    kwargs = {}
    for name in names:
        kind = object_kind(key, name)
        if name in pm.WORD_KWARGS:
            kwargs[name] = (last_word or word) or variant
        elif name == "year":
            kwargs[name] = timezone.localdate().year
        elif name in ("uidb64", "token"):
            kwargs[name] = "x"
        elif name == "reference":
            kwargs[name] = str(world["decision"][object_variant].pk)
        elif kind is None:
            raise AssertionError(f"{key}: no object for the URL's {name!r} (OBJECT_KWARGS)")
        else:
            # The sub-variant after "/" may name a second object of another kind
            # ("open/chair_recused" is the open meeting); the first names this one.
            objects = world[kind]
            kwargs[name] = (objects.get(object_variant) or objects[second]).pk
    return reverse(key, kwargs=kwargs) if kwargs else reverse(key)


def outcome_of(response) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        return pm.LOGIN if "/login/" in urlsplit(response["Location"]).path else "REDIRECT"
    if 200 <= status < 300:
        return "2xx"
    return {
        400: "400",
        403: pm.REFUSED_VISIBLE,
        404: pm.REFUSED_HIDDEN,
        405: pm.NOT_ALLOWED_METHOD,
        409: "409",
    }.get(status, f"HTTP {status}")


def satisfies(seen: str, expected: str, method: str) -> bool:
    if expected == pm.ALLOWED:
        return seen in ("2xx", "REDIRECT", "409") or (seen == "400" and method == pm.POST)
    if expected == pm.PUBLIC:
        return seen == "2xx"
    if expected == pm.OPEN:
        return seen in ("2xx", "REDIRECT", pm.LOGIN)
    if expected == EDITOR:
        return seen != "EXCEPTION" and not seen.startswith("HTTP 5")
    return seen == expected


class Personas:
    """One test client per persona, each request on a fresh set of cookies."""

    def __init__(self, users: dict):
        self.clients, self.sessions = {}, {}
        for persona in pm.PERSONAS:
            client = Client()
            if persona != pm.ANON:
                client.force_login(users[persona])
                self.sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
            self.clients[persona] = client

    def request(self, persona: str, method: str, path: str, data: dict):
        client = self.clients[persona]
        client.cookies = SimpleCookie()
        if persona in self.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[persona]
        with transaction.atomic():
            try:
                response = client.post(path, data) if method == pm.POST else client.get(path)
            finally:
                transaction.set_rollback(True)
        # Closing a response sends `request_finished`, whose `close_old_connections`
        # would close the database connection inside the test's transaction on
        # PostgreSQL (the test client itself keeps it off while a request runs).
        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)
        return response


@pytest.fixture
def quiet_request_log():
    """Thousands of expected 403/404/405s would each log a warning (with a traceback)."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def test_permission_matrix(db, quiet_request_log):
    started = time.monotonic()
    users, world = build_world()
    personas = Personas(users)
    mismatches, requests = [], 0

    def check(key, variant, method, path, expected_for, data):
        nonlocal requests
        for persona in pm.PERSONAS:
            expected = expected_for(persona)
            if expected is None:
                continue
            requests += 1
            try:
                response = personas.request(persona, method, path, data)
                seen = outcome_of(response)
                detail = f" → {response['Location']}" if seen in ("REDIRECT", pm.LOGIN) else ""
            except Exception as error:  # a crash is a finding like any other
                seen, detail = "EXCEPTION", f": {type(error).__name__}: {error}"[:200]
            if not satisfies(seen, expected, method):
                leak = " UNEXPECTED 2xx" if seen == "2xx" and expected != pm.ALLOWED else ""
                mismatches.append(
                    f"{method} {key} [{variant or '-'}] {path} as {persona}: "
                    f"expected {expected}, got {seen}{detail}{leak}"
                )

    patterns = {key: (route, pattern) for key, route, pattern in url_patterns()}
    for key, variants in pm.MATRIX.items():
        _route, pattern = patterns[key]
        for variant, methods in variants.items():
            path = path_for(key, pattern, variant, world)
            for method, expect in methods.items():
                data = expect.data(world) if expect.data else {}
                check(key, variant, method, path, expect.outcome, data)

    for key, route, _pattern in url_patterns():
        rule = next((r for r in pm.FRAMEWORK_RULES if r.matches(key, route)), None)
        if rule is None or rule.request != "parameterless-get" or key in rule.skip:
            continue
        if "<" in route or "^" in route:
            continue
        check(key, "", pm.GET, "/" + route, framework_expectation(rule, key), {})

    summary = (
        f"{len(mismatches)} of {requests} requests differ from the permission matrix "
        f"({time.monotonic() - started:.0f} s)"
    )
    assert not mismatches, "\n".join([summary, *sorted(mismatches)])


#: Personas the framework admins are requested as (the others hold no admin rights either).
FRAMEWORK_PERSONAS = {pm.ANON, pm.STAFF_B, pm.COACH, pm.ADMIN}
EDITOR = "EDITOR"  # any answer but a crash: Wagtail's page permissions decide


def framework_expectation(rule: pm.FrameworkRule, key: str):
    def expected(persona: str) -> str | None:
        if persona not in FRAMEWORK_PERSONAS:
            return None
        if key in rule.open_keys:
            return pm.OPEN
        if persona in rule.editors:
            return EDITOR
        return pm.ALLOWED if persona == pm.ADMIN else pm.LOGIN

    return expected
