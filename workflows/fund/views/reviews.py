"""The committee's review pages: declare conflicts of interest (jäv), score, see the spread,
and a coach's decision under delegation.

A member declares before seeing any score. A member with a conflict is recused: the pages
tell them so and show them no scores, and the services refuse their scores and decisions.
The spread of scores is shown only where `fund.see_scores` holds (a member once they have
scored, coaches who prepare but do not score).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from ideasluss.errors import ConcurrentChange, WorkflowError
from ideasluss.fund import money, selectors, services
from ideasluss.fund.models import Application, DeclarationEntry
from ideasluss.fund.participation import Ground, concern_of
from ideasluss.fund.rules import has_declared, is_applicant, is_fund_committee_member, is_recused
from workflows.fund.forms.decisions import DecisionForm
from workflows.fund.forms.reviews import DeclarationForm, ReviewForm

from ..lifecycle import ApplicationLifecycle
from ..services import decision_preview, decision_record, review_submit
from .applications import ApplicationPermissionMixin
from .confirmation import render_confirmation


def _recused_members(application: Application) -> list:
    return [d.member for d in application.declarations.all() if d.has_conflict]


class DeclareView(ApplicationPermissionMixin, View):
    """“Do you have a conflict of interest?” – asked before any score is shown, and
    correctable until the application is decided. Whoever the application concerns is
    not asked: the page tells them they are disqualified."""

    template_name = "fund/review_declare.html"
    for_page = True

    def _render(self, request, application, form, status=200):
        user = request.user
        mine = next((d for d in application.declarations.all() if d.member_id == user.pk), None)
        concern = concern_of(user, application)
        context = {
            "application": application,
            "idea": application.idea,
            "form": form,
            "declaration": mine,
            "answers": DeclarationEntry.objects.filter(application=application, member=user),
            "concern": Ground.LABELS[concern] if concern else None,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        application = self.get_object()
        user = request.user
        if user.has_perm("fund.declare_conflict", application):
            return self._render(request, application, DeclarationForm())
        if user.has_perm("fund.correct_declaration", application):
            mine = next(d for d in application.declarations.all() if d.member_id == user.pk)
            return self._render(request, application, DeclarationForm.for_correction(mine))
        if is_fund_committee_member(user, application) and is_applicant(user, application):
            return self._render(request, application, None)
        if has_declared(user, application):
            messages.info(
                request, _("The application is decided: the answer can no longer change.")
            )
            return redirect(application)
        raise PermissionDenied

    def post(self, request, pk):
        application = self.get_object()
        user = request.user
        correcting = user.has_perm("fund.correct_declaration", application)
        if not (correcting or user.has_perm("fund.declare_conflict", application)):
            raise PermissionDenied
        form = DeclarationForm(request.POST)
        if not form.is_valid():
            return self._render(request, application, form, status=400)
        try:
            services.conflict_declare(
                application=application,
                member=user,
                has_conflict=form.has_conflict,
                reason=form.cleaned_data["reason"],
            )
        except WorkflowError as refusal:
            for text in refusal.messages:
                form.add_error(None, text)
            return self._render(request, application, form, status=400)
        if form.has_conflict:
            messages.success(
                request,
                _(
                    "Your conflict of interest is recorded. You are disqualified: you do not "
                    "see the scores, score or take part in the decision on this application."
                ),
            )
            return redirect(application)
        if correcting:
            messages.success(
                request, _("Your answer is corrected: you have no conflict of interest.")
            )
        else:
            messages.success(request, _("Thank you. You can now score the application."))
        return redirect("fund:review", pk=application.pk)


class ReviewView(ApplicationPermissionMixin, View):
    """Score every criterion 1–5 with a comment; then see how the others scored."""

    template_name = "fund/review_form.html"
    for_page = True

    def _render(self, request, application, form=None, status=200):
        user = request.user
        can_see_scores = user.has_perm("fund.see_scores", application)
        context = {
            "application": application,
            "idea": application.idea,
            "form": form,
            "i_am_recused": is_recused(user, application),
            "recused": _recused_members(application),
            "can_see_scores": can_see_scores,
            "spread": selectors.score_spread(application) if can_see_scores else None,
        }
        return render(request, self.template_name, context, status=status)

    @staticmethod
    def _criteria(application: Application) -> list:
        return list(application.fund.criteria.all())

    def get(self, request, pk):
        application = self.get_object()
        user = request.user
        if user.has_perm("fund.declare_conflict", application):
            messages.info(
                request,
                _(
                    "Declare first whether you have a conflict of interest. "
                    "No score is shown before."
                ),
            )
            return redirect("fund:declare", pk=application.pk)
        form = None
        if user.has_perm("fund.review_application", application):
            mine = next((r for r in application.reviews.all() if r.member_id == user.pk), None)
            form = ReviewForm(
                initial=ReviewForm.initial_from(mine), criteria=self._criteria(application)
            )
        elif not user.has_perm("fund.view_review", application):
            raise PermissionDenied
        return self._render(request, application, form)

    def post(self, request, pk):
        application = self.get_object()
        if not request.user.has_perm("fund.review_application", application):
            raise PermissionDenied
        form = ReviewForm(request.POST, criteria=self._criteria(application))
        if not form.is_valid():
            return self._render(request, application, form, status=400)
        try:
            review_submit(
                application=application,
                member=request.user,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
        except WorkflowError as refusal:
            for text in refusal.messages:
                form.add_error(None, text)
            return self._render(request, application, form, status=400)
        messages.success(request, _("Your scores are saved. Below you see how the others scored."))
        return redirect("fund:review", pk=application.pk)


class DecideView(ApplicationPermissionMixin, View):
    """A coach's decision under delegation, without a meeting (at or under the limit)."""

    template_name = "fund/review_decide.html"
    permission_required = "fund.view_delegated_decision"
    for_page = True

    def _render(self, request, application, form, status=200):
        can_see_scores = request.user.has_perm("fund.see_scores", application)
        context = {
            "application": application,
            "idea": application.idea,
            "form": form,
            "balance": money.fund_balance(application.fund),
            "over_limit": application.total > application.fund.delegated_limit,
            "recused": _recused_members(application),
            "can_see_scores": can_see_scores,
            "spread": selectors.score_spread(application) if can_see_scores else None,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        application = self.get_object()
        return self._render(request, application, DecisionForm())

    def post(self, request, pk):
        application = self.get_object()
        form = DecisionForm(request.POST)
        if "revise" in request.POST:
            return self._render(request, application, form)
        if not form.is_valid():
            return self._render(request, application, form, status=400)
        arguments = {
            "application": application,
            "by": request.user,
            "meeting": None,
            **form.decide_arguments(),
        }
        try:
            if not form.cleaned_data["confirmed"]:
                return render_confirmation(
                    request,
                    form=form,
                    preview=decision_preview(**arguments),
                    back_url=reverse("fund:decide", args=[application.pk]),
                )
            decision = decision_record(**arguments)
        except ConcurrentChange:
            form.add_error(None, str(ApplicationLifecycle.changed_message))
            return self._render(request, application, form, status=409)
        except WorkflowError as refusal:
            for text in refusal.messages:
                form.add_error(None, text)
            return self._render(request, application, form, status=400)
        messages.success(
            request,
            _("Decision %(number)s is recorded.") % {"number": decision.registration_number},
        )
        return redirect(application)
