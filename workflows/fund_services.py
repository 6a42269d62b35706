"""The innovation fund's use cases: apply, declare, review, meet, decide, follow up.

Each function is one use case in one transaction: it checks who may, what is
missing, and the money invariant, and writes nothing when it refuses. Deciding
locks the fund's row, so two decisions at the same moment are made one after
the other and cannot both spend the fund's last kronor.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from ideasluss.accounts.models import User
from ideasluss.fund import money
from ideasluss.fund.models import (
    GENESIS_HASH,
    MAX_AMOUNT,
    Application,
    ApplicationState,
    BudgetCategory,
    ConflictDeclaration,
    Cost,
    Decision,
    DecisionKind,
    Fund,
    Meeting,
    MeetingState,
    MoneyReturn,
    Review,
    Score,
)
from ideasluss.fund.rules import may_record_at_meeting
from ideasluss.ideas.models import Idea

from .application_lifecycle import ApplicationLifecycle
from .errors import ConcurrentChange, NotAllowed, RequirementsMissing
from .notifications import notify_fund_decision
from .selectors import missing_requirements


def application_changed() -> ConcurrentChange:
    return ConcurrentChange(
        _(
            "Someone changed this application just now. "
            "Reload the page to see the change, then try again."
        )
    )


def meeting_changed() -> ConcurrentChange:
    return ConcurrentChange(
        _("Someone changed this meeting just now. Reload the page to see the change.")
    )


def kronor(amount: int) -> str:
    return _("%(amount)s SEK") % {"amount": number_format(amount, force_grouping=True)}


def _require(user: User, permission: str, obj=None, message: str | None = None) -> None:
    if not user.has_perm(permission, obj):
        raise NotAllowed(message or _("You are not allowed to do this."))


# --- the applicant ------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetLineInput:
    category: str
    description: str
    amount: int | None = None
    hours: float | None = None
    hourly_rate: int | None = None

    def total(self) -> int:
        if self.category == BudgetCategory.SUBSTITUTE_STAFF:
            return round((self.hours or 0) * (self.hourly_rate or 0))
        return self.amount or 0


def _check_budget(lines: list[BudgetLineInput]) -> None:
    problems = []
    for number, line in enumerate(lines, start=1):
        if line.category not in BudgetCategory.values:
            problems.append(_("Line %(n)s: choose a category.") % {"n": number})
        if not line.description.strip():
            problems.append(_("Line %(n)s: describe what the money is for.") % {"n": number})
        if line.category == BudgetCategory.SUBSTITUTE_STAFF:
            if not line.hours or line.hours <= 0 or not line.hourly_rate or line.hourly_rate <= 0:
                problems.append(
                    _("Line %(n)s: substitute staff needs hours and an hourly rate above zero.")
                    % {"n": number}
                )
        elif line.amount is None or line.amount <= 0:
            problems.append(_("Line %(n)s: the amount must be above zero.") % {"n": number})
        if line.total() > MAX_AMOUNT:
            problems.append(_("Line %(n)s: the amount is unreasonably large.") % {"n": number})
    if sum(line.total() for line in lines) > MAX_AMOUNT:
        problems.append(_("The total is unreasonably large."))
    if problems:
        raise RequirementsMissing(*problems)


def _write_budget(application: Application, lines: list[BudgetLineInput]) -> None:
    application.budget_lines.all().delete()
    application.budget_lines.bulk_create(
        [
            application.budget_lines.model(
                application=application,
                category=line.category,
                description=line.description.strip(),
                hours=line.hours if line.category == BudgetCategory.SUBSTITUTE_STAFF else None,
                hourly_rate=(
                    line.hourly_rate if line.category == BudgetCategory.SUBSTITUTE_STAFF else None
                ),
                amount=line.total(),
            )
            for line in lines
        ]
    )
    Application.objects.filter(pk=application.pk).update(total=sum(line.total() for line in lines))
    application.total = sum(line.total() for line in lines)


def application_create(
    *,
    idea: Idea,
    fund: Fund,
    by: User,
    motivation: str = "",
    expected_effect: str = "",
    lines: Iterable[BudgetLineInput] = (),
) -> Application:
    """A member of the idea's team starts an application (a draft)."""
    if not idea.is_member(by):
        raise NotAllowed(_("Only the idea's owner and co-owners can apply for money for it."))
    if not fund.is_open:
        raise RequirementsMissing(_("The fund is closed for applications."))
    open_states = [ApplicationState.DRAFT, ApplicationState.SUBMITTED, ApplicationState.IN_REVIEW]
    if idea.applications.filter(fund=fund, state__in=open_states).exists():
        raise RequirementsMissing(
            _("The idea already has an open application to this fund: continue that one.")
        )
    lines = list(lines)
    _check_budget(lines)
    with transaction.atomic():
        application = Application.objects.create(
            fund=fund,
            idea=idea,
            applicant=by,
            motivation=motivation.strip(),
            expected_effect=expected_effect.strip(),
        )
        _write_budget(application, lines)
    return application


def application_update(
    *,
    application: Application,
    by: User,
    motivation: str,
    expected_effect: str,
    lines: Iterable[BudgetLineInput],
) -> Application:
    """The applicant edits a draft or a returned application, budget included."""
    lines = list(lines)
    _check_budget(lines)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        _require(by, "fund.change_application", locked)
        locked.motivation = motivation.strip()
        locked.expected_effect = expected_effect.strip()
        locked.save(update_fields=["motivation", "expected_effect"])
        _write_budget(locked, lines)
    return locked


def _application_transition(
    *, application: Application, name: str, by: User, message: str = "", expected_state=None
) -> ApplicationLifecycle:
    try:
        with transaction.atomic():
            lifecycle = ApplicationLifecycle.objects.select_for_update(of=("self",)).get(
                pk=application.pk
            )
            if expected_state is not None and lifecycle.state != expected_state:
                raise application_changed()
            found = getattr(ApplicationLifecycle, name)._django_fsm.get_transition(lifecycle.state)
            if found is None:
                raise NotAllowed(
                    _("This cannot be done while the application is “%(state)s”.")
                    % {"state": lifecycle.get_state_display()}
                )
            if not found.has_perm(lifecycle, by):
                raise NotAllowed(_("You are not allowed to do this with this application."))
            missing = missing_requirements(lifecycle, found)
            if missing:
                raise RequirementsMissing(*missing)
            getattr(lifecycle, name)(by=by, description=message.strip() or None)
            lifecycle.state_changed_at = timezone.now()
            if name == "submit":
                lifecycle.submitted_at = lifecycle.state_changed_at
            lifecycle.save()
    except ConcurrentTransition as error:
        raise application_changed() from error
    return lifecycle


def application_submit(*, application: Application, by: User, expected_state=None):
    """The applicant sends the application to the fund."""
    return _application_transition(
        application=application, name="submit", by=by, expected_state=expected_state
    )


def application_take_up(*, application: Application, by: User, expected_state=None):
    """A coach or the chair starts the review of a submitted application."""
    return _application_transition(
        application=application, name="take_up", by=by, expected_state=expected_state
    )


def application_withdraw(
    *, application: Application, by: User, message: str = "", expected_state=None
):
    """The applicant takes the application back."""
    return _application_transition(
        application=application,
        name="withdraw",
        by=by,
        message=message,
        expected_state=expected_state,
    )


# --- the committee: conflicts of interest and scores -----------------------------------


def declare_conflict(
    *, application: Application, member: User, has_conflict: bool, reason: str = ""
) -> ConflictDeclaration:
    """Before seeing any score, a member says whether they have a conflict of interest."""
    reason = reason.strip()
    if has_conflict and not reason:
        raise RequirementsMissing(_("Say why you have a conflict of interest."))
    _require(
        member,
        "fund.declare_conflict",
        application,
        _("You cannot declare on this application (already declared, or not under review)."),
    )
    try:
        with transaction.atomic():
            return ConflictDeclaration.objects.create(
                application=application,
                member=member,
                has_conflict=has_conflict,
                reason=reason if has_conflict else "",
            )
    except IntegrityError as error:
        raise NotAllowed(_("You have already declared on this application.")) from error


def submit_review(
    *, application: Application, member: User, scores: dict[int, int], comment: str = ""
) -> Review:
    """A non-recused member scores every criterion 1–5 (again, to change their mind)."""
    _require(
        member,
        "fund.review_application",
        application,
        _(
            "You cannot score this application: declare conflicts of interest first; "
            "a recused member does not score."
        ),
    )
    criteria = list(application.fund.criteria.all())
    problems = [
        _("Score “%(criterion)s” from 1 to 5.") % {"criterion": criterion.name}
        for criterion in criteria
        if scores.get(criterion.pk) not in {1, 2, 3, 4, 5}
    ]
    if problems:
        raise RequirementsMissing(*problems)
    with transaction.atomic():
        review, _created = Review.objects.update_or_create(
            application=application, member=member, defaults={"comment": comment.strip()}
        )
        review.scores.all().delete()
        Score.objects.bulk_create(
            [Score(review=review, criterion=c, value=scores[c.pk]) for c in criteria]
        )
        _take_up([application.pk], by=member, reason=_("The first review was submitted."))
    return review


def _take_up(application_ids, *, by: User, reason: str) -> None:
    """Move submitted applications into review as a side effect of the committee's work,
    logged like any other transition so the application's history has no gaps."""
    submitted = ApplicationLifecycle.objects.select_for_update(of=("self",)).filter(
        pk__in=application_ids, state=ApplicationState.SUBMITTED
    )
    for lifecycle in submitted:
        lifecycle.take_up(by=by, description=reason)
        lifecycle.state_changed_at = timezone.now()
        lifecycle.save()


# --- meetings --------------------------------------------------------------------------


def meeting_create(*, fund: Fund, by: User, date, location: str = "") -> Meeting:
    _require(by, "fund.manage_meetings", None, _("Only the committee chair plans meetings."))
    with transaction.atomic():
        Fund.objects.select_for_update().get(pk=fund.pk)
        number = (fund.meetings.aggregate(n=Max("number"))["n"] or 0) + 1
        return Meeting.objects.create(
            fund=fund, number=number, date=date, location=location.strip(), chair=by
        )


def meeting_update(
    *,
    meeting: Meeting,
    by: User,
    attendees: Iterable[User] | None = None,
    agenda: Iterable[Application] | None = None,
) -> Meeting:
    """The chair records who attends and which applications are taken up."""
    _require(by, "fund.manage_meetings", None, _("Only the committee chair runs meetings."))
    if meeting.state == MeetingState.CLOSED:
        raise NotAllowed(_("The meeting is closed; its minutes can no longer change."))
    with transaction.atomic():
        if attendees is not None:
            attendees = list(attendees)
            outsiders = [u for u in attendees if not u.has_perm("accounts.access_fund")]
            if outsiders:
                raise RequirementsMissing(
                    _("Only committee members and coaches can be recorded as attending.")
                )
            meeting.attendees.set(attendees)
        if agenda is not None:
            agenda = list(agenda)
            wrong = [
                a
                for a in agenda
                if a.fund_id != meeting.fund_id
                or a.state not in (ApplicationState.SUBMITTED, ApplicationState.IN_REVIEW)
                and not meeting.agenda.filter(pk=a.pk).exists()
            ]
            if wrong:
                raise RequirementsMissing(
                    _("Only submitted applications to this fund can be taken up.")
                )
            meeting.agenda.set(agenda)
            _take_up(
                [a.pk for a in agenda],
                by=by,
                reason=_("Taken up on the agenda of %(meeting)s.") % {"meeting": meeting},
            )
    return meeting


def _require_meeting_chair(meeting: Meeting, by: User) -> None:
    _require(by, "fund.manage_meetings", None, _("Only the committee chair runs meetings."))
    if meeting.chair_id != by.pk:
        raise NotAllowed(_("Only the meeting's own chair opens and closes it."))


def meeting_open(*, meeting: Meeting, by: User) -> Meeting:
    _require_meeting_chair(meeting, by)
    updated = Meeting.objects.filter(pk=meeting.pk, state=MeetingState.PLANNED).update(
        state=MeetingState.OPEN, opened_at=timezone.now()
    )
    if not updated:
        raise meeting_changed()
    meeting.refresh_from_db()
    return meeting


def meeting_close(*, meeting: Meeting, by: User) -> Meeting:
    _require_meeting_chair(meeting, by)
    updated = Meeting.objects.filter(pk=meeting.pk, state=MeetingState.OPEN).update(
        state=MeetingState.CLOSED, closed_at=timezone.now()
    )
    if not updated:
        raise meeting_changed()
    meeting.refresh_from_db()
    return meeting


# --- decisions ---------------------------------------------------------------------------


def _decided_amount(application: Application, kind: str, amount: int | None) -> int:
    if kind == DecisionKind.APPROVE:
        return application.total
    if kind == DecisionKind.APPROVE_LOWER:
        if amount is None or amount <= 0:
            raise RequirementsMissing(_("Give the lower amount to grant, above zero."))
        if amount >= application.total:
            raise RequirementsMissing(
                _("A lower amount must be less than the %(amount)s applied for.")
                % {"amount": kronor(application.total)}
            )
        return amount
    return 0


def _authority(
    *, application: Application, by: User, meeting: Meeting | None, amount: int, supersedes
):
    """Who decides: a coach alone at or under the delegated limit, otherwise the
    committee at an open meeting. Returns (delegated, attendees, recused)."""
    fund = application.fund
    recused = list(
        ConflictDeclaration.objects.filter(application=application, has_conflict=True)
        .select_related("member")
        .order_by("member__last_name", "member__first_name")
    )
    recused_names = [d.member.full_name for d in recused]
    if meeting is None:
        if not by.has_perm("accounts.coach") or application.idea.is_member(by):
            raise NotAllowed(
                _("Only a coach who is not on the idea's team can decide under delegation.")
            )
        if any(d.member_id == by.pk for d in recused):
            raise NotAllowed(_("You have declared a conflict of interest on this application."))
        if max(application.total, amount) > fund.delegated_limit:
            raise NotAllowed(
                _(
                    "The amount is over the fund's delegated limit of %(limit)s: "
                    "the fund committee must decide."
                )
                % {"limit": kronor(fund.delegated_limit)}
            )
        if supersedes is not None and not supersedes.delegated:
            raise NotAllowed(_("Only the committee can correct a decision made by the committee."))
        return True, [], recused_names
    if meeting.fund_id != fund.pk:
        raise NotAllowed(_("The meeting belongs to another fund."))
    if meeting.state != MeetingState.OPEN:
        raise NotAllowed(_("Decisions are recorded at an open meeting."))
    if not may_record_at_meeting(by, meeting, application):
        if any(d.member_id == by.pk for d in recused):
            raise NotAllowed(
                _(
                    "You have declared a conflict of interest on this application and cannot "
                    "take part in the decision: let another member chair this item."
                )
            )
        if application.idea.is_member(by):
            raise NotAllowed(_("You are on the idea's team and cannot take part in the decision."))
        raise NotAllowed(
            _(
                "Only the chair of the meeting records its decisions (or, when the chair "
                "is recused, an attending member who is not)."
            )
        )
    # A correction can be made at any later meeting (decide() puts it on the agenda).
    if supersedes is None and not meeting.agenda.filter(pk=application.pk).exists():
        raise NotAllowed(_("Take the application up on the meeting's agenda first."))
    recused_ids = {d.member_id for d in recused}
    attendees = [
        user.full_name
        for user in meeting.attendees.order_by("last_name", "first_name")
        if user.pk not in recused_ids
    ]
    return False, attendees, recused_names


def decide(
    *,
    application: Application,
    by: User,
    kind: str,
    rationale: str,
    amount: int | None = None,
    conditions: str = "",
    meeting: Meeting | None = None,
    supersedes: Decision | None = None,
) -> Decision:
    """Record a fund decision: the public, append-only record and the application's move.

    Without `meeting` it is a coach's decision under delegation. A decided
    application can only be decided again by a decision that supersedes the
    one in force.
    """
    rationale = (rationale or "").strip()
    if kind not in DecisionKind.values:
        raise RequirementsMissing(_("Choose a decision."))
    if not rationale:
        raise RequirementsMissing(_("Write the rationale for the decision: it is public."))
    if amount is not None and (amount < 0 or amount > MAX_AMOUNT):
        raise RequirementsMissing(_("The amount must be a sum in kronor, zero or more."))
    try:
        with transaction.atomic():
            fund = _lock_fund_series(application.fund_id)
            lifecycle = ApplicationLifecycle.objects.select_for_update(of=("self",)).get(
                pk=application.pk
            )
            lifecycle.fund = fund
            # A "return" settled an earlier version; the resubmitted application is open again.
            in_force = (
                Decision.objects.in_force()
                .filter(application=lifecycle)
                .exclude(kind=DecisionKind.RETURN)
                .first()
            )
            if supersedes is None:
                if in_force is not None or lifecycle.state == ApplicationState.DECIDED:
                    raise NotAllowed(
                        _(
                            "This application has already been decided (%(number)s). "
                            "A new decision must supersede that one."
                        )
                        % {"number": in_force.registration_number if in_force else "–"}
                    )
                if lifecycle.state not in (ApplicationState.SUBMITTED, ApplicationState.IN_REVIEW):
                    raise NotAllowed(
                        _("An application that is “%(state)s” cannot be decided.")
                        % {"state": lifecycle.get_state_display()}
                    )
            else:
                if in_force is None or in_force.pk != supersedes.pk:
                    raise ConcurrentChange(
                        _(
                            "This decision has just been superseded by another. "
                            "Reload the page to see the decision in force."
                        )
                    )
                if kind == DecisionKind.RETURN:
                    raise NotAllowed(_("A correction approves or rejects; it cannot return."))
            decided_amount = _decided_amount(lifecycle, kind, amount)
            delegated, attendees, recused = _authority(
                application=lifecycle,
                by=by,
                meeting=meeting,
                amount=decided_amount,
                supersedes=supersedes,
            )
            if meeting is not None and supersedes is not None:
                meeting.agenda.add(lifecycle)
            freed = supersedes.amount if supersedes is not None else 0
            remaining = fund.capital - money.committed(fund) + freed
            if decided_amount > remaining:
                raise NotAllowed(
                    _(
                        "The fund has only %(remaining)s left to grant; "
                        "this decision would grant %(amount)s."
                    )
                    % {"remaining": kronor(remaining), "amount": kronor(decided_amount)}
                )
            decision = _append_decision(
                fund=fund,
                application=lifecycle,
                kind=kind,
                amount=decided_amount,
                rationale=rationale,
                conditions=conditions.strip(),
                by=by,
                delegated=delegated,
                meeting=meeting,
                attendees=attendees,
                recused=recused,
                supersedes=supersedes,
            )
            if supersedes is None:
                if kind == DecisionKind.RETURN:
                    move = lifecycle.return_for_changes
                else:
                    move = lifecycle.decide
                move(by=by, description=decision.registration_number)
                lifecycle.state_changed_at = decision.decided_at
                lifecycle.save()
            transaction.on_commit(lambda: _notify_decision(decision))
    except ConcurrentTransition as error:
        raise application_changed() from error
    return decision


def _lock_fund_series(fund_id: int) -> Fund:
    """Lock the fund's row and those of every fund with the same registration prefix.

    Funds sharing a prefix share one series of numbers per year, as in a diary: last
    year's fund correcting a decision in January takes the next "IF 2027/…" number,
    not a duplicate of the new fund's. Rows are locked in key order, so two deciders
    never wait for each other in a circle.
    """
    prefix = Fund.objects.values_list("registration_prefix", flat=True).get(pk=fund_id)
    series = Fund.objects.select_for_update().filter(registration_prefix=prefix).order_by("pk")
    return next(fund for fund in series if fund.pk == fund_id)


def _append_decision(*, fund: Fund, application: Application, **fields) -> Decision:
    """Number the decision in its series and chain it to the fund's previous one. The
    caller holds the series' row locks, so both are given out one at a time."""
    decided_at = timezone.now()
    year = timezone.localdate(decided_at).year
    series = f"{fund.registration_prefix} {year}/"
    last_number = (
        Decision.objects.filter(registration_number__startswith=series, year=year).aggregate(
            n=Max("sequence")
        )["n"]
        or 0
    )
    previous = Decision.objects.filter(fund=fund).order_by("-pk").first()
    by = fields.pop("by")
    decision = Decision(
        fund=fund,
        application=application,
        year=year,
        sequence=last_number + 1,
        registration_number=f"{series}{last_number + 1:04d}",
        amount_requested=application.total,
        decided_at=decided_at,
        decided_by=by,
        previous_hash=previous.hash if previous else GENESIS_HASH,
        **fields,
    )
    decision.hash = decision.compute_hash()
    decision.save()
    return decision


def _notify_decision(decision: Decision) -> None:
    notify_fund_decision(decision=decision)


# --- follow-up -----------------------------------------------------------------------------


def record_cost(
    *, application: Application, by: User, amount: int, date, note: str, receipt=None
) -> Cost:
    """An actual cost of the test, recorded against its grant."""
    _require(by, "fund.record_cost", application)
    if money.grant_of(application) is None:
        raise NotAllowed(_("Costs are recorded against a grant; this application has none."))
    if hasattr(application, "money_return"):
        raise NotAllowed(_("The unspent money has been returned; the grant is closed."))
    if amount is None or amount <= 0 or amount > MAX_AMOUNT:
        raise RequirementsMissing(_("The cost must be an amount above zero."))
    if not note.strip():
        raise RequirementsMissing(_("Say what the money was spent on."))
    return Cost.objects.create(
        application=application,
        amount=amount,
        date=date,
        note=note.strip(),
        receipt=receipt or "",
        recorded_by=by,
    )


def return_unspent(*, application: Application, by: User, note: str = "") -> MoneyReturn:
    """When the idea has ended, what was granted but not spent goes back to the fund."""
    _require(by, "fund.return_money", application, _("Only a coach returns money to the fund."))
    if not application.idea.is_final:
        raise NotAllowed(_("Unspent money is returned when the idea has reached its end."))
    with transaction.atomic():
        Fund.objects.select_for_update().get(pk=application.fund_id)
        grant = money.grant_of(application)
        if grant is None:
            raise NotAllowed(_("This application has no grant."))
        if MoneyReturn.objects.filter(application=application).exists():
            raise NotAllowed(_("The unspent money has already been returned."))
        unspent = max(grant.amount - money.application_spent(application), 0)
        return MoneyReturn.objects.create(
            application=application,
            fund_id=application.fund_id,
            amount=unspent,
            note=note.strip(),
            returned_by=by,
        )
