import pytest

from tests.factories import ApplicationFactory, FundFactory


@pytest.fixture
def fund(db, chair, committee_member):
    """A fund of 100,000 kr whose committee is the chair and one member."""
    return FundFactory(capital=100_000, delegated_limit=30_000, committee=[chair, committee_member])


@pytest.fixture
def application(fund):
    return ApplicationFactory(fund=fund, total=20_000)
