"""Hypothesis through the test client over the main POST views: idea create and edit,
comment, team, application create and edit with budget lines, cost, meeting plan and
edit, decision, review and nomination. Each example: never a 5xx, and a refused POST
(400, or a redirect with an error message) leaves every row of the domain as it was.

Each example runs in a savepoint that is rolled back, so examples do not see each other."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.messages import ERROR, get_messages
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ideasluss.accounts.roles import Role
from ideasluss.fund.models import DecisionKind
from ideasluss.fund.services import conflict_declare, meeting_create
from tests.dates import today
from tests.factories import ApplicationFactory, FundFactory, IdeaFactory, UserFactory
from workflows.fund.services import decision_record

from .strategies import hostile_value, numbers

pytestmark = pytest.mark.django_db

DOMAIN_APPS = ("ideas", "fund", "taggit", "workflows")


def snapshot() -> dict:
    """Every row of the domain's tables (the fixtures keep them few)."""
    rows = {}
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.proxy:
                continue
            rows[model._meta.db_table] = list(model.objects.order_by("pk").values_list())
    return rows


@dataclass
class Scenario:
    user: object
    url: str
    valid: dict  # a POST that (mostly) succeeds
    extra: dict | None = None  # more fields a hostile POST may set


def sometimes_hostile(value) -> st.SearchStrategy:
    return st.one_of(st.just(value), hostile_value())


@pytest.fixture
def scenarios(db) -> dict[str, Callable[[], Scenario]]:
    chair = UserFactory(username="p-chair", roles=[Role.STAFF, Role.COMMITTEE_CHAIR])
    member = UserFactory(username="p-member", roles=[Role.STAFF, Role.COMMITTEE_MEMBER])
    coach = UserFactory(username="p-coach", roles=[Role.STAFF, Role.COACH])
    staff = UserFactory(username="p-staff", roles=[Role.STAFF])
    colleague = UserFactory(username="p-colleague", roles=[Role.STAFF])
    UserFactory(username="p-other", roles=[Role.STAFF])
    fund = FundFactory(capital=100_000, delegated_limit=30_000, committee=[chair, member])
    planning = IdeaFactory(state="planning", owner=staff)
    planning.co_owners.add(colleague)
    draft = IdeaFactory(state="draft", owner=staff)
    submitted = IdeaFactory(state="submitted")
    draft_application = ApplicationFactory(fund=fund, state="draft", total=10_000)
    waiting = ApplicationFactory(fund=fund, total=20_000)
    conflict_declare(application=waiting, member=member, has_conflict=False)
    granted = ApplicationFactory(fund=fund, total=5_000)
    decision_record(application=granted, by=coach, kind=DecisionKind.APPROVE, rationale="Ja.")
    meeting = meeting_create(fund=fund, by=chair, date=timezone.localdate())
    learned = IdeaFactory(state="learned", owner=staff, lessons_learned="Vi lärde oss.")
    budget = {
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-category": "materials",
        "lines-0-description": "Lås",
        "lines-0-amount": "1200",
        "lines-0-hours": "",
        "lines-0-hourly_rate": "",
    }
    idea_fields = {
        "title": "Läxhjälp",
        "problem": "Långa köer.",
        "target_group": "elever",
        "description": "Frivilliga.",
        "first_test": "En kväll.",
        "needs_hours": "10",
        "needs_money": "5000",
        "needs_other_units": "IT",
        "tags": "skola, bibliotek",
        "save": "1",
    }
    return {
        "idea-create": lambda: Scenario(staff, reverse("ideas:idea-create"), idea_fields),
        "idea-edit": lambda: Scenario(
            staff, reverse("ideas:idea-update", args=[draft.pk]), idea_fields
        ),
        "comment": lambda: Scenario(
            staff, reverse("ideas:comment-create", args=[submitted.pk]), {"body": "Bra idé!"}
        ),
        "team-add": lambda: Scenario(
            staff, reverse("ideas:idea-team", args=[planning.pk]), {"username": "p-other"}
        ),
        "team-remove": lambda: Scenario(
            staff, reverse("ideas:idea-team", args=[planning.pk]), {"remove": str(colleague.pk)}
        ),
        "application-create": lambda: Scenario(
            staff,
            reverse("fund:apply", args=[planning.pk]),
            {"fund": str(fund.pk), "motivation": "m", "expected_effect": "e", **budget},
        ),
        "application-edit": lambda: Scenario(
            draft_application.applicant,
            reverse("fund:application-edit", args=[draft_application.pk]),
            {"motivation": "m", "expected_effect": "e", **budget},
        ),
        "cost": lambda: Scenario(
            coach,
            reverse("fund:cost-add", args=[granted.pk]),
            {"amount": "1200", "date": today().isoformat(), "note": "Lås"},
        ),
        "meeting-create": lambda: Scenario(
            chair,
            reverse("fund:meeting-create"),
            {"fund": str(fund.pk), "date": today().isoformat(), "location": "Rum 3"},
        ),
        "meeting-edit": lambda: Scenario(
            chair,
            reverse("fund:meeting-edit", args=[meeting.pk]),
            {"attendees": str(chair.pk), "agenda": str(waiting.pk)},
        ),
        "decision": lambda: Scenario(
            coach,
            reverse("fund:decide", args=[waiting.pk]),
            {
                "kind": "approve_lower",
                "amount": "1000",
                "rationale": "Bra.",
                "conditions": "",
                "confirmed": "on",
            },
        ),
        "review": lambda: Scenario(
            member,
            reverse("fund:review", args=[waiting.pk]),
            {
                **{f"criterion_{c.pk}": "4" for c in fund.criteria.all()},
                "comment": "Tydlig plan.",
            },
        ),
        "nomination": lambda: Scenario(
            staff,
            reverse("ideas:mistake-nominate"),
            {
                "year": str(timezone.localdate().year),
                "idea": str(learned.pk),
                "title": "Misstaget",
                "story": "Vi mätte inte först.",
                "consent_confirmed": "on",
            },
        ),
    }


VIEWS = [
    "idea-create",
    "idea-edit",
    "comment",
    "team-add",
    "team-remove",
    "application-create",
    "application-edit",
    "cost",
    "meeting-create",
    "meeting-edit",
    "decision",
    "review",
    "nomination",
]


def refused(response) -> bool:
    """A 4xx, or a redirect with an error message added by this request."""
    if response.status_code >= 400:
        return True
    added = getattr(response.wsgi_request._messages, "_queued_messages", [])
    return any(message.level == ERROR for message in added)


@pytest.mark.parametrize("view", VIEWS)
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_a_hostile_post_never_fails_and_a_refused_one_writes_nothing(scenarios, view, data):
    scenario = scenarios[view]()
    posted = {
        name: data.draw(sometimes_hostile(value), label=name)
        for name, value in scenario.valid.items()
    }
    if data.draw(st.booleans(), label="a list where one value is expected"):
        name = data.draw(st.sampled_from(sorted(posted)))
        posted[name] = [posted[name], data.draw(numbers)]
    client = Client(raise_request_exception=False)
    client.force_login(scenario.user)
    with transaction.atomic():
        before = snapshot()
        response = client.post(scenario.url, posted)
        assert response.status_code < 500, (view, posted)
        if refused(response):
            assert snapshot() == before, (view, response.status_code, posted)
        transaction.set_rollback(True)


def test_the_valid_posts_succeed(scenarios):
    """The scenarios are real: their valid POST is accepted (so hostile parts are what a
    refusal is about)."""
    problems = []
    for view in VIEWS:
        scenario = scenarios[view]()
        client = Client(raise_request_exception=False)
        client.force_login(scenario.user)
        with transaction.atomic():
            response = client.post(scenario.url, scenario.valid)
            if response.status_code not in (200, 302) or refused(response):
                messages = [str(m) for m in get_messages(response.wsgi_request)]
                problems.append((view, response.status_code, messages))
            transaction.set_rollback(True)
    assert not problems
