"""Placeholder: implemented by the fund screens work."""

from django.http import Http404
from django.views import View


class DecisionExportView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class CostExportView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404
