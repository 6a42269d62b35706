"""PostgreSQL-only behaviour the later issues rely on: real row locks between connections."""

import threading

import pytest
from django.db import DatabaseError, connections, transaction

from ideasluss.accounts.models import User
from tests.factories import UserFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_row_lock_blocks_a_second_connection():
    user = UserFactory()
    locked = threading.Event()
    release = threading.Event()
    outcome = {}

    def hold_lock():
        try:
            with transaction.atomic():
                User.objects.select_for_update().get(pk=user.pk)
                locked.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    def try_lock():
        try:
            with transaction.atomic():
                User.objects.select_for_update(nowait=True).get(pk=user.pk)
            outcome["result"] = "got the lock"
        except DatabaseError:
            outcome["result"] = "blocked"
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    assert locked.wait(timeout=10)
    contender = threading.Thread(target=try_lock)
    contender.start()
    contender.join(timeout=10)
    release.set()
    holder.join(timeout=10)
    assert outcome["result"] == "blocked"
