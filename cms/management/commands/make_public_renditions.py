"""Make the public site's missing renditions of every image (cms/renditions.py)."""

from django.core.management.base import BaseCommand
from wagtail.images import get_image_model

from cms.renditions import make_renditions, public_filter_specs


class Command(BaseCommand):
    help = (
        "Make the renditions the public templates show, for every image that lacks one "
        "(after an upgrade that changes their sizes; new images get them from the task worker)."
    )

    def handle(self, *args, **options):
        per_image = len(public_filter_specs())
        images = get_image_model().objects.prefetch_related("renditions").order_by("pk")
        count, unreadable = 0, []
        for image in images.iterator(chunk_size=100):
            if not make_renditions(image):
                unreadable.append(image)
            count += 1
        self.stdout.write(f"{count} images, {per_image} public renditions each.")
        for image in unreadable:
            self.stderr.write(
                f"Image {image.pk} ({image.title}): its file {image.file.name} is missing."
            )
