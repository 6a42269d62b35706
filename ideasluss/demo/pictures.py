"""Pictures for the demo site, drawn with Pillow: flat illustrations without text.

No downloads and no stock photos: every picture is a small scene drawn from
shapes (houses, people, bicycles, books, plates) over a gradient sky or wall. A
scene is drawn at twice the size and halved, which smooths the edges. The same
title always gives the same picture.

`demo_image()` stores a picture as a Wagtail image in the "Demo" collection, with
its alt text in Wagtail's `description` field, and reuses it by title.
"""

import functools
import io
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw, ImageOps
from wagtail.images import get_image_model
from wagtail.models import Collection

WIDTH, HEIGHT = 1600, 1000
SUPERSAMPLE = 2
COLLECTION = "Demo"

# A small palette, so the pictures look like one series.
INK = (38, 50, 72)
WHITE = (250, 250, 246)
SKIN = ((241, 194, 160), (198, 134, 94), (141, 85, 56), (224, 172, 105))
CLOTHES = ((0, 109, 119), (231, 111, 81), (244, 162, 97), (42, 157, 143), (69, 123, 157))
GREEN = (96, 153, 102)
DARK_GREEN = (56, 110, 72)
WOOD = (156, 102, 68)
BRICK = (183, 96, 74)
YELLOW = (250, 204, 92)


class Canvas:
    """A 1600×1000 picture; coordinates are given at that size."""

    def __init__(self, top: tuple[int, int, int], bottom: tuple[int, int, int]):
        # One coloured column of the gradient, stretched to the whole picture.
        column = Image.linear_gradient("L").crop((0, 0, 1, 256))
        size = (WIDTH * SUPERSAMPLE, HEIGHT * SUPERSAMPLE)
        self.image = ImageOps.colorize(column, top, bottom).resize(size, Image.BILINEAR)
        self.draw = ImageDraw.Draw(self.image)

    @staticmethod
    def _scaled(values) -> list[float]:
        return [value * SUPERSAMPLE for value in values]

    def rect(self, x0, y0, x1, y1, fill, radius: int = 0) -> None:
        box = self._scaled((x0, y0, x1, y1))
        self.draw.rounded_rectangle(box, radius=radius * SUPERSAMPLE, fill=fill)

    def ellipse(self, cx, cy, rx, ry, fill) -> None:
        self.draw.ellipse(self._scaled((cx - rx, cy - ry, cx + rx, cy + ry)), fill=fill)

    def circle(self, cx, cy, r, fill) -> None:
        self.ellipse(cx, cy, r, r, fill)

    def ring(self, cx, cy, r, colour, width) -> None:
        box = self._scaled((cx - r, cy - r, cx + r, cy + r))
        self.draw.ellipse(box, outline=colour, width=width * SUPERSAMPLE)

    def polygon(self, points, fill) -> None:
        self.draw.polygon([tuple(self._scaled(point)) for point in points], fill=fill)

    def line(self, points, colour, width) -> None:
        scaled = [tuple(self._scaled(point)) for point in points]
        self.draw.line(scaled, fill=colour, width=width * SUPERSAMPLE, joint="curve")

    def jpeg(self) -> bytes:
        buffer = io.BytesIO()
        self.image.reduce(SUPERSAMPLE).save(buffer, "JPEG", quality=85)
        return buffer.getvalue()


# --- things to put in a scene --------------------------------------------------------------


def hills(c: Canvas, ground: int, colour=GREEN, far=(140, 184, 140)) -> None:
    c.ellipse(400, ground + 60, 700, 160, far)
    c.ellipse(1300, ground + 80, 650, 180, far)
    c.rect(0, ground, WIDTH, HEIGHT, colour)


def house(c: Canvas, x, ground, width, height, wall, roof, lit: bool = False) -> None:
    c.rect(x, ground - height, x + width, ground, wall)
    c.polygon(
        [
            (x - 20, ground - height),
            (x + width / 2, ground - height - width * 0.45),
            (x + width + 20, ground - height),
        ],
        roof,
    )
    window = YELLOW if lit else (196, 222, 236)
    for wx in (x + width * 0.18, x + width * 0.62):
        c.rect(wx, ground - height * 0.75, wx + width * 0.2, ground - height * 0.5, window, 4)
    c.rect(x + width * 0.4, ground - height * 0.42, x + width * 0.6, ground, WOOD, 3)


def tree(c: Canvas, x, ground, size, crown=DARK_GREEN) -> None:
    c.rect(x - size * 0.08, ground - size * 0.9, x + size * 0.08, ground, WOOD)
    c.circle(x, ground - size, size * 0.45, crown)
    c.circle(x - size * 0.3, ground - size * 0.8, size * 0.32, crown)
    c.circle(x + size * 0.3, ground - size * 0.78, size * 0.3, crown)


def person(c: Canvas, x, ground, height, clothes, skin, arm_up: bool = False) -> None:
    head = height * 0.14
    c.rect(x - height * 0.08, ground - height * 0.45, x - height * 0.02, ground, INK, 6)
    c.rect(x + height * 0.02, ground - height * 0.45, x + height * 0.08, ground, INK, 6)
    c.rect(
        x - height * 0.16,
        ground - height * 0.78,
        x + height * 0.16,
        ground - height * 0.4,
        clothes,
        int(height * 0.08),
    )
    if arm_up:
        c.line(
            [
                (x + height * 0.13, ground - height * 0.72),
                (x + height * 0.3, ground - height * 0.9),
            ],
            clothes,
            int(height * 0.06),
        )
    c.circle(x, ground - height * 0.78 - head, head, skin)


def seated_person(c: Canvas, x, seat, height, clothes, skin) -> None:
    head = height * 0.14
    c.rect(
        x - height * 0.16, seat - height * 0.4, x + height * 0.16, seat, clothes, int(height * 0.08)
    )
    c.circle(x, seat - height * 0.4 - head, head, skin)


def bicycle(c: Canvas, x, ground, size, frame) -> None:
    r = size * 0.32
    back, front = (x - size * 0.5, ground - r), (x + size * 0.5, ground - r)
    for wheel in (back, front):
        c.ring(*wheel, r, INK, max(3, int(size * 0.04)))
    pedal = (x - size * 0.05, ground - r)
    seat = (x - size * 0.2, ground - r - size * 0.55)
    bars = (x + size * 0.32, ground - r - size * 0.62)
    width = max(4, int(size * 0.05))
    c.line([back, pedal, (bars[0] - size * 0.05, bars[1] + size * 0.1), front], frame, width)
    c.line([back, seat, pedal], frame, width)
    c.line([seat, (bars[0] - size * 0.05, bars[1] + size * 0.1)], frame, width)
    c.rect(seat[0] - size * 0.1, seat[1] - size * 0.04, seat[0] + size * 0.08, seat[1], INK, 4)
    c.line([(bars[0] - size * 0.05, bars[1] + size * 0.1), bars], INK, width)


def bubble(c: Canvas, x, y, width, height, colour, tail_left: bool = True) -> None:
    c.rect(x, y, x + width, y + height, colour, int(height * 0.3))
    tx = x + width * (0.2 if tail_left else 0.8)
    c.polygon(
        [
            (tx - 18, y + height - 4),
            (tx + 18, y + height - 4),
            (tx - 30 if tail_left else tx + 30, y + height + 40),
        ],
        colour,
    )
    for i in range(3):
        c.circle(x + width * (0.3 + 0.2 * i), y + height / 2, height * 0.08, WHITE)


def phone(c: Canvas, x, y, size, glow=(120, 220, 160)) -> None:
    c.rect(x, y, x + size * 0.55, y + size, INK, int(size * 0.1))
    c.rect(x + size * 0.06, y + size * 0.08, x + size * 0.49, y + size * 0.86, glow, 6)


# --- the scenes ----------------------------------------------------------------------------


def scene_home_visit(rng: random.Random) -> Canvas:
    c = Canvas((44, 62, 112), (246, 170, 120))
    c.circle(1320, 260, 90, (255, 220, 150))
    hills(c, 780, colour=(84, 120, 96), far=(110, 140, 130))
    for i, x in enumerate((80, 420, 1080, 1380)):
        house(c, x, 800, 220, 200 + 30 * (i % 2), rng.choice(CLOTHES), INK, lit=True)
    house(c, 640, 820, 340, 300, (238, 226, 205), BRICK, lit=True)
    c.circle(835, 700, 14, (120, 220, 160))
    person(c, 920, 900, 300, CLOTHES[0], SKIN[1], arm_up=True)
    phone(c, 985, 570, 60)
    return c


def scene_door_lock(rng: random.Random) -> Canvas:
    c = Canvas((236, 226, 208), (206, 190, 168))
    c.rect(460, 80, 1140, 1000, (120, 78, 52), 8)
    for y in (140, 520):
        c.rect(530, y, 1070, y + 320, (140, 94, 64), 12)
    c.rect(1000, 500, 1090, 660, (70, 76, 86), 14)
    c.circle(1045, 545, 22, (120, 220, 160))
    c.rect(1020, 600, 1070, 615, (180, 186, 196), 4)
    c.ellipse(1300, 760, 120, 170, SKIN[0])
    phone(c, 1220, 560, 220)
    c.line([(1255, 680), (1290, 720), (1360, 630)], WHITE, 14)
    return c


def scene_language_cafe(rng: random.Random) -> Canvas:
    c = Canvas((252, 236, 210), (232, 196, 160))
    for x in range(0, WIDTH, 200):
        c.rect(x + 20, 120, x + 180, 420, (206, 226, 232), 10)
    c.rect(0, 760, WIDTH, HEIGHT, (170, 120, 90))
    people = [(330, 0, 0), (620, 1, 2), (980, 2, 1), (1270, 3, 3)]
    for x, skin, clothes in people:
        seated_person(c, x, 760, 420, CLOTHES[clothes], SKIN[skin])
    c.ellipse(800, 790, 620, 70, (150, 98, 68))
    c.ellipse(800, 770, 600, 60, (236, 218, 190))
    for x in (420, 700, 900, 1180):
        c.rect(x, 720, x + 50, 770, WHITE, 8)
        c.ring(x + 58, 745, 14, WHITE, 6)
    bubble(c, 200, 200, 260, 110, CLOTHES[1])
    bubble(c, 560, 150, 220, 100, CLOTHES[3], tail_left=False)
    bubble(c, 1060, 170, 280, 110, CLOTHES[4])
    return c


def scene_library(rng: random.Random) -> Canvas:
    c = Canvas((246, 240, 228), (222, 210, 190))
    for shelf_y in (260, 480, 700):
        x = 120
        while x < 1480:
            width = rng.randint(26, 52)
            height = rng.randint(120, 180)
            colour = rng.choice((*CLOTHES, BRICK, INK, (130, 110, 170)))
            c.rect(x, shelf_y - height, x + width, shelf_y, colour, 3)
            x += width + rng.randint(2, 8)
        c.rect(90, shelf_y, 1510, shelf_y + 22, WOOD)
    c.rect(0, 880, WIDTH, HEIGHT, (176, 132, 100))
    c.rect(1180, 760, 1420, 900, CLOTHES[1], 30)
    c.line([(300, 880), (300, 720)], INK, 8)
    c.polygon([(240, 720), (360, 720), (330, 660), (270, 660)], YELLOW)
    return c


def scene_school_scale(rng: random.Random) -> Canvas:
    c = Canvas((214, 236, 242), (180, 212, 222))
    c.rect(0, 700, WIDTH, HEIGHT, (200, 200, 196))
    c.rect(420, 600, 1180, 720, (120, 130, 140), 20)
    c.rect(700, 640, 900, 690, INK, 10)
    for i in range(6):
        colour = (120, 220, 160) if i < 2 else (90, 100, 110)
        c.rect(715 + i * 30, 652, 738 + i * 30, 678, colour, 3)
    c.rect(460, 560, 1140, 600, (236, 236, 232), 12)
    c.ellipse(800, 520, 240, 70, WHITE)
    c.ellipse(800, 515, 180, 48, (238, 238, 232))
    c.circle(740, 505, 28, CLOTHES[1])
    c.ellipse(850, 510, 50, 22, YELLOW)
    c.circle(800, 520, 16, GREEN)
    c.rect(1220, 180, 1520, 420, INK, 16)
    c.rect(1240, 200, 1500, 400, (42, 157, 143), 10)
    for i, height in enumerate((160, 120, 90, 70)):
        c.rect(1270 + i * 55, 380 - height, 1305 + i * 55, 380, WHITE, 4)
    return c


def scene_shrinking_waste(rng: random.Random) -> Canvas:
    c = Canvas((240, 246, 236), (214, 232, 210))
    c.rect(160, 860, 1440, 872, INK)
    heights = (560, 500, 420, 360, 330, 340)
    for i, height in enumerate(heights):
        x = 240 + i * 200
        c.rect(x, 860 - height, x + 130, 860, CLOTHES[1] if i < 2 else CLOTHES[3], 10)
    c.ellipse(1300, 240, 90, 40, GREEN)
    c.ellipse(1230, 200, 60, 28, DARK_GREEN)
    c.line([(1220, 300), (1300, 240)], DARK_GREEN, 8)
    return c


def scene_bikes_in_rain(rng: random.Random) -> Canvas:
    c = Canvas((132, 146, 166), (196, 204, 214))
    c.rect(300, 180, 1300, 700, (212, 200, 182))
    c.polygon([(260, 180), (800, 40), (1340, 180)], (170, 90, 80))
    for x in range(360, 1260, 130):
        c.rect(x, 280, x + 60, 660, (232, 224, 210), 6)
    c.circle(800, 120, 40, WHITE)
    c.rect(700, 560, 900, 700, WOOD, 6)
    c.rect(0, 700, WIDTH, HEIGHT, (110, 116, 126))
    for i in range(5):
        bicycle(c, 170 + i * 310, 930, 180, CLOTHES[i])
    for _ in range(160):
        x, y = rng.randint(0, WIDTH), rng.randint(0, HEIGHT)
        c.line([(x, y), (x - 12, y + 40)], (226, 232, 240), 3)
    return c


def scene_routes_map(rng: random.Random) -> Canvas:
    c = Canvas((232, 238, 222), (222, 230, 210))
    c.ellipse(300, 260, 260, 160, (196, 222, 186))
    c.ellipse(1250, 760, 300, 180, (196, 222, 186))
    c.polygon(
        [(0, 560), (600, 620), (1600, 500), (1600, 560), (600, 680), (0, 620)], (160, 206, 230)
    )
    for points in (((0, 300), (1600, 420)), ((500, 0), (700, 1000)), ((1100, 0), (1000, 1000))):
        c.line(points, WHITE, 22)
    city_hall = (620, 430)
    workplaces = [(220, 760), (1300, 220), (1380, 860), (240, 160), (980, 820)]
    for x, y in workplaces:
        for step in range(10):
            t0, t1 = step / 10, (step + 0.5) / 10
            c.line(
                [
                    (x + (city_hall[0] - x) * t0, y + (city_hall[1] - y) * t0),
                    (x + (city_hall[0] - x) * t1, y + (city_hall[1] - y) * t1),
                ],
                CLOTHES[1],
                8,
            )
        c.circle(x, y, 30, CLOTHES[0])
        c.circle(x, y, 12, WHITE)
    c.circle(*city_hall, 48, BRICK)
    c.circle(*city_hall, 20, WHITE)
    return c


def scene_picture_book(rng: random.Random) -> Canvas:
    c = Canvas((250, 232, 214), (240, 206, 186))
    c.polygon([(260, 560), (800, 620), (800, 940), (240, 880)], WHITE)
    c.polygon([(800, 620), (1340, 560), (1360, 880), (800, 940)], (244, 242, 236))
    c.line([(800, 620), (800, 940)], (200, 196, 186), 6)
    c.circle(480, 720, 60, YELLOW)
    tree(c, 1080, 860, 140, GREEN)
    bubble(c, 300, 200, 360, 160, CLOTHES[1])
    bubble(c, 940, 170, 360, 160, CLOTHES[4], tail_left=False)
    for _ in range(14):
        c.circle(rng.randint(80, 1520), rng.randint(40, 500), rng.randint(5, 10), YELLOW)
    return c


def scene_preschool(rng: random.Random) -> Canvas:
    c = Canvas((186, 220, 240), (236, 244, 246))
    c.circle(240, 180, 80, (255, 222, 140))
    hills(c, 720)
    c.rect(640, 430, 1360, 720, (244, 196, 120))
    c.polygon([(610, 430), (1000, 300), (1390, 430)], BRICK)
    for x in (700, 900, 1160):
        c.rect(x, 500, x + 120, 600, (196, 222, 236), 8)
    tree(c, 380, 740, 240)
    c.rect(1100, 800, 1400, 880, (232, 210, 160), 10)
    for i, x in enumerate((560, 700, 840, 1000)):
        person(c, x, 900, 150 + 10 * (i % 2), CLOTHES[i], SKIN[i % 4], arm_up=i == 2)
    person(c, 1220, 900, 300, CLOTHES[4], SKIN[2])
    return c


def scene_shopping_basket(rng: random.Random) -> Canvas:
    c = Canvas((236, 244, 238), (206, 226, 214))
    c.rect(0, 820, WIDTH, HEIGHT, (190, 176, 150))
    c.rect(560, 300, 740, 640, WHITE, 14)
    c.polygon([(560, 300), (650, 230), (740, 300)], (220, 226, 230))
    c.rect(580, 380, 720, 460, CLOTHES[4], 6)
    c.ellipse(920, 520, 200, 90, (214, 160, 96))
    for x in (820, 900, 980):
        c.line([(x, 470), (x + 40, 540)], (184, 130, 76), 6)
    for x, y in ((480, 590), (560, 620), (1080, 600), (1160, 590)):
        c.circle(x, y, 48, (214, 66, 62))
    c.polygon([(380, 600), (1320, 600), (1240, 860), (460, 860)], (176, 120, 74))
    for x in range(480, 1260, 80):
        c.line([(x, 610), (x - 10 if x < 800 else x + 10, 850)], (146, 98, 60), 6)
    c.line([(420, 600), (800, 380), (1280, 600)], (146, 98, 60), 16)
    return c


def scene_kitchen_table(rng: random.Random) -> Canvas:
    c = Canvas((250, 242, 226), (238, 224, 200))
    c.rect(560, 100, 1040, 440, (196, 222, 236), 10)
    c.line([(800, 100), (800, 440)], WHITE, 14)
    c.line([(560, 270), (1040, 270)], WHITE, 14)
    seated_person(c, 420, 700, 460, CLOTHES[2], SKIN[0])
    seated_person(c, 1180, 700, 460, CLOTHES[0], SKIN[3])
    c.rect(200, 680, 1400, 740, WOOD, 10)
    c.rect(260, 740, 300, 1000, (126, 82, 56))
    c.rect(1300, 740, 1340, 1000, (126, 82, 56))
    c.polygon([(700, 600), (900, 590), (910, 690), (690, 700)], WHITE)
    for i in range(5):
        c.line([(720, 615 + i * 16), (880 - 30 * (i % 2), 612 + i * 16)], INK, 4)
    c.rect(560, 630, 620, 690, CLOTHES[1], 8)
    c.rect(1000, 630, 1060, 690, CLOTHES[3], 8)
    return c


SCENES: dict[str, Callable[[random.Random], Canvas]] = {
    "home_visit": scene_home_visit,
    "door_lock": scene_door_lock,
    "language_cafe": scene_language_cafe,
    "library": scene_library,
    "school_scale": scene_school_scale,
    "shrinking_waste": scene_shrinking_waste,
    "bikes_in_rain": scene_bikes_in_rain,
    "routes_map": scene_routes_map,
    "picture_book": scene_picture_book,
    "preschool": scene_preschool,
    "shopping_basket": scene_shopping_basket,
    "kitchen_table": scene_kitchen_table,
}


@dataclass(frozen=True, kw_only=True)
class Picture:
    """A demo picture: its title in the image library, its alt text and what to draw."""

    title: str
    alt: str
    scene: str


@functools.cache
def draw(picture: Picture) -> bytes:
    """The picture as a 1600×1000 JPEG; the same title always gives the same bytes
    (kept, so that seeding a fresh database again in the same process draws nothing)."""
    rng = random.Random(picture.title)
    return SCENES[picture.scene](rng).jpeg()


def demo_collection() -> Collection:
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=COLLECTION).first()
    return collection or root.add_child(name=COLLECTION)


def demo_image(picture: Picture, *, collection: Collection, by=None) -> tuple[object, bool]:
    """The Wagtail image with this title, drawn and stored when missing; returns it and
    whether it was created."""
    image_model = get_image_model()
    image = image_model.objects.filter(title=picture.title).first()
    if image is not None:
        return image, False
    slug = picture.scene.replace("_", "-")
    image = image_model(
        title=picture.title,
        description=picture.alt,
        collection=collection,
        uploaded_by_user=by,
        file=ImageFile(io.BytesIO(draw(picture)), name=f"demo-{slug}.jpg"),
    )
    image._set_image_file_metadata()
    image.save()
    return image, True
