"""Forms of the applicant's pages: the application and its budget, costs with receipts,
returning unspent money and the application's steps. They parse input; the services in
the services decide what is allowed and check the budget again."""

import datetime
import uuid
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ideasluss.fund.models import MAX_AMOUNT, ApplicationState, BudgetCategory, Fund
from ideasluss.fund.services import BudgetLineInput
from ideasluss.ideas import attachments
from ideasluss.input_policy import (
    DecimalNumberField,
    IdChoiceField,
    MultiLineField,
    PolicyDateField,
    SingleLineField,
    WholeNumberField,
)

#: Receipts are PDF documents or photos/scans as JPEG or PNG.
RECEIPT_CONTENT_TYPES = {"application/pdf", "image/jpeg", "image/png"}
# What the browser's file picker offers; the server judges the content.
RECEIPT_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
MAX_HOURS = Decimal("99999.9")
MAX_HOURLY_RATE = 100_000
MAX_BUDGET_LINES = 50

AMOUNT_ERRORS = {
    "invalid": _("Give the amount in whole kronor, for example 12500."),
    "min_value": _("The amount must be above zero."),
    "max_value": _("The amount is unreasonably large."),
}


def amount_field(label, **kwargs) -> forms.IntegerField:
    """An amount in whole kronor, 1 … MAX_AMOUNT; the services hold it to the fund's capital."""
    return WholeNumberField(
        label=label,
        min_value=1,
        max_value=MAX_AMOUNT,
        error_messages=AMOUNT_ERRORS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )


class ApplicationForm(forms.Form):
    """Which fund (only when applying), and why the test needs the money."""

    fund = IdChoiceField(
        label=_("Fund"),
        queryset=Fund.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose a fund that is open for applications.")},
    )
    motivation = MultiLineField(
        label=_("Why does the test need the money?"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Required before you submit. What will the money make possible?"),
    )
    expected_effect = MultiLineField(
        label=_("What effect do you expect?"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required before you submit. For whom, and how will you notice it?"),
    )

    def __init__(self, *args, funds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if funds is None:
            del self.fields["fund"]
        else:
            self.fields["fund"].queryset = funds


class BudgetLineForm(forms.Form):
    """One budget line: an amount, or for substitute staff hours × hourly rate."""

    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("Choose a category"))] + BudgetCategory.choices,
        error_messages={"required": _("Choose a category.")},
    )
    description = SingleLineField(
        label=_("What the money is for"),
        max_length=200,
        error_messages={"required": _("Describe what the money is for.")},
    )
    amount = amount_field(
        _("Amount (SEK)"),
        required=False,
        help_text=_("Whole kronor. Not for substitute staff: give hours and hourly rate."),
    )
    hours = DecimalNumberField(
        label=_("Hours"),
        required=False,
        min_value=Decimal("0.1"),
        max_value=MAX_HOURS,
        max_digits=6,
        decimal_places=1,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Substitute staff only, for example 7,5."),
        error_messages={
            "invalid": _("Give the hours as a number, for example 7,5."),
            "min_value": _("The hours must be above zero."),
            "max_value": _("The number of hours is unreasonably large."),
            "max_digits": _("The number of hours is unreasonably large."),
            "max_whole_digits": _("The number of hours is unreasonably large."),
            "max_decimal_places": _("Give the hours with at most one decimal."),
        },
    )
    hourly_rate = WholeNumberField(
        label=_("Hourly rate (SEK)"),
        required=False,
        min_value=1,
        max_value=MAX_HOURLY_RATE,
        help_text=_("Substitute staff only, including social fees."),
        error_messages={
            "invalid": _("Give the hourly rate in whole kronor."),
            "min_value": _("The hourly rate must be above zero."),
            "max_value": _("The hourly rate is unreasonably large."),
        },
    )

    def clean(self):
        data = super().clean()
        category = data.get("category")
        if category == BudgetCategory.SUBSTITUTE_STAFF:
            if data.get("hours") is None and "hours" not in self.errors:
                self.add_error("hours", _("Substitute staff needs the number of hours."))
            if data.get("hourly_rate") is None and "hourly_rate" not in self.errors:
                self.add_error("hourly_rate", _("Substitute staff needs an hourly rate."))
            data["amount"] = None
        elif category:
            if data.get("amount") is None and "amount" not in self.errors:
                self.add_error("amount", _("Give the amount in kronor."))
            data["hours"] = data["hourly_rate"] = None
        return data

    def line(self) -> BudgetLineInput:
        data = self.cleaned_data
        return BudgetLineInput(
            category=data["category"],
            description=data["description"],
            amount=data.get("amount"),
            hours=data.get("hours"),
            hourly_rate=data.get("hourly_rate"),
        )


class BaseBudgetLineFormSet(forms.BaseFormSet):
    """The budget's lines; blank extra rows are ignored and a ticked row is removed."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this line")

    def lines(self) -> list[BudgetLineInput]:
        return [
            form.line()
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]


BUDGET_PREFIX = "lines"


def budget_formset(data=None, *, application=None, extra: int = 2) -> BaseBudgetLineFormSet:
    """The budget formset, filled with the application's lines when there is one."""
    initial = [
        {
            "category": line.category,
            "description": line.description,
            "amount": None if line.hours is not None else line.amount,
            "hours": line.hours,
            "hourly_rate": line.hourly_rate,
        }
        for line in (application.budget_lines.all() if application else [])
    ]
    formset_class = forms.formset_factory(
        BudgetLineForm,
        formset=BaseBudgetLineFormSet,
        extra=extra,
        can_delete=True,
        can_delete_extra=False,
        max_num=MAX_BUDGET_LINES,
        absolute_max=MAX_BUDGET_LINES,
        validate_max=True,
    )
    return formset_class(data, initial=initial, prefix=BUDGET_PREFIX)


def with_one_more_line(data):
    """A copy of posted budget data with room for one more (blank) line."""
    data = data.copy()
    key = f"{BUDGET_PREFIX}-TOTAL_FORMS"
    try:
        total = int(data.get(key, 0))
    except ValueError:
        total = 0
    data[key] = str(min(total + 1, MAX_BUDGET_LINES))
    return data


class CostForm(forms.Form):
    """An actual cost of the test, with an optional receipt (PDF, JPEG or PNG)."""

    amount = amount_field(_("Amount (SEK)"))
    date = PolicyDateField(
        label=_("Date of the cost"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Give the date as YYYY-MM-DD.")},
    )
    note = SingleLineField(
        label=_("What the money was spent on"),
        max_length=300,
        error_messages={"required": _("Say what the money was spent on.")},
    )
    receipt = forms.FileField(
        label=_("Receipt (optional)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": RECEIPT_ACCEPT}),
        error_messages={"empty": _("The file is empty.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receipt"].help_text = _("A PDF, JPEG or PNG file, at most %(limit)s.") % {
            "limit": filesizeformat(attachments.max_bytes())
        }
        if not self.is_bound:
            self.fields["date"].initial = timezone.localdate()

    def clean_date(self) -> datetime.date:
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise ValidationError(_("The date of a cost cannot be in the future."))
        return date

    def clean_receipt(self) -> File | None:
        """The receipt checked by its content like idea attachments; pictures re-encoded
        (which drops EXIF such as GPS positions) and the file named anew."""
        upload = self.cleaned_data.get("receipt")
        if not upload:
            return None
        wrong_kind = ValidationError(
            _("The receipt must be a PDF, JPEG or PNG file."), code="unsupported"
        )
        try:
            processed = attachments.process_upload(upload)
        except ValidationError as error:
            if getattr(error, "code", None) == "unsupported":
                raise wrong_kind from error
            raise
        if processed.content_type not in RECEIPT_CONTENT_TYPES:
            raise wrong_kind
        return File(processed.content, name=f"{uuid.uuid4().hex}.{processed.extension}")


class ReturnMoneyForm(forms.Form):
    """The coach confirms the amount they were shown (all that is left of the grant);
    the service refuses it if that is no longer what is left."""

    amount = WholeNumberField(
        min_value=0,
        max_value=MAX_AMOUNT,
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Reload the page: the amount to return is missing."),
            "invalid": _("Reload the page: the amount to return is missing."),
            "min_value": _("Reload the page: the amount to return is missing."),
            "max_value": _("Reload the page: the amount to return is missing."),
        },
    )
    note = SingleLineField(
        label=_("Note (optional)"),
        required=False,
        max_length=300,
        help_text=_("For example why money is left over."),
    )


class ApplicationFilterForm(forms.Form):
    fund = IdChoiceField(
        label=_("Fund"), required=False, queryset=Fund.objects.all(), empty_label=_("All funds")
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states"))] + ApplicationState.choices,
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {"fund": None, "state": ""}
        return {"fund": self.cleaned_data["fund"], "state": self.cleaned_data["state"]}
