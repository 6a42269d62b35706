"""The fund's money, each figure defined once.

Two balances that are easy to confuse, so they are named apart:

- `FundBalance.remaining` is what a *fund* can still grant: its capital minus what it
  has committed (granted by decisions in force, less money returned).
- `GrantBalance.left` is what is left of *one grant* (or of an idea's grants): granted
  minus spent minus returned. Every page that shows what is left of a grant, and every
  prompt to return money, reads it from here: `grant_balance` for one application,
  `grant_balance_annotations` for a list (one correlated subquery per figure, so a
  page of rows runs no query per row) and `GrantBalance.of` to read those annotations.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    BigIntegerField,
    ExpressionWrapper,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from .models import GRANTING_KINDS, Application, Cost, Decision, Fund, MoneyReturn


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
        """What the fund can still grant (not what is left of a grant: `GrantBalance.left`)."""
        return self.capital - self.committed


def fund_balance(fund: Fund) -> FundBalance:
    return FundBalance(
        capital=fund.capital, granted=granted(fund), returned=returned(fund), spent=spent(fund)
    )


# --- one grant ------------------------------------------------------------------------------


def _grants_in_force_of(application) -> QuerySet[Decision]:
    return (
        Decision.objects.in_force()
        .filter(application=application, kind__in=GRANTING_KINDS)
        .order_by("-pk")
    )


def grant_of(application) -> Decision | None:
    """The decision in force that grants this application money, if any."""
    return _grants_in_force_of(application).first()


@dataclass(frozen=True)
class GrantBalance:
    """What is left of a grant: `left = granted − spent − returned`, in whole kronor.

    `granted` is the amount of the decision in force that grants money (0 without one),
    `spent` the recorded costs, `returned` the money given back to the fund. Once the
    unspent money is returned, `left` is 0.

    Overspending is shown as it is: when more was spent than granted, `left` is
    negative and `overspent` says by how much. It is not hidden as 0, because the
    difference is real money the unit has paid beyond the grant; nor is it offered for
    return (`returnable` is 0), because there is nothing to give back.

    For an idea with several applications, `GrantBalance.total` adds the grants up;
    its `left` is the net of them.
    """

    granted: int = 0
    spent: int = 0
    returned: int = 0

    @property
    def left(self) -> int:
        return self.granted - self.spent - self.returned

    @property
    def overspent(self) -> int:
        """How much more was spent than granted (0 when within the grant)."""
        return max(-self.left, 0)

    @property
    def returnable(self) -> int:
        """What could go back to the fund: what is left, never less than nothing."""
        return max(self.left, 0)

    @classmethod
    def of(cls, row) -> "GrantBalance":
        """The balance of a row annotated with `grant_balance_annotations`."""
        return cls(granted=row.grant_granted, spent=row.grant_spent, returned=row.grant_returned)

    @classmethod
    def total(cls, balances: Iterable["GrantBalance"]) -> "GrantBalance":
        balances = list(balances)
        return cls(
            granted=sum(b.granted for b in balances),
            spent=sum(b.spent for b in balances),
            returned=sum(b.returned for b in balances),
        )


def _total_of(queryset, *, per: str):
    totals = queryset.order_by().values(per).annotate(total=Sum("amount")).values("total")
    return Coalesce(Subquery(totals), 0, output_field=BigIntegerField())


def grant_balance_annotations(*, application: str = "pk") -> dict:
    """Annotations for a queryset whose rows lead to an application by `application`
    (`"pk"` on applications, `"application"` on decisions): `grant_granted`,
    `grant_spent`, `grant_returned` (read them with `GrantBalance.of`) and `grant_left`,
    the same `left` in SQL, for filtering (`grant_left__gt=0`). Pass them to one
    `annotate()` call: `grant_left` refers to the three before it."""
    of_row = OuterRef(application)
    return {
        "grant_granted": Coalesce(
            Subquery(_grants_in_force_of(of_row).values("amount")[:1]),
            0,
            output_field=BigIntegerField(),
        ),
        "grant_spent": _total_of(Cost.objects.filter(application=of_row), per="application"),
        "grant_returned": _total_of(
            MoneyReturn.objects.filter(application=of_row), per="application"
        ),
        "grant_left": ExpressionWrapper(
            F("grant_granted") - F("grant_spent") - F("grant_returned"),
            output_field=BigIntegerField(),
        ),
    }


def grant_balance(application: Application) -> GrantBalance:
    """What is left of the application's grant, as the database says it now (one query)."""
    row = (
        Application.objects.filter(pk=application.pk)
        .annotate(**grant_balance_annotations())
        .only("pk")
        .get()
    )
    return GrantBalance.of(row)


def idea_grant_balance(idea) -> GrantBalance:
    """The grants of all the idea's applications added up (one query)."""
    rows = Application.objects.filter(idea=idea).annotate(**grant_balance_annotations()).only("pk")
    return GrantBalance.total(GrantBalance.of(row) for row in rows)
