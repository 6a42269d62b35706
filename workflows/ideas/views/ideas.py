"""Staff-facing idea pages. Each view parses input, calls one service and renders."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from ideasluss.accounts.permissions import PermissionRequiredMixin
from ideasluss.fund import selectors as fund_selectors
from ideasluss.fund.money import GrantBalance
from ideasluss.ideas import selectors, services
from ideasluss.ideas.models import Idea
from ideasluss.input_policy import valid_id
from ideasluss.pagination import BoundedPaginator
from workflows.ideas.forms import (
    ChampionForm,
    CommentForm,
    EvaluationForm,
    HideCommentForm,
    IdeaFilterForm,
    IdeaForm,
    TeamMemberForm,
    TestPlanForm,
    lessons_draft,
)

from ...flow.targets import waiting_flag
from ...progress import idea_next_step
from ...rate_limits import rate_limited
from ...transition_views import TransitionView, success_message_of
from ...transitions import available_actions
from ..services import champion_toggle, idea_save_and_submit, team_member_add, team_member_remove
from .attachments import attachments_context

PAGE_SIZE = 20


class IdeaPermissionMixin(PermissionRequiredMixin):
    """An idea page: 404 for an idea the user may not see (a draft of someone else's)."""

    model = Idea
    view_permission = "ideas.view_idea"


class IdeaListView(LoginRequiredMixin, ListView):
    """The idea bank: every submitted idea, searchable, filterable, sortable."""

    template_name = "ideas/idea_list.html"
    paginate_by = PAGE_SIZE
    paginator_class = BoundedPaginator
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
    paginator_class = BoundedPaginator
    context_object_name = "ideas"

    def get_queryset(self):
        return selectors.my_ideas(user=self.request.user)


class CoachInboxView(PermissionRequiredMixin, ListView):
    template_name = "ideas/idea_inbox.html"
    paginate_by = PAGE_SIZE
    paginator_class = BoundedPaginator
    context_object_name = "ideas"
    permission_required = "ideas.coach_inbox"

    def get_queryset(self):
        return selectors.coach_inbox(today=self.today)

    def get_paginator(self, queryset, per_page, **kwargs):
        def counter(up_to: int) -> int:
            return selectors.coach_inbox_size(up_to=up_to, today=self.today)

        return super().get_paginator(queryset, per_page, counter=counter, **kwargs)

    @cached_property
    def today(self):
        return timezone.localdate()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            overdue_follow_ups=fund_selectors.overdue_follow_up_count(), **kwargs
        )
        # Ideas that have stayed in their stage longer than its target (settings'
        # FLOW_TARGET_DAYS) are flagged; only the page's rows, already loaded.
        for idea in context["ideas"]:
            idea.waiting_flag = waiting_flag(idea, today=self.today)
        return context


class IdeaFormMixin:
    """Save the draft, and submit it too when the person pressed "submit"."""

    template_name = "ideas/idea_form.html"

    def save(self, request, form, idea: Idea | None = None):
        data = dict(form.cleaned_data)
        if "submit" not in request.POST:
            if idea is None:
                idea = services.idea_create(by=request.user, **data)
            else:
                idea = services.idea_update(idea=idea, by=request.user, **data)
            messages.success(request, _("The draft is saved. Only you and your team can see it."))
            return redirect(idea)
        idea, refusal = idea_save_and_submit(by=request.user, idea=idea, **data)
        if refusal is not None:
            for text in refusal.messages:
                messages.error(request, text)
            messages.info(request, _("The draft is saved; complete it and submit again."))
            return redirect("ideas:idea-update", pk=idea.pk)
        messages.success(request, success_message_of(idea, "submit"))
        return redirect(idea)


@method_decorator(rate_limited("idea_create"), name="post")
class IdeaCreateView(PermissionRequiredMixin, IdeaFormMixin, View):
    permission_required = "ideas.add_idea"

    def get(self, request):
        return render(request, self.template_name, {"form": IdeaForm()})

    def post(self, request):
        form = IdeaForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        return self.save(request, form)


class IdeaUpdateView(IdeaPermissionMixin, IdeaFormMixin, View):
    permission_required = "ideas.change_idea"

    def get(self, request, pk):
        idea = self.get_object()
        return render(request, self.template_name, {"form": IdeaForm(instance=idea), "idea": idea})

    def post(self, request, pk):
        idea = self.get_object()
        form = IdeaForm(request.POST, instance=idea)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "idea": idea}, status=400)
        return self.save(request, form, idea)


class IdeaDetailView(IdeaPermissionMixin, View):
    template_name = "ideas/idea_detail.html"

    def get_object(self):
        if not hasattr(self, "object"):
            try:
                self.object = selectors.idea_for_page(
                    pk=self.kwargs["pk"], prefetch=[fund_selectors.idea_applications_prefetch()]
                )
            except Idea.DoesNotExist as missing:
                raise Http404 from missing
        return self.object

    def get(self, request, pk):
        idea = self.get_object()
        user = request.user
        may_see_hidden = user.has_perm("ideas.see_hidden_comments", idea)
        comments = [c for c in idea.comments.all() if may_see_hidden or not c.is_hidden]
        champions = list(idea.champions.all())
        actions = available_actions(idea, user)
        timeline = list(selectors.idea_timeline(idea=idea))
        context = {
            "idea": idea,
            "actions": actions,
            "next_step": idea_next_step(
                idea=idea,
                user=user,
                actions=actions,
                withdrawn_from=timeline[-1].source_state if timeline else None,
            ),
            "timeline": timeline,
            "is_member": idea.is_member(user),
            "champions": champions,
            "my_champion": next((c for c in champions if c.user_id == user.pk), None),
            "comments": comments,
            "idea_money": GrantBalance.total(
                GrantBalance.of(application) for application in idea.applications.all()
            ),
            **attachments_context(request, idea),
            "comment_form": CommentForm(),
            "champion_form": ChampionForm(),
            "team_form": TeamMemberForm(),
            "hide_form": HideCommentForm(),
            # The years the idea may still be nominated for, or why none.
            "nomination_offer": (
                selectors.nomination_offer(idea=idea)
                if user.has_perm("ideas.nominate_mistake", idea)
                else None
            ),
        }
        return render(request, self.template_name, context)


class IdeaTeamView(IdeaPermissionMixin, View):
    """Add or remove co-owners."""

    permission_required = "ideas.manage_team"

    def post(self, request, pk):
        idea = self.get_object()
        if "remove" in request.POST:
            member_pk = request.POST.get("remove", "")
            member = (
                idea.co_owners.filter(pk=int(member_pk)).first() if valid_id(member_pk) else None
            )
            if member is None:
                messages.error(request, _("Choose a co-owner of the idea to remove."))
                return redirect(idea)
            team_member_remove(idea=idea, by=request.user, user=member)
            messages.success(request, _("%(name)s is no longer on the team.") % {"name": member})
            return redirect(idea)
        form = TeamMemberForm(request.POST)
        if not form.is_valid():
            for error in form.errors["username"]:
                messages.error(request, error)
            return redirect(idea)
        try:
            team_member_add(idea=idea, by=request.user, user=form.cleaned_data["username"])
        except ValidationError as refusal:
            for text in refusal.messages:
                messages.error(request, text)
            return redirect(idea)
        messages.success(
            request,
            _("%(name)s is now on the team.") % {"name": form.cleaned_data["username"]},
        )
        return redirect(idea)


class TestPlanView(IdeaPermissionMixin, View):
    template_name = "ideas/test_plan_form.html"
    permission_required = "ideas.edit_test_plan"

    def get(self, request, pk):
        idea = self.get_object()
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
        idea = self.get_object()
        form = TestPlanForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"idea": idea, "form": form}, status=400)
        services.test_plan_save(idea=idea, by=request.user, **form.cleaned_data)
        messages.success(request, _("The test plan is saved."))
        return redirect(idea)


class EvaluationView(IdeaPermissionMixin, View):
    template_name = "ideas/evaluation_form.html"
    permission_required = "ideas.edit_evaluation"

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
        idea = self.get_object()
        return render(
            request, self.template_name, {"idea": idea, "form": self._form(request, idea)}
        )

    def post(self, request, pk):
        idea = self.get_object()
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


class IdeaTransitionView(IdeaPermissionMixin, TransitionView):
    """Confirm and take one step in the idea's life."""

    template_name = "ideas/idea_transition.html"
    object_context_name = "idea"

    def field_prefill(self, obj, transition) -> dict:
        if "lessons_learned" in transition.custom.get("fields", ()):
            return {"lessons_learned": lessons_draft(obj)}
        return {}

    @property
    def message_label(self):
        return _("Message to the owner (required)")


class ChampionView(IdeaPermissionMixin, View):
    permission_required = "ideas.champion_idea"

    def post(self, request, pk):
        idea = self.get_object()
        form = ChampionForm(request.POST)
        offer = form.cleaned_data["offer"] if form.is_valid() else ""
        if "update_offer" in request.POST:
            services.champion_offer_update(idea=idea, by=request.user, offer=offer)
            messages.success(request, _("Your offer of help is saved."))
        elif champion_toggle(idea=idea, by=request.user, offer=offer):
            messages.success(request, _("You champion this idea. Thank you!"))
        else:
            messages.success(request, _("You no longer champion this idea."))
        return redirect(idea)


class ConsentView(IdeaPermissionMixin, View):
    permission_required = "ideas.give_consent"

    def post(self, request, pk):
        idea = self.get_object()
        consent = request.POST.get("consent") == "yes"
        services.idea_consent_set(idea=idea, by=request.user, consent=consent)
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
