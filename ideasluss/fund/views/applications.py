"""Placeholder: implemented by the fund screens work."""

from django.http import Http404
from django.views import View


class ApplicationCreateView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class ApplicationListView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class ApplicationDetailView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class ApplicationUpdateView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class ApplicationActionView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class CostCreateView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class ReturnMoneyView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class ReceiptView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404
