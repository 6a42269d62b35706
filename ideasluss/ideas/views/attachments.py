"""Upload and private serving of idea attachments (pictures and PDFs)."""

from django.http import Http404
from django.views import View


class AttachmentCreateView(View):
    def post(self, request, pk):
        raise Http404


def attachment_file(request, pk, attachment_pk):
    raise Http404
