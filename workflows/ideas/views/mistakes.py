"""Staff pages for the best mistake of the year: nominate, my nominations, the jury's work.

Any employee nominates and sees their own nominations; only the jury (committee
members, the chair and coaches) sees everyone's nominations, shortlists, and votes;
the jury's chair declares the result the votes give and may withdraw a win, with a
reason. Nobody outside the jury sees others' nominations before the result is
published. Each view parses input with a form, calls one service (`nomination_create`,
`vote_cast`, `winner_declare`, or a step of the nomination's lifecycle), and redirects
with a message or re-renders with the refusal's (Swedish) messages.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from ideasluss.accounts.permissions import PermissionRequiredMixin
from ideasluss.errors import NotAllowed, WorkflowError
from ideasluss.ideas import selectors, services
from ideasluss.ideas.models import Idea, IdeaState, Nomination, NominationState
from ideasluss.input_policy import valid_id
from ideasluss.pagination import BoundedPaginator
from workflows.ideas.forms import DeclareWinnerForm, NominationForm

from ...rate_limits import rate_limited
from ...transition_views import TransitionView
from ...transitions import transitions
from ..services import nomination_create, winner_declare

JURY_PAGE_SIZE = 50
MY_PAGE_SIZE = 20


class MyNominationsView(PermissionRequiredMixin, ListView):
    """The nominations I made and where they stand."""

    permission_required = "ideas.nominate_mistake"
    template_name = "ideas/mistakes/my_nominations.html"
    paginate_by = MY_PAGE_SIZE
    paginator_class = BoundedPaginator
    context_object_name = "nominations"

    def get_queryset(self):
        return selectors.my_nominations(user=self.request.user)


@method_decorator(rate_limited("nomination"), name="post")
class NominateView(PermissionRequiredMixin, View):
    """Nominate a mistake: pre-filled from a learned idea (`?idea=`), or in one's own words.
    The form offers the years still open (for the idea, those it is not nominated for)."""

    permission_required = "ideas.nominate_mistake"
    template_name = "ideas/mistakes/nominate.html"

    def _render(self, request, form, status=200):
        return render(request, self.template_name, {"form": form}, status=status)

    @staticmethod
    def _idea(request) -> Idea | None:
        """The learned idea in `?idea=`, when the user may nominate it."""
        pk = request.GET.get("idea", "")
        idea = Idea.objects.filter(pk=pk, state=IdeaState.LEARNED).first() if valid_id(pk) else None
        if idea is None or not request.user.has_perm("ideas.nominate_mistake", idea):
            return None
        return idea

    def get(self, request):
        idea = self._idea(request)
        if idea is None:
            form = NominationForm(years=selectors.nomination_open_years())
        else:
            initial = {"idea": idea, "title": idea.title, "story": idea.lessons_learned}
            offer = selectors.nomination_offer(idea=idea)
            if not offer.years:
                messages.info(request, offer.reason)
            years = offer.years or selectors.nomination_open_years()
            form = NominationForm(initial=initial, years=years)
        return self._render(request, form)

    def post(self, request):
        form = NominationForm(request.POST, years=selectors.nomination_open_years())
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            nomination_create(by=request.user, **form.cleaned_data)
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
    """A year's nominations for the jury: winner, shortlisted (with the votes and who cast
    them), new, set aside; each with its history."""

    permission_required = "ideas.judge_mistakes"
    template_name = "ideas/mistakes/jury.html"

    def get(self, request, year: int | None = None):
        this_year = timezone.localdate().year
        year = year or this_year
        if not selectors.is_jury_year(year):
            raise Http404
        page = Paginator(selectors.jury_nominations(year=year), JURY_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        nominations = list(page.object_list)
        tally = selectors.jury_tally(year=year)
        histories = selectors.nomination_histories(nominations=nominations)
        for nomination in nominations:
            nomination.vote_count = tally.counts.get(nomination.pk, 0)
            nomination.voters = tally.voters_of(nomination.pk)
            nomination.history = histories[nomination.pk]
        open_years = selectors.nomination_open_years()
        years = sorted(
            {this_year, year, *open_years, *selectors.years_with_nominations()}, reverse=True
        )
        context = {
            "year": year,
            "years": years,
            "nominations": nominations,
            "page_obj": page,
            "tally": tally,
            "my_vote": tally.vote_of(request.user),
            "has_winner": Nomination.objects.filter(
                year=year, state=NominationState.WINNER
            ).exists(),
        }
        return render(request, self.template_name, context)


class JuryStepView(TransitionView):
    """Shortlist or set aside (POST); back to the year's jury page. A step that asks for
    confirmation is taken on its own page (`WithdrawWinnerView`), never from here."""

    http_method_names = ["post"]

    queryset = Nomination.objects.select_related("idea", "nominated_by")
    # The jury's pages answer 403 to anyone outside the jury before saying whether a
    # nomination exists; the step's own permission is then asked of the nomination.
    permission_required = "ideas.judge_mistakes"
    step_kwarg = "step"

    def get_permission_object(self):
        return None

    ask_message = False

    def step_name(self) -> str:
        name = super().step_name()
        declared = next(t for t in transitions(Nomination) if t.name == name)
        if declared.custom.get("confirm") and self.template_name is None:
            raise Http404
        return name

    def get_success_url(self, obj) -> str:
        return reverse("ideas:mistake-jury", kwargs={"year": obj.year})


class WithdrawWinnerView(JuryStepView):
    """The chair withdraws a win: a page of its own that asks why (kept in the history)."""

    template_name = "ideas/mistakes/withdraw_winner.html"
    object_context_name = "nomination"
    http_method_names = ["get", "post", "head", "options"]

    def step_name(self) -> str:
        return "withdraw_winner"

    @property
    def message_label(self):
        return _("Why is the win withdrawn? (required)")


class VoteView(PermissionRequiredMixin, View):
    """A juror votes for a finalist (or moves their vote to it)."""

    permission_required = "ideas.vote_mistake"
    http_method_names = ["post"]

    def post(self, request, pk: int):
        nomination = get_object_or_404(Nomination, pk=pk)
        try:
            services.vote_cast(nomination=nomination, by=request.user)
        except NotAllowed as refusal:
            raise PermissionDenied(refusal.messages[0]) from refusal
        except WorkflowError as refusal:
            for text in refusal.messages:
                messages.error(request, text)
        else:
            messages.success(
                request,
                _("Your vote is for “%(title)s”. You can change it until the result is declared.")
                % {"title": nomination.title},
            )
        return redirect("ideas:mistake-jury", year=nomination.year)


class DeclareWinnerView(PermissionRequiredMixin, View):
    """The jury's chair declares the year's result: the votes, what they give (or why
    they do not yet), and the jury's motivation."""

    permission_required = "ideas.decide_best_mistake"
    template_name = "ideas/mistakes/declare_winner.html"

    def _render(self, request, year, form, status=200):
        result = selectors.jury_result(year=year, chair=request.user)
        finalists = list(
            selectors.jury_nominations(year=year).filter(state=NominationState.SHORTLISTED)
        )
        for nomination in finalists:
            nomination.vote_count = result.tally.counts.get(nomination.pk, 0)
            nomination.voters = result.tally.voters_of(nomination.pk)
        finalists.sort(key=lambda nomination: -nomination.vote_count)
        context = {"year": year, "result": result, "finalists": finalists, "form": form}
        return render(request, self.template_name, context, status=status)

    def get(self, request, year: int):
        if not selectors.is_jury_year(year):
            raise Http404
        return self._render(request, year, DeclareWinnerForm())

    def post(self, request, year: int):
        if not selectors.is_jury_year(year):
            raise Http404
        form = DeclareWinnerForm(request.POST)
        if not form.is_valid():
            return self._render(request, year, form, status=400)
        try:
            winner = winner_declare(
                year=year, by=request.user, motivation=form.cleaned_data["jury_motivation"]
            )
        except NotAllowed as refusal:
            raise PermissionDenied(refusal.messages[0]) from refusal
        except WorkflowError as refusal:
            for text in refusal.messages:
                form.add_error(None, text)
            return self._render(request, year, form, status=400)
        messages.success(
            request,
            _("“%(title)s” is the best mistake of %(year)s.")
            % {"title": winner.title, "year": year},
        )
        return redirect("ideas:mistake-jury", year=year)
