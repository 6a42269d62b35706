"""The fund's public page: totals, what the money became, and the decision register."""

from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from ideasluss.db_routing import reads_from_replica
from ideasluss.fund.charts import BarChart
from ideasluss.fund.models import Decision

from ..forms import PublicRegisterForm

GRANTS_PAGE_SIZE = 20
REGISTER_PAGE_SIZE = 25


def granted_charts(figures) -> list[BarChart]:
    """Money granted per year, then each year's money per budget category: charts
    drawn on the server, each with its table (`fund/includes/bar_chart.html`)."""
    charts = [
        BarChart(
            key="years",
            title=gettext("Money granted per year"),
            caption=gettext(
                "Money granted per year: the amounts of every grant in force, "
                "counted in the year of the decision."
            ),
            label_header=gettext("Year"),
            value_header=gettext("Granted"),
            rows=tuple((str(year.year), year.granted) for year in figures.years),
        )
    ]
    for year in figures.years:
        charts.append(
            BarChart(
                key=f"categories-{year.year}",
                title=gettext("Money granted in %(year)s by budget category") % {"year": year.year},
                caption=gettext(
                    "Money granted in %(year)s by budget category: the budget lines of "
                    "every application with a grant in force, scaled down when a lower "
                    "amount was approved, rounded to whole kronor."
                )
                % {"year": year.year},
                label_header=gettext("Budget category"),
                value_header=gettext("Granted"),
                rows=year.by_category,
            )
        )
    return charts


class FundPage(RoutablePageMixin, Page):
    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("fund page")

    def get_sitemap_urls(self, request=None):
        """The page and its decision register (single decisions are reached from it)."""
        urls = super().get_sitemap_urls(request)
        location = urls[0]["location"]
        if location:
            register = location.rstrip("/") + "/" + self.reverse_subpage("register")
            urls.append({"location": register, "lastmod": urls[0]["lastmod"]})
        return urls

    # The selectors import the page models, so they are imported where they are used.

    @path("", name="index")
    def index(self, request):
        """Totals per year and category, and what every grant became."""
        from ..selectors import finish_grant_rows, fund_figures, grant_outcomes

        figures = fund_figures()
        grants = Paginator(grant_outcomes(), GRANTS_PAGE_SIZE).get_page(request.GET.get("page"))
        finish_grant_rows(grants, request=request)
        return self.render(
            request,
            context_overrides={
                "figures": figures,
                "charts": granted_charts(figures),
                "page_obj": grants,
                "grants": grants,
            },
        )

    @path("beslut/", name="register")
    @reads_from_replica
    def register(self, request):
        """The public decision register: searched, filtered and paginated."""
        from ..selectors import public_register

        form = PublicRegisterForm(request.GET or None)
        decisions = public_register(**form.filters())
        page_obj = Paginator(decisions, REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return self.render(
            request,
            template="cms/fund_register.html",
            context_overrides={
                "filter_form": form,
                "page_obj": page_obj,
                "decisions": page_obj,
                "query_string": query.urlencode(),
            },
        )

    @path("beslut/<int:pk>/", name="decision")
    def decision(self, request, pk):
        """One decision as the public record states it."""
        from ..selectors import attach_stories, public_decision

        try:
            decision = public_decision(pk=pk)
        except Decision.DoesNotExist as missing:
            raise Http404 from missing
        attach_stories([decision], request=request)
        return self.render(
            request,
            template="cms/fund_decision.html",
            context_overrides={"decision": decision},
        )
