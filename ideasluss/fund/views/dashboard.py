"""Placeholder: implemented by the fund screens work."""

from django.http import Http404
from django.views import View


class DashboardView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class FundDetailView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class FollowUpView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404
