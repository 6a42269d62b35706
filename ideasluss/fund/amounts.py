"""How an amount of money is written, everywhere: pages, messages, minutes, charts.

Swedish "35 000 kr", English "SEK 35,000" (the order of the EU's and the Government
Offices' English style guides); whole kronor, thousands grouped with the language's
separator (a no-break space in Swedish, ideasluss/formats). static/js/budget.js writes
its running total the same way.
"""

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def kronor(amount) -> str:
    """Whole kronor with grouped thousands, e.g. “12 500 kr” (“–” for no amount)."""
    if amount is None or amount == "":
        return "–"
    return _("SEK %(amount)s") % {"amount": number_format(int(amount), force_grouping=True)}
