"""Use cases that write ideas and what hangs on them (the state machine lives in workflows/)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ideasluss.accounts.models import User

from .models import Champion, Comment, Evaluation, Idea, TestPlan

IDEA_TEXT_FIELDS = (
    "title",
    "problem",
    "target_group",
    "description",
    "first_test",
    "needs_hours",
    "needs_substitute",
    "needs_money",
    "needs_other_units",
)


def _require(user: User, permission: str, idea: Idea | None = None) -> None:
    if not user.has_perm(permission, idea):
        raise PermissionDenied(_("You are not allowed to do this with this idea."))


@transaction.atomic
def idea_create_draft(*, by: User, tags=(), **fields) -> Idea:
    """A staff member starts an idea; it stays a draft, visible to the team only."""
    _require(by, "ideas.add_idea")
    idea = Idea(
        owner=by, unit=by.unit, **{k: v for k, v in fields.items() if k in IDEA_TEXT_FIELDS}
    )
    idea.full_clean(exclude=["owner", "unit", "state"])
    idea.save()
    if tags:
        idea.tags.set(list(tags))
    return idea


@transaction.atomic
def idea_update_draft(*, idea: Idea, by: User, tags=None, **fields) -> Idea:
    """The team edits a draft (also a returned one)."""
    _require(by, "ideas.change_idea", idea)
    for name in IDEA_TEXT_FIELDS:
        if name in fields:
            setattr(idea, name, fields[name])
    idea.full_clean(exclude=["owner", "unit", "state"])
    idea.save()
    if tags is not None:
        idea.tags.set(list(tags))
    return idea


@transaction.atomic
def idea_add_co_owner(*, idea: Idea, by: User, user: User) -> None:
    """Add a colleague to the idea's team: they get the owner's rights on it."""
    _require(by, "ideas.manage_team", idea)
    if user.pk == idea.owner_id:
        raise ValidationError(_("The owner is already on the team."))
    if not user.is_active:
        raise ValidationError(_("That account is not active."))
    idea.co_owners.add(user)


@transaction.atomic
def idea_remove_co_owner(*, idea: Idea, by: User, user: User) -> None:
    _require(by, "ideas.manage_team", idea)
    idea.co_owners.remove(user)


@transaction.atomic
def idea_set_consent(*, idea: Idea, by: User, consent: bool) -> Idea:
    """The team says whether a public page may be made about the idea."""
    _require(by, "ideas.give_consent", idea)
    idea.publication_consent = consent
    # A save, not a queryset update: listeners (the public site's cache) must hear of it.
    idea.save(update_fields=["publication_consent"])
    return idea


@transaction.atomic
def test_plan_save(
    *,
    idea: Idea,
    by: User,
    hypothesis: str,
    success_criteria: list[str],
    start_date,
    end_date,
    resources: str = "",
    no_money_needed: bool | None = None,
) -> TestPlan:
    """Write or revise the test plan (in planning, or adjusting a running test)."""
    _require(by, "ideas.edit_test_plan", idea)
    criteria = [c.strip() for c in success_criteria if c and c.strip()]
    plan, _created = TestPlan.objects.update_or_create(
        idea=idea,
        defaults={
            "hypothesis": hypothesis.strip(),
            "success_criteria": criteria,
            "start_date": start_date,
            "end_date": end_date,
            "resources": resources.strip(),
        },
    )
    if no_money_needed is not None:
        Idea.objects.filter(pk=idea.pk).update(no_money_needed=no_money_needed)
        idea.no_money_needed = no_money_needed
    return plan


@transaction.atomic
def evaluation_save(
    *, idea: Idea, by: User, results: list[dict], surprises: str = "", next_step: str = ""
) -> Evaluation:
    """The owner's evaluation: one result per success criterion of the test plan."""
    _require(by, "ideas.edit_evaluation", idea)
    evaluation, _created = Evaluation.objects.update_or_create(
        idea=idea,
        defaults={
            "results": [
                {"criterion": str(r["criterion"]), "result": str(r.get("result", "")).strip()}
                for r in results
            ],
            "surprises": surprises.strip(),
            "next_step": next_step.strip(),
        },
    )
    return evaluation


@transaction.atomic
def idea_record_outcome(
    *, idea: Idea, by: User, lessons_learned=None, run_by_unit=None, run_by_contact=None
) -> Idea:
    """Write what a final step needs: lessons learned, or who runs the solution now."""
    changes = {}
    if lessons_learned is not None:
        changes["lessons_learned"] = lessons_learned.strip()
    if run_by_unit is not None:
        changes["run_by_unit"] = run_by_unit
    if run_by_contact is not None:
        changes["run_by_contact"] = run_by_contact.strip()
    if changes:
        if not (idea.is_member(by) or by.has_perm("ideas.coach_inbox")):
            raise PermissionDenied(_("You are not allowed to do this with this idea."))
        for name, value in changes.items():
            setattr(idea, name, value)
        idea.save(update_fields=list(changes))
    return idea


def champion_toggle(*, idea: Idea, by: User, offer: str = "") -> bool:
    """Champion the idea, or undo it. Returns whether `by` now champions it."""
    _require(by, "ideas.champion_idea", idea)
    with transaction.atomic():
        deleted, _details = Champion.objects.filter(idea=idea, user=by).delete()
        if deleted:
            Idea.objects.filter(pk=idea.pk).update(champion_count=F("champion_count") - 1)
            return False
    try:
        with transaction.atomic():
            Champion.objects.create(idea=idea, user=by, offer=offer.strip()[:500])
            Idea.objects.filter(pk=idea.pk).update(champion_count=F("champion_count") + 1)
    except IntegrityError:
        pass  # a double click: already championed
    return True


@transaction.atomic
def champion_update_offer(*, idea: Idea, by: User, offer: str) -> Champion:
    champion = Champion.objects.get(idea=idea, user=by)
    champion.offer = offer.strip()[:500]
    champion.save(update_fields=["offer"])
    return champion


def comment_add(*, idea: Idea, by: User, body: str) -> Comment:
    """A plain-text comment; the owner and team are told."""
    from workflows.notifications import notify_comment

    _require(by, "ideas.comment_idea", idea)
    body = body.strip()
    if not body:
        raise ValidationError(_("Write something before sending the comment."))
    with transaction.atomic():
        comment = Comment(idea=idea, author=by, body=body)
        comment.full_clean(exclude=["idea", "author"])
        comment.save()
        transaction.on_commit(lambda: notify_comment(comment=comment))
    return comment


@transaction.atomic
def comment_hide(*, comment: Comment, by: User, reason: str) -> Comment:
    """A coach hides a comment with a reason; it is kept, not deleted."""
    _require(by, "ideas.moderate_comments", comment.idea)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the comment is hidden."))
    comment.hidden_at = timezone.now()
    comment.hidden_by = by
    comment.hidden_reason = reason[:300]
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    return comment
