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
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition

from ideasluss.accounts.models import User
from ideasluss.errors import ConcurrentChange, NotAllowed, RequirementsMissing
from ideasluss.fund import money
from ideasluss.fund import services as fund_services
from ideasluss.fund.amounts import kronor
from ideasluss.fund.models import (
    MAX_AMOUNT,
    AgendaItem,
    Application,
    ApplicationState,
    Decision,
    DecisionKind,
    Fund,
    Meeting,
    MeetingState,
    MinutesSignature,
    Review,
    Score,
)
from ideasluss.fund.participation import Ground, disqualification_of, participation_in
from ideasluss.fund.rules import (
    attends_meeting,
    has_signed_minutes,
    is_applicant,
    is_item_meeting_day,
    is_item_meeting_open,
    is_item_of_the_fund,
    is_meeting_chair,
    is_minute_checker,
    is_recused,
    is_within_delegated_limit,
    may_be_minute_checker,
)
from ideasluss.fund.services import decision_log_append

from ..guards import minutes_signers_missing
from ..notifications import (
    notify_agenda_items_added,
    notify_fund_decision,
    notify_meeting_planned,
    notify_minutes_to_sign,
    notify_money_returned,
    notify_stand_in_appointed,
)
from ..transitions import transition_perform
from .lifecycle import ApplicationLifecycle, MeetingLifecycle


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
            leaving = meeting.minute_checkers.exclude(pk__in=[u.pk for u in attendees])
            if leaving.exists():
                raise RequirementsMissing(
                    _(
                        "%(names)s checks the minutes and must attend: choose another minute "
                        "checker first."
                    )
                    % {"names": ", ".join(user.full_name for user in leaving)}
                )
            # The chair runs the meeting and so attends it.
            meeting.attendees.set({*attendees, meeting.chair})
        if agenda is not None:
            added = _agenda_set(meeting, list(agenda))
            transaction.on_commit(
                lambda: notify_agenda_items_added(meeting=meeting, applications=added, by=by)
            )
            _take_up(
                [a.pk for a in agenda],
                by=by,
                reason=_("Taken up on the agenda of %(meeting)s.") % {"meeting": meeting},
            )
    return meeting


def _agenda_set(meeting: Meeting, agenda: list[Application]) -> list[Application]:
    """The agenda becomes `agenda`: items already on it keep their place, new ones are
    added at the end in the order given. An item decided at the meeting stays. Returns
    the applications added."""
    items = {item.application_id: item for item in meeting.items.all()}
    wanted = {application.pk for application in agenda}
    wrong = [
        a
        for a in agenda
        if a.fund_id != meeting.fund_id
        or a.state not in (ApplicationState.SUBMITTED, ApplicationState.IN_REVIEW)
        and a.pk not in items
    ]
    if wrong:
        raise RequirementsMissing(_("Only submitted applications to this fund can be taken up."))
    decided_here = set(
        Decision.objects.filter(meeting=meeting).values_list("application_id", flat=True)
    )
    removed = [pk for pk in items if pk not in wanted]
    if any(pk in decided_here for pk in removed):
        raise RequirementsMissing(_("An application decided at the meeting stays on its agenda."))
    AgendaItem.objects.filter(meeting=meeting, application_id__in=removed).delete()
    position = max((item.position for item in items.values()), default=0)
    added = [application for application in agenda if application.pk not in items]
    for application in added:
        position += 1
        AgendaItem.objects.create(meeting=meeting, application=application, position=position)
    return added


def agenda_move(*, meeting: Meeting, application: Application, by: User, step: int) -> None:
    """The chair moves an item one place up (`step=-1`) or down (`step=1`) on the agenda;
    the minutes number the items (§) in this order."""
    _require(by, "fund.manage_meetings", None, _("Only the committee chair runs meetings."))
    _require(
        by,
        "fund.edit_meeting",
        meeting,
        _("The meeting is closed; its agenda can no longer change."),
    )
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        items = list(meeting.items.order_by("position", "pk"))
        index = next(
            (i for i, item in enumerate(items) if item.application_id == application.pk), None
        )
        if index is None:
            raise NotAllowed(_("The application is not on the meeting's agenda."))
        other = index + step
        if step not in (-1, 1) or not 0 <= other < len(items):
            return
        items[index], items[other] = items[other], items[index]
        for position, item in enumerate(items, start=1):
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])


def meeting_create(*, fund: Fund, by: User, date, location: str = "") -> Meeting:
    """The chair plans a meeting (`ideasluss.fund.services.meeting_create`); the fund's
    committee is told when it meets."""
    with transaction.atomic():
        meeting = fund_services.meeting_create(fund=fund, by=by, date=date, location=location)
        transaction.on_commit(lambda: notify_meeting_planned(meeting=meeting, by=by))
    return meeting


def meeting_reschedule(*, meeting: Meeting, by: User, date) -> Meeting:
    """The chair moves a planned meeting (`ideasluss.fund.services.meeting_reschedule`);
    the committee and the attendees are told the new date."""
    with transaction.atomic():
        moved = fund_services.meeting_reschedule(meeting=meeting, by=by, date=date)
        transaction.on_commit(
            lambda: notify_meeting_planned(meeting=moved, by=by, rescheduled=True)
        )
    return moved


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
) -> dict:
    """Who decides: a coach alone at or under the delegated limit (`fund.decide_delegated`),
    otherwise the committee at an open meeting (`fund.record_decision`). Refusals name
    the first rule that failed. Returns the decision's fields about who took part."""
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
        return {"delegated": True, "chaired_by": by.full_name}
    # A correction can be made at any later meeting: it is taken up there.
    item = AgendaItem.objects.filter(meeting=meeting, application=application).first()
    if item is None:
        if supersedes is None:
            raise NotAllowed(_("Take the application up on the meeting's agenda first."))
        item = AgendaItem(meeting=meeting, application=application)
    if not by.has_perm("fund.record_decision", item):
        raise NotAllowed(item_refusal(item=item, by=by))
    if item.pk is None:
        item.position = _next_position(meeting)
        item.save()
    taking_part = participation_in(item)
    return {
        "delegated": False,
        "attendees": [member.full_name for member in taking_part.taking_part],
        "recused": [entry.member.full_name for entry in taking_part.disqualified],
        "present": [user.full_name for user in taking_part.present],
        "chaired_by": taking_part.leader.full_name,
    }


def _next_position(meeting: Meeting) -> int:
    return (meeting.items.aggregate(last=Max("position"))["last"] or 0) + 1


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


def item_refusal(*, item: AgendaItem, by: User) -> str:
    """The sentence for a refused decision at a meeting, from the rules that refused it."""
    if not is_item_of_the_fund(by, item):
        return _("The meeting belongs to another fund.")
    if not is_item_meeting_open(by, item):
        return _("Decisions are recorded at an open meeting.")
    if not is_item_meeting_day(by, item):
        return _("The meeting is held on %(date)s: its decisions are made and dated that day.") % {
            "date": date_format(item.meeting.date, "j F Y")
        }
    ground = disqualification_of(by, item.application)
    if ground is not None:
        return _(
            "You are disqualified on this application (%(ground)s) and take no part in deciding it."
        ) % {"ground": Ground.LABELS[ground]}
    taking_part = participation_in(item)
    if not taking_part.leads(by):
        if taking_part.needs_stand_in:
            return _(
                "The chair is disqualified on this item: the meeting appoints an attending "
                "member to lead it first."
            )
        return _("Only the one who leads the item records its decision.")
    return quorum_refusal(taking_part) or _("You are not allowed to decide on this item.")


def quorum_refusal(taking_part) -> str | None:
    """Why an item cannot be decided for want of a quorum, or None when there is one."""
    if taking_part.has_quorum:
        return None
    return _(
        "No quorum: %(taking_part)s of the committee's %(members)s members take part, "
        "and at least %(needed)s must (more than half)."
    ) % {
        "taking_part": len(taking_part.taking_part),
        "members": len(taking_part.committee),
        "needed": taking_part.quorum,
    }


def stand_in_appoint(*, meeting: Meeting, application: Application, member: User, by: User):
    """The meeting appoints `member` to lead an item the chair is disqualified on."""
    with transaction.atomic():
        item = (
            AgendaItem.objects.select_for_update()
            .filter(meeting=meeting, application=application)
            .first()
        )
        if item is None:
            raise NotAllowed(_("The application is not on the meeting's agenda."))
        _require(
            by,
            "fund.appoint_stand_in",
            item,
            _("The meeting's chair records whom the meeting appoints, while it is open."),
        )
        taking_part = participation_in(item)
        if not taking_part.chair_disqualified:
            raise NotAllowed(_("The chair is not disqualified on this item and leads it."))
        if not taking_part.takes_part(member):
            raise RequirementsMissing(
                _("Appoint an attending committee member who is not disqualified on the item.")
            )
        item.stand_in = member
        item.save(update_fields=["stand_in"])
        transaction.on_commit(lambda: notify_stand_in_appointed(item=item, by=by))
    return item


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
    preview: bool = False,
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
            who = _authority(application=lifecycle, by=by, meeting=meeting, supersedes=supersedes)
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
                meeting=meeting,
                supersedes=supersedes,
                **who,
            )
            if supersedes is None:
                if kind == DecisionKind.RETURN:
                    move = lifecycle.return_for_changes
                else:
                    move = lifecycle.decide
                move(by=by, description=decision.registration_number)
                lifecycle.state_changed_at = decision.decided_at
                lifecycle.save()
            if preview:
                raise _Preview(decision)
            transaction.on_commit(lambda: _notify_decision(decision))
    except ConcurrentTransition as error:
        raise ConcurrentChange(ApplicationLifecycle.changed_message) from error
    except _Preview as rolled_back:
        return rolled_back.decision
    return decision


class _Preview(Exception):
    """Raised inside the transaction to roll a preview back (a signal, not an error)."""

    def __init__(self, decision: Decision):
        self.decision = decision


def decision_preview(**arguments) -> Decision:
    """The decision `decision_record(**arguments)` would record, checked by the same rules
    and written in the same transaction, which is then rolled back: the confirmation page
    shows exactly what confirming records, and a refusal is the one recording would give.
    The returned decision is not stored (its registration number is given at recording)."""
    return decision_record(**arguments, preview=True)


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


def money_return(*, application: Application, by: User, amount: int | None = None, note: str = ""):
    """A coach returns what is left of the grant (`ideasluss.fund.services.money_return`);
    the idea's team is told the grant is closed."""
    with transaction.atomic():
        returned = fund_services.money_return(
            application=application, by=by, amount=amount, note=note
        )
        transaction.on_commit(lambda: notify_money_returned(money_return=returned))
    return returned


# --- the minutes: checkers, justering -----------------------------------------------------

MAX_MINUTE_CHECKERS = 2


def _checker_refusal(user: User, meeting: Meeting) -> str | None:
    """Why `user` cannot check the meeting's minutes, or None when they can."""
    if may_be_minute_checker(user, meeting):
        return None
    if is_meeting_chair(user, meeting):
        return _("The chair signs the minutes anyway: choose an attending member as checker.")
    if not attends_meeting(user, meeting):
        return _("%(name)s is not recorded as attending the meeting.") % {"name": user.full_name}
    return _(
        "%(name)s is not a member of the committee (a coach presents matters and does not "
        "check the minutes)."
    ) % {"name": user.full_name}


def meeting_minute_checkers_set(*, meeting: Meeting, by: User, checkers: Iterable[User]) -> Meeting:
    """The chair chooses the one or two attending members who check (justerar) the minutes
    with the chair, until the minutes are checked. A checker who has already signed stays.
    When everyone now required has signed, the minutes are checked."""
    checkers = list(dict.fromkeys(checkers))
    with transaction.atomic():
        locked = MeetingLifecycle.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
        if not by.has_perm("fund.choose_minute_checkers", locked):
            if is_meeting_chair(by, locked) and locked.state in (
                MeetingState.CHECKED,
                MeetingState.POSTED,
            ):
                raise NotAllowed(
                    _("The minutes are already checked: the minute checkers can no longer change.")
                )
            raise NotAllowed(_("Only the meeting's chair chooses who checks the minutes."))
        if not 1 <= len(checkers) <= MAX_MINUTE_CHECKERS:
            raise RequirementsMissing(_("Choose one or two minute checkers."))
        refusals = [text for user in checkers if (text := _checker_refusal(user, locked))]
        if refusals:
            raise RequirementsMissing(*refusals)
        chosen = {user.pk for user in checkers}
        signed_and_dropped = [
            signature.signer
            for signature in locked.signatures.select_related("signer")
            if signature.signer_id != locked.chair_id and signature.signer_id not in chosen
        ]
        if signed_and_dropped:
            raise NotAllowed(
                *(
                    _("%(name)s has already checked the minutes and stays a minute checker.")
                    % {"name": user.full_name}
                    for user in signed_and_dropped
                )
            )
        locked.minute_checkers.set(checkers)
        transaction.on_commit(lambda: notify_minutes_to_sign(meeting=locked, by=by))
        if locked.state == MeetingState.CLOSED and not minutes_signers_missing(locked):
            transition_perform(
                obj=locked,
                name="check_minutes",
                by=by,
                message=_("Everyone who checks the minutes has signed."),
                internal=True,
            )
    meeting.refresh_from_db()
    return meeting


def _signing_refusal(user: User, meeting: Meeting) -> str:
    """The sentence for a refused signature, from the predicates that refused it."""
    if meeting.state in (MeetingState.PLANNED, MeetingState.OPEN):
        return _("The minutes are checked after the meeting is closed.")
    if meeting.state != MeetingState.CLOSED:
        return _("The minutes are already checked.")
    if not (is_meeting_chair(user, meeting) or is_minute_checker(user, meeting)):
        return _("Only the meeting's chair and its minute checkers check the minutes.")
    if has_signed_minutes(user, meeting):
        return _("You have already checked the minutes.")
    return _("You are not allowed to check these minutes.")


NO_CHECKERS = gettext_lazy(
    "The minutes have no minute checkers yet: the chair chooses one or two attending "
    "members to check them first."
)


def minutes_signing_refusal(*, meeting: Meeting, by: User) -> str | None:
    """Why `by` cannot sign the minutes now (for the page that offers it), or None."""
    if not by.has_perm("fund.sign_minutes", meeting):
        return _signing_refusal(by, meeting)
    if not meeting.minute_checkers.exists():
        return str(NO_CHECKERS)
    return None


def minutes_sign(*, meeting: Meeting, by: User) -> MinutesSignature:
    """The chair or a minute checker signs off the minutes of a closed meeting (justering),
    once each. The last required signature checks the minutes: the meeting moves to
    "checked" (an internal, logged step) in the same transaction."""
    with transaction.atomic():
        locked = MeetingLifecycle.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
        if not by.has_perm("fund.sign_minutes", locked):
            raise NotAllowed(_signing_refusal(by, locked))
        if not locked.minute_checkers.exists():
            raise RequirementsMissing(NO_CHECKERS)
        signature = MinutesSignature.objects.create(meeting=locked, signer=by)
        if not minutes_signers_missing(locked):
            transition_perform(
                obj=locked,
                name="check_minutes",
                by=by,
                message=_("Everyone who checks the minutes has signed."),
                internal=True,
            )
    meeting.refresh_from_db()
    return signature
