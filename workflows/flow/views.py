"""The flow page (*ledtider*) and its CSV and Excel export, for the innovation unit."""

from collections import OrderedDict

from django.http import HttpResponseBadRequest
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from ideasluss.accounts.permissions import PermissionRequiredMixin
from workflows.exports import SpreadsheetExportView

from . import selectors
from .charts import DurationChart
from .forms import FlowFilterForm
from .targets import Measure

PERMISSION = "ideas.view_flow"


def month_label(month) -> str:
    """“december 2026”."""
    return date_format(month, "F Y")


def unit_label(figures: selectors.FlowFigures, unit: int | None) -> str:
    if unit is None:
        return gettext("No unit given")
    return figures.unit_labels.get(unit, "")


def scope_text(figures: selectors.FlowFigures) -> str:
    """“från 1 januari 2026 till 2 december 2026, alla enheter”."""
    if figures.unit is None:
        units = gettext("all units")
    else:
        units = gettext("%(unit)s with its sub-units") % {
            "unit": unit_label(figures, figures.unit.pk)
        }
    return gettext("from %(start)s to %(end)s, %(units)s") % {
        "start": date_format(figures.start, "j F Y"),
        "end": date_format(figures.end, "j F Y"),
        "units": units,
    }


class FlowView(PermissionRequiredMixin, TemplateView):
    """Median and 90th percentile of days per stage, to the first answer and to a fund
    decision, with the share within target; per month and per unit for one measure."""

    permission_required = PERMISSION
    template_name = "flow/flow.html"

    def get_context_data(self, **kwargs):
        form = FlowFilterForm(self.request.GET)
        context = super().get_context_data(
            form=form, query_string=self.request.GET.urlencode(), **kwargs
        )
        filters = form.filters()
        if filters is None:
            return context
        figures = selectors.flow_figures(**filters)
        measure = Measure(form.chosen_measure)
        measures = [(m, figures.summary(m.value)) for m in Measure]
        months = [(month_label(m), s) for m, s in figures.month_summaries(measure.value)]
        units = [(unit_label(figures, u), s) for u, s in figures.unit_summaries(measure.value)]
        context.update(
            figures=figures,
            scope=scope_text(figures),
            measure=measure,
            measures=measures,
            months=months,
            units=units,
            measure_chart=DurationChart(
                key="measures",
                title=gettext("Days per stage, to the first answer and to a fund decision"),
                rows=tuple((str(m.label), s) for m, s in measures),
            ),
            month_chart=DurationChart(
                key="months",
                title=gettext("%(measure)s: days per month") % {"measure": measure.label},
                rows=tuple(months),
            ),
            unit_chart=DurationChart(
                key="units",
                title=gettext("%(measure)s: days per unit") % {"measure": measure.label},
                rows=tuple(units),
            ),
        )
        return context


class FlowExportView(SpreadsheetExportView):
    """Every figure of the page's period and unit, for every measure: overall, per month
    and per unit, one row each."""

    permission_required = PERMISSION
    export_headings = {
        "grouping": _("Grouping"),
        "group": _("Group"),
        "measure": _("Measure"),
        "count": _("Number"),
        "median": _("Median (days)"),
        "p90": _("90th percentile (days)"),
        "target": _("Target (days)"),
        "within_target": _("Within target (number)"),
        "share_within_target": _("Within target (%)"),
    }

    def get(self, request, fmt):
        self.form = FlowFilterForm(request.GET)
        if self.form.filters() is None:
            errors = [str(error) for errors in self.form.errors.values() for error in errors]
            return HttpResponseBadRequest(
                " ".join(errors), content_type="text/plain; charset=utf-8"
            )
        return super().get(request, fmt)

    def get_rows(self):
        figures = selectors.flow_figures(**self.form.filters())
        overall = gettext("Total")
        for measure in Measure:
            yield self.row(overall, scope_text(figures), measure, figures.summary(measure))
        by_month = gettext("Month")
        for measure in Measure:
            for month, summary in figures.month_summaries(measure.value):
                yield self.row(by_month, month_label(month), measure, summary)
        by_unit = gettext("Unit")
        for measure in Measure:
            for unit, summary in figures.unit_summaries(measure.value):
                yield self.row(by_unit, unit_label(figures, unit), measure, summary)

    @staticmethod
    def row(grouping: str, group: str, measure: Measure, summary: selectors.Summary):
        share = summary.share_within_target
        return OrderedDict(
            grouping=grouping,
            group=group,
            measure=str(measure.label),
            count=summary.count,
            median=selectors.rounded_days(summary.median),
            p90=selectors.rounded_days(summary.p90),
            target=summary.target if summary.target is not None else "",
            within_target=summary.within_target if summary.within_target is not None else "",
            share_within_target=round(share * 100, 1) if share is not None else "",
        )

    def to_row_dict(self, row):
        return row

    def filename_stem(self) -> str:
        return pgettext("file name of an export", "flow-figures")
