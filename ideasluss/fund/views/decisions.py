"""Placeholder: implemented by the fund screens work."""

from django.http import Http404
from django.views import View


class RegisterView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class DecisionDetailView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class SupersedeView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404
