"""The decision register for staff, one decision's full record, and corrections.

Decisions are never edited: a correction is a new decision that supersedes the
one in force, recorded by `decision_record` like any other decision.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from ideasluss.accounts.permissions import PermissionRequiredMixin
from ideasluss.errors import ConcurrentChange, WorkflowError
from ideasluss.fund import selectors
from ideasluss.fund.models import AgendaItem, Decision
from ideasluss.fund.participation import participation_in
from ideasluss.pagination import BoundedPaginator
from workflows.fund.forms.decisions import RegisterFilterForm, SupersedeForm

from ..services import decision_preview, decision_record
from .confirmation import render_confirmation

PAGE_SIZE = 25


class DecisionPermissionMixin(PermissionRequiredMixin):
    """A decision page, with what it shows (`selectors.decision_for_page`). Decisions are
    public records: every employee sees them in the register."""

    model = Decision
    permission_required = "fund.view_register"

    def get_object(self):
        if not hasattr(self, "object"):
            try:
                self.object = selectors.decision_for_page(pk=self.kwargs["pk"])
            except Decision.DoesNotExist as missing:
                raise Http404 from missing
        return self.object


def superseded_by(decision: Decision) -> Decision | None:
    """The later decision that superseded this one (loaded with it, no query)."""
    return getattr(decision, "superseded_by", None)


class RegisterView(PermissionRequiredMixin, ListView):
    """Every decision, newest first, searchable and filterable, with exports."""

    template_name = "fund/register.html"
    paginate_by = PAGE_SIZE
    paginator_class = BoundedPaginator
    context_object_name = "decisions"

    permission_required = "fund.view_register"

    def get_queryset(self):
        self.filter_form = RegisterFilterForm(self.request.GET or None)
        return selectors.decision_register(**self.filter_form.filters())

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter_form=self.filter_form,
            query_string=query.urlencode(),
            can_export_costs=self.request.user.has_perm("fund.access_fund"),
            **kwargs,
        )


class DecisionDetailView(DecisionPermissionMixin, View):
    """The full public record of one decision, with who decided and its place in the chain."""

    template_name = "fund/decision_detail.html"

    def get(self, request, pk):
        decision = self.get_object()
        user = request.user
        idea = decision.application.idea
        context = {
            "decision": decision,
            "idea": idea,
            "superseded_by": superseded_by(decision),
            "can_see_idea": user.has_perm("ideas.view_idea", idea),
            "can_see_application": user.has_perm("fund.view_application", decision.application),
            "can_see_meeting": user.has_perm("fund.access_fund"),
            "can_supersede": user.has_perm("fund.supersede_decision", decision),
        }
        return render(request, self.template_name, context)


def _participation(meeting, application):
    if meeting is None:
        return None
    item = AgendaItem.objects.filter(meeting=meeting, application=application).first()
    return participation_in(item or AgendaItem(meeting=meeting, application=application))


class SupersedeView(DecisionPermissionMixin, View):
    """Correct a decision: record a new one that supersedes it (the old one stays)."""

    template_name = "fund/decision_supersede.html"
    permission_required = "fund.access_fund"

    def _render(self, request, decision, form, status=200):
        context = {
            "decision": decision,
            "form": form,
            "may_supersede": request.user.has_perm("fund.supersede_decision", decision),
        }
        if not context["may_supersede"] and status == 200:
            status = 403
        return render(request, self.template_name, context, status=status)

    def _refuse_if_superseded(self, request, decision):
        later = superseded_by(decision)
        if later is None:
            return None
        messages.error(
            request,
            _("%(old)s has already been superseded by %(new)s: correct that decision instead.")
            % {"old": decision.registration_number, "new": later.registration_number},
        )
        return redirect(later)

    def get(self, request, pk):
        decision = self.get_object()
        refused = self._refuse_if_superseded(request, decision)
        if refused:
            return refused
        form = SupersedeForm(decision=decision, user=request.user)
        return self._render(request, decision, form)

    def post(self, request, pk):
        decision = self.get_object()
        refused = self._refuse_if_superseded(request, decision)
        if refused:
            return refused
        form = SupersedeForm(request.POST, decision=decision, user=request.user)
        if not request.user.has_perm("fund.supersede_decision", decision):
            return self._render(request, decision, form, status=403)
        if "revise" in request.POST:
            return self._render(request, decision, form)
        if not form.is_valid():
            return self._render(request, decision, form, status=400)
        arguments = {
            "application": decision.application,
            "by": request.user,
            "supersedes": decision,
            **form.decide_arguments(),
        }
        try:
            if not form.cleaned_data["confirmed"]:
                return render_confirmation(
                    request,
                    form=form,
                    preview=decision_preview(**arguments),
                    participation=_participation(arguments["meeting"], decision.application),
                    back_url=reverse("fund:decision-supersede", args=[decision.pk]),
                )
            correction = decision_record(**arguments)
        except ConcurrentChange:
            messages.error(
                request,
                _("Someone corrected %(number)s just now. Here is the decision as it stands.")
                % {"number": decision.registration_number},
            )
            return redirect(decision)
        except WorkflowError as refusal:
            for text in refusal.messages:
                form.add_error(None, text)
            return self._render(request, decision, form, status=400)
        messages.success(
            request,
            _("%(new)s is recorded and supersedes %(old)s.")
            % {"new": correction.registration_number, "old": decision.registration_number},
        )
        return redirect(correction)
