"""“My work”: where signing in lands."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.views import View

from .sections import my_work


class MyWorkView(LoginRequiredMixin, View):
    """What waits for the signed-in person by role, and where their ideas and applications
    are: one query per section, whatever the number of rows."""

    template_name = "start/my_work.html"

    def get(self, request):
        return render(request, self.template_name, {"work": my_work(user=request.user)})
