"""The committee's dashboard, one fund's page and the follow-up of grants.

Read-only pages: every figure comes from a selector that runs a fixed number
of queries, whatever the number of funds, applications or decisions.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from ideasluss.accounts.permissions import PermissionRequiredMixin
from ideasluss.accounts.rules import is_committee_member
from ideasluss.fund import selectors
from ideasluss.fund.charts import BarChart
from ideasluss.fund.models import Fund
from ideasluss.pagination import BoundedPaginator

FOLLOW_UP_PAGE_SIZE = 25
UPCOMING_MEETINGS = 5


class FundAccessMixin(PermissionRequiredMixin):
    """Committee members, the chair and coaches only; anonymous users go to the login page."""

    permission_required = "fund.access_fund"


def money_charts(*, fund: Fund | None = None) -> list[BarChart]:
    """The two charts of granted money, by budget category and by the state of the ideas;
    each caption says how its numbers are counted."""
    scope = _("All funds.") if fund is None else _("The fund %(fund)s.") % {"fund": fund.name}
    by_category = _(
        "Money granted by budget category: the budget lines of every application with a "
        "grant in force, scaled down when a lower amount was approved, rounded to whole kronor."
    )
    by_state = _(
        "Money granted by the state the funded idea is in now: the amounts of every grant in force."
    )
    return [
        BarChart(
            key="category",
            title=_("Money granted by budget category"),
            caption=f"{by_category} {scope}",
            label_header=_("Budget category"),
            value_header=_("Granted"),
            rows=tuple(selectors.granted_by_category(fund=fund)),
        ),
        BarChart(
            key="idea-state",
            title=_("Money granted by the state of the funded ideas"),
            caption=f"{by_state} {scope}",
            label_header=_("State of the idea"),
            value_header=_("Granted"),
            rows=tuple(selectors.granted_by_idea_state(fund=fund)),
        ),
    ]


class DashboardView(FundAccessMixin, View):
    template_name = "fund/dashboard.html"

    def get(self, request):
        user = request.user
        waiting = []
        if is_committee_member(user):
            waiting += [
                (
                    "declare",
                    _("Declare whether you have a conflict of interest"),
                    selectors.shortlist(selectors.applications_to_declare(user=user)),
                ),
                (
                    "score",
                    _("Score (you have declared no conflict of interest)"),
                    selectors.shortlist(selectors.applications_to_score(user=user)),
                ),
            ]
        if user.has_perm("accounts.coach"):
            waiting += [
                (
                    "take_up",
                    _("Take up for the committee (over the fund's delegated limit)"),
                    selectors.shortlist(selectors.applications_to_take_up(user=user)),
                ),
                (
                    "decide",
                    _("Decide under delegation (at or under the fund's delegated limit)"),
                    selectors.shortlist(selectors.applications_to_decide_delegated(user=user)),
                ),
            ]
        context = {
            "funds": selectors.funds_with_balances(),
            "waiting": waiting,
            "meetings": selectors.upcoming_meetings()[:UPCOMING_MEETINGS],
            "charts": money_charts(),
            "overdue_count": selectors.overdue_follow_up_count(),
        }
        return render(request, self.template_name, context)


class FundDetailView(FundAccessMixin, View):
    template_name = "fund/fund_detail.html"

    def get(self, request, pk):
        funds = selectors.funds_with_balances(
            funds=Fund.objects.filter(pk=pk).prefetch_related("criteria")
        )
        if not funds:
            raise Http404
        fund = funds[0]
        context = {
            "fund": fund,
            "application_counts": selectors.application_counts_by_state(fund=fund),
            "upcoming_meetings": selectors.upcoming_meetings(fund=fund),
            "held_meetings": selectors.meeting_list(fund=fund, held=True),
            "charts": money_charts(fund=fund),
        }
        return render(request, self.template_name, context)


class FollowUpView(FundAccessMixin, ListView):
    """Every grant in force: granted, spent, returned, what is left of it, and whether a
    follow-up is overdue."""

    template_name = "fund/follow_up.html"
    paginate_by = FOLLOW_UP_PAGE_SIZE
    paginator_class = BoundedPaginator
    context_object_name = "grants"

    def get_queryset(self):
        self.overdue_only = self.request.GET.get("overdue") == "1"
        return selectors.follow_up(overdue_only=self.overdue_only)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            overdue_only=self.overdue_only,
            query_string="overdue=1" if self.overdue_only else "",
            grace_days=selectors.FOLLOW_UP_GRACE_DAYS,
            **kwargs,
        )
