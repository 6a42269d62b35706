"""The public site's fixed sections and information pages, created once under the home page.

`ensure_site_tree()` is idempotent. `seed_demo`, the tests and, on a fresh
production install, `python manage.py ensure_site_tree` call it, so the sections
exist with the addresses the product promises. The information pages (accessibility
statement, privacy, help and contact) start from the texts in
`cms/data/information_pages.toml`; editors own them from then on.
"""

import functools
import json
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils.html import format_html, format_html_join
from wagtail.models import Site

from .locales import originals
from .models import (
    FundPage,
    HomePage,
    LessonIndexPage,
    MistakeArchivePage,
    ResultIndexPage,
    StandardPage,
)

SECTIONS = [
    # (model, slug, Swedish title)
    (ResultIndexPage, "resultat", "Resultat"),
    (LessonIndexPage, "lardomar", "Lärdomar"),
    (MistakeArchivePage, "arets-basta-misstag", "Årets bästa misstag"),
    (FundPage, "fonden", "Innovationsfonden"),
]


#: The information pages' slugs, linked from every page's footer (templates/base.html).
INFORMATION_PAGES = ("tillganglighet", "personuppgifter", "hjalp")


@functools.cache
def information_texts() -> dict[str, dict]:
    """Each information page's texts by slug: {"sv": {...}, "en": {...}}."""
    with (Path(__file__).parent / "data" / "information_pages.toml").open("rb") as file:
        pages = tomllib.load(file)["page"]
    return {page["slug"]: page for page in pages}


def information_fields(text: dict) -> dict:
    """A page's title, introduction and body (as StandardPage stores it) from its text."""
    return {
        "title": text["title"],
        "introduction": text["introduction"],
        "body": json.dumps([_information_block(block) for block in text["block"]]),
    }


def _paragraphs(texts) -> str:
    return str(format_html_join("", "<p>{}</p>", ((text,) for text in texts)))


def _bullets(items) -> str:
    return str(
        format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((i,) for i in items)))
    )


def _information_block(block: dict) -> dict:
    if "question" in block:
        value = {"question": block["question"], "answer": _paragraphs(block["answer"])}
        return {"type": "question", "value": value}
    if "facts" in block:
        return {
            "type": "fact_box",
            "value": {"title": block["facts"], "body": _bullets(block["items"])},
        }
    html = str(format_html("<h2>{}</h2>", block["heading"])) + _paragraphs(block.get("text", ()))
    if "items" in block:
        html += _bullets(block["items"])
    return {"type": "paragraph", "value": html}


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
    home = originals(HomePage.objects.all()).get()
    _point_site_at_public_url(home)
    pages = {"home": home}
    for model, slug, title in SECTIONS:
        page = model.objects.child_of(home).first()
        if page is None:
            page = model(title=title, slug=slug)
            home.add_child(instance=page)
            page.save_revision().publish()
        pages[slug] = page
    for slug in INFORMATION_PAGES:
        page = StandardPage.objects.child_of(home).filter(slug=slug).first()
        if page is None:
            page = StandardPage(slug=slug, **information_fields(information_texts()[slug]["sv"]))
            home.add_child(instance=page)
            page.save_revision().publish()
        pages[slug] = page
    return pages
