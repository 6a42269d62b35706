"""Staff views of the public site. Each parses input, calls one service, redirects."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from ideasluss.accounts.permissions import PermissionRequiredMixin
from ideasluss.errors import WorkflowError
from ideasluss.ideas.models import Idea

from .services import pictures_without_alt_text, story_page_draft_create


class DraftPageFromIdeaView(PermissionRequiredMixin, View):
    """A coach makes a draft story page from an idea, then edits it in the Wagtail admin."""

    http_method_names = ["post"]
    model = Idea
    view_permission = "ideas.view_idea"
    permission_required = "accounts.coach"

    def post(self, request, pk):
        idea = self.get_object()
        try:
            page = story_page_draft_create(idea=idea, by=request.user)
        except WorkflowError as refusal:
            for text in refusal.messages:
                messages.error(request, text)
            return redirect(idea)
        messages.success(
            request,
            _(
                "A draft page is made from the idea. Edit it, then publish it or send it "
                "for approval; nothing is public before that."
            ),
        )
        left_out = pictures_without_alt_text(idea=idea)
        if left_out:
            messages.warning(
                request,
                ngettext(
                    "%(count)s picture was left out because it has no description (alt "
                    "text): %(names)s. Add a description on the idea's page and add the "
                    "picture here, or leave it out.",
                    "%(count)s pictures were left out because they have no description (alt "
                    "text): %(names)s. Add a description on the idea's page and add the "
                    "pictures here, or leave them out.",
                    len(left_out),
                )
                % {
                    "count": len(left_out),
                    "names": ", ".join(picture.original_name for picture in left_out),
                },
            )
        return redirect("wagtailadmin_pages:edit", page.pk)
