"""Use cases on ideas that tell people or span a lifecycle step: commenting (the team is
told), and saving a draft together with submitting it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ideasluss.accounts.models import User
from ideasluss.errors import WorkflowError
from ideasluss.ideas import services as idea_services
from ideasluss.ideas.models import Comment, Idea

from ..notifications import notify_comment
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
