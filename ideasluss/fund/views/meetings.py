"""Placeholder: implemented by the fund screens work."""

from django.http import Http404
from django.views import View


class MeetingListView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class MeetingCreateView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class MeetingDetailView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class MeetingUpdateView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class MeetingActionView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class MinutesView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class MinutesPdfView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404
