"""Staff pages for the best mistake of the year: nominate, my nominations, the jury's work.

Any employee nominates and sees their own nominations; only the jury (committee
members, the chair and coaches) sees everyone's nominations and moves them, so
nobody else sees others' nominations before the result is published. Each view
parses input with a form, calls one service in `workflows.mistake_services`, and
redirects with a message or re-renders with the refusal's (Swedish) messages.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from workflows import mistake_services
from workflows.errors import NotAllowed, WorkflowError

from .. import selectors
from ..forms import JuryMotivationForm, NominationForm
from ..models import Idea, IdeaState, Nomination, NominationState

JURY_PAGE_SIZE = 50
MY_PAGE_SIZE = 20


class MyNominationsView(PermissionRequiredMixin, ListView):
    """The nominations I made and where they stand."""

    permission_required = "ideas.nominate_mistake"
    template_name = "ideas/mistakes/my_nominations.html"
    paginate_by = MY_PAGE_SIZE
    context_object_name = "nominations"

    def get_queryset(self):
        return selectors.my_nominations(user=self.request.user)


class NominateView(PermissionRequiredMixin, View):
    """Nominate a mistake: pre-filled from a learned idea (`?idea=`), or in one's own words."""

    permission_required = "ideas.nominate_mistake"
    template_name = "ideas/mistakes/nominate.html"

    def _render(self, request, form, status=200):
        return render(request, self.template_name, {"form": form}, status=status)

    @staticmethod
    def _initial(request) -> dict:
        """Title and story of the learned idea in `?idea=`, when the user may nominate it."""
        pk = request.GET.get("idea", "")
        idea = Idea.objects.filter(pk=pk, state=IdeaState.LEARNED).first() if pk.isdigit() else None
        if idea is None or not request.user.has_perm("ideas.nominate_mistake", idea):
            return {}
        return {"idea": idea, "title": idea.title, "story": idea.lessons_learned}

    def get(self, request):
        return self._render(request, NominationForm(initial=self._initial(request)))

    def post(self, request):
        form = NominationForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            mistake_services.nominate(by=request.user, **form.cleaned_data)
        except NotAllowed as refusal:
            raise PermissionDenied(refusal.messages[0]) from refusal
        except WorkflowError as refusal:
            for text in refusal.messages:
                form.add_error(None, text)
            return self._render(request, form, status=400)
        messages.success(
            request, _("Thank you! Your nomination is sent to the jury. Only the jury sees it.")
        )
        return redirect("ideas:mistake-mine")


class JuryView(PermissionRequiredMixin, View):
    """A year's nominations for the jury: winner, shortlisted, new, set aside."""

    permission_required = "ideas.judge_mistakes"
    template_name = "ideas/mistakes/jury.html"

    def get(self, request, year: int | None = None):
        this_year = timezone.localdate().year
        year = year or this_year
        if year not in mistake_services.nomination_years():
            raise Http404
        page = Paginator(selectors.jury_nominations(year=year), JURY_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        years = sorted({this_year, year, *selectors.years_with_nominations()}, reverse=True)
        context = {
            "year": year,
            "years": years,
            "nominations": page.object_list,
            "page_obj": page,
            "has_winner": Nomination.objects.filter(
                year=year, state=NominationState.WINNER
            ).exists(),
        }
        return render(request, self.template_name, context)


def get_nomination_for_jury(request, pk: int) -> Nomination:
    """The nomination for a jury member: 403 for anyone else, before saying whether it exists."""
    if not request.user.has_perm("ideas.judge_mistakes"):
        raise PermissionDenied
    return get_object_or_404(Nomination.objects.select_related("idea", "nominated_by"), pk=pk)


class JuryStepView(LoginRequiredMixin, View):
    """Shortlist, set aside or withdraw a win; back to the year's jury page with a message."""

    STEPS = {
        "shortlist": (
            mistake_services.shortlist,
            gettext_lazy("“%(title)s” is on the shortlist."),
        ),
        "set-aside": (
            mistake_services.set_aside,
            gettext_lazy("“%(title)s” is set aside. It will not be shown publicly."),
        ),
        "withdraw-winner": (
            mistake_services.withdraw_winner,
            gettext_lazy("The win is withdrawn: “%(title)s” is back on the shortlist."),
        ),
    }

    def post(self, request, pk: int, step: str):
        nomination = get_nomination_for_jury(request, pk)
        if step not in self.STEPS:
            raise Http404
        service, success = self.STEPS[step]
        try:
            service(nomination=nomination, by=request.user)
        except NotAllowed as refusal:
            raise PermissionDenied(refusal.messages[0]) from refusal
        except WorkflowError as refusal:
            for text in refusal.messages:
                messages.error(request, text)
        else:
            messages.success(request, success % {"title": nomination.title})
        return redirect("ideas:mistake-jury", year=nomination.year)


class PickWinnerView(LoginRequiredMixin, View):
    """Pick a shortlisted nomination as the year's winner, with the jury's motivation."""

    template_name = "ideas/mistakes/pick_winner.html"

    def _render(self, request, nomination, form, status=200):
        context = {"nomination": nomination, "form": form}
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk: int):
        nomination = get_nomination_for_jury(request, pk)
        return self._render(request, nomination, JuryMotivationForm())

    def post(self, request, pk: int):
        nomination = get_nomination_for_jury(request, pk)
        form = JuryMotivationForm(request.POST)
        if not form.is_valid():
            return self._render(request, nomination, form, status=400)
        try:
            mistake_services.pick_winner(
                nomination=nomination, by=request.user, motivation=form.cleaned_data["motivation"]
            )
        except NotAllowed as refusal:
            raise PermissionDenied(refusal.messages[0]) from refusal
        except WorkflowError as refusal:
            for text in refusal.messages:
                form.add_error(None, text)
            return self._render(request, nomination, form, status=400)
        messages.success(
            request,
            _("“%(title)s” is the best mistake of %(year)s.")
            % {"title": nomination.title, "year": nomination.year},
        )
        return redirect("ideas:mistake-jury", year=nomination.year)
