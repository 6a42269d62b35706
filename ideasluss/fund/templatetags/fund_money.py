"""Money and score figures as the fund pages print them."""

from django import template
from django.utils.formats import number_format

from .. import amounts
from ..money import GrantBalance

register = template.Library()


@register.filter
def kronor(amount) -> str:
    """Whole kronor with grouped thousands, e.g. “12 500 kr” (“–” for no amount)."""
    return amounts.kronor(amount)


@register.filter
def grant_balance(row) -> GrantBalance:
    """What is left of a grant, for a row annotated by `money.grant_balance_annotations`
    (`{% with balance=grant|grant_balance %}`); a row without them is an error, not 0."""
    return GrantBalance.of(row)


@register.filter
def mean_score(value) -> str:
    """A mean of 1–5 scores with one decimal, e.g. “3,7” (“–” when nobody has scored)."""
    if value is None:
        return "–"
    return number_format(value, decimal_pos=1)
