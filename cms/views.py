"""Views of the public site that are not Wagtail pages: search and robots.txt."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe
from wagtail.models import Site

from .cache import public_cache
from .forms import SiteSearchForm
from .selectors import search_public_pages

SEARCH_PAGE_SIZE = 10


@require_safe
def search(request):
    """Search every live, public page of the site.

    Not stored in the page cache: every query is different, and storing them would push
    the pages everyone reads out of a cache of bounded size.
    """
    form = SiteSearchForm(request.GET or None)
    query = form.query()
    page_obj = None
    if query:
        results = search_public_pages(query=query, site=Site.find_for_request(request))
        page_obj = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cms/search.html",
        {
            "form": form,
            "query": query,
            "page_obj": page_obj,
            "query_string": urlencode({"q": query}),
        },
    )


@require_safe
@public_cache
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("cms:sitemap"))
    return render(
        request,
        "robots.txt",
        {"sitemap_url": sitemap_url},
        content_type="text/plain; charset=utf-8",
    )
