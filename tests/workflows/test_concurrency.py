"""Two people acting on the same idea at the same moment, on real PostgreSQL connections."""

import threading

import pytest
from django.db import connections

from ideasluss.accounts.roles import Role
from ideasluss.errors import WorkflowError
from ideasluss.ideas.models import Idea, IdeaState
from tests.factories import IdeaFactory, UserFactory
from workflows.transitions import transition_perform


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("round_", range(3))
def test_two_coaches_at_once_exactly_one_wins(round_):
    idea = IdeaFactory(state=IdeaState.SUBMITTED)
    coaches = [UserFactory(roles=[Role.COACH]) for _ in range(2)]
    start = threading.Barrier(2)
    outcomes = {}

    def act(index, name, message):
        try:
            start.wait(timeout=10)
            transition_perform(
                name=name,
                obj=Idea.objects.get(pk=idea.pk),
                by=coaches[index],
                message=message,
                expected_state=IdeaState.SUBMITTED,
            )
            outcomes[index] = "won"
        except WorkflowError as refusal:
            outcomes[index] = refusal.messages[0]
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=(0, "accept", "")),
        threading.Thread(target=act, args=(1, "decline", "Passar inte fonden")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert sorted(outcomes) == [0, 1]
    winners = [i for i, outcome in outcomes.items() if outcome == "won"]
    assert len(winners) == 1
    loser = 1 - winners[0]
    assert "ändrade idén" in outcomes[loser] or "changed this idea" in outcomes[loser]
    idea.refresh_from_db()
    assert idea.state == (IdeaState.PLANNING if winners == [0] else IdeaState.DECLINED)
    from django_fsm_log.models import StateLog

    assert StateLog.objects.for_(idea).count() == 1
