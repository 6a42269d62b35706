"""The renditions the public site shows, made by the task worker when an image is saved.

A `{% picture %}` tag makes a missing rendition while it renders the page. For AVIF that
is the heaviest thing a web worker can be asked to do: encoding one 1600×1000 picture in
the public sizes raised a worker's peak memory by 180 MB and left it 60–90 MB larger
(glibc keeps the freed heap), and the first view of a story page took half a second.
So every save of an image (an upload, a focal point changed, a picture copied from an
idea) asks the task worker for the renditions listed here, and the requests find them
made. `manage.py make_public_renditions` makes the missing ones for every image (after an
upgrade that changes a size here or in a template).

`PUBLIC_IMAGE_SPECS` must name every filter spec that a template shows on the public
site: tests/cms/test_renditions.py reads the templates and fails on one missing here.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django_tasks import task
from wagtail.images import get_image_model
from wagtail.images.models import Filter, SourceImageIOError

logger = logging.getLogger(__name__)

#: The size link previews use (1.91:1); JPEG because every service reads it.
OPEN_GRAPH_IMAGE_SPEC = "fill-1200x630|format-jpeg|jpegquality-80"

#: The specs of the public templates' image tags, as written there (braces included).
PUBLIC_IMAGE_SPECS = (
    # templates/cms/includes/story_card.html
    "format-{avif,webp,jpeg} fill-{400x225,800x450}",
    # templates/cms/includes/story_page.html
    "format-{avif,webp,jpeg} width-{480,960,1440}",
    # templates/cms/blocks/captioned_image.html
    "format-{avif,webp,jpeg} width-{480,800,1200}",
    # cms/templatetags/page_meta.py
    OPEN_GRAPH_IMAGE_SPEC,
)


def public_filter_specs() -> list[str]:
    """Every single spec the public site asks for, braces expanded, each once."""
    specs = (spec for pattern in PUBLIC_IMAGE_SPECS for spec in Filter.expand_spec(pattern))
    return list(dict.fromkeys(specs))


def make_renditions(image) -> int:
    """Make the image's missing public renditions; how many it has in all (0 when its
    file is gone from the storage: the page then shows Wagtail's "not found" picture)."""
    try:
        return len(image.get_renditions(*public_filter_specs()))
    except SourceImageIOError:
        logger.warning("The file of image %s (%s) cannot be read.", image.pk, image.file.name)
        return 0


@task()
def make_public_renditions(image_id: int) -> int:
    image = get_image_model().objects.filter(pk=image_id).first()
    return 0 if image is None else make_renditions(image)


@receiver(post_save, dispatch_uid="cms-make-public-renditions")
def make_renditions_when_an_image_is_saved(sender, instance, raw=False, **kwargs):
    if raw or sender is not get_image_model():
        return
    image_id = instance.pk
    transaction.on_commit(lambda: make_public_renditions.enqueue(image_id))
