"""Production's task setup: e-mails wait in the database until a worker sends them."""

import pytest
from django.core import mail
from django.core.management import call_command

from ideasluss.accounts.roles import Role
from ideasluss.ideas.models import IdeaState
from tests.factories import IdeaFactory, UserFactory
from workflows.transitions import transition_perform

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_transition_queues_the_mail_and_the_worker_sends_it(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS  # django-tasks rebuilds its backends on this change
    owner = UserFactory(email="anna@example.se", roles=[Role.STAFF])
    idea = IdeaFactory(owner=owner, state=IdeaState.SUBMITTED)
    transition_perform(name="accept", obj=idea, by=UserFactory(roles=[Role.COACH]))

    assert mail.outbox == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert [message.to for message in mail.outbox] == [["anna@example.se"]]
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1
