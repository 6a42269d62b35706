"""The public site's addresses beside Wagtail's pages: search, feeds, sitemap, robots.txt.

Mounted before Wagtail's catch-all in `ideasluss/urls.py`.
"""

from django.urls import path
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps.views import sitemap

from . import views
from .cache import public_cache
from .feeds import StoriesAtomFeed, StoriesFeed

app_name = "cms"

urlpatterns = [
    path("sok/", views.search, name="search"),
    path("feed/rss/", require_safe(public_cache(StoriesFeed())), name="feed-rss"),
    path("feed/atom/", require_safe(public_cache(StoriesAtomFeed())), name="feed-atom"),
    path("sitemap.xml", require_safe(public_cache(sitemap)), name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
