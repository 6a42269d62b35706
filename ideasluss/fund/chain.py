"""Checking the decision log: recompute every hash and follow the chain.

Each fund's decisions form one chain in the order they were written (primary
key order): every entry stores the hash of the one before it and a hash of
itself. Rewriting any stored field, removing an entry or inserting one breaks
the chain at that point.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import GENESIS_HASH, Decision, Fund


@dataclass(frozen=True)
class BrokenLink:
    decision: Decision
    reason: str

    def __str__(self) -> str:
        return f"{self.decision.registration_number} (id {self.decision.pk}): {self.reason}"


def verify_chain(fund: Fund, chunk_size: int = 2000) -> BrokenLink | None:
    """The first decision of `fund` whose record does not match its hashes, or None."""
    expected_previous = GENESIS_HASH
    decisions = Decision.objects.filter(fund=fund).order_by("pk").iterator(chunk_size=chunk_size)
    for decision in decisions:
        if decision.previous_hash != expected_previous:
            return BrokenLink(
                decision, _("it does not follow the decision before it (an entry is missing)")
            )
        if decision.compute_hash() != decision.hash:
            return BrokenLink(decision, _("its content has changed since it was recorded"))
        expected_previous = decision.hash
    return None
