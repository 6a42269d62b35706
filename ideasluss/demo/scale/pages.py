"""Public pages at scale: a result page for a scaled idea, a lesson page for a learned one,
each published under the section the demo's site tree has for it.

Pages go into Wagtail's tree one by one (`add_child`: the tree's paths are Wagtail's to
number), live and dated when they were published, without a revision each: publishing
500 revisions would tell 500 teams again, and take minutes. Wagtail indexes a page for
the public search as it is saved (a signal, a statement a page); here that signal is off
while the pages are added, and they are indexed together afterwards (`add_bulk`), so
nothing is left for `update_index`. The reference index (where pictures are used) is
kept by Wagtail as each page is saved.
"""

import json
import random
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models.signals import post_save
from django.utils.html import format_html_join
from django.utils.text import slugify
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.images import get_image_model
from wagtail.search.backends import get_search_backends

from cms.models import LessonPage, ResultPage
from cms.site_tree import ensure_site_tree
from ideasluss.demo.data import load
from ideasluss.demo.pictures import COLLECTION
from ideasluss.ideas.models import IdeaState

from .bulk import between, days


def seed_pages(*, rng: random.Random, stories: list, count: int, editors: list, now) -> int:
    """Up to `count` story pages, half results and half lessons, about ideas whose team
    agreed to a public page, published a week or more after the idea's end; returns how
    many were published."""
    sections = ensure_site_tree()
    consenting = [story for story in stories if story.idea.publication_consent]
    kinds = [
        (ResultPage, sections["resultat"], IdeaState.SCALED),
        (LessonPage, sections["lardomar"], IdeaState.LEARNED),
    ]
    planned = []
    for position, (model, index, state) in enumerate(kinds):
        wanted = count // 2 + (count % 2 if position == 0 else 0)
        about = [story for story in consenting if story.state == state]
        for story in rng.sample(about, min(wanted, len(about))):
            published = between(rng, story.last_at + days(7), story.last_at + days(60))
            planned.append((min(published, now), model, index, story))
    planned.sort(key=lambda page: page[0])
    writer = PageWriter(rng=rng, editors=editors)
    with indexed_afterwards(ResultPage, LessonPage) as written:
        for published, model, index, story in planned:
            written[model].append(writer.publish(model, index=index, story=story, at=published))
    return len(planned)


class PageWriter:
    def __init__(self, *, rng: random.Random, editors: list):
        self.rng, self.editors = rng, editors
        self.data = load("scale")["pages"]
        self.images = list(get_image_model().objects.filter(collection__name=COLLECTION))

    def publish(self, model, *, index, story, at):
        """The story of `story`'s idea under `index`, live since `at`."""
        rng, data, idea = self.rng, self.data, story.idea
        image = rng.choice(self.images) if self.images else None
        titles = data["result_titles"] if model is ResultPage else data["lesson_titles"]
        title = rng.choice(titles).format(title=idea.title)
        page = model(
            title=title,
            slug=f"{slugify(title, allow_unicode=True)[:60].strip('-')}-{idea.pk}",
            summary=rng.choice(data["summaries"]),
            hero_image=image,
            hero_image_alt=image.description if image else "",
            body=self.body(),
            idea=idea,
            owner=rng.choice(self.editors),
            locale=index.locale,
            live=True,
            has_unpublished_changes=False,
            first_published_at=at,
            last_published_at=at,
        )
        if model is LessonPage:
            page.what_was_tried = rng.choice(data["tried"])
            page.what_we_learned = rng.choice(data["learned"])
            page.advice = rng.choice(data["advice"])
        index.add_child(instance=page)
        return page

    def body(self) -> str:
        """A few paragraphs, as the story's StreamField (`cms.blocks.StoryBlock`) stores them."""
        chosen = self.rng.sample(self.data["paragraphs"], self.rng.randint(2, 4))
        html = format_html_join("", "<p>{}</p>", ((text,) for text in chosen))
        return json.dumps([{"type": "paragraph", "value": str(html)}])


@contextmanager
def indexed_afterwards(*models) -> Iterator[dict]:
    """Wagtail's indexing on save off for `models` meanwhile; the pages the block puts into
    the dict it gets (by model) are indexed together at the end, in every search backend
    Wagtail keeps up to date."""
    written: dict = {model: [] for model in models}
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        yield written
    finally:
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)
    for backend in get_search_backends(with_auto_update=True):
        for model, pages in written.items():
            if pages:
                backend.add_bulk(model, pages)
