"""What a fund has promised, spent and has left. Pure aggregates: one query each."""

from dataclasses import dataclass

from django.db.models import Sum
from django.db.models.functions import Coalesce

from .models import GRANTING_KINDS, Cost, Decision, Fund, MoneyReturn


def _sum(queryset, field="amount") -> int:
    return queryset.aggregate(total=Coalesce(Sum(field), 0))["total"]


def granted(fund: Fund) -> int:
    """Money granted by decisions in force (a superseded decision no longer counts)."""
    return _sum(Decision.objects.in_force().filter(fund=fund, kind__in=GRANTING_KINDS))


def returned(fund: Fund) -> int:
    return _sum(MoneyReturn.objects.filter(fund=fund))


def committed(fund: Fund) -> int:
    """Granted minus returned: what the money invariant keeps at or under the capital."""
    return granted(fund) - returned(fund)


def spent(fund: Fund) -> int:
    return _sum(Cost.objects.filter(application__fund=fund))


@dataclass(frozen=True)
class FundBalance:
    capital: int
    granted: int
    returned: int
    spent: int

    @property
    def committed(self) -> int:
        return self.granted - self.returned

    @property
    def remaining(self) -> int:
        """What can still be granted."""
        return self.capital - self.committed


def fund_balance(fund: Fund) -> FundBalance:
    return FundBalance(
        capital=fund.capital, granted=granted(fund), returned=returned(fund), spent=spent(fund)
    )


def grant_of(application) -> Decision | None:
    """The decision in force that grants this application money, if any."""
    return (
        Decision.objects.in_force()
        .filter(application=application, kind__in=GRANTING_KINDS)
        .order_by("-pk")
        .first()
    )


def application_spent(application) -> int:
    return _sum(Cost.objects.filter(application=application))
