"""The hostile-upload corpus (tests/uploads/hostile.py) through the real upload paths.

Each case is sent as a browser would, in a multipart body built here (so that names
such as `../../etc/passwd.png` or a NUL byte reach Django's parser unchanged; the test
client would clean them first), to the idea attachment page as the idea's owner and
to the Wagtail admin's "add image" page as a coach. A refusal must come with its
Swedish message and leave neither a row nor a file; an acceptance must store a clean
file: a re-encoded picture within the stored size, with no EXIF, GPS position, text
chunk or anything appended.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.images import get_image_model
from wagtail.models import Collection, UploadedFile

from ideasluss.ideas.models import Attachment, AttachmentKind
from tests.factories import IdeaFactory

from .hostile import ACCEPTED, CASE_BY_ID, CASES, Case

pytestmark = pytest.mark.django_db

FIELD = Attachment._meta.get_field("file")
BOUNDARY = "----idesluss-hostile-corpus"

# The Swedish message a person sees for each refusal of an attachment.
ATTACHMENT_MESSAGES = {
    "too_many_pixels": "Bilden har för många pixlar",
    "too_costly": "Bilden skulle ta för mycket minne att behandla",
    "pdf_too_costly": "PDF-dokumentet packas upp till mycket mer data",
    "animated": "Animerade bilder kan inte bifogas",
    "unsupported": "Den här typen av fil kan inte bifogas",
    "unreadable": "Bilden gick inte att läsa",
    "damaged_pdf": "PDF-dokumentet är skadat eller ofullständigt",
    "active_pdf": "PDF-dokumentet innehåller skript",
    "empty": "Filen är tom",
    "unreadable_request": "Filen kunde inte tas emot. Namnet är kanske för långt",
}


def multipart(fields: dict[str, str], file_name: str, content: bytes) -> bytes:
    """A multipart/form-data body with the file name exactly as given."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"'
        "\r\nContent-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def post_file(client, url: str, fields: dict[str, str], file_name: str, content: bytes):
    return client.post(
        url,
        data=multipart(fields, file_name, content),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )


def files_under(directory: Path) -> list[Path]:
    return [path for path in directory.rglob("*") if path.is_file()]


def assert_clean_picture(data: bytes) -> Image.Image:
    """A re-encoded picture: within the stored size, no metadata, nothing appended."""
    picture = Image.open(io.BytesIO(data))
    assert max(picture.size) <= 3000
    assert not picture.getexif(), "EXIF left in the stored file"
    assert not picture.getexif().get_ifd(0x8825), "GPS position left in the stored file"
    assert "exif" not in picture.info and "icc_profile" not in picture.info
    assert not {"Comment", "comment"} & set(picture.info)
    assert b"PK\x03\x04" not in data and b"<script" not in data and b"<html" not in data
    return picture


@pytest.fixture
def private_dir(tmp_path, monkeypatch):
    location = tmp_path / "private"
    location.mkdir()
    monkeypatch.setattr(FIELD, "storage", FileSystemStorage(location=location, base_url=None))
    return location


@pytest.fixture
def media_dir(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def generous_limits(settings):
    """The corpus is about content, not about how often: no rate limit gets in the way."""
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, "1000/m")


def swedish_errors(response) -> list[str]:
    return [
        m.message for m in get_messages(response.wsgi_request) if m.level == message_levels.ERROR
    ]


@pytest.mark.usefixtures("generous_limits")
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_an_attachment_upload(client, staff, private_dir, case: Case):
    idea = IdeaFactory(owner=staff)
    client.force_login(staff)

    response = post_file(
        client,
        reverse("ideas:attachment-create", args=[idea.pk]),
        {"alt_text": "En bild"},
        case.name,
        case.content,
    )

    assert response.status_code == 302
    assert response["Location"] == idea.get_absolute_url()
    if case.attachment != ACCEPTED:
        (message,) = swedish_errors(response)
        assert message.startswith(ATTACHMENT_MESSAGES[case.attachment]), message
        assert not Attachment.objects.exists()
        assert files_under(private_dir) == []
        return

    assert swedish_errors(response) == []
    attachment = Attachment.objects.get()
    (stored,) = files_under(private_dir)
    assert stored.name == os.path.basename(attachment.file.name)  # a random name of ours
    name = attachment.original_name
    assert len(name) <= 255
    assert not {"/", "\\", "\x00", ".."} & {*name, name[:2]}
    assert name.endswith((".png", ".jpg"))
    if attachment.kind == AttachmentKind.PDF:
        assert attachment.content_type == "application/pdf"
        assert stored.suffix == ".pdf"
        return
    assert_clean_picture(stored.read_bytes())


@pytest.mark.usefixtures("generous_limits")
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_an_image_library_upload(client, coach, media_dir, case: Case):
    client.force_login(coach)

    response = post_file(
        client,
        "/admin/images/add/",
        {"title": "Bild", "collection": str(Collection.get_first_root_node().pk)},
        case.name,
        case.content,
    )

    if case.library != ACCEPTED:
        assert response.status_code == 200
        assert case.library in response.content.decode()
        assert not get_image_model().objects.exists()
        assert files_under(Path(media_dir)) == []
        return

    assert response.status_code == 302
    image = get_image_model().objects.get()
    assert ".." not in image.file.name and "\\" not in image.file.name
    with image.file.open("rb") as stored:
        picture = assert_clean_picture(stored.read())
    assert (image.width, image.height) == picture.size


def test_the_corpus_has_at_least_twelve_hostile_cases():
    assert len([case for case in CASES if case.attachment != ACCEPTED]) >= 12
    assert len({case.id for case in CASES}) == len(CASES)


# --- Names too long for Django's parser ----------------------------------------------


def test_a_1000_character_file_name_on_an_attachment_gets_a_swedish_message(
    client, staff, private_dir
):
    """Django's multipart parser refuses a part header over 1 KiB; the page says why."""
    idea = IdeaFactory(owner=staff)
    client.force_login(staff)

    response = post_file(
        client,
        reverse("ideas:attachment-create", args=[idea.pk]),
        {"alt_text": "En bild"},
        "a" * 996 + ".png",
        CASES[0].content,
    )

    assert response.status_code == 302
    (message,) = swedish_errors(response)
    assert message.startswith(ATTACHMENT_MESSAGES["unreadable_request"])
    assert not Attachment.objects.exists()
    assert files_under(private_dir) == []


def test_a_1000_character_file_name_in_the_image_library_is_a_400_not_a_500(
    client, coach, media_dir
):
    """The admin is Wagtail's: the request is refused by Django as a bad request (the
    project's 400 page), and nothing is stored."""
    client.raise_request_exception = False
    client.force_login(coach)

    response = post_file(
        client,
        "/admin/images/add/",
        {"title": "Bild", "collection": str(Collection.get_first_root_node().pk)},
        "a" * 996 + ".png",
        CASES[0].content,
    )

    assert response.status_code == 400
    assert not get_image_model().objects.exists()
    assert files_under(Path(media_dir)) == []


# --- The admin's multiple uploader, and large uploads ----------------------------------

MULTIPLE_ADD = "/admin/images/multiple/add/"


def multiple_upload(client, name: str, content: bytes, **fields):
    return client.post(
        MULTIPLE_ADD,
        {
            "collection": Collection.get_first_root_node().pk,
            "files[]": SimpleUploadedFile(name, content, "application/octet-stream"),
            **fields,
        },
    )


def test_the_multiple_uploader_stores_a_clean_copy(client, coach, media_dir):
    client.force_login(coach)
    response = multiple_upload(client, "telefon.jpg", CASE_BY_ID["jpeg-exif-gps"].content)
    assert response.json()["success"] is True
    with get_image_model().objects.get().file.open("rb") as stored:
        assert_clean_picture(stored.read())


def test_the_multiple_uploader_refuses_a_bomb_with_our_message(client, coach, media_dir):
    client.force_login(coach)
    response = multiple_upload(client, "karta.png", CASE_BY_ID["png-probe-6300"].content)
    answer = response.json()
    assert answer["success"] is False
    assert answer["error_message"].startswith("Bilden har för många pixlar (6\xa0300 × 6\xa0300)")
    assert not get_image_model().objects.exists()
    assert files_under(Path(media_dir)) == []


def test_an_upload_kept_aside_by_the_multiple_uploader_is_the_clean_copy(client, coach, media_dir):
    """A title over 255 characters makes Wagtail keep the file aside (UploadedFile) for
    the editor to complete; what it keeps is what our form cleaned, not the raw upload."""
    client.force_login(coach)
    response = multiple_upload(
        client, "telefon.jpg", CASE_BY_ID["jpeg-exif-gps"].content, title="x" * 300
    )
    assert response.json()["success"] is True
    kept = UploadedFile.objects.get()
    with kept.file.open("rb") as stored:
        assert_clean_picture(stored.read())


@pytest.mark.usefixtures("private_dir")
def test_a_large_upload_in_a_temporary_file_is_cleaned_too(client, coach, media_dir, settings):
    """Django keeps uploads over FILE_UPLOAD_MAX_MEMORY_SIZE in a temporary file, which
    the storage moves into place: the clean bytes must be in that file."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    client.force_login(coach)
    response = post_file(
        client,
        "/admin/images/add/",
        {"title": "Bild", "collection": str(Collection.get_first_root_node().pk)},
        "telefon.jpg",
        CASE_BY_ID["jpeg-exif-gps"].content,
    )
    assert response.status_code == 302
    with get_image_model().objects.get().file.open("rb") as stored:
        assert_clean_picture(stored.read())
