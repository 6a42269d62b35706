"""The read replica's router (ideasluss/db_routing.py): one test per rule.

The rules are asked of the router itself, inside and outside a view marked
`reads_from_replica`. The last tests request the marked pages with the router installed
and record where it sent each read (the test database has no replica, so every query
still runs on the primary after the router has answered).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.template import engines
from django.template.response import SimpleTemplateResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse

from cms.models import FundPage
from ideasluss.accounts.models import User
from ideasluss.accounts.roles import Role
from ideasluss.db_routing import REPLICA, ReplicaRouter, reads_from_replica
from ideasluss.fund.models import Decision
from ideasluss.ideas.models import Idea
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
router = ReplicaRouter()


def request():
    return RequestFactory().get("/")


def answered_in_view(answer, *args):
    """What `answer()` returns when called inside a marked view."""

    @reads_from_replica
    def view(request):
        return answer(*args)

    return view(request())


# --- Reads --------------------------------------------------------------------------------


def test_outside_a_marked_view_reads_go_to_the_primary():
    assert router.db_for_read(Decision) == "default"


def test_a_marked_view_reads_the_fund_the_ideas_and_the_public_pages_from_the_replica():
    assert (
        answered_in_view(lambda: [router.db_for_read(m) for m in (Decision, Idea, FundPage)])
        == [REPLICA] * 3
    )


@pytest.mark.parametrize("model", [User, Session, AccessAttempt])
def test_a_marked_view_reads_people_sessions_and_sign_ins_from_the_primary(model):
    assert answered_in_view(router.db_for_read, model) == "default"


def test_after_a_write_the_same_view_reads_from_the_primary():
    def write_then_read():
        router.db_for_write(Decision)
        return router.db_for_read(Decision)

    assert answered_in_view(write_then_read) == "default"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_inside_a_transaction_a_marked_view_reads_from_the_primary():
    def read_in_and_out_of_a_transaction():
        outside = router.db_for_read(Decision)
        with transaction.atomic():
            inside = router.db_for_read(Decision)
        return outside, inside

    assert answered_in_view(read_in_and_out_of_a_transaction) == (REPLICA, "default")


def test_the_mark_ends_when_the_view_returns():
    answered_in_view(lambda: None)
    assert router.db_for_read(Decision) == "default"


def test_the_mark_ends_when_the_view_fails():
    with pytest.raises(ZeroDivisionError):
        answered_in_view(lambda: 1 / 0)
    assert router.db_for_read(Decision) == "default"


def test_a_template_response_is_rendered_under_the_mark():
    template = engines["django"].from_string("{{ database }}")

    @reads_from_replica
    def view(request):
        return SimpleTemplateResponse(template, {"database": lambda: router.db_for_read(Decision)})

    response = view(request())
    assert response.content == REPLICA.encode()


def test_a_streamed_body_is_read_under_the_mark_which_leaks_no_further():
    def chunks():
        yield router.db_for_read(Decision).encode()
        yield router.db_for_read(Decision).encode()

    @reads_from_replica
    def view(request):
        return StreamingHttpResponse(chunks())

    body = iter(view(request()))
    assert next(body) == REPLICA.encode()
    assert router.db_for_read(Decision) == "default"
    assert next(body) == REPLICA.encode()


def test_a_marked_view_that_wrote_streams_from_the_primary():
    @reads_from_replica
    def view(request):
        router.db_for_write(Decision)
        return StreamingHttpResponse(iter([router.db_for_read(Decision).encode()]))

    assert b"".join(view(request())) == b"default"


# --- Writes, relations, migrations --------------------------------------------------------


def test_writes_go_to_the_primary_in_and_out_of_a_marked_view():
    assert router.db_for_write(Decision) == "default"
    assert answered_in_view(router.db_for_write, Decision) == "default"


def test_rows_from_the_primary_and_the_replica_may_be_related():
    first, second = Decision(), Idea()
    first._state.db, second._state.db = "default", REPLICA
    assert router.allow_relation(first, second) is True


def test_migrations_never_run_on_the_replica():
    assert router.allow_migrate(REPLICA, "fund") is False
    assert router.allow_migrate("default", "fund") is None


# --- Settings ----------------------------------------------------------------------------


def settings_with(**environ) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps({'databases': sorted(settings.DATABASES), "
        "'routers': settings.DATABASE_ROUTERS, "
        "'replica': settings.DATABASES.get('replica', {}).get('HOST')}))"
    )
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"},
        "DJANGO_SETTINGS_MODULE": "ideasluss.settings.test",
        **environ,
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_replica_is_off_without_its_variable():
    assert settings_with() == {"databases": ["default"], "routers": [], "replica": None}


def test_the_replica_and_its_router_come_from_database_replica_url():
    assert settings_with(
        DATABASE_REPLICA_URL="postgres://reader@replica.internal:5432/idesluss"
    ) == {
        "databases": ["default", "replica"],
        "routers": ["ideasluss.db_routing.ReplicaRouter"],
        "replica": "replica.internal",
    }


# --- The marked pages ---------------------------------------------------------------------


class RecordingRouter(ReplicaRouter):
    """The real router's answers, recorded; the query then runs on the only database."""

    def __init__(self):
        self.reads = []

    def db_for_read(self, model, **hints):
        self.reads.append((model._meta.label, super().db_for_read(model, **hints)))
        return "default"


@pytest.fixture
def recording_router():
    recorder = RecordingRouter()
    with override_settings(DATABASE_ROUTERS=[recorder]):
        yield recorder


def replica_reads(recorder) -> set[str]:
    return {label for label, database in recorder.reads if database == REPLICA}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_api_list_of_decisions_reads_from_the_replica(client, recording_router):
    response = client.get("/api/v1/decisions/")
    assert response.status_code == 200
    assert replica_reads(recording_router) == {"fund.Decision"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_public_register_reads_from_the_replica(client, recording_router):
    from cms.site_tree import ensure_site_tree

    fund_page = ensure_site_tree()["fonden"]
    recording_router.reads.clear()
    response = client.get(fund_page.url + fund_page.reverse_subpage("register"))
    assert response.status_code == 200
    assert "fund.Decision" in replica_reads(recording_router)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_staff_export_reads_from_the_replica_but_the_person_from_the_primary(
    client, recording_router
):
    client.force_login(UserFactory(roles=[Role.STAFF]))
    recording_router.reads.clear()
    response = client.get(reverse("fund:decision-export", args=["csv"]))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert "fund.Decision" in replica_reads(recording_router)
    assert ("accounts.User", "default") in recording_router.reads
    assert "accounts.User" not in replica_reads(recording_router)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_unmarked_page_reads_only_from_the_primary(client, recording_router):
    client.force_login(UserFactory(roles=[Role.STAFF]))
    recording_router.reads.clear()
    assert client.get(reverse("ideas:idea-list")).status_code == 200
    assert recording_router.reads
    assert replica_reads(recording_router) == set()


def test_a_view_response_that_is_not_a_template_passes_through():
    @reads_from_replica
    def view(request):
        return HttpResponse("ok")

    assert view(request()).content == b"ok"
