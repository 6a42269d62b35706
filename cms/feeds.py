"""RSS 2.0 and Atom feeds of new results and lessons, for readers and other municipalities."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext_lazy as _

from .models import ResultPage
from .selectors import newest_stories

FEED_ITEMS = 20


class StoriesFeed(Feed):
    """The newest published results and lessons, newest first."""

    feed_type = Rss201rev2Feed
    title = _("Idésluss: new results and lessons")
    description = _(
        "Ideas from the municipality's employees that were tested: what became everyday "
        "work, and what was learned."
    )

    def link(self):
        return "/"

    def feed_url(self):
        return reverse("cms:feed-rss")

    def items(self):
        return newest_stories(limit=FEED_ITEMS)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.search_description or item.summary

    def item_link(self, item):
        return item.get_full_url()

    def item_guid(self, item):
        return item.get_full_url()

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [_("Result") if isinstance(item, ResultPage) else _("Lesson")]


class StoriesAtomFeed(StoriesFeed):
    feed_type = Atom1Feed
    subtitle = StoriesFeed.description

    def feed_url(self):
        return reverse("cms:feed-atom")
