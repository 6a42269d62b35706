"""One service per step in an idea's life: permission, guard, transaction, log, notifications.

Views call these and never the transition methods. Each takes the state the
person saw (`expected_state`) so that two people acting at once cannot both
win: the second is told that the idea just changed.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition
from django_fsm_log.models import StateLog

from ideasluss.accounts.models import User
from ideasluss.ideas.models import Idea

from .errors import ConcurrentChange, NotAllowed, RequirementsMissing
from .idea_lifecycle import IdeaLifecycle
from .notifications import notify_idea_transition
from .selectors import missing_requirements, transition_from


def idea_transition(
    *, idea: Idea, name: str, by: User, message: str = "", expected_state: str | None = None
) -> IdeaLifecycle:
    """Move `idea` along the transition `name`, or explain why not."""
    message = (message or "").strip()
    try:
        with transaction.atomic():
            lifecycle = IdeaLifecycle.objects.select_for_update(of=("self",)).get(pk=idea.pk)
            if expected_state is not None and lifecycle.state != expected_state:
                raise ConcurrentChange()
            found = transition_from(name, lifecycle.state)
            if found is None:
                raise NotAllowed(
                    _("This cannot be done while the idea is “%(state)s”.")
                    % {"state": lifecycle.get_state_display()}
                )
            if not found.has_perm(lifecycle, by):
                raise NotAllowed(_("You are not allowed to do this with this idea."))
            if found.custom.get("message_required") and not message:
                raise RequirementsMissing(_("Write a message to the owner explaining why."))
            missing = missing_requirements(lifecycle, found)
            if missing:
                raise RequirementsMissing(*missing)
            getattr(lifecycle, name)(by=by, description=message or None)
            lifecycle.state_changed_at = timezone.now()
            lifecycle.save()
            log_entry = StateLog.objects.for_(lifecycle).order_by("-pk").first()
            transaction.on_commit(
                lambda: notify_idea_transition(idea=lifecycle, log_entry=log_entry)
            )
    except ConcurrentTransition as error:
        raise ConcurrentChange() from error
    return lifecycle


def idea_submit(*, idea: Idea, by: User, message: str = "", expected_state: str | None = None):
    """The owner sends a draft to the innovation team."""
    return idea_transition(
        idea=idea, name="submit", by=by, message=message, expected_state=expected_state
    )


def idea_return(*, idea: Idea, by: User, message: str, expected_state: str | None = None):
    """A coach sends a submitted idea back to its owner with a message."""
    return idea_transition(
        idea=idea, name="return_to_owner", by=by, message=message, expected_state=expected_state
    )


def idea_accept(*, idea: Idea, by: User, message: str = "", expected_state: str | None = None):
    """A coach accepts the idea for planning a test."""
    return idea_transition(
        idea=idea, name="accept", by=by, message=message, expected_state=expected_state
    )


def idea_decline(*, idea: Idea, by: User, message: str, expected_state: str | None = None):
    """A coach declines the idea, saying why."""
    return idea_transition(
        idea=idea, name="decline", by=by, message=message, expected_state=expected_state
    )


def idea_start_test(*, idea: Idea, by: User, message: str = "", expected_state: str | None = None):
    """The test starts: a test plan exists and the money question is settled."""
    return idea_transition(
        idea=idea, name="start_test", by=by, message=message, expected_state=expected_state
    )


def idea_report(*, idea: Idea, by: User, message: str = "", expected_state: str | None = None):
    """The owner reports the test's result against each success criterion."""
    return idea_transition(
        idea=idea, name="report", by=by, message=message, expected_state=expected_state
    )


def idea_iterate(*, idea: Idea, by: User, message: str, expected_state: str | None = None):
    """Test again after a report, saying what changes."""
    return idea_transition(
        idea=idea, name="iterate", by=by, message=message, expected_state=expected_state
    )


def idea_scale(*, idea: Idea, by: User, message: str = "", expected_state: str | None = None):
    """A coach scales the tested idea into ordinary operations."""
    return idea_transition(
        idea=idea, name="scale", by=by, message=message, expected_state=expected_state
    )


def idea_stop_and_learn(
    *, idea: Idea, by: User, message: str = "", expected_state: str | None = None
):
    """Stop the test and keep the lessons: a stopped test is a result."""
    return idea_transition(
        idea=idea, name="stop_and_learn", by=by, message=message, expected_state=expected_state
    )


def idea_withdraw(*, idea: Idea, by: User, message: str = "", expected_state: str | None = None):
    """The owner withdraws the idea."""
    return idea_transition(
        idea=idea, name="withdraw", by=by, message=message, expected_state=expected_state
    )


IDEA_TRANSITION_SERVICES = {
    "submit": idea_submit,
    "return_to_owner": idea_return,
    "accept": idea_accept,
    "decline": idea_decline,
    "start_test": idea_start_test,
    "report": idea_report,
    "iterate": idea_iterate,
    "scale": idea_scale,
    "stop_and_learn": idea_stop_and_learn,
    "withdraw": idea_withdraw,
}
