"""Guards of the idea's life: each returns what is still missing, in plain words.

A guard is attached to a transition as a django-fsm condition; when it blocks,
the service asks the same guard what is missing and shows that to the person.
"""

from collections.abc import Callable

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ideasluss.errors import RequirementsMissing
from ideasluss.fund.models import GRANTING_KINDS, Decision
from ideasluss.ideas.models import Idea, IdeaState, Nomination, NominationState


class Guard:
    """A django-fsm condition that can also explain itself."""

    def __init__(self, check: Callable[[Idea], list]):
        self.check = check
        self.__name__ = check.__name__
        self.__doc__ = check.__doc__

    def __call__(self, idea: Idea) -> bool:
        return not self.check(idea)

    def missing(self, idea: Idea) -> list[str]:
        return [str(message) for message in self.check(idea)]


def _test_plan(idea: Idea):
    try:
        return idea.test_plan
    except Idea.test_plan.RelatedObjectDoesNotExist:
        return None


def _evaluation(idea: Idea):
    try:
        return idea.evaluation
    except Idea.evaluation.RelatedObjectDoesNotExist:
        return None


def has_approved_grant(idea: Idea) -> bool:
    """Whether a decision in force of the innovation fund grants money for this idea."""
    return (
        Decision.objects.in_force().filter(application__idea=idea, kind__in=GRANTING_KINDS).exists()
    )


@Guard
def submission_complete(idea: Idea) -> list:
    """Problem, target group and idea are filled in."""
    missing = []
    if not idea.problem.strip():
        missing.append(_("Describe the problem the idea solves."))
    if not idea.target_group.strip():
        missing.append(_("Say who has the problem (the target group)."))
    if not idea.description.strip():
        missing.append(_("Describe the idea itself."))
    return missing


@Guard
def ready_to_test(idea: Idea) -> list:
    """A complete test plan, and the money question settled."""
    missing = []
    plan = _test_plan(idea)
    if plan is None:
        missing.append(_("Write a test plan: hypothesis, success criteria, start and end date."))
    else:
        if not plan.hypothesis.strip():
            missing.append(_("The test plan needs a hypothesis."))
        if not [c for c in plan.success_criteria if str(c).strip()]:
            missing.append(_("The test plan needs at least one success criterion."))
        if not (plan.start_date and plan.end_date):
            missing.append(_("The test plan needs a start and an end date."))
    if not (idea.no_money_needed or has_approved_grant(idea)):
        missing.append(
            _(
                "Settle the money question: get a grant from the innovation fund, "
                "or mark that the test needs no money."
            )
        )
    return missing


@Guard
def evaluation_complete(idea: Idea) -> list:
    """A result written for every success criterion of the test plan."""
    plan, evaluation = _test_plan(idea), _evaluation(idea)
    criteria = [str(c) for c in plan.success_criteria] if plan else []
    results = {
        str(r.get("criterion")): str(r.get("result", "")).strip()
        for r in (evaluation.results if evaluation else [])
    }
    missing_criteria = [c for c in criteria if not results.get(c)]
    if evaluation is None or missing_criteria:
        return [
            _("Write the result for each success criterion: %(criteria)s")
            % {"criteria": ", ".join(missing_criteria) or "–"}
        ]
    return []


@Guard
def lessons_written(idea: Idea) -> list:
    """Lessons learned are written down."""
    if not idea.lessons_learned.strip():
        return [_("Write down the lessons learned, so others can benefit from them.")]
    return []


@Guard
def new_owner_named(idea: Idea) -> list:
    """Who runs it from now on: unit and contact."""
    missing = []
    if idea.run_by_unit_id is None:
        missing.append(_("Name the unit that runs the solution from now on."))
    if not idea.run_by_contact.strip():
        missing.append(_("Name a contact person for the solution."))
    return missing


# --- applications to the innovation fund ------------------------------------------


@Guard
def application_complete(application) -> list:
    """A budget with money in it, a motivation, an expected effect, an open fund and a live idea."""
    missing = []
    if not application.fund.is_open:
        missing.append(_("The fund is closed for applications."))
    if application.idea.state not in (IdeaState.PLANNING, IdeaState.TESTING):
        missing.append(_("Money can be applied for while the idea is being planned or tested."))
    if not application.budget_lines.exists() or application.total <= 0:
        missing.append(_("Add at least one budget line with an amount."))
    if not application.motivation.strip():
        missing.append(_("Write why the test needs the money (motivation)."))
    if not application.expected_effect.strip():
        missing.append(_("Describe the effect you expect."))
    return missing


# --- meetings of the fund committee --------------------------------------------------


@Guard
def meeting_day(meeting) -> list:
    """It is the meeting's date (the municipality's date): a meeting is held on its day."""
    today = timezone.localdate()
    day = {"date": date_format(meeting.date, "j F Y")}
    if meeting.date > today:
        return [
            _("The meeting is planned for %(date)s and can be opened on that day at the earliest.")
            % day
        ]
    if meeting.date < today:
        return [
            _(
                "The meeting was planned for %(date)s, which has passed. Change the meeting's "
                "date to hold it today."
            )
            % day
        ]
    return []


def minutes_signers_missing(meeting) -> list:
    """The chair and the minute checkers who have not signed the minutes yet."""
    signed = {signature.signer_id for signature in meeting.signatures.all()}
    required = [meeting.chair, *meeting.minute_checkers.order_by("last_name", "first_name")]
    return [person for person in required if person.pk not in signed]


@Guard
def minutes_signed(meeting) -> list:
    """The chair and every minute checker (at least one) have signed the minutes."""
    if not meeting.minute_checkers.exists():
        return [_("Choose the minute checkers: the minutes are checked by them and the chair.")]
    return [
        _("%(name)s has not checked the minutes yet.") % {"name": person.full_name}
        for person in minutes_signers_missing(meeting)
    ]


# --- nominations for the best mistake of the year ------------------------------------


def winner_already_picked(nomination) -> RequirementsMissing | None:
    """The refusal when another nomination already won the nomination's year."""
    winner = Nomination.objects.filter(
        Q(year=nomination.year, state=NominationState.WINNER) & ~Q(pk=nomination.pk)
    ).first()
    if winner is None:
        return None
    return RequirementsMissing(
        _(
            "The jury has already picked “%(title)s” as the best mistake of %(year)s. "
            "Withdraw that win first if the jury has changed its mind."
        )
        % {"title": winner.title, "year": winner.year}
    )


@Guard
def nomination_consent_given(nomination) -> list:
    """The people named agree to being named publicly."""
    if not nomination.consent_confirmed:
        return [
            _(
                "The people named have not agreed to being named publicly: "
                "the nomination cannot go further."
            )
        ]
    return []


@Guard
def jury_motivation_written(nomination) -> list:
    """The jury's motivation, published with the winner."""
    if not (nomination.jury_motivation or "").strip():
        return [_("Write the jury's motivation: it is published with the winner.")]
    return []


@Guard
def no_other_winner_this_year(nomination) -> list:
    """One best mistake a year."""
    refusal = winner_already_picked(nomination)
    return refusal.messages if refusal else []
