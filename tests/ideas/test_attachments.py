"""Idea attachments: real pictures and PDFs are stored privately, everything else is refused.

Each test writes to its own private storage folder (tmp_path), so "nothing stored" is
checked by counting both the Attachment rows and the files on disk.
"""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import FileSystemStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from ideasluss.ideas.attachments import AttachmentForm, attachment_create, too_large_error
from ideasluss.ideas.models import Attachment, AttachmentKind
from tests.factories import MINIMAL_PDF, AttachmentFactory, IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db

FIELD = Attachment._meta.get_field("file")


@pytest.fixture(autouse=True)
def private_dir(tmp_path, monkeypatch):
    """A private storage of the test's own, like storages["private"]: no URL."""
    location = tmp_path / "private"
    location.mkdir()
    monkeypatch.setattr(FIELD, "storage", FileSystemStorage(location=location, base_url=None))
    return location


def stored_files(directory: Path) -> list[Path]:
    return [path for path in directory.rglob("*") if path.is_file()]


@pytest.fixture
def nothing_stored(private_dir):
    """Asserts, after the test body, that no row and no file was added."""
    rows, files = Attachment.objects.count(), len(stored_files(private_dir))
    yield
    assert Attachment.objects.count() == rows
    assert len(stored_files(private_dir)) == files


# --- Test files ----------------------------------------------------------------------


def image_bytes(fmt: str, size=(40, 30), color=(200, 30, 30), **save_options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt, **save_options)
    return buffer.getvalue()


def jpeg_with_exif(size=(40, 30)) -> bytes:
    """A JPEG from a phone: camera make, GPS position and 'rotate 90°' in its EXIF."""
    exif = Image.Exif()
    exif[0x010F] = "Telefonbolaget AB"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    exif[0x8825] = {1: "N", 2: (59.0, 19.0, 48.0)}  # GPSInfo: latitude
    return image_bytes("JPEG", size=size, exif=exif.tobytes(), comment=b"secret comment")


def png_with_declared_size(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` × `height` pixels: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width="
    b'"10" height="10"/></svg>'
)


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def refusal(idea, by, file, alt_text="En bild") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        attachment_create(idea=idea, by=by, upload=file, alt_text=alt_text)
    return caught.value


# --- The service: what is accepted --------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "name", "content_type"),
    [
        ("JPEG", "foto.jpg", "image/jpeg"),
        ("PNG", "skiss.png", "image/png"),
        ("WEBP", "bild.webp", "image/webp"),
    ],
)
def test_a_real_picture_is_re_encoded_and_stored_privately(
    staff, private_dir, fmt, name, content_type
):
    idea = IdeaFactory(owner=staff)
    original = image_bytes(fmt, size=(40, 30))

    attachment = attachment_create(
        idea=idea,
        by=staff,
        upload=upload(name, original, "text/plain"),
        alt_text="  Ett rött  kort ",
    )

    attachment.refresh_from_db()
    assert attachment.kind == AttachmentKind.IMAGE
    assert attachment.content_type == content_type  # from the content, not the client
    assert (attachment.width, attachment.height) == (40, 30)
    assert attachment.alt_text == "Ett rött kort"
    assert attachment.original_name == name
    assert attachment.uploaded_by == staff
    stored = private_dir / attachment.file.name
    assert stored.is_file()
    assert stored.stat().st_size == attachment.size
    assert name not in attachment.file.name  # stored under a random name
    with Image.open(stored) as image:
        assert image.format == fmt
        assert image.size == (40, 30)


def test_exif_is_removed_and_the_picture_turned_upright(staff, private_dir):
    idea = IdeaFactory(owner=staff)
    original = jpeg_with_exif(size=(40, 30))
    with Image.open(io.BytesIO(original)) as check:  # the test file really has EXIF
        assert check.getexif()[0x010F] == "Telefonbolaget AB"

    attachment = attachment_create(
        idea=idea, by=staff, upload=upload("IMG_0001.JPG", original), alt_text="Nyckelskåpet"
    )

    content = (private_dir / attachment.file.name).read_bytes()
    assert b"Telefonbolaget" not in content
    assert b"secret comment" not in content
    assert b"Exif" not in content
    with Image.open(io.BytesIO(content)) as image:
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
        assert "comment" not in image.info
        assert image.size == (30, 40)  # rotated as the EXIF orientation said
    assert (attachment.width, attachment.height) == (30, 40)


def test_a_transparent_png_keeps_its_transparency(staff, private_dir):
    idea = IdeaFactory(owner=staff)
    buffer = io.BytesIO()
    Image.new("RGBA", (8, 8), (0, 0, 0, 0)).save(buffer, "PNG")

    attachment = attachment_create(
        idea=idea, by=staff, upload=upload("logo.png", buffer.getvalue()), alt_text="Logotyp"
    )

    with Image.open(private_dir / attachment.file.name) as image:
        assert image.mode == "RGBA"
        assert image.getpixel((0, 0))[3] == 0


def test_a_pdf_is_stored_as_it_is_without_alt_text(staff, private_dir):
    idea = IdeaFactory(owner=staff)
    pdf = image_bytes("PDF")  # a real PDF, written by Pillow

    attachment = attachment_create(
        idea=idea, by=staff, upload=upload("Budget 2026.pdf", pdf, "image/png")
    )

    assert attachment.kind == AttachmentKind.PDF
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(pdf)
    assert attachment.width is None
    assert attachment.original_name == "Budget 2026.pdf"
    assert (private_dir / attachment.file.name).read_bytes() == pdf
    assert attachment.file.name.endswith(".pdf")


def test_a_coach_may_attach_to_an_idea_in_planning(coach):
    idea = IdeaFactory(state="planning")
    attachment = attachment_create(idea=idea, by=coach, upload=upload("plan.pdf", MINIMAL_PDF))
    assert attachment.uploaded_by == coach


def test_a_co_owner_may_attach(staff):
    idea = IdeaFactory(state="submitted")
    idea.co_owners.add(staff)
    assert attachment_create(idea=idea, by=staff, upload=upload("a.pdf", MINIMAL_PDF)).pk


def test_the_client_file_name_is_cleaned(staff):
    idea = IdeaFactory(owner=staff)
    attachment = attachment_create(
        idea=idea, by=staff, upload=upload('..\\..\\etc/"pass\x00wd"\r\n.pdf', MINIMAL_PDF)
    )
    assert attachment.original_name == "_pass wd_ .pdf"


# --- The service: what is refused ----------------------------------------------------


@pytest.mark.usefixtures("nothing_stored")
def test_a_text_file_renamed_png_is_refused(staff):
    idea = IdeaFactory(owner=staff)
    error = refusal(
        idea, staff, upload("bild.png", b"Hej, det har ar ingen bild.\n" * 20, "image/png")
    )
    assert error.code == "unsupported"


@pytest.mark.usefixtures("nothing_stored")
@pytest.mark.parametrize("name", ["ritning.svg", "ritning.png"])
def test_an_svg_is_refused(staff, name):
    idea = IdeaFactory(owner=staff)
    error = refusal(idea, staff, upload(name, SVG, "image/svg+xml"))
    assert error.code == "unsupported"


@pytest.mark.usefixtures("nothing_stored")
def test_a_gif_is_a_real_picture_but_not_accepted(staff):
    idea = IdeaFactory(owner=staff)
    error = refusal(idea, staff, upload("anim.gif", image_bytes("GIF"), "image/gif"))
    assert error.code == "unsupported"


@pytest.mark.usefixtures("nothing_stored")
def test_a_damaged_picture_is_refused(staff):
    idea = IdeaFactory(owner=staff)
    truncated = image_bytes("JPEG", size=(200, 200))[:300]
    error = refusal(idea, staff, upload("trasig.jpg", truncated))
    assert error.code == "unreadable"


@pytest.mark.usefixtures("nothing_stored")
def test_a_picture_with_too_many_pixels_is_refused_before_decoding(staff, settings, monkeypatch):
    settings.IDEA_IMAGE_MAX_PIXELS = 1000
    idea = IdeaFactory(owner=staff)
    big = upload("stor.png", image_bytes("PNG", size=(50, 40)))

    def no_decoding(self, *args, **kwargs):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    monkeypatch.setattr("PIL.ImageFile.ImageFile.load", no_decoding)

    error = refusal(idea, staff, big)
    assert error.code == "too_many_pixels"


@pytest.mark.usefixtures("nothing_stored")
def test_a_decompression_bomb_is_refused(staff):
    """A 200-byte PNG declaring 60 000 × 60 000 pixels, with the default limits."""
    idea = IdeaFactory(owner=staff)
    bomb = png_with_declared_size(60_000, 60_000)
    assert len(bomb) < 300
    error = refusal(idea, staff, upload("bomb.png", bomb, "image/png"))
    assert error.code == "too_many_pixels"


@pytest.mark.usefixtures("nothing_stored")
def test_a_bomb_just_over_our_limit_but_under_pillows_is_refused(staff, settings):
    settings.IDEA_IMAGE_MAX_PIXELS = 10_000
    idea = IdeaFactory(owner=staff)
    error = refusal(idea, staff, upload("bomb.png", png_with_declared_size(101, 100)))
    assert error.code == "too_many_pixels"


@pytest.mark.usefixtures("nothing_stored")
def test_an_oversized_file_is_refused_before_it_is_read(staff, settings):
    settings.IDEA_ATTACHMENT_MAX_BYTES = 1000
    idea = IdeaFactory(owner=staff)
    big = upload("stor.pdf", MINIMAL_PDF + b"0" * 2000)

    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("the content was read")

        seek = read

    big.file = Unreadable()  # the size alone must decide
    error = refusal(idea, staff, big)
    assert error.code == "too_large"


@pytest.mark.usefixtures("nothing_stored")
def test_an_empty_file_is_refused(staff):
    error = refusal(IdeaFactory(owner=staff), staff, upload("tom.pdf", b""))
    assert error.code == "empty"


@pytest.mark.usefixtures("nothing_stored")
@pytest.mark.parametrize("alt_text", ["", "   "])
def test_a_picture_without_alt_text_is_refused(staff, alt_text):
    idea = IdeaFactory(owner=staff)
    error = refusal(idea, staff, upload("foto.jpg", image_bytes("JPEG")), alt_text=alt_text)
    assert error.code == "alt_text_required"


@pytest.mark.usefixtures("nothing_stored")
def test_someone_outside_the_team_may_not_attach(staff):
    idea = IdeaFactory(state="submitted")
    with pytest.raises(PermissionDenied):
        attachment_create(idea=idea, by=staff, upload=upload("a.pdf", MINIMAL_PDF))


@pytest.mark.usefixtures("nothing_stored")
@pytest.mark.parametrize("state", ["scaled", "learned", "declined", "withdrawn"])
def test_nothing_can_be_attached_to_a_final_idea(staff, state):
    idea = IdeaFactory(owner=staff, state=state)
    with pytest.raises(PermissionDenied):
        attachment_create(idea=idea, by=staff, upload=upload("a.pdf", MINIMAL_PDF))


def test_the_file_is_removed_when_the_row_cannot_be_saved(staff, private_dir, monkeypatch):
    idea = IdeaFactory(owner=staff)

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Attachment, "save", broken_save)
    with pytest.raises(RuntimeError):
        attachment_create(idea=idea, by=staff, upload=upload("a.pdf", MINIMAL_PDF))
    assert stored_files(private_dir) == []
    assert Attachment.objects.count() == 0


# --- The form --------------------------------------------------------------------


def test_the_form_asks_for_alt_text_only_for_pictures():
    picture = AttachmentForm(data={}, files={"file": upload("a.png", image_bytes("PNG"))})
    assert not picture.is_valid()
    assert [e.code for e in picture.errors.as_data()["alt_text"]] == ["alt_text_required"]

    pdf = AttachmentForm(data={}, files={"file": upload("a.pdf", MINIMAL_PDF)})
    assert pdf.is_valid(), pdf.errors


def test_the_form_refuses_a_fake_picture_by_its_content():
    form = AttachmentForm(data={"alt_text": "x"}, files={"file": upload("a.png", b"not a png")})
    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["file"]] == ["unsupported"]


# --- The upload view -------------------------------------------------------------


def create_url(idea) -> str:
    return reverse("ideas:attachment-create", args=[idea.pk])


def file_url(attachment) -> str:
    return reverse("ideas:attachment-file", args=[attachment.idea_id, attachment.pk])


def error_messages(response) -> list[str]:
    return [
        m.message for m in get_messages(response.wsgi_request) if m.level == message_levels.ERROR
    ]


def in_swedish(message: str, **params) -> str:
    """The message as a Swedish user sees it (the English source until it is translated)."""
    with translation.override("sv"):
        return translation.gettext(message) % params if params else translation.gettext(message)


def test_uploading_a_picture_through_the_page(client, staff):
    idea = IdeaFactory(owner=staff)
    client.force_login(staff)

    response = client.post(
        create_url(idea),
        {"file": upload("foto.jpg", image_bytes("JPEG")), "alt_text": "Nyckelskåpet i hallen"},
    )

    assert response.status_code == 302
    assert response["Location"] == idea.get_absolute_url()
    attachment = Attachment.objects.get()
    assert attachment.alt_text == "Nyckelskåpet i hallen"
    assert [m.level for m in get_messages(response.wsgi_request)] == [message_levels.SUCCESS]


@pytest.mark.usefixtures("nothing_stored")
def test_a_fake_picture_through_the_page_gets_a_message_and_keeps_the_alt_text(client, staff):
    idea = IdeaFactory(owner=staff)
    client.force_login(staff)

    response = client.post(
        create_url(idea), {"file": upload("bild.png", b"just text"), "alt_text": "Min skiss"}
    )

    assert response.status_code == 302
    assert response["Location"] == idea.get_absolute_url()
    assert error_messages(response) == [
        in_swedish(
            "This kind of file cannot be attached. Attach a picture (JPEG, PNG or WebP) "
            "or a PDF document."
        )
    ]
    assert response.wsgi_request.LANGUAGE_CODE == "sv"
    # The idea page offers the alt text again.
    from workflows.ideas.views.attachments import attachments_context

    request = response.wsgi_request
    request.session = client.session
    assert attachments_context(request, idea)["attachment_form"].initial == {
        "alt_text": "Min skiss"
    }


@pytest.mark.usefixtures("nothing_stored")
def test_an_oversized_file_through_the_page_is_refused(client, staff, settings):
    settings.IDEA_ATTACHMENT_MAX_BYTES = 1000
    idea = IdeaFactory(owner=staff)
    client.force_login(staff)

    response = client.post(
        create_url(idea), {"file": upload("stor.pdf", MINIMAL_PDF + b"0" * 5000)}
    )

    assert response.status_code == 302
    with translation.override("sv"):
        expected = too_large_error(len(MINIMAL_PDF) + 5000).messages
    assert error_messages(response) == expected


@pytest.mark.usefixtures("nothing_stored")
def test_a_one_gigabyte_request_is_refused_without_reading_the_body(staff):
    """The Content-Length header alone decides; reading the body would fail the test
    client ("Cannot read more than the available bytes"). CSRF is enforced here, so
    this also shows the size check comes before the CSRF middleware reads the body."""
    idea = IdeaFactory(owner=staff)
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)

    response = client.post(
        create_url(idea),
        {"file": upload("stor.pdf", MINIMAL_PDF), "alt_text": ""},
        CONTENT_LENGTH=str(1024**3),
    )

    assert response.status_code == 302
    assert response["Location"] == idea.get_absolute_url()
    with translation.override("sv"):
        expected = too_large_error().messages
    assert error_messages(response) == expected


@pytest.mark.usefixtures("nothing_stored")
def test_csrf_is_still_checked_for_uploads(staff):
    idea = IdeaFactory(owner=staff)
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post(create_url(idea), {"file": upload("a.pdf", MINIMAL_PDF)})
    assert response.status_code == 403


@pytest.mark.usefixtures("nothing_stored")
def test_a_picture_without_alt_text_through_the_page_is_refused(client, staff):
    idea = IdeaFactory(owner=staff)
    client.force_login(staff)
    response = client.post(create_url(idea), {"file": upload("foto.jpg", image_bytes("JPEG"))})
    assert response.status_code == 302
    assert len(error_messages(response)) == 1


@pytest.mark.usefixtures("nothing_stored")
def test_a_colleague_outside_the_team_gets_403(client, staff):
    idea = IdeaFactory(state="submitted")
    client.force_login(staff)
    response = client.post(create_url(idea), {"file": upload("a.pdf", MINIMAL_PDF)})
    assert response.status_code == 403


@pytest.mark.usefixtures("nothing_stored")
def test_someone_who_cannot_see_the_idea_gets_404(client, staff):
    client.force_login(staff)
    response = client.post(create_url(IdeaFactory()), {"file": upload("a.pdf", MINIMAL_PDF)})
    assert response.status_code == 404


@pytest.mark.usefixtures("nothing_stored")
def test_anonymous_upload_is_sent_to_login(client):
    idea = IdeaFactory()
    response = client.post(create_url(idea), {"file": upload("a.pdf", MINIMAL_PDF)})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_get_is_not_allowed_on_the_upload_url(client, staff):
    client.force_login(staff)
    assert client.get(create_url(IdeaFactory(owner=staff))).status_code == 405


# --- Fetching the file -----------------------------------------------------------


def test_a_colleague_can_see_a_picture_of_a_submitted_idea(client, staff):
    owner = UserFactory()
    idea = IdeaFactory(owner=owner, state="submitted")
    attachment = attachment_create(
        idea=idea, by=owner, upload=upload("foto.jpg", image_bytes("JPEG")), alt_text="Ett kort"
    )
    client.force_login(staff)

    response = client.get(file_url(attachment))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert response["Content-Disposition"] == 'inline; filename="foto.jpg"'
    with attachment.file.open("rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()


def test_a_pdf_is_downloaded_with_a_safe_name(client, staff):
    idea = IdeaFactory(owner=staff)
    attachment = attachment_create(
        idea=idea, by=staff, upload=upload('Plan "hemlig"\r\nX-Evil: 1.pdf', MINIMAL_PDF)
    )
    client.force_login(staff)

    response = client.get(file_url(attachment))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Plan _hemlig_ X-Evil_ 1.pdf"'
    assert "X-Evil" not in response.headers


def test_a_non_ascii_name_is_encoded(client, staff):
    idea = IdeaFactory(owner=staff)
    attachment = attachment_create(
        idea=idea, by=staff, upload=upload("Ärende öst.pdf", MINIMAL_PDF)
    )
    client.force_login(staff)
    response = client.get(file_url(attachment))
    assert (
        response["Content-Disposition"] == "attachment; filename*=utf-8''%C3%84rende%20%C3%B6st.pdf"
    )


def test_an_attachment_of_a_draft_is_hidden_from_everyone_outside_the_team(client, staff):
    attachment = AttachmentFactory(idea=IdeaFactory(state="draft"))
    client.force_login(staff)
    assert client.get(file_url(attachment)).status_code == 404


def test_only_the_team_sees_an_attachment_of_a_draft(client, coach):
    attachment = AttachmentFactory(idea=IdeaFactory(state="draft"))
    client.force_login(attachment.idea.owner)
    assert client.get(file_url(attachment)).status_code == 200
    client.force_login(coach)
    assert client.get(file_url(attachment)).status_code == 404


def test_an_attachment_is_only_found_under_its_own_idea(client, staff):
    attachment = AttachmentFactory(idea=IdeaFactory(state="submitted"))
    other = IdeaFactory(state="submitted")
    client.force_login(staff)
    url = reverse("ideas:attachment-file", args=[other.pk, attachment.pk])
    assert client.get(url).status_code == 404


def test_anonymous_is_sent_to_login_for_a_file(client):
    attachment = AttachmentFactory(idea=IdeaFactory(state="submitted"))
    response = client.get(file_url(attachment))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_missing_file_is_404_not_500(client, staff, private_dir):
    attachment = AttachmentFactory(idea=IdeaFactory(state="submitted"))
    (private_dir / attachment.file.name).unlink()
    client.force_login(staff)
    assert client.get(file_url(attachment)).status_code == 404


# --- Where files live --------------------------------------------------------------


def test_the_private_storage_is_outside_media_root():
    location = Path(storages["private"].location).resolve()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    assert FIELD.storage is not None
    assert not location.is_relative_to(media_root)
    assert not media_root.is_relative_to(location)


def test_a_stored_attachment_is_not_reachable_through_media(client, staff, monkeypatch):
    """With the configured private storage (not the test's own folder)."""
    monkeypatch.setattr(FIELD, "storage", storages["private"])
    idea = IdeaFactory(owner=staff, state="submitted")
    attachment = attachment_create(idea=idea, by=staff, upload=upload("a.pdf", MINIMAL_PDF))
    try:
        path = Path(attachment.file.path).resolve()
        assert path.is_file()
        assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
        media_url = settings.MEDIA_URL + attachment.file.name
        client.force_login(staff)
        assert client.get(media_url).status_code == 404
        assert client.get(file_url(attachment)).status_code == 200
    finally:
        attachment.file.storage.delete(attachment.file.name)


# --- The include on the idea page ---------------------------------------------------


def render_include(rf, user, idea, **context):
    request = rf.get(idea.get_absolute_url())
    request.user = user
    return render_to_string(
        "ideas/includes/attachments.html", {"idea": idea, **context}, request=request
    )


def test_the_include_shows_pictures_pdfs_and_the_form(rf, staff):
    idea = IdeaFactory(owner=staff)
    picture = attachment_create(
        idea=idea,
        by=staff,
        upload=upload("foto.jpg", image_bytes("JPEG", size=(1280, 960))),
        alt_text='Kö vid "skåpet"',
    )
    pdf = attachment_create(idea=idea, by=staff, upload=upload("plan.pdf", MINIMAL_PDF))

    html = render_include(
        rf,
        staff,
        idea,
        attachments=[picture, pdf],
        can_add_attachment=True,
        attachment_form=AttachmentForm(),
    )

    assert '<section class="attachments" aria-labelledby="attachments-heading">' in html
    assert '<h2 id="attachments-heading">' in html
    assert f'<img src="{file_url(picture)}" alt="Kö vid &quot;skåpet&quot;"' in html
    assert 'width="640" height="480"' in html
    assert 'loading="lazy"' in html
    assert f'<a href="{file_url(pdf)}">plan.pdf</a>' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'accept=".jpg,.jpeg,.png,.webp,.pdf' in html
    assert '<label for="id_file"' in html
    assert '<label for="id_alt_text"' in html
    assert "style=" not in html
    assert "<script" not in html
    assert settings.MEDIA_URL not in html


def test_the_include_has_no_form_for_those_who_may_not_add(rf, staff):
    idea = IdeaFactory(state="submitted")
    html = render_include(
        rf, staff, idea, attachments=[], can_add_attachment=False, attachment_form=None
    )
    assert "<form" not in html
    assert '<h2 id="attachments-heading">' in html
