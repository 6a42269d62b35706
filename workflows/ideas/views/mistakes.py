"""Staff pages for the best mistake of the year: nominate, my nominations, the jury's work.

Any employee nominates and sees their own nominations; only the jury (committee
members, the chair and coaches) sees everyone's nominations and moves them, so
nobody else sees others' nominations before the result is published. Each view
parses input with a form, calls one service (`nomination_create`, or the jury's steps
through the nomination's lifecycle), and redirects with a message or re-renders with
the refusal's (Swedish) messages.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from ideasluss.accounts.permissions import PermissionRequiredMixin
from ideasluss.errors import NotAllowed, WorkflowError
from ideasluss.ideas import selectors, services
from ideasluss.ideas.models import Idea, IdeaState, Nomination, NominationState
from workflows.ideas.forms import NominationForm

from ...transition_views import TransitionView

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
            services.nomination_create(by=request.user, **form.cleaned_data)
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
        if year not in services.nomination_years():
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


class JuryStepView(TransitionView):
    """Shortlist, set aside or withdraw a win (POST); back to the year's jury page."""

    http_method_names = ["post"]

    queryset = Nomination.objects.select_related("idea", "nominated_by")
    # The jury's pages answer 403 to anyone outside the jury before saying whether a
    # nomination exists; the step's own permission is then asked of the nomination.
    permission_required = "ideas.judge_mistakes"
    step_kwarg = "step"

    def get_permission_object(self):
        return None

    ask_message = False

    def get_success_url(self, obj) -> str:
        return reverse("ideas:mistake-jury", kwargs={"year": obj.year})


class PickWinnerView(JuryStepView):
    """Pick a shortlisted nomination as the year's winner, with the jury's motivation."""

    template_name = "ideas/mistakes/pick_winner.html"
    object_context_name = "nomination"
    http_method_names = ["get", "post", "head", "options"]

    def step_name(self) -> str:
        return "pick_winner"
