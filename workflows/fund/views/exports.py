"""Spreadsheets of the decision register and of the costs recorded against grants.

`workflows.exports.SpreadsheetExportView` writes them (CSV streamed, Excel by openpyxl in
write-only mode); the rows come from one query read in chunks (`.iterator()`), so memory
stays flat however many rows there are.
"""

from collections import OrderedDict

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from ideasluss.fund import selectors
from ideasluss.fund.models import Cost, Decision
from workflows.exports import SpreadsheetExportView
from workflows.fund.forms.decisions import CostExportFilterForm, RegisterFilterForm


class DecisionExportView(SpreadsheetExportView):
    """The register as a spreadsheet, with the register's search and filters."""

    permission_required = "fund.view_register"
    export_headings = {
        "registration_number": _("Registration number"),
        "decided_on": _("Date"),
        "fund": _("Fund"),
        "idea": _("Idea"),
        "kind": _("Decision"),
        "amount_requested": _("Amount applied for (SEK)"),
        "amount": _("Amount granted (SEK)"),
        "rationale": _("Rationale"),
        "conditions": _("Conditions"),
        "decided_by": _("Decided by"),
        "supersedes": _("Supersedes"),
        "superseded_by": _("Superseded by"),
    }

    def get_queryset(self):
        return selectors.decision_register(**RegisterFilterForm(self.request.GET).filters())

    def filename_stem(self) -> str:
        return pgettext("file name of an export", "decisions")

    def to_row_dict(self, decision: Decision):
        later = getattr(decision, "superseded_by", None)
        if decision.delegated:
            decided_by = _("%(name)s under delegation") % {"name": decision.decided_by.full_name}
        else:
            decided_by = _("The fund committee, meeting %(number)s") % {
                "number": decision.meeting.number
            }
        return OrderedDict(
            registration_number=decision.registration_number,
            decided_on=decision.decided_on,
            fund=decision.fund.name,
            idea=decision.application.idea.title,
            kind=decision.get_kind_display(),
            amount_requested=decision.amount_requested,
            amount=decision.amount,
            rationale=decision.rationale,
            conditions=decision.conditions,
            decided_by=decided_by,
            supersedes=decision.supersedes.registration_number if decision.supersedes else "",
            superseded_by=later.registration_number if later else "",
        )


class CostExportView(SpreadsheetExportView):
    """Every recorded cost, grant by grant, with what remained of the grant after it."""

    permission_required = "fund.access_fund"
    export_headings = {
        "fund": _("Fund"),
        "registration_number": _("Registration number"),
        "idea": _("Idea"),
        "granted": _("Granted (SEK)"),
        "date": _("Cost date"),
        "amount": _("Amount (SEK)"),
        "note": _("Note"),
        "remaining": _("Remaining after this cost (SEK)"),
    }

    def get_queryset(self):
        return selectors.cost_ledger(**CostExportFilterForm(self.request.GET).filters())

    def filename_stem(self) -> str:
        return pgettext("file name of an export", "costs")

    def to_row_dict(self, cost: Cost):
        return OrderedDict(
            fund=cost.application.fund.name,
            registration_number=cost.grant_number or "",
            idea=cost.application.idea.title,
            granted=cost.granted,
            date=cost.date,
            amount=cost.amount,
            note=cost.note,
            remaining=cost.granted - cost.spent_to_date,
        )
