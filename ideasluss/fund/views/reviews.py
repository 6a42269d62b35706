"""Placeholder: implemented by the fund screens work."""

from django.http import Http404
from django.views import View


class DeclareView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class ReviewView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class DecideView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404
