"""Use cases on ideas that tell people or span a lifecycle step: commenting and hiding a
comment (the team, or the author, is told), the team and its champions (the people
concerned are told), saving a draft together with submitting it, nominating a mistake
and declaring the jury's best mistake."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ideasluss.accounts.models import User
from ideasluss.errors import NotAllowed, RequirementsMissing, WorkflowError
from ideasluss.ideas import selectors as idea_selectors
from ideasluss.ideas import services as idea_services
from ideasluss.ideas.models import Comment, Idea, Nomination, NominationState

from ..notifications import (
    notify_championed,
    notify_comment,
    notify_comment_hidden,
    notify_nominated,
    notify_team_added,
    notify_team_removed,
)
from ..transitions import transition_perform


def comment_create(*, idea: Idea, by: User, body: str) -> Comment:
    """A plain-text comment; the owner and team are told."""
    if not by.has_perm("ideas.comment_idea", idea):
        raise PermissionDenied(_("You are not allowed to do this with this idea."))
    body = body.strip()
    if not body:
        raise ValidationError(_("Write something before sending the comment."))
    with transaction.atomic():
        comment = Comment(idea=idea, author=by, body=body)
        comment.full_clean(exclude=["idea", "author"])
        comment.save()
        transaction.on_commit(lambda: notify_comment(comment=comment))
    return comment


def comment_hide(*, comment: Comment, by: User, reason: str) -> Comment:
    """A coach hides a comment with a reason (`ideasluss.ideas.services.comment_hide`);
    its author is told why."""
    with transaction.atomic():
        comment = idea_services.comment_hide(comment=comment, by=by, reason=reason)
        transaction.on_commit(lambda: notify_comment_hidden(comment=comment))
    return comment


def team_member_add(*, idea: Idea, by: User, user: User) -> None:
    """Put a colleague on the idea's team (`ideasluss.ideas.services.idea_co_owner_add`);
    they did not ask to be, so they are told."""
    with transaction.atomic():
        idea_services.idea_co_owner_add(idea=idea, by=by, user=user)
        transaction.on_commit(lambda: notify_team_added(idea=idea, user=user, by=by))


def team_member_remove(*, idea: Idea, by: User, user: User) -> None:
    """Take a colleague off the idea's team; they are told."""
    with transaction.atomic():
        idea_services.idea_co_owner_remove(idea=idea, by=by, user=user)
        transaction.on_commit(lambda: notify_team_removed(idea=idea, user=user, by=by))


def champion_toggle(*, idea: Idea, by: User, offer: str = "") -> bool:
    """Champion the idea, or undo it (`ideasluss.ideas.services.champion_toggle`); a new
    champion is news to the team, with the help they offer. Returns whether `by` now
    champions it."""
    championing = idea_services.champion_toggle(idea=idea, by=by, offer=offer)
    if championing:
        transaction.on_commit(lambda: notify_championed(idea=idea, by=by, offer=offer))
    return championing


def idea_save_and_submit(
    *, by: User, idea: Idea | None = None, **fields
) -> tuple[Idea, WorkflowError | None]:
    """Save the draft (a new one when `idea` is None), then submit it.

    Two transactions on purpose: the draft is kept even when the submission is refused
    (a field still missing), so nothing the person wrote is lost; the refusal is
    returned for the page to show.
    """
    if idea is None:
        idea = idea_services.idea_create(by=by, **fields)
    else:
        idea = idea_services.idea_update(idea=idea, by=by, **fields)
    try:
        transition_perform(obj=idea, name="submit", by=by, expected_state=idea.state)
    except WorkflowError as refusal:
        return idea, refusal
    idea.refresh_from_db()
    return idea, None


def nomination_create(**arguments) -> Nomination:
    """An employee nominates a mistake (`ideasluss.ideas.services.nomination_create`,
    same arguments); the team of a nominated idea is told."""
    with transaction.atomic():
        nomination = idea_services.nomination_create(**arguments)
        transaction.on_commit(lambda: notify_nominated(nomination=nomination))
    return nomination


def winner_declare(*, year: int, by: User, motivation: str) -> Nomination:
    """The jury's chair declares the best mistake of `year`: the finalist with the most
    votes (`ideasluss.ideas.selectors.jury_result`), with the jury's motivation.

    The chair is whoever has the fund committee's chair role (`ideas.rules.is_jury_chair`).
    Refused, saying why, unless more than half of the jury has voted, and on a tie the
    chair's own vote is for one of the tied. The year's finalists are locked first, so no
    vote changes while the result is counted; the step is logged with the count.
    """
    if not by.has_perm("ideas.decide_best_mistake"):
        raise NotAllowed(
            _("Only the jury's chair – the chair of the fund committee – declares the result.")
        )
    with transaction.atomic():
        list(
            Nomination.objects.select_for_update()
            .filter(year=year, state=NominationState.SHORTLISTED)
            .values_list("pk", flat=True)
        )
        result = idea_selectors.jury_result(year=year, chair=by)
        if result.problems:
            raise RequirementsMissing(*result.problems)
        tally, winner = result.tally, result.winner
        numbers = {
            "votes": tally.counts[winner.pk],
            "voted": tally.voted,
            "jurors": len(tally.jurors),
        }
        if result.tie_broken:
            log = _(
                "Declared by the jury's chair: %(votes)s of %(voted)s votes (%(jurors)s "
                "jurors); a tie broken by the chair's vote."
            )
        else:
            log = _(
                "Declared by the jury's chair: %(votes)s of %(voted)s votes (%(jurors)s jurors)."
            )
        return transition_perform(
            obj=winner,
            name="declare_winner",
            by=by,
            message=log % numbers,
            expected_state=NominationState.SHORTLISTED,
            changes={"jury_motivation": motivation},
            internal=True,
        )
