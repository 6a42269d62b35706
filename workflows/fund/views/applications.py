"""The applicant's pages of the innovation fund: apply, edit, see the application with its
decisions, take its steps, follow up costs and return unspent money.

Each view parses input with a form, calls one service (`ideasluss.fund.services`, or a
step of the application's lifecycle), and redirects with a message or re-renders with
the refusal's (Swedish) messages. An application is visible to the fund's reviewers and
the idea's team only; to anyone else it answers 404, so its existence does not leak.
"""

import os
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import ListView

from ideasluss.accounts.permissions import PermissionRequiredMixin
from ideasluss.accounts.rules import is_committee_member
from ideasluss.errors import NotAllowed, WorkflowError
from ideasluss.fund import selectors, services
from ideasluss.fund.amounts import kronor
from ideasluss.fund.models import Application, Cost, Decision, MoneyReturn
from ideasluss.fund.money import GrantBalance
from ideasluss.ideas.attachments import too_large_error
from ideasluss.ideas.models import Idea
from ideasluss.pagination import BoundedPaginator
from workflows.fund.forms.applications import (
    ApplicationFilterForm,
    ApplicationForm,
    CostForm,
    ReturnMoneyForm,
    budget_formset,
    with_one_more_line,
)

from ...progress import application_next_step
from ...transition_views import TransitionView, success_message_of
from ...transitions import available_actions, transition_perform
from ...uploads import UPLOAD_OVERHEAD_BYTES, declared_length
from ..services import money_return as return_money_to_fund

PAGE_SIZE = 20

RECEIPT_CONTENT_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".png": "image/png"}
RECEIPT_CACHE_SECONDS = 3600


class ApplicationPermissionMixin(PermissionRequiredMixin):
    """An application page: 404 for anyone who may not see the application."""

    queryset = Application.objects.select_related("fund", "idea__owner").prefetch_related(
        "idea__co_owners"
    )
    view_permission = "fund.view_application"
    #: load everything the application and review pages show
    for_page = False

    def get_object(self):
        if self.for_page and not hasattr(self, "object"):
            try:
                self.object = selectors.application_for_page(pk=self.kwargs["pk"])
            except Application.DoesNotExist as missing:
                raise Http404 from missing
        return super().get_object()


@dataclass(frozen=True)
class DecisionRow:
    decision: Decision
    supersedes: Decision | None
    superseded_by: Decision | None


@dataclass(frozen=True)
class FollowUp:
    """The money side of an application: its grant in force, what is left of it (the
    one definition, `money.GrantBalance`) and the return that closed it, if any."""

    grant: Decision | None
    balance: GrantBalance
    money_return: MoneyReturn | None

    @property
    def is_open(self) -> bool:
        """Costs can be recorded: there is a grant and the money has not been returned."""
        return self.grant is not None and self.money_return is None


def decision_rows(application: Application) -> list[DecisionRow]:
    """The application's decisions, oldest first, each with what it supersedes and what
    superseded it (from `application_for_page`'s prefetch: no query)."""
    decisions = list(application.decisions.all())
    by_pk = {decision.pk: decision for decision in decisions}
    successor = {d.supersedes_id: d for d in decisions if d.supersedes_id}
    return [
        DecisionRow(
            decision=decision,
            supersedes=by_pk.get(decision.supersedes_id),
            superseded_by=successor.get(decision.pk),
        )
        for decision in decisions
    ]


def follow_up_of(application: Application, rows: list[DecisionRow] | None = None) -> FollowUp:
    """The follow-up of an application from `application_for_page` (no query)."""
    rows = decision_rows(application) if rows is None else rows
    in_force = [row.decision for row in rows if row.superseded_by is None]
    grant = next((d for d in reversed(in_force) if d.grants_money), None)
    try:
        money_return = application.money_return
    except ObjectDoesNotExist:
        money_return = None
    return FollowUp(grant=grant, balance=GrantBalance.of(application), money_return=money_return)


def return_blockers(application: Application, follow_up: FollowUp) -> list[str]:
    """Why unspent money cannot be returned yet (the service checks again)."""
    blockers = []
    if not application.idea.is_final:
        blockers.append(_("Unspent money is returned when the idea has reached its end."))
    if follow_up.grant is None:
        blockers.append(_("This application has no grant."))
    elif follow_up.money_return is not None:
        blockers.append(_("The unspent money has already been returned."))
    elif follow_up.balance.returnable == 0:
        blockers.append(_("Nothing is left of the grant to return."))
    return blockers


# --- applying and editing ---------------------------------------------------------------


def save_and_maybe_submit(request: HttpRequest, application: Application) -> HttpResponse:
    """After saving: submit too when the applicant asked for it, else stay a draft."""
    if "submit" not in request.POST:
        messages.success(
            request, _("The application is saved. Submit it to the fund when it is complete.")
        )
        return redirect(application)
    try:
        transition_perform(
            obj=application, name="submit", by=request.user, expected_state=application.state
        )
    except WorkflowError as refusal:
        for text in refusal.messages:
            messages.error(request, text)
        messages.info(request, _("The application is saved; complete it and submit again."))
        return redirect("fund:application-edit", pk=application.pk)
    messages.success(request, success_message_of(application, "submit"))
    return redirect(application)


class ApplicationCreateView(PermissionRequiredMixin, View):
    """Apply for money for an idea: the idea's team, while it is planned or tested."""

    template_name = "fund/application_form.html"
    queryset = Idea.objects.select_related("owner").prefetch_related("co_owners")
    pk_url_kwarg = "idea_pk"
    view_permission = "ideas.view_idea"
    permission_required = "fund.apply_for_idea"

    def _idea(self, request, idea_pk: int) -> Idea:
        return self.get_object()

    def _render(self, request, idea, form, formset, status=200, **extra):
        context = {
            "idea": idea,
            "form": form,
            "formset": formset,
            "in_progress": list(selectors.applications_in_progress(idea=idea)),
            **extra,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, idea_pk):
        idea = self._idea(request, idea_pk)
        funds = selectors.funds_open_for_idea(idea=idea)
        form = ApplicationForm(funds=funds)
        current = [fund for fund in funds if fund.is_current]
        if len(current) == 1:
            form.fields["fund"].initial = current[0]
        elif len(funds) > 1:
            form.fields["fund"].empty_label = _("Choose a fund")
        return self._render(request, idea, form, budget_formset(), no_fund_open=not funds)

    def post(self, request, idea_pk):
        idea = self._idea(request, idea_pk)
        form = ApplicationForm(request.POST, funds=selectors.funds_open_for_idea(idea=idea))
        if "add_line" in request.POST:
            return self._render(
                request, idea, form, budget_formset(with_one_more_line(request.POST))
            )
        formset = budget_formset(request.POST)
        if not (form.is_valid() and formset.is_valid()):
            return self._render(request, idea, form, formset, status=400)
        try:
            application = services.application_create(
                idea=idea,
                fund=form.cleaned_data["fund"],
                by=request.user,
                motivation=form.cleaned_data["motivation"],
                expected_effect=form.cleaned_data["expected_effect"],
                lines=formset.lines(),
            )
        except WorkflowError as refusal:
            for text in refusal.messages:
                form.add_error(None, text)
            return self._render(request, idea, form, formset, status=400)
        return save_and_maybe_submit(request, application)


class ApplicationUpdateView(ApplicationPermissionMixin, View):
    """Edit a draft or returned application, budget included."""

    template_name = "fund/application_form.html"
    permission_required = "fund.change_application"

    def _render(self, request, application, form, formset, status=200):
        context = {
            "application": application,
            "idea": application.idea,
            "form": form,
            "formset": formset,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        application = self.get_object()
        form = ApplicationForm(
            initial={
                "motivation": application.motivation,
                "expected_effect": application.expected_effect,
            }
        )
        return self._render(request, application, form, budget_formset(application=application))

    def post(self, request, pk):
        application = self.get_object()
        form = ApplicationForm(request.POST)
        if "add_line" in request.POST:
            formset = budget_formset(with_one_more_line(request.POST), application=application)
            return self._render(request, application, form, formset)
        formset = budget_formset(request.POST, application=application)
        if not (form.is_valid() and formset.is_valid()):
            return self._render(request, application, form, formset, status=400)
        try:
            application = services.application_update(
                application=application,
                by=request.user,
                motivation=form.cleaned_data["motivation"],
                expected_effect=form.cleaned_data["expected_effect"],
                lines=formset.lines(),
            )
        except NotAllowed as refusal:
            raise PermissionDenied(refusal.messages[0]) from refusal
        except WorkflowError as refusal:
            for text in refusal.messages:
                form.add_error(None, text)
            return self._render(request, application, form, formset, status=400)
        return save_and_maybe_submit(request, application)


# --- the application page, the list and the steps -----------------------------------------


class ApplicationDetailView(ApplicationPermissionMixin, View):
    template_name = "fund/application_detail.html"
    for_page = True

    def get(self, request, pk):
        application = self.get_object()
        user = request.user
        lines = list(application.budget_lines.all())
        rows = decision_rows(application)
        follow_up = follow_up_of(application, rows)
        can_see_scores = user.has_perm("fund.see_scores", application)
        actions = available_actions(application, user)
        context = {
            "application": application,
            "idea": application.idea,
            "next_step": application_next_step(
                application=application, user=user, actions=actions, follow_up=follow_up
            ),
            "lines": lines,
            "category_totals": selectors.budget_by_category(lines),
            "decision_rows": rows,
            "follow_up": follow_up,
            "costs": list(application.costs.all()),
            "actions": actions,
            "can_edit": user.has_perm("fund.change_application", application),
            "can_declare": user.has_perm("fund.declare_conflict", application),
            "can_review": user.has_perm("fund.review_application", application),
            "can_decide": user.has_perm("fund.view_delegated_decision", application),
            "can_record_cost": follow_up.is_open and user.has_perm("fund.record_cost", application),
            "can_return_money": follow_up.is_open
            and follow_up.balance.returnable > 0
            and application.idea.is_final
            and user.has_perm("fund.return_money", application),
            "is_reviewer": user.has_perm("fund.access_fund"),
            "recused": [d.member for d in application.declarations.all() if d.has_conflict],
            "i_am_recused": any(
                d.member_id == user.pk and d.has_conflict for d in application.declarations.all()
            ),
            "can_see_scores": can_see_scores,
            "spread": selectors.score_spread(application) if can_see_scores else None,
        }
        return render(request, self.template_name, context)


class ApplicationListView(LoginRequiredMixin, ListView):
    """“My applications” (own and the team's), and for coaches and the committee the
    fund's queue, filterable by fund and state."""

    template_name = "fund/application_list.html"
    paginate_by = PAGE_SIZE
    paginator_class = BoundedPaginator
    context_object_name = "applications"
    MINE = "mine"
    QUEUE = "queue"

    def get_queryset(self):
        user = self.request.user
        self.is_reviewer = user.has_perm("fund.access_fund")
        wants_mine = self.request.GET.get("view") == self.MINE
        self.scope = self.QUEUE if self.is_reviewer and not wants_mine else self.MINE
        self.filter_form = ApplicationFilterForm(self.request.GET or None)
        filters = self.filter_form.filters()
        if self.scope == self.QUEUE:
            return selectors.application_queue(user=user, **filters)
        return selectors.applications_of_applicant(user=user, **filters)

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        query["view"] = self.scope
        return super().get_context_data(
            filter_form=self.filter_form,
            query_string=query.urlencode(),
            scope=self.scope,
            is_reviewer=self.is_reviewer,
            is_committee_member=is_committee_member(self.request.user),
            **kwargs,
        )


class ApplicationActionView(ApplicationPermissionMixin, TransitionView):
    """Submit, take up or withdraw: a POST button on the application page (withdrawing is
    confirmed on a page of its own first)."""

    template_name = "fund/application_action.html"
    object_context_name = "application"
    step_kwarg = "action"


# --- follow-up: costs, receipts and returned money ---------------------------------------


# As for idea attachments: an oversized upload is refused from its declared length before
# the body is read, so the CSRF check (which reads the body) runs inside the view.
@method_decorator(csrf_exempt, name="dispatch")
class CostCreateView(ApplicationPermissionMixin, View):
    """Record an actual cost against the grant, with an optional receipt."""

    template_name = "fund/application_cost_form.html"
    permission_required = "fund.record_cost"
    for_page = True

    def _render(self, request, application, form, status=200):
        follow_up = follow_up_of(application)
        context = {"application": application, "form": form, "follow_up": follow_up}
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        application = self.get_object()
        return self._render(request, application, CostForm())

    def post(self, request, pk):
        application = self.get_object()
        if declared_length(request) > settings.IDEA_ATTACHMENT_MAX_BYTES + UPLOAD_OVERHEAD_BYTES:
            messages.error(request, " ".join(too_large_error().messages))
            return redirect("fund:cost-add", pk=application.pk)
        return self.record(request, application)

    @method_decorator(csrf_protect)
    def record(self, request, application):
        form = CostForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, application, form, status=400)
        data = form.cleaned_data
        try:
            services.cost_record(
                application=application,
                by=request.user,
                amount=data["amount"],
                date=data["date"],
                note=data["note"],
                receipt=data["receipt"],
            )
        except WorkflowError as refusal:
            for text in refusal.messages:
                form.add_error(None, text)
            return self._render(request, application, form, status=400)
        messages.success(request, _("The cost is recorded."))
        return redirect(application)


class ReceiptView(PermissionRequiredMixin, View):
    """A cost's receipt, for people who may see the application; everyone else gets 404."""

    http_method_names = ["get", "head"]
    queryset = Cost.objects.select_related("application__idea__owner")
    view_permission = "fund.view_application"

    def get_permission_object(self):
        return self.get_object().application

    def get(self, request, pk):
        cost = self.get_object()
        if not cost.receipt:
            raise Http404
        extension = os.path.splitext(cost.receipt.name)[1].lower()
        try:
            file = cost.receipt.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(
            file,
            content_type=RECEIPT_CONTENT_TYPES.get(extension, "application/octet-stream"),
            as_attachment=extension not in (".jpg", ".png"),
            filename=f"{_('receipt')}-{cost.pk}{extension}",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cross-Origin-Resource-Policy"] = "same-origin"
        patch_cache_control(response, private=True, max_age=RECEIPT_CACHE_SECONDS)
        return response


class ReturnMoneyView(ApplicationPermissionMixin, View):
    """A coach gives a finished idea's unspent money back to the fund (confirmed first)."""

    template_name = "fund/application_return_money.html"
    permission_required = "fund.return_money"
    for_page = True

    def _render(self, request, application, form, status=200):
        follow_up = follow_up_of(application)
        context = {
            "application": application,
            "form": form,
            "follow_up": follow_up,
            "blockers": return_blockers(application, follow_up),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        application = self.get_object()
        left = GrantBalance.of(application).returnable
        return self._render(request, application, ReturnMoneyForm(initial={"amount": left}))

    def post(self, request, pk):
        application = self.get_object()
        form = ReturnMoneyForm(request.POST)
        if not form.is_valid():
            return self._render(request, application, form, status=400)
        try:
            money_return = return_money_to_fund(
                application=application,
                by=request.user,
                amount=form.cleaned_data["amount"],
                note=form.cleaned_data["note"],
            )
        except WorkflowError as refusal:
            # Offer what is left now (a cost may have been recorded since the page was shown).
            data = request.POST.copy()
            data["amount"] = GrantBalance.of(application).returnable
            form = ReturnMoneyForm(data)
            form.is_valid()
            for text in refusal.messages:
                form.add_error(None, text)
            return self._render(request, application, form, status=400)
        messages.success(
            request,
            _("%(amount)s is returned to the fund.") % {"amount": kronor(money_return.amount)},
        )
        return redirect(application)
