"""Use cases of the innovation fund that move an application or a meeting along its
lifecycle: scoring (the first score takes the application up), the meeting's attendees
and agenda (taken up too), and the decision itself, which writes the public,
append-only record and moves the application in one transaction.

Deciding locks the fund's row (and those sharing its number series), so two decisions
at the same moment are made one after the other and cannot both spend the fund's last
kronor. Who may decide is asked of the rules (`fund.decide_delegated`,
`fund.record_decision`); the service only picks the sentence that explains a refusal.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from ideasluss.accounts.models import User
from ideasluss.errors import ConcurrentChange, NotAllowed, RequirementsMissing
from ideasluss.fund import money
from ideasluss.fund.models import (
    MAX_AMOUNT,
    Application,
    ApplicationState,
    Decision,
    DecisionKind,
    Fund,
    Meeting,
    Review,
    Score,
)
from ideasluss.fund.rules import (
    AgendaItem,
    is_applicant,
    is_item_meeting_open,
    is_item_of_the_fund,
    is_recused,
    is_within_delegated_limit,
)
from ideasluss.fund.services import decision_log_append
from ideasluss.fund.templatetags.fund_money import kronor

from ..notifications import notify_fund_decision
from ..transitions import transition_perform
from .lifecycle import ApplicationLifecycle


def _require(user: User, permission: str, obj=None, message: str | None = None) -> None:
    if not user.has_perm(permission, obj):
        raise NotAllowed(message or _("You are not allowed to do this."))


def _take_up(application_ids, *, by: User, reason: str) -> None:
    """Move submitted applications into review as a side effect of the committee's work,
    logged like any other step so the application's history has no gaps."""
    submitted = Application.objects.filter(
        pk__in=application_ids, state=ApplicationState.SUBMITTED
    ).order_by("pk")
    for application in submitted:
        transition_perform(obj=application, name="take_up", by=by, message=reason, internal=True)


def review_submit(
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


# --- meetings --------------------------------------------------------------------------


def meeting_update(
    *,
    meeting: Meeting,
    by: User,
    attendees: Iterable[User] | None = None,
    agenda: Iterable[Application] | None = None,
) -> Meeting:
    """The chair records who attends and which applications are taken up."""
    _require(by, "fund.manage_meetings", None, _("Only the committee chair runs meetings."))
    _require(
        by,
        "fund.edit_meeting",
        meeting,
        _("The meeting is closed; its minutes can no longer change."),
    )
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
    *, application: Application, by: User, meeting: Meeting | None, supersedes: Decision | None
):
    """Who decides: a coach alone at or under the delegated limit (`fund.decide_delegated`),
    otherwise the committee at an open meeting (`fund.record_decision`). Refusals name
    the first rule that failed. Returns (delegated, attendees, recused)."""
    recused_members = [
        d.member
        for d in application.declarations.filter(has_conflict=True)
        .select_related("member")
        .order_by("member__last_name", "member__first_name")
    ]
    recused_names = [member.full_name for member in recused_members]
    if meeting is None:
        allowed = (
            by.has_perm("fund.supersede_delegated", supersedes)
            if supersedes is not None
            else by.has_perm("fund.decide_delegated", application)
        )
        if not allowed:
            raise NotAllowed(
                _delegation_refusal(application=application, by=by, supersedes=supersedes)
            )
        return True, [], recused_names
    item = AgendaItem(meeting=meeting, application=application)
    if not by.has_perm("fund.record_decision", item):
        raise NotAllowed(_meeting_refusal(item=item, by=by))
    # A correction can be made at any later meeting (decision_record puts it on the agenda).
    if supersedes is None and not meeting.agenda.filter(pk=application.pk).exists():
        raise NotAllowed(_("Take the application up on the meeting's agenda first."))
    recused_ids = {member.pk for member in recused_members}
    attendees = [
        user.full_name
        for user in meeting.attendees.order_by("last_name", "first_name")
        if user.pk not in recused_ids
    ]
    return False, attendees, recused_names


def _delegation_refusal(*, application: Application, by: User, supersedes) -> str:
    """The sentence for a refused delegated decision, from the predicates that refused it."""
    if not by.has_perm("accounts.coach") or is_applicant(by, application):
        return _("Only a coach who is not on the idea's team can decide under delegation.")
    if is_recused(by, application):
        return _("You have declared a conflict of interest on this application.")
    if supersedes is not None and not supersedes.delegated:
        return _("Only the committee can correct a decision made by the committee.")
    if not is_within_delegated_limit(by, application):
        return _(
            "The amount is over the fund's delegated limit of %(limit)s: "
            "the fund committee must decide."
        ) % {"limit": kronor(application.fund.delegated_limit)}
    return _("You are not allowed to decide on this application.")


def _meeting_refusal(*, item: AgendaItem, by: User) -> str:
    """The sentence for a refused decision at a meeting, from the predicates that refused it."""
    if not is_item_of_the_fund(by, item):
        return _("The meeting belongs to another fund.")
    if not is_item_meeting_open(by, item):
        return _("Decisions are recorded at an open meeting.")
    if is_recused(by, item.application):
        return _(
            "You have declared a conflict of interest on this application and cannot "
            "take part in the decision: let another member chair this item."
        )
    if is_applicant(by, item.application):
        return _("You are on the idea's team and cannot take part in the decision.")
    return _(
        "Only the chair of the meeting records its decisions (or, when the chair "
        "is recused, an attending member who is not)."
    )


def decision_record(
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
        raise ConcurrentChange(ApplicationLifecycle.changed_message) from error
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
    """Number the decision in its series and append it to the transparency log. The
    caller holds the series' row locks, so numbers are given out one at a time; the log
    takes its own lock for the log index (`decision_log_append`)."""
    decided_at = timezone.now()
    year = timezone.localdate(decided_at).year
    series = f"{fund.registration_prefix} {year}/"
    last_number = (
        Decision.objects.filter(registration_number__startswith=series, year=year).aggregate(
            n=Max("sequence")
        )["n"]
        or 0
    )
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
        **fields,
    )
    decision_log_append(decision=decision)
    return decision


def _notify_decision(decision: Decision) -> None:
    notify_fund_decision(decision=decision)
