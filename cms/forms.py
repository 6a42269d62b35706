"""Forms of the public site: they parse what a visitor asks for, nothing more."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ideasluss.fund.models import DecisionKind, Fund
from ideasluss.fund.selectors import decision_years
from ideasluss.input_policy import (
    MAX_ID,
    SEARCH_TEXT,
    IdChoiceField,
    SingleLineField,
    WholeNumberField,
)


class PublicRegisterForm(forms.Form):
    """Search and filters of the public decision register; bad input filters nothing."""

    q = SingleLineField(
        label=_("Search"),
        required=False,
        max_length=SEARCH_TEXT,
        help_text=_("Registration number, idea or rationale"),
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=[("", _("All decisions")), *DecisionKind.choices],
    )
    fund = IdChoiceField(
        label=_("Fund"),
        required=False,
        queryset=Fund.objects.order_by("-start_date", "name"),
        empty_label=_("All funds"),
    )
    # Not shown: lets a result or lesson page link to "the decisions on this idea".
    idea = WholeNumberField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [
            (year, year) for year in decision_years()
        ]

    def filters(self) -> dict:
        """Keyword arguments for `cms.selectors.public_register`: the valid filters (an
        invalid one, such as a year without decisions, filters nothing and shows its error)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        return {
            "text": data.get("q") or "",
            "year": data.get("year"),
            "kind": data.get("kind") or "",
            "fund": data.get("fund"),
            "idea": data.get("idea"),
        }


class SiteSearchForm(forms.Form):
    """The public site's search: a few words, nothing else."""

    q = SingleLineField(
        label=_("Search the site"),
        required=False,
        max_length=SEARCH_TEXT,
        widget=forms.SearchInput,
    )

    def query(self) -> str:
        """The words to search for; empty when none (or too many) were given."""
        if not self.is_bound or not self.is_valid():
            return ""
        return " ".join(self.cleaned_data["q"].split())
