"""Use cases of the innovation fund that write without moving anything along a lifecycle:
applying (the draft and its budget), declaring a conflict of interest, planning a meeting
(and moving it to another day), recording costs and returning unspent money; and the
decision log's own writes (appending a decision to the transparency log, signing a
checkpoint).

Steps of a lifecycle (submitting, scoring, which takes the application up, agendas,
decisions) are in `workflows/fund/services.py`. Each function is one use case in one
transaction and writes nothing when it refuses.
"""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ideasluss.accounts.models import User
from ideasluss.errors import NotAllowed, RequirementsMissing
from ideasluss.ideas.models import Idea

from . import figures, money, tlog, transparency
from .amounts import kronor
from .models import (
    MAX_AMOUNT,
    Application,
    ApplicationState,
    BudgetCategory,
    Checkpoint,
    ConflictDeclaration,
    Cost,
    Decision,
    DeclarationEntry,
    Fund,
    Meeting,
    MeetingState,
    MoneyReturn,
)
from .participation import Ground, concern_of


def _require(user: User, permission: str, obj=None, message: str | None = None) -> None:
    if not user.has_perm(permission, obj):
        raise NotAllowed(message or _("You are not allowed to do this."))


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


def _check_budget(lines: list[BudgetLineInput], *, fund: Fund) -> None:
    """Every line complete and above zero; no line and no total above the fund's capital
    (what a fund can never grant is a typo, not a budget)."""
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
        if line.total() > min(MAX_AMOUNT, fund.capital):
            problems.append(
                _("Line %(n)s: the amount is larger than the fund's capital (%(capital)s).")
                % {"n": number, "capital": kronor(fund.capital)}
            )
    if sum(line.total() for line in lines) > min(MAX_AMOUNT, fund.capital):
        problems.append(
            _("The total is larger than the fund's capital (%(capital)s).")
            % {"capital": kronor(fund.capital)}
        )
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
    # bulk_create and update send no signal the cached figures would hear.
    figures.figures_changed()


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
    _check_budget(lines, fund=fund)
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
    _check_budget(lines, fund=application.fund)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        _require(by, "fund.change_application", locked)
        locked.motivation = motivation.strip()
        locked.expected_effect = expected_effect.strip()
        locked.save(update_fields=["motivation", "expected_effect"])
        _write_budget(locked, lines)
    return locked


# --- the committee ---------------------------------------------------------------------


def conflict_declare(
    *, application: Application, member: User, has_conflict: bool, reason: str = ""
) -> ConflictDeclaration:
    """A committee member answers whether they have a conflict of interest, before seeing
    any score, and may correct the answer until the application is decided.

    Whoever the application concerns (applicant, the idea's team) is not asked: they are
    disqualified already. Every answer, the first and each correction, is kept.
    """
    reason = reason.strip()
    if has_conflict and not reason:
        raise RequirementsMissing(_("Say why you have a conflict of interest."))
    concern = concern_of(member, application)
    if concern is not None:
        raise NotAllowed(
            _(
                "You are %(ground)s, so you are disqualified on this application without "
                "declaring: you take no part in its review or decision."
            )
            % {"ground": Ground.LABELS[concern]}
        )
    with transaction.atomic():
        Application.objects.select_for_update().filter(pk=application.pk).first()
        application.refresh_from_db(fields=["state"])
        existing = ConflictDeclaration.objects.filter(
            application=application, member=member
        ).first()
        permission = "fund.correct_declaration" if existing else "fund.declare_conflict"
        _require(
            member,
            permission,
            application,
            _(
                "You cannot declare on this application: only the fund's committee members "
                "declare, until the application is decided."
            ),
        )
        if existing is not None and (existing.has_conflict, existing.reason) == (
            has_conflict,
            reason if has_conflict else "",
        ):
            raise RequirementsMissing(_("Your answer is the same as before: nothing to correct."))
        declaration = existing or ConflictDeclaration(application=application, member=member)
        declaration.has_conflict = has_conflict
        declaration.reason = reason if has_conflict else ""
        try:
            declaration.save()
        except IntegrityError as error:
            raise NotAllowed(_("You have already declared on this application.")) from error
        DeclarationEntry.objects.create(
            application=application,
            member=member,
            has_conflict=has_conflict,
            reason=declaration.reason,
            is_correction=existing is not None,
        )
    return declaration


def _refuse_past_date(date) -> None:
    if date < timezone.localdate():
        raise RequirementsMissing(
            _("A meeting cannot be planned in the past: choose today or a later date.")
        )


def meeting_create(*, fund: Fund, by: User, date, location: str = "") -> Meeting:
    """The chair plans a meeting of the fund's committee, today or later."""
    _require(by, "fund.manage_meetings", None, _("Only the committee chair plans meetings."))
    _refuse_past_date(date)
    with transaction.atomic():
        Fund.objects.select_for_update().get(pk=fund.pk)
        number = (fund.meetings.aggregate(n=Max("number"))["n"] or 0) + 1
        return Meeting.objects.create(
            fund=fund, number=number, date=date, location=location.strip(), chair=by
        )


def meeting_reschedule(*, meeting: Meeting, by: User, date) -> Meeting:
    """The chair moves a planned meeting to another day (today or later), for instance
    one planned on the wrong date: a meeting can only be opened on its date."""
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.state != MeetingState.PLANNED:
            raise NotAllowed(_("The meeting has been held: its date can no longer change."))
        _require(
            by,
            "fund.reschedule_meeting",
            locked,
            _("Only the meeting's chair changes its date."),
        )
        _refuse_past_date(date)
        locked.date = date
        locked.save(update_fields=["date"])
    meeting.date = date
    return locked


# --- follow-up -----------------------------------------------------------------------------


def cost_record(
    *, application: Application, by: User, amount: int, date, note: str, receipt=None
) -> Cost:
    """An actual cost of the test, recorded against its grant."""
    _require(by, "fund.record_cost", application)
    with transaction.atomic():
        # The same row lock as `money_return`: a cost cannot slip in while money goes back.
        Application.objects.select_for_update().get(pk=application.pk)
        if money.grant_of(application) is None:
            raise NotAllowed(_("Costs are recorded against a grant; this application has none."))
        if MoneyReturn.objects.filter(application=application).exists():
            raise NotAllowed(_("The unspent money has been returned; the grant is closed."))
        if amount is None or amount <= 0:
            raise RequirementsMissing(_("The cost must be an amount above zero."))
        capital = application.fund.capital
        if amount > min(MAX_AMOUNT, capital):
            raise RequirementsMissing(
                _("The cost is larger than the fund's capital (%(capital)s): check the amount.")
                % {"capital": kronor(capital)}
            )
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


def money_return(
    *, application: Application, by: User, amount: int | None = None, note: str = ""
) -> MoneyReturn:
    """When the idea has ended, what is left of the grant (`money.GrantBalance.left`) goes
    back to the fund, all at once: the return closes the grant.

    `amount` is what the coach was shown and confirmed; it must be exactly what is left
    now (a cost recorded in the meantime makes it too much, and it is refused). Without
    it (the demo loader), whatever is left is returned. Nothing left, nothing written.
    """
    _require(by, "fund.return_money", application, _("Only a coach returns money to the fund."))
    if not application.idea.is_final:
        raise NotAllowed(_("Unspent money is returned when the idea has reached its end."))
    with transaction.atomic():
        Fund.objects.select_for_update().get(pk=application.fund_id)
        Application.objects.select_for_update().get(pk=application.pk)
        if money.grant_of(application) is None:
            raise NotAllowed(_("This application has no grant."))
        if MoneyReturn.objects.filter(application=application).exists():
            raise NotAllowed(_("The unspent money has already been returned."))
        left = money.grant_balance(application).returnable
        if left == 0:
            raise NotAllowed(_("Nothing is left of the grant to return."))
        amount = left if amount is None else amount
        if amount > left:
            raise NotAllowed(
                _("Only %(left)s is left of the grant; %(amount)s cannot be returned.")
                % {"left": kronor(left), "amount": kronor(amount)}
            )
        if amount < left:
            raise NotAllowed(
                _("Return all that is left of the grant, %(left)s: a return closes the grant.")
                % {"left": kronor(left)}
            )
        return MoneyReturn.objects.create(
            application=application,
            fund_id=application.fund_id,
            amount=amount,
            note=note.strip(),
            returned_by=by,
        )


# --- the decision log --------------------------------------------------------------------


def decision_log_append(*, decision: Decision) -> Checkpoint:
    """Write `decision` as the next leaf of the log and sign the grown tree.

    The caller's transaction (the decision's own) takes the log's lock first, so log
    indexes are given out one at a time, and the decision and its checkpoint are
    committed together or not at all."""
    transparency.lock_log()
    last = Decision.objects.aggregate(n=Max("log_index"))["n"]
    decision.log_index = 0 if last is None else last + 1
    decision.people_salt = secrets.token_hex(16)
    decision.leaf_hash = transparency.leaf_hash_hex(decision)
    decision.save()
    return _sign_current()


def checkpoint_sign() -> Checkpoint | None:
    """Sign the current tree when the latest checkpoint is behind it (after the data
    migration, say) or was signed with another key (after a key rotation); None when it
    is already signed with the current key (or the log is empty)."""
    with transaction.atomic():
        transparency.lock_log()
        latest = transparency.latest_checkpoint()
        size = transparency.tree_size()
        if size == 0:
            return None
        current_key = transparency.log_verifier().name_and_id
        if latest and latest.tree_size == size and latest.key == current_key:
            return None
        return _sign_current()


def _sign_current() -> Checkpoint:
    hashes = transparency.stored_leaf_hashes()
    head = tlog.Checkpoint(transparency.log_origin(), len(hashes), tlog.root(hashes))
    signer = transparency.log_signer()
    return Checkpoint.objects.create(
        tree_size=head.size,
        root_hash=head.root.hex(),
        note=tlog.sign_note(head.text(), signer),
        signed_with=signer.verifier.name_and_id,
    )
