"""The targets of the flow: how many days each measure should take at most.

The targets are a setting (`FLOW_TARGET_DAYS`, measure → whole days), not data: they are
the innovation unit's promise to the organisation, changed with a release note rather than
in passing. A measure without a target has no "within target" figure and no inbox flag.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ideasluss.ideas.models import IdeaState

#: The stages an idea passes through on its way to a result, in order.
STAGES = (IdeaState.SUBMITTED, IdeaState.PLANNING, IdeaState.TESTING, IdeaState.TESTED)


class Measure(models.TextChoices):
    """What the flow page measures, in the order it shows them."""

    FIRST_ANSWER = "first_answer", _("To the first answer")
    SUBMITTED = IdeaState.SUBMITTED.value, IdeaState.SUBMITTED.label
    PLANNING = IdeaState.PLANNING.value, IdeaState.PLANNING.label
    TESTING = IdeaState.TESTING.value, IdeaState.TESTING.label
    TESTED = IdeaState.TESTED.value, IdeaState.TESTED.label
    FUND_DECISION = "fund_decision", _("To a fund decision")


def flow_targets() -> dict[str, int]:
    """The configured target in days of each measure that has one."""
    configured = getattr(settings, "FLOW_TARGET_DAYS", {}) or {}
    return {
        measure: int(days)
        for measure, days in configured.items()
        if measure in Measure.values and days is not None and int(days) > 0
    }


@dataclass(frozen=True)
class WaitingFlag:
    """An idea has been in its stage longer than the stage's target."""

    state: str
    days: int
    target: int


def waiting_flag(idea, *, today: datetime.date | None = None) -> WaitingFlag | None:
    """The flag of an idea that has stayed in its stage more whole days than the target
    (counted as the inbox counts days: calendar days in the municipality's time zone)."""
    target = flow_targets().get(idea.state)
    if target is None or idea.state_changed_at is None:
        return None
    today = today or timezone.localdate()
    days = (today - timezone.localdate(idea.state_changed_at)).days
    return WaitingFlag(state=idea.state, days=days, target=target) if days > target else None
