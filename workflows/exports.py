"""The one way a staff page offers a spreadsheet: CSV and Excel of the same rows.

Wagtail's `SpreadsheetExportMixin` writes them: CSV is streamed row by row and Excel is
written by openpyxl in write-only mode. A subclass gives the permission, the columns, the
rows (an iterable, read once) and the file name. Text that a person typed is made safe for
spreadsheet programs: a CSV cell starting with = + - @ gets a leading apostrophe (the
Excel writer already stores such cells as text), and control characters, which an Excel
file cannot hold (openpyxl refuses them), are left out of the Excel file.
"""

import codecs
import itertools

from django.http import Http404
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.encoding import force_str
from django.views import View
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from ideasluss.accounts.permissions import PermissionRequiredMixin
from ideasluss.db_routing import reads_from_replica

CHUNK_SIZE = 500
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: str) -> str:
    """A spreadsheet program runs a CSV cell starting with = + - @ as a formula; a leading
    apostrophe keeps free text (an idea title, a rationale) as text."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def without_control_characters(value: str) -> str:
    """The text without the control characters an Excel file cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


class SpreadsheetExportView(PermissionRequiredMixin, SpreadsheetExportMixin, View):
    """One export: `fmt` is "csv" or "xlsx"; subclasses give the rows and the columns."""

    permission_required = ""
    #: Column headings by key, in column order; translated when the file is written.
    export_headings = {}
    custom_value_preprocess = {
        **SpreadsheetExportMixin.custom_value_preprocess,
        str: {
            SpreadsheetExportMixin.FORMAT_CSV: neutralise_formula,
            SpreadsheetExportMixin.FORMAT_XLSX: without_control_characters,
        },
    }

    @property
    def list_export(self):
        return list(self.export_headings)

    @method_decorator(reads_from_replica)
    def get(self, request, fmt):
        if fmt not in self.FORMATS:
            raise Http404
        return self.as_spreadsheet(self.get_rows(), fmt)

    def get_rows(self):
        """The rows of the file; a queryset is read in chunks, so memory stays flat."""
        return self.get_queryset().iterator(chunk_size=CHUNK_SIZE)

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
