"""The demo site's pictures: shapes from `data/pictures.toml`, drawn with Pillow.

A picture is stored as a Wagtail image in the "Demo" collection, with its alt text in
Wagtail's `description` field, and found again by its title.
"""

import functools
import io

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw, ImageOps
from wagtail.images import get_image_model
from wagtail.models import Collection

from ideasluss.demo.data import load

SIZE = (1600, 1000)
SUPERSAMPLE = 2  # drawn at twice the size and halved, which smooths the edges
COLLECTION = "Demo"


def _pairs(values: list[float]) -> list[tuple[float, float]]:
    return list(zip(values[::2], values[1::2], strict=True))


@functools.cache
def draw(key: str) -> bytes:
    """The picture as a 1600×1000 JPEG: its gradient sky, then its shapes in order (kept,
    so that seeding a fresh database again in the same process draws nothing)."""
    picture, palette = load("pictures")["picture"][key], load("pictures")["palette"]
    top, bottom = (palette.get(colour, colour) for colour in picture["sky"])
    column = Image.linear_gradient("L").crop((0, 0, 1, 256))
    size = tuple(side * SUPERSAMPLE for side in SIZE)
    image = ImageOps.colorize(column, top, bottom).resize(size, Image.BILINEAR)
    pen = ImageDraw.Draw(image)
    for kind, colour, *numbers in picture["shapes"]:
        colour = palette.get(colour, colour)
        n = [number * SUPERSAMPLE for number in numbers]
        if kind == "rect":
            radius = n[4] if len(n) > 4 else 0
            pen.rounded_rectangle(n[:4], radius=radius, fill=colour)
        elif kind == "ellipse":
            cx, cy, rx, ry = n
            pen.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=colour)
        elif kind == "ring":
            width, cx, cy, r = n
            pen.ellipse((cx - r, cy - r, cx + r, cy + r), outline=colour, width=int(width))
        elif kind == "polygon":
            pen.polygon(_pairs(n), fill=colour)
        elif kind == "line":
            pen.line(_pairs(n[1:]), fill=colour, width=int(n[0]), joint="curve")
        else:
            raise ValueError(f"Unknown shape {kind!r} in {picture['title']!r}")
    buffer = io.BytesIO()
    image.reduce(SUPERSAMPLE).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def demo_collection() -> Collection:
    root = Collection.get_first_root_node()
    return root.get_children().filter(name=COLLECTION).first() or root.add_child(name=COLLECTION)


def demo_image(key: str, *, collection: Collection, by) -> tuple[object, bool]:
    """The Wagtail image with the picture's title, drawn and stored when missing; returns
    it and whether it was created."""
    picture = load("pictures")["picture"][key]
    image_model = get_image_model()
    image = image_model.objects.filter(title=picture["title"]).first()
    if image is not None:
        return image, False
    image = image_model(
        title=picture["title"],
        description=picture["alt"],
        collection=collection,
        uploaded_by_user=by,
        file=ImageFile(io.BytesIO(draw(key)), name=f"demo-{key.replace('_', '-')}.jpg"),
    )
    image._set_image_file_metadata()
    image.save()
    return image, True
