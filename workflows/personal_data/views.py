import json

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from .sections import PAGE_ROWS, export, profile, sections_for_page


@method_decorator(never_cache, name="dispatch")
class MyDataView(LoginRequiredMixin, View):
    """Everything Idésluss holds about the signed-in person, to read."""

    def get(self, request):
        return render(
            request,
            "accounts/my_data.html",
            {
                "profile": profile(request.user),
                "sections": sections_for_page(request.user),
                "page_rows": PAGE_ROWS,
            },
        )


@method_decorator(never_cache, name="dispatch")
class MyDataJSONView(LoginRequiredMixin, View):
    """The same as a JSON file to keep or take elsewhere (GDPR art. 20)."""

    def get(self, request):
        document = {"generated_at": timezone.now(), **export(request.user)}
        response = HttpResponse(
            json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="idesluss-{request.user.pk}-{timezone.localdate()}.json"'
        )
        return response
