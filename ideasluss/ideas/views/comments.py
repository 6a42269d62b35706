from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View

from .. import services
from ..forms import CommentForm, HideCommentForm
from ..models import Comment
from .ideas import get_idea


class CommentCreateView(LoginRequiredMixin, View):
    def post(self, request, pk):
        idea = get_idea(request, pk, "ideas.comment_idea")
        form = CommentForm(request.POST)
        if not form.is_valid():
            for error in form.errors.get("body", []):
                messages.error(request, error)
            return redirect(idea)
        try:
            services.comment_add(idea=idea, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as refusal:
            for text in refusal.messages:
                messages.error(request, text)
            return redirect(idea)
        messages.success(request, _("Your comment is published."))
        return redirect(f"{idea.get_absolute_url()}#comments")


class CommentHideView(LoginRequiredMixin, View):
    def post(self, request, pk):
        comment = get_object_or_404(Comment.objects.select_related("idea"), pk=pk)
        idea = get_idea(request, comment.idea_id)
        if not request.user.has_perm("ideas.moderate_comments", idea):
            raise PermissionDenied
        form = HideCommentForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Say why the comment is hidden."))
            return redirect(idea)
        services.comment_hide(comment=comment, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The comment is hidden."))
        return redirect(f"{idea.get_absolute_url()}#comments")
