"""Spreadsheets of the decision register and of the costs recorded against grants.

Wagtail's `SpreadsheetExportMixin` writes them: CSV is streamed row by row and
Excel is written by openpyxl in write-only mode. The rows come from one query
read in chunks (`.iterator()`), so memory stays flat however many rows there are.
"""

import codecs
import itertools
from collections import OrderedDict

from django.http import Http404
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from django.views import View
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from ideasluss.accounts.permissions import PermissionRequiredMixin
from ideasluss.fund import selectors
from ideasluss.fund.models import Cost, Decision
from workflows.fund.forms.decisions import CostExportFilterForm, RegisterFilterForm

CHUNK_SIZE = 500
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: str) -> str:
    """A spreadsheet program runs a CSV cell starting with = + - @ as a formula; a leading
    apostrophe keeps free text (an idea title, a rationale) as text. (The Excel writer
    already stores such cells as text.)"""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


class SpreadsheetExportView(PermissionRequiredMixin, SpreadsheetExportMixin, View):
    """One export: `fmt` is "csv" or "xlsx"; subclasses give the rows and the columns."""

    permission_required = ""
    #: Column headings by key, in column order; translated when the file is written.
    export_headings = {}
    custom_value_preprocess = {
        **SpreadsheetExportMixin.custom_value_preprocess,
        str: {SpreadsheetExportMixin.FORMAT_CSV: neutralise_formula},
    }

    @property
    def list_export(self):
        return list(self.export_headings)

    def get(self, request, fmt):
        if fmt not in self.FORMATS:
            raise Http404
        return self.as_spreadsheet(self.get_queryset().iterator(chunk_size=CHUNK_SIZE), fmt)

    def get_queryset(self):
        raise NotImplementedError

    def filename_stem(self) -> str:
        raise NotImplementedError

    def get_filename(self):
        return f"{self.filename_stem()}-{timezone.localdate().isoformat()}"

    def get_heading(self, queryset, field):
        return force_str(self.export_headings[field])

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        # The byte order mark makes Excel read the file as UTF-8 (å, ä, ö).
        response.streaming_content = itertools.chain([codecs.BOM_UTF8], response.streaming_content)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response


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
