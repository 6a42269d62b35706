"""The public site's fixed sections, created once under the home page.

`ensure_site_tree()` is idempotent. `seed_demo`, the tests and, on a fresh
production install, `python manage.py ensure_site_tree` call it, so the sections
exist with the addresses the product promises.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from wagtail.models import Site

from .models import (
    FundPage,
    HomePage,
    LessonIndexPage,
    MistakeArchivePage,
    ResultIndexPage,
)

SECTIONS = [
    # (model, slug, Swedish title)
    (ResultIndexPage, "resultat", "Resultat"),
    (LessonIndexPage, "lardomar", "Lärdomar"),
    (MistakeArchivePage, "arets-basta-misstag", "Årets bästa misstag"),
    (FundPage, "fonden", "Innovationsfonden"),
]


def _point_site_at_public_url(home) -> None:
    """The default Site answers at SITE_URL, so sitemaps, feeds and og:url are absolute
    links to the real host, not to the migration's placeholder localhost:80."""
    url = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    port = url.port or (443 if url.scheme == "https" else 80)
    Site.objects.filter(is_default_site=True, root_page=home).exclude(
        hostname=url.hostname, port=port
    ).update(hostname=url.hostname, port=port)


@transaction.atomic
def ensure_site_tree() -> dict[str, object]:
    """The home page and each section page, created (and published) when missing."""
    home = HomePage.objects.get()
    _point_site_at_public_url(home)
    pages = {"home": home}
    for model, slug, title in SECTIONS:
        page = model.objects.child_of(home).first()
        if page is None:
            page = model(title=title, slug=slug)
            home.add_child(instance=page)
            page.save_revision().publish()
        pages[slug] = page
    return pages
