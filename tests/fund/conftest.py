import pytest

from ideasluss.accounts.roles import Role
from tests.factories import ApplicationFactory, FundFactory, UserFactory


@pytest.fixture
def fund(db):
    return FundFactory(capital=100_000, delegated_limit=30_000)


@pytest.fixture
def application(fund):
    return ApplicationFactory(fund=fund, total=20_000)


@pytest.fixture
def members(db):
    return [
        UserFactory(username=f"ledamot{i}", roles=[Role.STAFF, Role.COMMITTEE_MEMBER])
        for i in range(3)
    ]
