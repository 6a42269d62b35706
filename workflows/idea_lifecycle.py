"""The life of an idea, declared once: states, transitions, guards and permissions.

`IdeaLifecycle` is a proxy of `ideas.Idea`, so the domain model stays free of
workflow code while django-fsm-2 drives the pages (which buttons to show),
the guards, the log (django-fsm-log) and the state diagram in docs/.
"""

from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from ideasluss.ideas.models import Idea, IdeaState

from . import guards
from .rules import may

S = IdeaState
NOT_FINAL = [S.DRAFT, S.SUBMITTED, S.PLANNING, S.TESTING, S.TESTED]


def idea_transition(*, source, target, name: str, label, message_required=False, conditions=()):
    """Declare one transition with its permission, guards and the texts the pages show."""
    return transition(
        field="state",
        source=source,
        target=target,
        conditions=list(conditions),
        permission=may(name),
        custom={"label": label, "message_required": message_required},
    )


class IdeaLifecycle(ConcurrentTransitionMixin, Idea):
    class Meta:
        proxy = True

    @fsm_log_by
    @fsm_log_description
    @idea_transition(
        source=S.DRAFT,
        target=S.SUBMITTED,
        name="submit",
        label=_("Submit the idea"),
        conditions=[guards.submission_complete],
    )
    def submit(self, by=None, description=None):
        """Logged by django-fsm-log; the service records the time and notifies."""

    @fsm_log_by
    @fsm_log_description
    @idea_transition(
        source=S.SUBMITTED,
        target=S.DRAFT,
        name="return_to_owner",
        label=_("Return to the owner"),
        message_required=True,
    )
    def return_to_owner(self, by=None, description=None):
        """Logged by django-fsm-log; the service records the time and notifies."""

    @fsm_log_by
    @fsm_log_description
    @idea_transition(source=S.SUBMITTED, target=S.PLANNING, name="accept", label=_("Accept"))
    def accept(self, by=None, description=None):
        """Logged by django-fsm-log; the service records the time and notifies."""

    @fsm_log_by
    @fsm_log_description
    @idea_transition(
        source=S.SUBMITTED,
        target=S.DECLINED,
        name="decline",
        label=_("Decline"),
        message_required=True,
    )
    def decline(self, by=None, description=None):
        """Logged by django-fsm-log; the service records the time and notifies."""

    @fsm_log_by
    @fsm_log_description
    @idea_transition(
        source=S.PLANNING,
        target=S.TESTING,
        name="start_test",
        label=_("Start the test"),
        conditions=[guards.ready_to_test],
    )
    def start_test(self, by=None, description=None):
        """Logged by django-fsm-log; the service records the time and notifies."""

    @fsm_log_by
    @fsm_log_description
    @idea_transition(
        source=S.TESTING,
        target=S.TESTED,
        name="report",
        label=_("Report the result"),
        conditions=[guards.evaluation_complete],
    )
    def report(self, by=None, description=None):
        """Logged by django-fsm-log; the service records the time and notifies."""

    @fsm_log_by
    @fsm_log_description
    @idea_transition(
        source=S.TESTED,
        target=S.TESTING,
        name="iterate",
        label=_("Test again (iterate)"),
        message_required=True,
    )
    def iterate(self, by=None, description=None):
        """Logged by django-fsm-log; the service records the time and notifies."""

    @fsm_log_by
    @fsm_log_description
    @idea_transition(
        source=S.TESTED,
        target=S.SCALED,
        name="scale",
        label=_("Scale it up"),
        conditions=[guards.new_owner_named],
    )
    def scale(self, by=None, description=None):
        """Logged by django-fsm-log; the service records the time and notifies."""

    @fsm_log_by
    @fsm_log_description
    @idea_transition(
        source=[S.TESTING, S.TESTED],
        target=S.LEARNED,
        name="stop_and_learn",
        label=_("Stop and learn"),
        conditions=[guards.lessons_written],
    )
    def stop_and_learn(self, by=None, description=None):
        """Logged by django-fsm-log; the service records the time and notifies."""

    @fsm_log_by
    @fsm_log_description
    @idea_transition(
        source=NOT_FINAL,
        target=S.WITHDRAWN,
        name="withdraw",
        label=_("Withdraw the idea"),
    )
    def withdraw(self, by=None, description=None):
        """Logged by django-fsm-log; the service records the time and notifies."""
