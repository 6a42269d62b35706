"""Results and lessons: index pages, story pages, their blocks and pictures, uploads."""

import io
import struct
import zlib

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.models import Collection

from cms.models import LessonPage, ResultPage
from ideasluss.accounts.roles import Role
from ideasluss.fund.models import Cost, DecisionKind
from ideasluss.ideas.models import IdeaState
from tests.factories import (
    ApplicationFactory,
    FundFactory,
    IdeaFactory,
    UnitFactory,
    UserFactory,
    WagtailImageFactory,
)
from workflows.fund.services import decision_record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached pages, figures and renditions must not leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def coach(db):
    return UserFactory(username="coach", roles=[Role.STAFF, Role.COACH])


def story_body(image):
    return [
        {"type": "paragraph", "value": "<h2>Problemet</h2><p>Nycklarna tog slut.</p>"},
        {
            "type": "image",
            "value": {
                "image": {"image": image.pk, "decorative": False, "alt_text": "Låsboxen på dörren"},
                "caption": "Den nya låsboxen",
            },
        },
        {
            "type": "image",
            "value": {
                "image": {"image": image.pk, "decorative": True, "alt_text": ""},
                "caption": "",
            },
        },
        {"type": "quote", "value": {"quote": "Nu slipper jag vänta.", "attribution": "En brukare"}},
        {
            "type": "fact_box",
            "value": {"title": "Så gjorde vi", "body": "<ul><li>Tre veckors test</li></ul>"},
        },
    ]


# --- index pages -----------------------------------------------------------------------------


def test_result_index_lists_live_results_newest_first(client, publish_story):
    publish_story(ResultPage, title="Det första resultatet", slug="forsta")
    publish_story(ResultPage, title="Det andra resultatet", slug="andra")
    publish_story(ResultPage, title="Ett hemligt utkast", slug="utkast", live=False)
    content = client.get("/resultat/").content.decode()
    assert content.index("Det andra resultatet") < content.index("Det första resultatet")
    assert "Ett hemligt utkast" not in content


def test_lesson_index_is_paginated(client, publish_story):
    for number in range(13):
        publish_story(LessonPage, title=f"Lärdom nummer {number}", slug=f"lardom-{number}")
    first = client.get("/lardomar/").content.decode()
    second = client.get("/lardomar/?page=2").content.decode()
    assert "Lärdom nummer 12" in first and "Lärdom nummer 1<" in first
    assert "Lärdom nummer 0<" not in first
    assert "Lärdom nummer 0<" in second
    assert "Sida 2 av 2" in second


def test_an_empty_index_says_so(client, site_tree):
    assert "Här har inget publicerats än." in client.get("/resultat/").content.decode()


@pytest.mark.parametrize("model, url", [(ResultPage, "/resultat/"), (LessonPage, "/lardomar/")])
def test_index_queries_do_not_grow_with_the_number_of_stories(client, publish_story, model, url):
    image = WagtailImageFactory()

    def count() -> int:
        client.get(url)  # renditions are made on the first view
        cache.clear()  # count a page rendered from scratch
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for number in range(2):
        publish_story(
            model,
            title=f"Berättelse {number}",
            slug=f"b-{number}",
            hero_image=image,
            hero_image_alt="Låsboxen",
        )
    few = count()
    for number in range(2, 12):
        publish_story(
            model,
            title=f"Berättelse {number}",
            slug=f"b-{number}",
            hero_image=image,
            hero_image_alt="Låsboxen",
        )
    many = count()
    assert many == few
    assert few <= 15


# --- story pages -----------------------------------------------------------------------------


def test_story_page_renders_its_blocks_with_alt_texts_and_responsive_pictures(
    client, publish_story
):
    image = WagtailImageFactory(description="Beskrivning i bildbanken")
    page = publish_story(
        ResultPage,
        title="Digitala nycklar",
        slug="digitala-nycklar",
        summary="Brukarna öppnar själva.",
        hero_image=image,
        hero_image_alt="En brukare vid dörren",
        body=story_body(image),
    )
    content = client.get(page.url).content.decode()
    assert "Brukarna öppnar själva." in content
    assert 'alt="En brukare vid dörren"' in content
    assert 'alt="Låsboxen på dörren"' in content
    assert 'alt=""' in content  # the decorative picture
    assert "<figcaption>Den nya låsboxen</figcaption>" in content
    assert "<blockquote><p>Nu slipper jag vänta.</p></blockquote>" in content
    assert "– En brukare" in content
    assert '<h2 class="fact-box__title">Så gjorde vi</h2>' in content
    assert "<li>Tre veckors test</li>" in content
    assert "<h2>Problemet</h2>" in content
    # Modern formats with a JPEG fallback, several widths, and sizes.
    assert 'type="image/avif"' in content and 'type="image/webp"' in content
    assert "sizes=" in content and " 480w" in content and ".jpg" in content


def test_a_draft_story_is_not_public_until_published(client, publish_story):
    page = publish_story(ResultPage, title="Ännu inte klart", slug="inte-klart", live=False)
    assert client.get("/resultat/inte-klart/").status_code == 404
    page.get_latest_revision().publish()
    response = client.get("/resultat/inte-klart/")
    assert response.status_code == 200
    assert "Ännu inte klart" in response.content.decode()


def test_result_page_shows_cost_who_runs_it_and_the_decisions(client, publish_story, coach):
    unit = UnitFactory(name="Hemtjänst Norr")
    idea = IdeaFactory(
        state=IdeaState.SCALED,
        run_by_unit=unit,
        run_by_contact="Enhetschef hemtjänst",
        publication_consent=True,
    )
    fund = FundFactory(capital=500_000, delegated_limit=100_000)
    first = decision_record(
        application=ApplicationFactory(fund=fund, idea=idea, total=40_000),
        by=coach,
        kind=DecisionKind.APPROVE,
        rationale="Bra test.",
    )
    correction = decision_record(
        application=first.application,
        by=coach,
        kind=DecisionKind.APPROVE_LOWER,
        rationale="Rättelse.",
        amount=30_000,
        supersedes=first,
    )
    Cost.objects.create(
        application=first.application,
        amount=12_500,
        date=first.decided_at.date(),
        note="Lås",
        recorded_by=coach,
    )
    page = publish_story(ResultPage, title="Låsen", slug="lasen", idea=idea)
    content = client.get(page.url).content.decode()
    with translation.override("sv"):
        from ideasluss.fund.templatetags.fund_money import kronor

        assert kronor(30_000) in content
        assert kronor(12_500) in content
        assert kronor(40_000) in content  # the superseded decision, as the register shows it
    assert "Hemtjänst Norr – Enhetschef hemtjänst" in content
    assert f'href="/fonden/beslut/{first.pk}/"' in content
    assert f'href="/fonden/beslut/{correction.pk}/"' in content
    assert f"ersatt av {correction.registration_number}" in content


def test_a_contact_that_is_an_email_address_is_not_shown(client, publish_story):
    idea = IdeaFactory(state=IdeaState.SCALED, run_by_contact="anna.svensson@kommun.se")
    page = publish_story(ResultPage, title="Låsen", slug="lasen", idea=idea)
    assert "@kommun.se" not in client.get(page.url).content.decode()


def test_lesson_page_shows_what_was_tried_learned_and_advice(client, publish_story):
    idea = IdeaFactory(state=IdeaState.LEARNED)
    page = publish_story(
        LessonPage,
        title="Matlådor",
        slug="matlador",
        idea=idea,
        what_was_tried="Vi provade att leverera med cykel.",
        what_we_learned="Vintern gör det svårt.",
        advice="Börja på våren.",
    )
    content = client.get(page.url).content.decode()
    for text in (
        "Vad som prövades",
        "Vi provade att leverera med cykel.",
        "Vad vi lärde oss",
        "Vintern gör det svårt.",
        "Vad andra bör veta innan de försöker",
        "Börja på våren.",
        "Innovationsfonden beviljade inga pengar till idén.",
    ):
        assert text in content


def test_story_page_queries_do_not_grow_with_decisions(client, publish_story, coach):
    idea = IdeaFactory(state=IdeaState.SCALED)
    fund = FundFactory(capital=5_000_000, delegated_limit=100_000)
    page = publish_story(ResultPage, title="Låsen", slug="lasen", idea=idea)

    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page.url).status_code == 200
        return len(queries)

    decision_record(
        application=ApplicationFactory(fund=fund, idea=idea),
        by=coach,
        kind=DecisionKind.APPROVE,
        rationale="Bra.",
    )
    few = count()
    for _ in range(5):
        decision_record(
            application=ApplicationFactory(fund=fund, idea=idea),
            by=coach,
            kind=DecisionKind.APPROVE,
            rationale="Bra.",
        )
    assert count() == few


# --- image uploads ---------------------------------------------------------------------------


def decompression_bomb(width: int, height: int) -> bytes:
    """A small black-and-white PNG of `width` × `height` pixels that unpacks to far more
    than its size (up to 20,000 rows are encoded; beyond that only the header matters,
    as Pillow refuses such sizes before reading any pixel)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(min(height, 20_000)))
    data += compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)


def image_form(upload, user):
    form_class = get_image_form(get_image_model())
    return form_class(
        data={"title": "Bild", "collection": Collection.get_first_root_node().pk},
        files={"file": upload},
        user=user,
    )


def test_the_image_form_refuses_svg(coach):
    with translation.override("sv"):
        form = image_form(SimpleUploadedFile("logo.svg", SVG, "image/svg+xml"), coach)
        assert not form.is_valid()
        assert (
            "Bildformatet stöds inte. Format som stöds: JPG, JPEG, PNG, WEBP."
            in form.errors["file"]
        )


@pytest.mark.parametrize(
    "width, height, start",
    [
        # Refused from the PNG header by cms.images before Wagtail's or Pillow's checks.
        (8_000, 8_000, "Bilden har för många pixlar (8\xa0000 × 8\xa0000)"),
        (30_000, 30_000, "Bilden har för många pixlar (30\xa0000 × 30\xa0000)"),
    ],
)
def test_the_image_form_refuses_decompression_bombs(coach, width, height, start):
    with translation.override("sv"):
        form = image_form(SimpleUploadedFile("bomb.png", decompression_bomb(width, height)), coach)
        assert not form.is_valid()
        (message,) = form.errors["file"]
        assert message.startswith(start)
        assert "unknown" not in message


def test_a_coach_uploading_an_svg_in_the_admin_is_told_why_and_nothing_is_stored(client, coach):
    client.force_login(coach)
    response = client.post(
        "/admin/images/add/",
        {
            "title": "Logga",
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile("logo.svg", SVG, "image/svg+xml"),
        },
    )
    assert response.status_code == 200
    assert "Bildformatet stöds inte" in response.content.decode()
    assert not get_image_model().objects.exists()


def test_a_coach_can_upload_a_jpeg_in_the_admin(client, coach):
    buffer = io.BytesIO()
    PILImage.new("RGB", (60, 40), "teal").save(buffer, "JPEG")
    client.force_login(coach)
    response = client.post(
        "/admin/images/add/",
        {
            "title": "Låsbox",
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile("las.jpg", buffer.getvalue(), "image/jpeg"),
        },
    )
    assert response.status_code == 302
    assert get_image_model().objects.get().title == "Låsbox"
