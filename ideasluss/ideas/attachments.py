"""Attachments on ideas: pictures (JPEG, PNG, WebP) and PDF documents.

Every upload is judged by its content, never by its name or the browser's content
type. A PDF must start with the `%PDF-` signature and is stored as it is. A picture
must be a real JPEG, PNG or WebP that Pillow can read; its size in pixels is checked
from the header before any pixel is decoded (decompression bombs), and it is
re-encoded into a fresh file, which drops EXIF (GPS position, camera), XMP, comments
and colour profiles. Files go to the private storage, which has no URL: they are only
served by `views.attachments.attachment_file`, which checks who may see the idea.

Refusals raise `ValidationError` with a message for the person uploading; nothing is
stored then, neither a row nor a file.
"""

from __future__ import annotations

import io
import logging
import os
import re
import unicodedata
import uuid
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

from ideasluss.accounts.models import User

from .models import Attachment, AttachmentKind, Idea

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"

# What the browser's file picker offers; the server never trusts it.
ACCEPT = ".jpg,.jpeg,.png,.webp,.pdf,image/jpeg,image/png,image/webp,application/pdf"

# Pillow format name → (format to re-encode as, content type, file extension).
# Phones often save photos as MPO (a JPEG with extra frames): it is re-encoded as JPEG.
IMAGE_FORMATS = {
    "JPEG": ("JPEG", "image/jpeg", "jpg"),
    "MPO": ("JPEG", "image/jpeg", "jpg"),
    "PNG": ("PNG", "image/png", "png"),
    "WEBP": ("WEBP", "image/webp", "webp"),
}
# Only these decoders are ever tried on an upload (less attack surface).
PILLOW_OPEN_FORMATS = ("JPEG", "PNG", "WEBP")
# Modes each output format is written in; anything else is converted first.
OUTPUT_MODES = {
    "JPEG": {"L", "RGB"},
    "PNG": {"1", "L", "LA", "RGB", "RGBA"},
    "WEBP": {"RGB", "RGBA"},
}
JPEG_QUALITY = 85
WEBP_QUALITY = 85

# Errors Pillow raises on files it cannot read or that are broken.
_PILLOW_ERRORS = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    TypeError,
    IndexError,
    KeyError,
    EOFError,
    ZeroDivisionError,
    MemoryError,
    Image.DecompressionBombError,
)


def max_bytes() -> int:
    return settings.IDEA_ATTACHMENT_MAX_BYTES


def max_pixels() -> int:
    return settings.IDEA_IMAGE_MAX_PIXELS


# --- Refusals ------------------------------------------------------------------------


def too_large_error(size: int | None = None) -> ValidationError:
    """The upload is over IDEA_ATTACHMENT_MAX_BYTES (`size` when it is known)."""
    if size is None:
        return ValidationError(
            _("The file is too large. Files may be at most %(limit)s."),
            code="too_large",
            params={"limit": filesizeformat(max_bytes())},
        )
    return ValidationError(
        _("The file is too large (%(size)s). Files may be at most %(limit)s."),
        code="too_large",
        params={"size": filesizeformat(size), "limit": filesizeformat(max_bytes())},
    )


def _unsupported_error() -> ValidationError:
    return ValidationError(
        _(
            "This kind of file cannot be attached. Attach a picture (JPEG, PNG or WebP) "
            "or a PDF document."
        ),
        code="unsupported",
    )


def _unreadable_image_error() -> ValidationError:
    return ValidationError(
        _(
            "The picture could not be read. The file may be damaged, or it is not really "
            "a JPEG, PNG or WebP picture."
        ),
        code="unreadable",
    )


def _too_many_pixels_error(width: int | None = None, height: int | None = None):
    if width is None or height is None:
        return ValidationError(
            _("The picture has too many pixels. Pictures may have at most %(limit)s pixels."),
            code="too_many_pixels",
            params={"limit": number_format(max_pixels(), force_grouping=True)},
        )
    return ValidationError(
        _(
            "The picture has too many pixels (%(width)s × %(height)s). Make it smaller and "
            "try again; pictures may have at most %(limit)s pixels."
        ),
        code="too_many_pixels",
        params={
            "width": number_format(width, force_grouping=True),
            "height": number_format(height, force_grouping=True),
            "limit": number_format(max_pixels(), force_grouping=True),
        },
    )


def _alt_text_missing_error() -> ValidationError:
    return ValidationError(
        _(
            "Describe the picture in a few words (alt text), so that colleagues who cannot "
            "see it know what it shows."
        ),
        code="alt_text_required",
    )


def _empty_error() -> ValidationError:
    return ValidationError(_("The file is empty."), code="empty")


# --- Looking at the content ----------------------------------------------------------


@dataclass(frozen=True)
class ProcessedUpload:
    """What is stored: the content to write and the facts about it."""

    kind: str
    content: File
    content_type: str
    extension: str
    size: int
    width: int | None = None
    height: int | None = None


def check_size(upload: File) -> None:
    """Refuse an empty or oversized upload from its size alone, before reading it."""
    size = upload.size
    if size is None or size > max_bytes():
        raise too_large_error(size)
    if size == 0:
        raise _empty_error()


def _read_head(upload: File, length: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(length)
    upload.seek(0)
    return head


def detect_kind(upload: File) -> str:
    """A quick look at the content: `AttachmentKind.PDF` or `.IMAGE`, or a refusal.

    For pictures only the header is read (format and size in pixels); the full check
    and re-encoding is `process_upload`.
    """
    if _read_head(upload).startswith(PDF_MAGIC):
        return AttachmentKind.PDF
    with _open_image(upload) as image:
        _check_image_header(image)
    return AttachmentKind.IMAGE


def _open_image(upload: File) -> Image.Image:
    """Open the picture lazily (the header only) with the decoders we allow."""
    upload.seek(0)
    try:
        return Image.open(upload, formats=PILLOW_OPEN_FORMATS)
    except Image.DecompressionBombError as error:
        raise _too_many_pixels_error() from error
    except Image.DecompressionBombWarning as error:  # when warnings are errors
        raise _too_many_pixels_error() from error
    except UnidentifiedImageError as error:
        raise _unsupported_error() from error
    except _PILLOW_ERRORS as error:
        raise _unreadable_image_error() from error


def _check_image_header(image: Image.Image) -> None:
    """Allowed format and not too many pixels: decided before any pixel is decoded."""
    if image.format not in IMAGE_FORMATS:
        raise _unsupported_error()
    width, height = image.size
    if width <= 0 or height <= 0:
        raise _unreadable_image_error()
    if width * height > max_pixels():
        raise _too_many_pixels_error(width, height)


def _process_pdf(upload: File) -> ProcessedUpload:
    return ProcessedUpload(
        kind=AttachmentKind.PDF,
        content=upload,
        content_type="application/pdf",
        extension="pdf",
        size=upload.size,
    )


def _process_image(upload: File) -> ProcessedUpload:
    # 1. Header: format and pixel count, nothing decoded yet.
    with _open_image(upload) as image:
        _check_image_header(image)
        try:
            image.verify()  # structure and checksums, still without decoding pixels
        except _PILLOW_ERRORS as error:
            raise _unreadable_image_error() from error
    # 2. verify() leaves the image unusable: open again, check again, decode.
    with _open_image(upload) as image:
        _check_image_header(image)
        output_format, content_type, extension = IMAGE_FORMATS[image.format]
        try:
            image.load()
            picture = ImageOps.exif_transpose(image)
            if picture.mode not in OUTPUT_MODES[output_format]:
                picture = picture.convert("RGBA" if _has_alpha(picture, output_format) else "RGB")
            # A fresh file with pixels only: no EXIF, XMP, comments or colour profile.
            picture.info = {}
            buffer = io.BytesIO()
            if output_format == "JPEG":
                picture.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
            elif output_format == "WEBP":
                picture.save(buffer, "WEBP", quality=WEBP_QUALITY)
            else:
                picture.save(buffer, "PNG")
        except Image.DecompressionBombError as error:
            raise _too_many_pixels_error(*image.size) from error
        except _PILLOW_ERRORS as error:
            raise _unreadable_image_error() from error
    content = buffer.getvalue()
    return ProcessedUpload(
        kind=AttachmentKind.IMAGE,
        content=ContentFile(content),
        content_type=content_type,
        extension=extension,
        size=len(content),
        width=picture.width,
        height=picture.height,
    )


def _has_alpha(image: Image.Image, output_format: str) -> bool:
    return output_format != "JPEG" and image.has_transparency_data


def process_upload(upload: File) -> ProcessedUpload:
    """Check the upload's size and content; re-encode pictures. Raises ValidationError."""
    check_size(upload)
    if _read_head(upload).startswith(PDF_MAGIC):
        return _process_pdf(upload)
    return _process_image(upload)


# --- Names ---------------------------------------------------------------------------

_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|;]+')


def clean_file_name(name: str, *, max_length: int = 255) -> str:
    """The client's file name without path, control characters or shell-ish symbols."""
    name = os.path.basename(str(name or "").replace("\\", "/"))
    name = unicodedata.normalize("NFC", name)
    name = "".join(" " if unicodedata.category(c).startswith(("C", "Z")) else c for c in name)
    name = _UNSAFE_IN_NAME.sub("_", name)
    name = " ".join(name.split()).strip(" .")
    return name[:max_length]


def download_name(attachment: Attachment) -> str:
    """A safe name for Content-Disposition: the original name with the real extension."""
    stem = os.path.splitext(clean_file_name(attachment.original_name))[0][:100].strip(" .")
    extension = os.path.splitext(attachment.file.name)[1] or (
        ".pdf" if attachment.kind == AttachmentKind.PDF else ""
    )
    return f"{stem or 'bilaga'}{extension.lower()}"


# --- The form and the use case -------------------------------------------------------


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Picture or PDF"),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "required": gettext_lazy("Choose a file to attach."),
            "empty": gettext_lazy("The file is empty."),
        },
    )
    alt_text = forms.CharField(
        label=gettext_lazy("Description of the picture (alt text)"),
        help_text=gettext_lazy(
            "Required for pictures: say in a few words what the picture shows, for "
            "colleagues who cannot see it."
        ),
        max_length=300,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A picture (JPEG, PNG or WebP) or a PDF document, at most %(limit)s."
        ) % {"limit": filesizeformat(max_bytes())}
        self.kind: str | None = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_size(upload)
        self.kind = detect_kind(upload)
        return upload

    def clean_alt_text(self):
        return " ".join(self.cleaned_data.get("alt_text", "").split())

    def clean(self):
        cleaned_data = super().clean()
        if self.kind == AttachmentKind.IMAGE and not cleaned_data.get("alt_text"):
            self.add_error("alt_text", _alt_text_missing_error())
        return cleaned_data


def attachment_create(*, idea: Idea, by: User, upload: File, alt_text: str = "") -> Attachment:
    """Attach a picture or PDF to the idea (the team or a coach, while it is not final).

    The content is checked and pictures are re-encoded before anything is written; the
    file and its row are then written together, and if saving the row fails the file
    is removed again, so a refusal or an error leaves nothing behind.
    """
    if not by.has_perm("ideas.add_attachment", idea):
        raise PermissionDenied(_("You are not allowed to do this with this idea."))
    processed = process_upload(upload)
    alt_text = " ".join((alt_text or "").split())
    if processed.kind == AttachmentKind.IMAGE and not alt_text:
        raise _alt_text_missing_error()
    if len(alt_text) > 300:
        raise ValidationError(
            _("The description of the picture may be at most %(limit)s characters."),
            code="alt_text_too_long",
            params={"limit": 300},
        )
    original_name = clean_file_name(getattr(upload, "name", "") or "") or (
        f"bilaga.{processed.extension}"
    )

    attachment = Attachment(
        idea=idea,
        uploaded_by=by,
        kind=processed.kind,
        original_name=original_name,
        content_type=processed.content_type,
        size=processed.size,
        width=processed.width,
        height=processed.height,
        alt_text=alt_text if processed.kind == AttachmentKind.IMAGE else "",
    )
    stored_name: str | None = None
    try:
        with transaction.atomic():
            # The idea may have become final since the check above: look again, locked.
            locked = Idea.objects.select_for_update().get(pk=idea.pk)
            if not by.has_perm("ideas.add_attachment", locked):
                raise PermissionDenied(_("You are not allowed to do this with this idea."))
            attachment.file.save(
                f"{uuid.uuid4().hex}.{processed.extension}", processed.content, save=False
            )
            stored_name = attachment.file.name
            attachment.save()
    except BaseException:
        if stored_name:
            try:
                attachment.file.storage.delete(stored_name)
            except OSError:
                logger.exception("Could not remove the attachment file %s", stored_name)
        raise
    return attachment
