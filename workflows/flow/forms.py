"""The flow page's filters: a period, a unit, and the measure shown per month and unit."""

import datetime

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ideasluss.accounts.models import Unit
from ideasluss.form_rendering import ManyOptionsSelect
from ideasluss.input_policy import IdChoiceField, PolicyDateField

from .selectors import MAX_PERIOD_DAYS, default_period, unit_paths
from .targets import Measure


class FlowFilterForm(forms.Form):
    """Without any input it asks for the last twelve months, all units, the first answer.

    The export links carry the same query, so a file holds what the page shows."""

    start = PolicyDateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = PolicyDateField(
        label=_("To and including"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    unit = IdChoiceField(
        label=_("Unit"),
        required=False,
        queryset=Unit.objects.all(),
        empty_label=_("All units"),
        widget=ManyOptionsSelect,
        help_text=_("A unit includes its sub-units."),
    )
    measure = forms.ChoiceField(
        label=_("Per month and unit"),
        required=False,
        choices=Measure.choices,
        help_text=_("The measure the tables per month and per unit show."),
    )

    def __init__(self, data=None, *, today: datetime.date | None = None, **kwargs):
        # An empty query is the default view, not a form with errors.
        super().__init__(data or None, label_suffix="", **kwargs)
        self.default_start, self.default_end = default_period(today)
        self.fields["start"].initial = self.default_start
        self.fields["end"].initial = self.default_end
        self.fields["measure"].initial = Measure.FIRST_ANSWER
        # Units by their place in the organisation, read once (the select and the labels).
        self.fields["unit"].choices = [("", _("All units")), *unit_paths().items()]

    def clean(self):
        data = super().clean()
        start = data.get("start") or self.default_start
        end = data.get("end") or self.default_end
        if "start" in self.errors or "end" in self.errors:
            return data
        if start > end:
            self.add_error(
                "end",
                _("The end of the period must not be before its start (%(start)s).")
                % {"start": date_format(start, "j F Y")},
            )
        elif (end - start).days > MAX_PERIOD_DAYS:
            self.add_error("start", _("Choose a period of at most five years."))
        data["start"], data["end"] = start, end
        data["measure"] = data.get("measure") or Measure.FIRST_ANSWER
        return data

    def filters(self) -> dict | None:
        """Keyword arguments of `selectors.flow_figures`, or None when the input is invalid."""
        if not self.is_bound:
            return {"start": self.default_start, "end": self.default_end, "unit": None}
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return {"start": data["start"], "end": data["end"], "unit": data["unit"]}

    @property
    def chosen_measure(self) -> str:
        """The measure of the tables per month and unit (the first answer by default)."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["measure"]
        return Measure.FIRST_ANSWER
