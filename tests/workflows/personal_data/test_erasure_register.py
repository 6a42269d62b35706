"""After erasing the people who decided, both verifiers of the register still pass over HTTP:
`manage.py verify_decisions --api` and the standalone docs/verifier/verify_register.py."""

import pytest

from ideasluss.fund import transparency
from tests.factories import FundFactory
from tests.fund.decision_helpers import committee_decision, delegated_decision
from tests.fund.test_tlog_tamper import VERIFIERS
from workflows.personal_data.erasure import person_erase

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("verify", VERIFIERS)
def test_the_register_verifies_after_the_deciders_are_erased(
    verify, live_server, tmp_path, coach, chair, committee_member, administrator
):
    fund = FundFactory(capital=200_000, delegated_limit=30_000, committee=[chair, committee_member])
    delegated_decision(fund=fund, coach=coach)
    committee_decision(fund=fund, chair=chair, members=[committee_member])
    saved = tmp_path / "checkpoint.txt"
    saved.write_text(transparency.latest_checkpoint().note)

    for person in (coach, chair, committee_member):
        person_erase(person=person, by=administrator)

    status, message = verify(live_server, saved)
    assert status == 0, message
    assert "The log verifies" in message
