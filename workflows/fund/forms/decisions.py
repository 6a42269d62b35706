"""Forms of the decision register: search and filter it (and its export), and correct
a decision. They parse input; `decision_record` decides what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ideasluss.fund.models import MAX_AMOUNT, Decision, DecisionKind, Fund, Meeting, MeetingState
from ideasluss.fund.selectors import decision_years
from ideasluss.input_policy import (
    SEARCH_TEXT,
    IdChoiceField,
    MultiLineField,
    SingleLineField,
    WholeNumberField,
)

from .applications import AMOUNT_ERRORS

DELEGATED = "delegated"
COMMITTEE = "committee"
IN_FORCE = "in_force"
SUPERSEDED = "superseded"

#: A correction approves, approves a lower amount or rejects; it never returns.
CORRECTION_KINDS = (DecisionKind.APPROVE, DecisionKind.APPROVE_LOWER, DecisionKind.REJECT)


class RegisterFilterForm(forms.Form):
    """The register's search and filters; the export links carry the same query."""

    q = SingleLineField(
        label=_("Search"),
        required=False,
        max_length=SEARCH_TEXT,
        help_text=_("Registration number, idea or rationale"),
    )
    fund = IdChoiceField(
        label=_("Fund"), required=False, queryset=Fund.objects.all(), empty_label=_("All funds")
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=[("", _("All decisions"))] + DecisionKind.choices,
    )
    authority = forms.ChoiceField(
        label=_("Decided by"),
        required=False,
        choices=[
            ("", _("Committee or delegation")),
            (COMMITTEE, _("The fund committee")),
            (DELEGATED, _("A coach under delegation")),
        ],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("In force or superseded")),
            (IN_FORCE, _("In force")),
            (SUPERSEDED, _("Superseded")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [
            (year, year) for year in decision_years()
        ]

    def filters(self) -> dict:
        """Keyword arguments for `selectors.decision_register`; invalid input filters nothing."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "text": data["q"],
            "fund": data["fund"],
            "year": data["year"],
            "kind": data["kind"],
            "authority": data["authority"],
            "status": data["status"],
        }


class CostExportFilterForm(forms.Form):
    fund = IdChoiceField(label=_("Fund"), required=False, queryset=Fund.objects.all())

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {"fund": self.cleaned_data["fund"]}


class MeetingChoiceField(IdChoiceField):
    def label_from_instance(self, meeting: Meeting) -> str:
        return str(meeting)


DECISION_CHOICES = [
    (DecisionKind.APPROVE, _("Approve the amount applied for")),
    (DecisionKind.APPROVE_LOWER, _("Approve a lower amount")),
    (DecisionKind.REJECT, _("Reject")),
    (DecisionKind.RETURN, _("Return to the applicant for changes")),
]


class DecisionForm(forms.Form):
    """What is decided, how much, why and on what conditions: the fields of every fund
    decision, whether a coach decides, the chair records it at a meeting or it corrects an
    earlier one. `kinds` narrows the choices (a correction never returns)."""

    kind = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=DECISION_CHOICES,
        error_messages={"required": _("Choose a decision.")},
    )
    amount = WholeNumberField(
        label=_("Lower amount (SEK)"),
        required=False,
        min_value=1,
        max_value=MAX_AMOUNT,
        error_messages=AMOUNT_ERRORS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Only when approving a lower amount than applied for."),
    )
    rationale = MultiLineField(
        label=_("Rationale"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why the decision was made. It is public, in the decision register."),
        error_messages={"required": _("Write the rationale for the decision: it is public.")},
    )
    conditions = MultiLineField(
        label=_("Conditions"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional, for example what must be reported, and when."),
    )
    #: Set by the confirmation page: a decision is recorded only once confirmed.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [c for c in DECISION_CHOICES if c[0] in kinds]

    def clean(self):
        data = super().clean()
        if data.get("kind") == DecisionKind.APPROVE_LOWER:
            if data.get("amount") is None and "amount" not in self.errors:
                self.add_error("amount", _("Give the lower amount to grant, above zero."))
        else:
            data["amount"] = None
        return data

    def decide_arguments(self) -> dict:
        """Keyword arguments for `decision_record` (besides application, by, meeting)."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "amount": data["amount"],
            "rationale": data["rationale"],
            "conditions": data["conditions"],
        }


class SupersedeForm(DecisionForm):
    """A correction: a new decision on the same application that supersedes `decision`.

    The chair chooses the open meeting the correction is recorded at; a coach
    correcting a delegated decision decides under delegation (no meeting).
    """

    meeting = MeetingChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        help_text=_("Open meetings of the fund that you chair."),
    )

    def __init__(self, *args, decision: Decision, user, **kwargs):
        super().__init__(*args, kinds=CORRECTION_KINDS, **kwargs)
        self.decision = decision
        if not user.has_perm("fund.manage_meetings"):
            del self.fields["meeting"]
            return
        meeting = self.fields["meeting"]
        meeting.queryset = Meeting.objects.filter(
            fund_id=decision.fund_id, state=MeetingState.OPEN, chair=user
        ).order_by("-date", "-number")
        # A chair who is also a coach may still correct a delegated decision alone.
        meeting.required = not (decision.delegated and user.has_perm("accounts.coach"))
        if meeting.required:
            meeting.empty_label = None
        else:
            meeting.empty_label = _("No meeting: I decide as a coach under delegation")

    @property
    def needs_meeting(self) -> bool:
        return "meeting" in self.fields and self.fields["meeting"].required

    def decide_arguments(self) -> dict:
        """Keyword arguments for `decision_record` (besides application, by, supersedes)."""
        return {**super().decide_arguments(), "meeting": self.cleaned_data.get("meeting")}
