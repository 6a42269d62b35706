"""Upload and private serving of idea attachments (pictures and PDFs).

Files live in the private storage, which has no URL; `attachment_file` is the only way
to fetch one, and it answers 404 to anyone who may not see the idea.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_safe

from ideasluss.accounts.permissions import PermissionRequiredMixin
from ideasluss.ideas.attachments import (
    AttachmentForm,
    attachment_create,
    download_name,
    too_large_error,
    unreadable_upload_error,
)
from ideasluss.ideas.models import Attachment, AttachmentKind, Idea

from ...rate_limits import rate_limited
from ...uploads import UPLOAD_OVERHEAD_BYTES, declared_length

# Attachments never change once stored, so the browser may keep them a while.
FILE_CACHE_SECONDS = 3600


def _alt_text_session_key(idea: Idea) -> str:
    return f"idea-attachment-alt-text:{idea.pk}"


def attachments_context(request: HttpRequest, idea: Idea) -> dict:
    """What `ideas/includes/attachments.html` needs, for the idea page's view.

    After a refused upload the alt text the person typed is offered again.
    """
    can_add = request.user.has_perm("ideas.add_attachment", idea)
    form = None
    if can_add:
        alt_text = request.session.pop(_alt_text_session_key(idea), "")
        form = AttachmentForm(initial={"alt_text": alt_text})
    return {
        "attachments": list(idea.attachments.all()),
        "can_add_attachment": can_add,
        "attachment_form": form,
    }


# The CSRF check reads the request body (the token is a form field). An oversized
# upload must be refused before that, so the middleware skips this view and the view
# runs the same check itself once it knows the body is of a sensible size.
@method_decorator(csrf_exempt, name="dispatch")
class AttachmentCreateView(PermissionRequiredMixin, View):
    http_method_names = ["post"]
    model = Idea
    view_permission = "ideas.view_idea"
    permission_required = "ideas.add_attachment"

    @method_decorator(rate_limited("attachment_upload", count_refused=True))
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        idea = self.get_object()
        if declared_length(request) > settings.IDEA_ATTACHMENT_MAX_BYTES + UPLOAD_OVERHEAD_BYTES:
            # Refused from the header alone: the body is never read.
            messages.error(request, " ".join(too_large_error().messages))
            return redirect(idea.get_absolute_url())
        try:
            request.FILES  # noqa: B018 - parse the body now, before the CSRF check reads it
        except MultiPartParserError:
            # Django refuses a part header over 1 KiB: a file name of about 1,000
            # characters. Without this, the CSRF check would fail on it with a bare 400.
            messages.error(request, " ".join(unreadable_upload_error().messages))
            return redirect(idea.get_absolute_url())
        return self.upload(request, idea)

    @method_decorator(csrf_protect)
    def upload(self, request: HttpRequest, idea: Idea) -> HttpResponse:
        form = AttachmentForm(request.POST, request.FILES)
        try:
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            attachment_create(
                idea=idea,
                by=request.user,
                upload=form.cleaned_data["file"],
                alt_text=form.cleaned_data["alt_text"],
            )
        except ValidationError as error:
            # Nothing was stored; keep what was typed so that it is not lost.
            alt_text = request.POST.get("alt_text", "").strip()[:300]
            if alt_text:
                request.session[_alt_text_session_key(idea)] = alt_text
            messages.error(request, " ".join(error.messages))
        else:
            request.session.pop(_alt_text_session_key(idea), None)
            messages.success(request, _("The file is attached to the idea."))
        return redirect(idea.get_absolute_url())


@login_required
@require_safe
def attachment_file(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """The file itself, for people who may see the idea; everyone else gets 404."""
    attachment = get_object_or_404(
        Attachment.objects.select_related("idea"), pk=attachment_pk, idea_id=pk
    )
    if not request.user.has_perm("ideas.view_idea", attachment.idea):
        raise Http404
    try:
        file = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        file,
        content_type=attachment.content_type,
        as_attachment=attachment.kind == AttachmentKind.PDF,
        filename=download_name(attachment),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    patch_cache_control(response, private=True, max_age=FILE_CACHE_SECONDS)
    return response
