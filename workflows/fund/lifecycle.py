"""The life of an application to the innovation fund and of a committee meeting.

application: draft → submitted → in review → decided, or returned (for changes), or
withdrawn. Deciding and returning are internal steps: only `decision_record`
(workflows/fund/services.py) takes them, in the transaction that writes the public
decision record.

meeting: planned → open → closed → checked → posted. It is opened on its date, and
decisions are recorded while it is open; once closed, its minutes no longer change. The
chair and the minute checkers then sign the minutes (`minutes_sign`, workflows/fund/
services.py); the last signature checks them (an internal step). The chair posts the
checked minutes on the notice board, which starts the three weeks for appeals.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ideasluss.fund.models import Application, ApplicationState, Meeting, MeetingState

from .. import guards
from ..notifications import notify_application_transition, notify_meeting_transition
from ..transitions import Lifecycle, lifecycle, step

S = ApplicationState


@lifecycle
class ApplicationLifecycle(Lifecycle, Application):
    changed_message = _(
        "Someone changed this application just now. "
        "Reload the page to see the change, then try again."
    )
    not_allowed_message = _("You are not allowed to do this with this application.")
    wrong_state_message = _("This cannot be done while the application is “%(state)s”.")

    class Meta:
        proxy = True

    @step(
        source=[S.DRAFT, S.RETURNED],
        target=S.SUBMITTED,
        permission="fund.change_application",
        label=_("Submit the application"),
        conditions=[guards.application_complete],
        success=_(
            "The application is submitted. Amounts within the delegated limit are decided by a "
            "coach, larger ones by the fund committee at a meeting; you get a notification "
            "when it is decided."
        ),
    )
    def submit(self, by=None, description=None):
        """Sent to the fund; coaches and the committee can now see it in their queue."""
        self.submitted_at = timezone.now()

    @step(
        source=S.SUBMITTED,
        target=S.IN_REVIEW,
        permission="fund.take_up_application",
        label=_("Start the review"),
        success=_(
            "The review has started: the committee can now score the application, and the chair "
            "can put it on a meeting's agenda."
        ),
    )
    def take_up(self, by=None, description=None):
        """The committee starts reviewing (also by the first score or an agenda)."""

    @step(source=[S.SUBMITTED, S.IN_REVIEW], target=S.DECIDED, label=_("Decide"))
    def decide(self, by=None, description=None):
        """Only through `decision_record`, which writes the decision record."""

    @step(source=[S.SUBMITTED, S.IN_REVIEW], target=S.RETURNED, label=_("Return for changes"))
    def return_for_changes(self, by=None, description=None):
        """Only through `decision_record` (a decision of kind “return”)."""

    @step(
        source=[S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.RETURNED],
        target=S.WITHDRAWN,
        permission="fund.withdraw_application",
        label=_("Withdraw the application"),
        confirm=True,
        success=_(
            "The application is withdrawn. The idea can apply again later with a new application."
        ),
    )
    def withdraw(self, by=None, description=None):
        """The applicant takes the application back."""

    def on_committed(self, transition, log_entry) -> None:
        notify_application_transition(application=self, log_entry=log_entry)


M = MeetingState
ALREADY = _("The meeting is already “%(state)s”. Reload the page to see what changed.")
NOT_CHECKED = _(
    "The minutes can be posted once they are checked: the chair and the minute checkers "
    "sign them first."
)
ALREADY_POSTED = _("The minutes are already posted.")


@lifecycle
class MeetingLifecycle(Lifecycle, Meeting):
    changed_message = _("Someone changed this meeting just now. Reload the page to see the change.")
    not_allowed_message = _(
        "Only the meeting's own chair opens and closes it, and posts its minutes."
    )
    wrong_state_message = ALREADY

    class Meta:
        proxy = True

    @step(
        source=M.PLANNED,
        target=M.OPEN,
        permission="fund.chair_meeting",
        label=_("Open the meeting"),
        conditions=[guards.meeting_day],
        refusals={M.OPEN: ALREADY, M.CLOSED: ALREADY, M.CHECKED: ALREADY, M.POSTED: ALREADY},
        success=_("The meeting is open: record its decisions."),
    )
    def open(self, by=None, description=None):
        """The meeting's chair opens it; decisions can be recorded."""
        self.opened_at = timezone.now()

    @step(
        source=M.OPEN,
        target=M.CLOSED,
        permission="fund.chair_meeting",
        label=_("Close the meeting"),
        refusals={M.CLOSED: ALREADY, M.CHECKED: ALREADY, M.POSTED: ALREADY},
        confirm=True,
        success=_(
            "The meeting is closed. The minutes become final when you and the minute "
            "checkers have checked them."
        ),
    )
    def close(self, by=None, description=None):
        """The chair closes it; no more decisions. The minutes are checked next."""
        self.closed_at = timezone.now()

    @step(
        source=M.CLOSED,
        target=M.CHECKED,
        label=_("Check the minutes"),
        conditions=[guards.minutes_signed],
    )
    def check_minutes(self, by=None, description=None):
        """Only through `minutes_sign`: the last of the chair and the checkers signs."""
        self.checked_at = timezone.now()

    @step(
        source=M.CHECKED,
        target=M.POSTED,
        permission="fund.chair_meeting",
        label=_("Post the minutes"),
        refusals={
            M.PLANNED: NOT_CHECKED,
            M.OPEN: NOT_CHECKED,
            M.CLOSED: NOT_CHECKED,
            M.POSTED: ALREADY_POSTED,
        },
        confirm=True,
        success=_(
            "The minutes are posted on the notice board: the three weeks for appeals start today."
        ),
    )
    def post_minutes(self, by=None, description=None):
        """The chair posts the checked minutes on the municipality's notice board
        (anslagstavla), on the municipality's date; appeals run three weeks from it."""
        self.posted_on = timezone.localdate()

    def on_committed(self, transition, log_entry) -> None:
        notify_meeting_transition(meeting=self, log_entry=log_entry)
