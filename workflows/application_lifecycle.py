"""The life of an application to the innovation fund.

draft → submitted → in review → decided, or returned (for changes) or withdrawn.
Deciding and returning happen only through `workflows.fund_services.decide`,
which writes the public decision record in the same transaction.
"""

from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from ideasluss.fund.models import Application, ApplicationState

from . import guards

S = ApplicationState


def may(permission_name: str):
    def permission(application, user) -> bool:
        return user.has_perm(permission_name, application)

    permission.__name__ = f"may_{permission_name.rsplit('.', 1)[-1]}"
    return permission


class ApplicationLifecycle(ConcurrentTransitionMixin, Application):
    class Meta:
        proxy = True

    @fsm_log_by
    @fsm_log_description
    @transition(
        field="state",
        source=[S.DRAFT, S.RETURNED],
        target=S.SUBMITTED,
        conditions=[guards.application_complete],
        permission=may("fund.change_application"),
        custom={"label": _("Submit the application")},
    )
    def submit(self, by=None, description=None):
        """Sent to the fund; coaches and the committee can now see it in their queue."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field="state",
        source=S.SUBMITTED,
        target=S.IN_REVIEW,
        permission=may("fund.take_up_application"),
        custom={"label": _("Start the review")},
    )
    def take_up(self, by=None, description=None):
        """The committee starts reviewing (also when the chair puts it on an agenda)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field="state", source=[S.SUBMITTED, S.IN_REVIEW], target=S.DECIDED)
    def decide(self, by=None, description=None):
        """Only through fund_services.decide, which writes the decision record."""

    @fsm_log_by
    @fsm_log_description
    @transition(field="state", source=[S.SUBMITTED, S.IN_REVIEW], target=S.RETURNED)
    def return_for_changes(self, by=None, description=None):
        """Only through fund_services.decide (a decision of kind “return”)."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field="state",
        source=[S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.RETURNED],
        target=S.WITHDRAWN,
        permission=may("fund.withdraw_application"),
        custom={"label": _("Withdraw the application")},
    )
    def withdraw(self, by=None, description=None):
        """The applicant takes the application back."""
