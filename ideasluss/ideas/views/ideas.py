"""Staff-facing idea pages. Each view parses input, calls one service and renders."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from ideasluss.fund import selectors as fund_selectors
from workflows import services as workflow_services
from workflows.errors import ConcurrentChange, NotAllowed, RequirementsMissing
from workflows.selectors import idea_actions, transition_from

from .. import selectors, services
from ..forms import (
    ChampionForm,
    CommentForm,
    EvaluationForm,
    HideCommentForm,
    IdeaFilterForm,
    IdeaForm,
    TeamMemberForm,
    TestPlanForm,
    TransitionForm,
)
from ..models import Idea
from .attachments import attachments_context

PAGE_SIZE = 20


def get_idea(request, pk: int, permission: str | None = None, queryset=None) -> Idea:
    """The idea if the user may see it (404 otherwise, so drafts stay invisible), and,
    when `permission` is given, may also do that with it (403 otherwise)."""
    idea = get_object_or_404(queryset if queryset is not None else Idea.objects, pk=pk)
    if not request.user.has_perm("ideas.view_idea", idea):
        raise Http404
    if permission and not request.user.has_perm(permission, idea):
        raise PermissionDenied
    return idea


class IdeaListView(LoginRequiredMixin, ListView):
    """The idea bank: every submitted idea, searchable, filterable, sortable."""

    template_name = "ideas/idea_list.html"
    paginate_by = PAGE_SIZE
    context_object_name = "ideas"

    def get_queryset(self):
        self.filter_form = IdeaFilterForm(self.request.GET or None)
        return selectors.idea_bank(**self.filter_form.filters())

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter_form=self.filter_form, query_string=query.urlencode(), **kwargs
        )


class MyIdeasView(LoginRequiredMixin, ListView):
    template_name = "ideas/idea_mine.html"
    paginate_by = PAGE_SIZE
    context_object_name = "ideas"

    def get_queryset(self):
        return selectors.my_ideas(user=self.request.user)


class CoachInboxView(LoginRequiredMixin, ListView):
    template_name = "ideas/idea_inbox.html"
    paginate_by = PAGE_SIZE
    context_object_name = "ideas"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("ideas.coach_inbox"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.coach_inbox()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            overdue_follow_ups=fund_selectors.overdue_follow_up_count(), **kwargs
        )


class IdeaFormMixin:
    template_name = "ideas/idea_form.html"

    def submit_if_asked(self, request, idea: Idea):
        if "submit" not in request.POST:
            messages.success(request, _("The draft is saved. Only you and your team can see it."))
            return redirect(idea)
        try:
            workflow_services.idea_submit(idea=idea, by=request.user, expected_state=idea.state)
        except (RequirementsMissing, NotAllowed, ConcurrentChange) as refusal:
            for text in refusal.messages:
                messages.error(request, text)
            messages.info(request, _("The draft is saved; complete it and submit again."))
            return redirect("ideas:idea-update", pk=idea.pk)
        messages.success(request, _("Thank you! The idea is submitted to the innovation team."))
        return redirect(idea)


class IdeaCreateView(LoginRequiredMixin, IdeaFormMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("ideas.add_idea"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, {"form": IdeaForm()})

    def post(self, request):
        form = IdeaForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        data = dict(form.cleaned_data)
        idea = services.idea_create_draft(by=request.user, **data)
        return self.submit_if_asked(request, idea)


class IdeaUpdateView(LoginRequiredMixin, IdeaFormMixin, View):
    def get(self, request, pk):
        idea = get_idea(request, pk, "ideas.change_idea")
        return render(request, self.template_name, {"form": IdeaForm(instance=idea), "idea": idea})

    def post(self, request, pk):
        idea = get_idea(request, pk, "ideas.change_idea")
        form = IdeaForm(request.POST, instance=idea)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "idea": idea}, status=400)
        idea = services.idea_update_draft(idea=idea, by=request.user, **form.cleaned_data)
        return self.submit_if_asked(request, idea)


class IdeaDetailView(LoginRequiredMixin, View):
    template_name = "ideas/idea_detail.html"

    def get(self, request, pk):
        try:
            idea = selectors.idea_for_page(pk=pk)
        except Idea.DoesNotExist as missing:
            raise Http404 from missing
        user = request.user
        if not user.has_perm("ideas.view_idea", idea):
            raise Http404
        may_see_hidden = user.has_perm("ideas.see_hidden_comments", idea)
        comments = [c for c in idea.comments.all() if may_see_hidden or not c.is_hidden]
        champions = list(idea.champions.all())
        context = {
            "idea": idea,
            "actions": idea_actions(idea=idea, user=user),
            "timeline": selectors.idea_timeline(idea=idea),
            "is_member": idea.is_member(user),
            "champions": champions,
            "my_champion": next((c for c in champions if c.user_id == user.pk), None),
            "comments": comments,
            "money_granted": sum(
                decision.amount
                for application in idea.applications.all()
                for decision in application.decisions_in_force
                if decision.grants_money
            ),
            **attachments_context(request, idea),
            "comment_form": CommentForm(),
            "champion_form": ChampionForm(),
            "team_form": TeamMemberForm(),
            "hide_form": HideCommentForm(),
        }
        return render(request, self.template_name, context)


class IdeaTeamView(LoginRequiredMixin, View):
    """Add or remove co-owners."""

    def post(self, request, pk):
        idea = get_idea(request, pk, "ideas.manage_team")
        if "remove" in request.POST:
            member = get_object_or_404(idea.co_owners, pk=request.POST.get("remove"))
            services.idea_remove_co_owner(idea=idea, by=request.user, user=member)
            messages.success(request, _("%(name)s is no longer on the team.") % {"name": member})
            return redirect(idea)
        form = TeamMemberForm(request.POST)
        if not form.is_valid():
            for error in form.errors["username"]:
                messages.error(request, error)
            return redirect(idea)
        try:
            services.idea_add_co_owner(
                idea=idea, by=request.user, user=form.cleaned_data["username"]
            )
        except ValidationError as refusal:
            for text in refusal.messages:
                messages.error(request, text)
            return redirect(idea)
        messages.success(
            request,
            _("%(name)s is now on the team.") % {"name": form.cleaned_data["username"]},
        )
        return redirect(idea)


class TestPlanView(LoginRequiredMixin, View):
    template_name = "ideas/test_plan_form.html"

    def get(self, request, pk):
        idea = get_idea(request, pk, "ideas.edit_test_plan")
        plan = getattr(idea, "test_plan", None)
        initial = {"no_money_needed": idea.no_money_needed}
        if plan:
            initial.update(
                hypothesis=plan.hypothesis,
                success_criteria="\n".join(plan.success_criteria),
                start_date=plan.start_date,
                end_date=plan.end_date,
                resources=plan.resources,
            )
        return render(
            request, self.template_name, {"idea": idea, "form": TestPlanForm(initial=initial)}
        )

    def post(self, request, pk):
        idea = get_idea(request, pk, "ideas.edit_test_plan")
        form = TestPlanForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"idea": idea, "form": form}, status=400)
        services.test_plan_save(idea=idea, by=request.user, **form.cleaned_data)
        messages.success(request, _("The test plan is saved."))
        return redirect(idea)


class EvaluationView(LoginRequiredMixin, View):
    template_name = "ideas/evaluation_form.html"

    def _form(self, request, idea, data=None):
        plan = getattr(idea, "test_plan", None)
        criteria = plan.success_criteria if plan else []
        initial = {}
        if hasattr(idea, "evaluation"):
            evaluation = idea.evaluation
            initial = {"surprises": evaluation.surprises, "next_step": evaluation.next_step}
            results = {r["criterion"]: r["result"] for r in evaluation.results}
            initial.update({f"result_{i}": results.get(c, "") for i, c in enumerate(criteria)})
        return EvaluationForm(data, criteria=criteria, initial=initial)

    def get(self, request, pk):
        idea = get_idea(request, pk, "ideas.edit_evaluation")
        return render(
            request, self.template_name, {"idea": idea, "form": self._form(request, idea)}
        )

    def post(self, request, pk):
        idea = get_idea(request, pk, "ideas.edit_evaluation")
        form = self._form(request, idea, request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"idea": idea, "form": form}, status=400)
        services.evaluation_save(
            idea=idea,
            by=request.user,
            results=form.results(),
            surprises=form.cleaned_data["surprises"],
            next_step=form.cleaned_data["next_step"],
        )
        messages.success(request, _("The evaluation is saved."))
        return redirect(idea)


class IdeaTransitionView(LoginRequiredMixin, View):
    """Confirm and perform one step in the idea's life."""

    template_name = "ideas/idea_transition.html"

    def _setup(self, request, pk, name):
        idea = get_idea(request, pk)
        transition = transition_from(name, idea.state)
        if transition is None:
            raise Http404
        if not transition.has_perm(idea, request.user):
            raise PermissionDenied
        return idea, transition

    def _render(self, request, idea, transition, form, status=200):
        actions = {a.name: a for a in idea_actions(idea=idea, user=request.user)}
        context = {
            "idea": idea,
            "transition": transition,
            "form": form,
            "action": actions.get(transition.name),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk, name):
        idea, transition = self._setup(request, pk, name)
        form = TransitionForm(
            initial={"expected_state": idea.state}, transition=transition, idea=idea
        )
        return self._render(request, idea, transition, form)

    def post(self, request, pk, name):
        idea, transition = self._setup(request, pk, name)
        form = TransitionForm(request.POST, transition=transition, idea=idea)
        if not form.is_valid():
            return self._render(request, idea, transition, form, status=400)
        data = form.cleaned_data
        try:
            services.idea_record_outcome(
                idea=idea,
                by=request.user,
                lessons_learned=data.get("lessons_learned"),
                run_by_unit=data.get("run_by_unit"),
                run_by_contact=data.get("run_by_contact"),
            )
            workflow_services.IDEA_TRANSITION_SERVICES[name](
                idea=idea,
                by=request.user,
                message=data["message"],
                expected_state=data["expected_state"],
            )
        except ConcurrentChange as refusal:
            messages.error(request, refusal.messages[0])
            return redirect(idea)
        except NotAllowed as refusal:
            raise PermissionDenied(refusal.messages[0]) from refusal
        except RequirementsMissing as refusal:
            for text in refusal.messages:
                form.add_error(None, text)
            return self._render(request, idea, transition, form, status=400)
        messages.success(request, _("Done: %(step)s.") % {"step": transition.custom["label"]})
        return redirect(idea)


class ChampionView(LoginRequiredMixin, View):
    def post(self, request, pk):
        idea = get_idea(request, pk, "ideas.champion_idea")
        form = ChampionForm(request.POST)
        offer = form.cleaned_data["offer"] if form.is_valid() else ""
        if "update_offer" in request.POST:
            services.champion_update_offer(idea=idea, by=request.user, offer=offer)
            messages.success(request, _("Your offer of help is saved."))
        elif services.champion_toggle(idea=idea, by=request.user, offer=offer):
            messages.success(request, _("You champion this idea. Thank you!"))
        else:
            messages.success(request, _("You no longer champion this idea."))
        return redirect(idea)


class ConsentView(LoginRequiredMixin, View):
    def post(self, request, pk):
        idea = get_idea(request, pk, "ideas.give_consent")
        consent = request.POST.get("consent") == "yes"
        services.idea_set_consent(idea=idea, by=request.user, consent=consent)
        messages.success(
            request,
            _("A public page may now be made about the idea.")
            if consent
            else _("No public page will be made about the idea."),
        )
        return redirect(idea)


__all__ = [
    "IdeaListView",
    "MyIdeasView",
    "CoachInboxView",
    "IdeaCreateView",
    "IdeaUpdateView",
    "IdeaDetailView",
    "IdeaTeamView",
    "TestPlanView",
    "EvaluationView",
    "IdeaTransitionView",
    "ChampionView",
    "ConsentView",
]
