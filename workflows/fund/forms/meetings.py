"""Forms of the meeting pages: plan a meeting, record who attends and what is taken up,
decide an agenda item. They parse input; the services
decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ideasluss.accounts.models import User
from ideasluss.fund.amounts import kronor
from ideasluss.fund.models import Application, Fund, Meeting
from ideasluss.fund.participation import participation_in
from ideasluss.fund.selectors import (
    meeting_agenda_choices,
    meeting_attendee_choices,
    minute_checker_choices,
)
from ideasluss.input_policy import (
    IdChoiceField,
    IdMultipleChoiceField,
    PolicyDateField,
    SingleLineField,
)


class MeetingFilterForm(forms.Form):
    UPCOMING = "upcoming"
    HELD = "held"

    fund = IdChoiceField(
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
    fund = IdChoiceField(label=_("Fund"), queryset=Fund.objects.all(), empty_label=None)
    date = PolicyDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    location = SingleLineField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("For example a meeting room, or “Teams”."),
    )


class ApplicationChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, application: Application) -> str:
        return _("%(title)s – %(amount)s applied for") % {
            "title": application.idea.title,
            "amount": kronor(application.total),
        }


class AttendeeChoiceField(IdMultipleChoiceField):
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

    application = IdChoiceField(
        queryset=None,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Choose an application of the meeting's fund.")},
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = Application.objects.filter(
            fund_id=meeting.fund_id
        ).select_related("idea", "fund")


class MemberChoiceField(IdChoiceField):
    def label_from_instance(self, user) -> str:
        return user.full_name


class StandInForm(forms.Form):
    """Whom the meeting appoints to lead an item the chair is disqualified on."""

    member = MemberChoiceField(
        label=_("Appointed to lead the item"),
        queryset=None,
        error_messages={
            "required": _("Choose the member the meeting appoints."),
            "invalid_choice": _(
                "Appoint an attending committee member who is not disqualified on the item."
            ),
        },
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = participation_in(item).stand_in_candidates
        self.fields["member"].queryset = User.objects.filter(
            pk__in=[member.pk for member in candidates]
        ).order_by("last_name", "first_name", "pk")


class MeetingDateForm(forms.Form):
    """Move a planned meeting to another day."""

    date = PolicyDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))


class MinuteCheckersForm(forms.Form):
    """The one or two attending members who check (justerar) the minutes with the chair."""

    checkers = AttendeeChoiceField(
        label=_("Minute checkers"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Choose one or two attending committee members (not the chair, not coaches). "
            "They check the minutes with the chair after the meeting."
        ),
        error_messages={
            "invalid_choice": _(
                "Choose the minute checkers among the attending committee members "
                "(not the chair, not coaches)."
            ),
            "invalid_pk_value": _(
                "Choose the minute checkers among the attending committee members "
                "(not the chair, not coaches)."
            ),
        },
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checkers"].queryset = minute_checker_choices(meeting=meeting)
