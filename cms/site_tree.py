"""The public site's fixed sections, created once under the home page.

`ensure_site_tree()` is idempotent. `seed_demo`, the tests and, on a fresh
production install, `python manage.py ensure_site_tree` call it, so the sections
exist with the addresses the product promises.
"""

from django.db import transaction

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


@transaction.atomic
def ensure_site_tree() -> dict[str, object]:
    """The home page and each section page, created (and published) when missing."""
    home = HomePage.objects.get()
    pages = {"home": home}
    for model, slug, title in SECTIONS:
        page = model.objects.child_of(home).first()
        if page is None:
            page = model(title=title, slug=slug)
            home.add_child(instance=page)
            page.save_revision().publish()
        pages[slug] = page
    return pages
