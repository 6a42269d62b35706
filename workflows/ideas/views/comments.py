from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View

from ideasluss.accounts.permissions import PermissionRequiredMixin
from ideasluss.ideas.models import Comment, Idea
from workflows.ideas.forms import CommentForm, HideCommentForm

from ...rate_limits import rate_limited
from ..services import comment_create, comment_hide


@method_decorator(rate_limited("comment"), name="post")
class CommentCreateView(PermissionRequiredMixin, View):
    http_method_names = ["post"]
    model = Idea
    view_permission = "ideas.view_idea"
    permission_required = "ideas.comment_idea"

    def post(self, request, pk):
        idea = self.get_object()
        form = CommentForm(request.POST)
        if not form.is_valid():
            for error in form.errors.get("body", []):
                messages.error(request, error)
            return redirect(idea)
        try:
            comment_create(idea=idea, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as refusal:
            for text in refusal.messages:
                messages.error(request, text)
            return redirect(idea)
        messages.success(request, _("Your comment is published."))
        return redirect(f"{idea.get_absolute_url()}#comments")


class CommentHideView(PermissionRequiredMixin, View):
    """A coach hides a comment; the object asked about is the comment's idea."""

    http_method_names = ["post"]
    queryset = Comment.objects.select_related("idea")
    view_permission = "ideas.view_idea"
    permission_required = "ideas.moderate_comments"

    def get_permission_object(self):
        return self.get_object().idea

    def post(self, request, pk):
        comment = self.get_object()
        idea = comment.idea
        form = HideCommentForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Say why the comment is hidden."))
            return redirect(idea)
        comment_hide(comment=comment, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The comment is hidden."))
        return redirect(f"{idea.get_absolute_url()}#comments")
