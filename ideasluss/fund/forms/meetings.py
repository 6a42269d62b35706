"""Forms of the meeting pages: plan a meeting, record who attends and what is taken up,
decide an agenda item. They parse input; the services in `workflows.fund_services`
decide what is allowed."""

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from ..models import MAX_AMOUNT, Application, DecisionKind, Fund, Meeting
from ..selectors import meeting_agenda_choices, meeting_attendee_choices


class MeetingFilterForm(forms.Form):
    UPCOMING = "upcoming"
    HELD = "held"

    fund = forms.ModelChoiceField(
        label=_("Fund"), required=False, queryset=Fund.objects.all(), empty_label=_("All funds")
    )
    when = forms.ChoiceField(
        label=_("Meetings"),
        required=False,
        choices=[(UPCOMING, _("Upcoming")), (HELD, _("Held"))],
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {"fund": None, "held": False}
        return {
            "fund": self.cleaned_data["fund"],
            "held": self.cleaned_data["when"] == self.HELD,
        }


class MeetingForm(forms.Form):
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=Fund.objects.all(), empty_label=None)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    location = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("For example a meeting room, or “Teams”."),
    )


class ApplicationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, application: Application) -> str:
        return _("%(title)s – %(amount)s SEK applied for") % {
            "title": application.idea.title,
            "amount": number_format(application.total, force_grouping=True),
        }


class AttendeeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user) -> str:
        return user.full_name


class MeetingEditForm(forms.Form):
    attendees = AttendeeChoiceField(
        label=_("Attending"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Committee members, the chair and coaches who take part in the meeting."),
    )
    agenda = ApplicationChoiceField(
        label=_("Applications taken up"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Submitted applications to the fund and applications under review."),
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = meeting_attendee_choices(meeting=meeting)
        self.fields["agenda"].queryset = meeting_agenda_choices(meeting=meeting)


class AgendaItemForm(forms.Form):
    """Which application a decision form on the meeting page is about."""

    application = forms.ModelChoiceField(
        queryset=None,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Choose an application of the meeting's fund.")},
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = Application.objects.filter(
            fund_id=meeting.fund_id
        ).select_related("idea", "fund")


class MeetingDecisionForm(forms.Form):
    """The chair's decision on one agenda item (one form per item, prefixed by its id)."""

    kind = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            (DecisionKind.APPROVE, _("Approve the amount applied for")),
            (DecisionKind.APPROVE_LOWER, _("Approve a lower amount")),
            (DecisionKind.REJECT, _("Reject")),
            (DecisionKind.RETURN, _("Return for changes")),
        ],
        error_messages={"required": _("Choose a decision.")},
    )
    amount = forms.IntegerField(
        label=_("Lower amount (SEK)"),
        required=False,
        min_value=1,
        max_value=MAX_AMOUNT,
        help_text=_("Only for “Approve a lower amount”."),
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required. It is published with the decision."),
        error_messages={"required": _("Write the rationale for the decision: it is public.")},
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Optional, for example a report to the committee after the test."),
    )
