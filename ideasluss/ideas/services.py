"""Use cases that write ideas and what hangs on them without moving a lifecycle: drafts,
the team, consent, test plans, evaluations, champions, hiding comments, nominations.

Steps of a lifecycle (submit, accept...) are taken by `workflows.transitions`; writes that
tell people (a new comment) are in `workflows/ideas/services.py`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ideasluss.accounts.models import User
from ideasluss.errors import NotAllowed, RequirementsMissing

from . import selectors
from .models import (
    Champion,
    Comment,
    Evaluation,
    Idea,
    JuryVote,
    Nomination,
    NominationState,
    TestPlan,
)

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
def idea_create(*, by: User, tags=(), **fields) -> Idea:
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
def idea_update(*, idea: Idea, by: User, tags=None, **fields) -> Idea:
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
def idea_co_owner_add(*, idea: Idea, by: User, user: User) -> None:
    """Add a colleague to the idea's team: they get the owner's rights on it."""
    _require(by, "ideas.manage_team", idea)
    if user.pk == idea.owner_id:
        raise ValidationError(_("The owner is already on the team."))
    if not user.is_active:
        raise ValidationError(_("That account is not active."))
    idea.co_owners.add(user)


@transaction.atomic
def idea_co_owner_remove(*, idea: Idea, by: User, user: User) -> None:
    """Take a colleague off the idea's team."""
    _require(by, "ideas.manage_team", idea)
    idea.co_owners.remove(user)


@transaction.atomic
def idea_consent_set(*, idea: Idea, by: User, consent: bool) -> Idea:
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
def champion_offer_update(*, idea: Idea, by: User, offer: str) -> Champion:
    """A champion changes what help they offer."""
    champion = Champion.objects.get(idea=idea, user=by)
    champion.offer = offer.strip()[:500]
    champion.save(update_fields=["offer"])
    return champion


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


# --- the best mistake of the year -----------------------------------------------------

TITLE_MAX_LENGTH = Nomination._meta.get_field("title").max_length


def _year_refusal(year: int, open_years: list[int]) -> str:
    """Why one cannot nominate for `year`, and where to nominate instead."""
    if not open_years:
        return _("No year is open for nominations just now.")
    open_text = selectors.years_in_words(open_years)
    if Nomination.objects.filter(year=year, state=NominationState.WINNER).exists():
        return _(
            "The best mistake of %(year)s is already chosen. Nominate for %(open)s instead."
        ) % {"year": year, "open": open_text}
    return _("Nominations are open for %(open)s.") % {"open": open_text}


def nomination_create(
    *,
    by: User,
    year: int,
    title: str = "",
    story: str = "",
    idea: Idea | None = None,
    consent_confirmed: bool,
) -> Nomination:
    """An employee nominates a mistake for `year`, from a learned idea or as free text.

    With an idea, an empty title or story is filled in from the idea's title and
    lessons learned. Refused without the consent of the people named, and for a year
    that is not open (`selectors.nomination_open_years`: a decided year is closed; the
    refusal names the years that are open).
    """
    if not by.has_perm("ideas.nominate_mistake"):
        raise NotAllowed(_("Only employees can nominate the best mistake of the year."))
    if idea is not None and not by.has_perm("ideas.nominate_mistake", idea):
        raise NotAllowed(_("Only a learned idea that you can see can be nominated."))
    title = (title or "").strip() or (idea.title if idea else "")
    story = (story or "").strip() or (idea.lessons_learned.strip() if idea else "")
    problems = []
    if not title:
        problems.append(_("Give the mistake a title."))
    elif len(title) > TITLE_MAX_LENGTH:
        problems.append(
            _("The title can be at most %(count)s characters.") % {"count": TITLE_MAX_LENGTH}
        )
    if not story:
        problems.append(_("Tell what happened and what was learned."))
    if not consent_confirmed:
        problems.append(
            _(
                "Ask the people named in the story whether they agree to being named "
                "publicly, and confirm it: no nomination without their consent."
            )
        )
    if problems:
        raise RequirementsMissing(*problems)
    with transaction.atomic():
        open_years = selectors.nomination_open_years()
        if year not in open_years:
            raise RequirementsMissing(_year_refusal(year, open_years))
        if idea is not None and idea.nominations.filter(year=year).exists():
            raise RequirementsMissing(
                _("The idea is already nominated for %(year)s.") % {"year": year}
            )
        return Nomination.objects.create(
            year=year,
            idea=idea,
            title=title,
            story=story,
            nominated_by=by,
            consent_confirmed=True,
        )


def vote_cast(*, nomination: Nomination, by: User) -> JuryVote:
    """A juror votes for a finalist as the best mistake of its year.

    One vote per juror and year: voting again moves the vote, until the year is decided
    (the chair declares the result, `workflows.ideas.services.winner_declare`). The
    nomination is locked, so a vote and the declaration of its year do not cross.
    """
    if not by.has_perm("ideas.vote_mistake", nomination):
        raise NotAllowed(_("Only the jury – committee members and coaches – can do this."))
    with transaction.atomic():
        locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
        if Nomination.objects.filter(year=locked.year, state=NominationState.WINNER).exists():
            raise RequirementsMissing(
                _("The best mistake of %(year)s is decided: the votes can no longer change.")
                % {"year": locked.year}
            )
        if locked.state != NominationState.SHORTLISTED:
            raise RequirementsMissing(
                _("Only a finalist can get votes: shortlist the nomination first.")
            )
        vote, _created = JuryVote.objects.update_or_create(
            juror=by, year=locked.year, defaults={"nomination": locked}
        )
    return vote
