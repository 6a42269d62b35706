import pytest

from ideasluss.accounts.roles import Role
from tests.factories import UserFactory


@pytest.fixture
def members(fund):
    """Three more members of the fund's committee (which then has five)."""
    users = [
        UserFactory(username=f"ledamot{i}", roles=[Role.STAFF, Role.COMMITTEE_MEMBER])
        for i in range(3)
    ]
    fund.committee_members.add(*users)
    return users


def bulk_decisions(*, fund, by, count: int, start: int = 0):
    """`count` granted applications with a delegated decision each, written in bulk.

    For load and query-count tests only: the rows are real leaves of the log (one
    checkpoint signs them all), but made without the services so that 1,000 of them
    take a second, not a minute.
    """
    from django.db.models import Max
    from django.utils import timezone

    from ideasluss.fund.models import Application, Decision
    from ideasluss.fund.services import checkpoint_sign
    from ideasluss.fund.transparency import leaf_hash_hex
    from ideasluss.ideas.models import Idea

    owner = UserFactory(username=f"bulk-owner-{start}")
    ideas = Idea.objects.bulk_create(
        Idea(title=f"Bulkidé {start + i}", owner=owner, unit=owner.unit) for i in range(count)
    )
    Idea.objects.filter(pk__in=[i.pk for i in ideas]).update(state="testing")
    applications = Application.objects.bulk_create(
        Application(fund=fund, idea=idea, applicant=owner, total=100, motivation="m")
        for idea in ideas
    )
    Application.objects.filter(pk__in=[a.pk for a in applications]).update(state="decided")
    previous = Decision.objects.filter(fund=fund).order_by("-pk").first()
    last = previous.sequence if previous else 0
    last_index = Decision.objects.aggregate(n=Max("log_index"))["n"]
    next_index = 0 if last_index is None else last_index + 1
    now = timezone.now()
    decisions = []
    for offset, application in enumerate(applications, start=1):
        decision = Decision(
            fund=fund,
            application=application,
            year=now.year,
            sequence=last + offset,
            registration_number=f"{fund.registration_prefix} {now.year}/{last + offset:04d}",
            kind="approve",
            amount=100,
            amount_requested=100,
            rationale="Bra test",
            decided_at=now,
            decided_by=by,
            delegated=True,
            log_index=next_index + offset - 1,
            people_salt="00" * 16,
        )
        decision.leaf_hash = leaf_hash_hex(decision)
        decisions.append(decision)
    created = Decision.objects.bulk_create(decisions)
    checkpoint_sign()
    return created
