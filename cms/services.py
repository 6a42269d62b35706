"""Use cases of the public site: turning an idea into a story page.

A coach turns a scaled or learned idea, whose team has agreed to a public page,
into a draft page pre-filled from the idea. The page is saved as a draft revision
only: Wagtail's normal moderation and publishing apply, and nothing of the idea
is public before an editor publishes the page.
"""

from django.conf import settings
from django.db import transaction
from django.utils.html import escape, linebreaks
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from django.utils.translation import override
from wagtail.log_actions import log
from wagtail.models import Page

from ideasluss.accounts.models import User
from ideasluss.errors import NotAllowed, RequirementsMissing
from ideasluss.ideas.models import Attachment, AttachmentKind, Idea, IdeaState

from .images import idea_pictures_collection, image_from_attachment
from .locales import originals
from .models import LessonIndexPage, LessonPage, ResultIndexPage, ResultPage
from .story_selectors import story_page_for_idea

SUMMARY_MAX_LENGTH = 600
HERO_ALT_MAX_LENGTH = 250


def idea_pictures(*, idea: Idea) -> list[Attachment]:
    """The idea's pictures in upload order."""
    return list(idea.attachments.filter(kind=AttachmentKind.IMAGE).order_by("created_at", "pk"))


def pictures_without_alt_text(*, idea: Idea) -> list[Attachment]:
    """Pictures a story page leaves out: without a description, no picture is published."""
    return [picture for picture in idea_pictures(idea=idea) if not picture.alt_text.strip()]


def story_page_draft_create(*, idea: Idea, by: User) -> Page:
    """A draft result (scaled idea) or lesson (learned idea) page, pre-filled from `idea`.

    Refused unless `by` is a coach, the idea is scaled or learned, its team has
    agreed to a public page, and no page has been made from it yet. The idea's
    pictures with an alt text are copied into the image library; pictures without
    one are left out (`pictures_without_alt_text` names them for the editor).
    """
    if not by.has_perm("accounts.coach"):
        raise NotAllowed(_("Only a coach can make a public page from an idea."))
    with transaction.atomic():
        idea = (
            Idea.objects.select_for_update(of=("self",))
            .select_related("test_plan", "evaluation")
            .get(pk=idea.pk)
        )
        if idea.state == IdeaState.SCALED:
            index_model, page_model = ResultIndexPage, ResultPage
        elif idea.state == IdeaState.LEARNED:
            index_model, page_model = LessonIndexPage, LessonPage
        else:
            raise NotAllowed(
                _("Only a scaled or learned idea can get a public page; this idea is “%(state)s”.")
                % {"state": idea.get_state_display()}
            )
        if not idea.publication_consent:
            raise RequirementsMissing(
                _(
                    "The idea's team has not agreed to a public page. "
                    "Ask them to allow it on the idea's page first."
                )
            )
        existing = story_page_for_idea(idea=idea)
        if existing is not None:
            raise NotAllowed(
                _("A page has already been made from this idea: “%(title)s”. Edit that page.")
                % {"title": existing.get_admin_display_title()}
            )
        parent = originals(index_model.objects.all()).first()
        if parent is None:
            raise RequirementsMissing(
                _("The public site has no section for this page yet. Ask an administrator.")
            )

        # The page is content of the public site: written in its language, whatever
        # language the coach reads the staff pages in.
        with override(settings.LANGUAGE_CODE):
            page = page_model(
                title=idea.title,
                slug=_free_slug(parent, idea.title),
                summary=Truncator(idea.problem or idea.description or idea.title).chars(
                    SUMMARY_MAX_LENGTH
                ),
                idea=idea,
                owner=by,
                live=False,
            )
            pictures = _copy_pictures(idea=idea, by=by)
            if pictures:
                hero, alt_text = pictures[0]
                page.hero_image = hero
                page.hero_image_alt = Truncator(alt_text).chars(HERO_ALT_MAX_LENGTH)
            body = _story_body(idea=idea, lesson=page_model is LessonPage)
            body += [_image_block(image, alt_text) for image, alt_text in pictures[1:]]
            page.body = body
            if page_model is LessonPage:
                page.what_was_tried = _what_was_tried(idea)
                page.what_we_learned = idea.lessons_learned

        parent.add_child(instance=page)
        log(instance=page, action="wagtail.create", user=by)
        page.save_revision(user=by, log_action=True)
    return page


def _free_slug(parent: Page, title: str) -> str:
    """An ASCII address part from the title, not yet used under `parent`."""
    base = slugify(title)[:200] or "sida"
    taken = set(parent.get_children().values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _copy_pictures(*, idea: Idea, by: User) -> list[tuple[object, str]]:
    """Wagtail images of the idea's pictures that have an alt text, with that text."""
    with_alt_text = [p for p in idea_pictures(idea=idea) if p.alt_text.strip()]
    if not with_alt_text:
        return []
    collection = idea_pictures_collection()
    return [
        (
            image_from_attachment(attachment=picture, collection=collection, by=by),
            picture.alt_text.strip(),
        )
        for picture in with_alt_text
    ]


def _paragraph(heading: str, html: str) -> dict:
    return {"type": "paragraph", "value": f"<h2>{escape(heading)}</h2>{html}"}


def _text(text: str) -> str:
    return linebreaks(text.strip(), autoescape=True)


def _list(items) -> str:
    rows = "".join(f"<li>{item}</li>" for item in items)
    return f"<ul>{rows}</ul>" if rows else ""


def _story_body(*, idea: Idea, lesson: bool) -> list[dict]:
    """Text blocks from the idea: the problem, the test, and how it went."""
    blocks = []
    if idea.problem.strip():
        text = _text(idea.problem)
        if idea.target_group.strip():
            text += _text(_("Who has the problem: %(group)s") % {"group": idea.target_group})
        blocks.append(_paragraph(_("The problem"), text))
    if idea.description.strip():
        blocks.append(_paragraph(_("The idea"), _text(idea.description)))
    test_plan = getattr(idea, "test_plan", None)
    if test_plan is not None and not lesson:
        blocks.append(_paragraph(_("The test"), _test_html(test_plan)))
    evaluation = getattr(idea, "evaluation", None)
    if evaluation is not None and evaluation.results:
        results = _list(
            f"<b>{escape(row.get('criterion', ''))}</b>: {escape(row.get('result', ''))}"
            for row in evaluation.results
        )
        if evaluation.surprises.strip():
            results += _text(evaluation.surprises)
        blocks.append(_paragraph(_("The result"), results))
    if idea.lessons_learned.strip() and not lesson:
        blocks.append(_paragraph(_("What we learned"), _text(idea.lessons_learned)))
    return blocks


def _test_html(test_plan) -> str:
    html = _text(test_plan.hypothesis)
    if test_plan.success_criteria:
        html += _text(_("We would know it worked if:"))
        html += _list(escape(criterion) for criterion in test_plan.success_criteria)
    return html


def _what_was_tried(idea: Idea) -> str:
    parts = [idea.description.strip()]
    test_plan = getattr(idea, "test_plan", None)
    if test_plan is not None:
        parts.append(test_plan.hypothesis.strip())
        if test_plan.success_criteria:
            parts.append(
                _("We would know it worked if:")
                + "\n"
                + "\n".join(f"– {criterion}" for criterion in test_plan.success_criteria)
            )
    return "\n\n".join(part for part in parts if part)


def _image_block(image, alt_text: str) -> dict:
    return {
        "type": "image",
        "value": {
            "image": {"image": image.pk, "decorative": False, "alt_text": alt_text},
            "caption": "",
        },
    }
