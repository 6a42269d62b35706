"""Attachments on ideas: pictures (JPEG, PNG, WebP) and PDF documents.

Every upload is judged by its content, never by its name or the browser's content
type. A PDF must start with the `%PDF-` signature, end with `%%EOF`, and carry no
active content (scripts, launch actions, embedded files); it is stored as it is. A
picture must be a real JPEG, PNG or WebP that Pillow can read, and what decoding it
would cost is decided from its header before any pixel is decoded: the pixels and the
memory they take once decoded, the ratio of that memory to the file's size (zlib
bombs), and a single frame (no animations). A JPEG is decoded at a reduced scale
(`Image.draft`) when it is larger than what is stored; every picture is scaled down to
`UPLOAD_IMAGE_MAX_SIDE` and re-encoded into a fresh file, which drops EXIF (GPS
position, camera), XMP, comments, colour profiles and anything appended to the file.
The limits, and why they are what they are, are in docs/security-uploads.md.

Files go to the private storage, which has no URL: they are only served by
`views.attachments.attachment_file`, which checks who may see the idea.

Refusals raise `ValidationError` with a message for the person uploading; nothing is
stored then, neither a row nor a file.
"""

from __future__ import annotations

import io
import logging
import os
import re
import struct
import unicodedata
import uuid
import warnings
import zlib
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
from PIL import Image, ImageOps, PngImagePlugin, UnidentifiedImageError

from ideasluss.accounts.models import User
from ideasluss.input_policy import SingleLineField

from .models import Attachment, AttachmentKind, Idea

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

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
# Formats whose decoder can decode at 1/2, 1/4 or 1/8 scale (`Image.draft`).
DRAFT_FORMATS = {"JPEG", "MPO"}
# Bytes a pixel takes in Pillow's memory, by mode (RGB is held as 4 bytes, like RGBA).
BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2}
DEFAULT_BYTES_PER_PIXEL = 4

# PNG text chunks (tEXt, zTXt, iTXt) are thrown away when the picture is re-encoded,
# so a large one is only a cost: Pillow's defaults (1 MiB a chunk, 64 MiB in all) are
# lowered for the whole process; no part of the site reads PNG text.
PngImagePlugin.MAX_TEXT_CHUNK = 256 * 1024
PngImagePlugin.MAX_TEXT_MEMORY = 1024 * 1024

# Errors Pillow raises on files it cannot read or that are broken.
PILLOW_ERRORS = _PILLOW_ERRORS = (
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
    """Pixels decoded into memory at most (for a JPEG: after `Image.draft`)."""
    return settings.IDEA_IMAGE_MAX_PIXELS


def max_declared_pixels(image_format: str) -> int:
    """Pixels a picture's header may declare: more for a JPEG, which is decoded smaller."""
    if image_format in DRAFT_FORMATS:
        return max(settings.UPLOAD_JPEG_MAX_DECLARED_PIXELS, max_pixels())
    return max_pixels()


def max_side() -> int:
    return settings.UPLOAD_IMAGE_MAX_SIDE


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


def _too_many_pixels_error(
    width: int | None = None, height: int | None = None, *, limit: int | None = None
):
    limit = max_pixels() if limit is None else limit
    if width is None or height is None:
        return ValidationError(
            _("The picture has too many pixels. Pictures may have at most %(limit)s pixels."),
            code="too_many_pixels",
            params={"limit": number_format(limit, force_grouping=True)},
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
            "limit": number_format(limit, force_grouping=True),
        },
    )


def _too_costly_error() -> ValidationError:
    """Within the pixel limit, but it would unpack to far more than the file suggests
    (a zlib bomb), or need more memory than a picture may (16 bits a channel)."""
    return ValidationError(
        _(
            "The picture would take too much memory to process. Save it again as an "
            "ordinary JPEG or PNG, or make it smaller, and try again."
        ),
        code="too_costly",
    )


def _animated_error() -> ValidationError:
    return ValidationError(
        _("Animated pictures cannot be attached. Attach a still picture instead."),
        code="animated",
    )


def _damaged_pdf_error() -> ValidationError:
    return ValidationError(
        _("The PDF document is damaged or incomplete. Save it again and try again."),
        code="damaged_pdf",
    )


def _active_pdf_error() -> ValidationError:
    return ValidationError(
        _(
            "The PDF document contains scripts, actions that start programs, or embedded "
            "files, which cannot be attached. Save it as an ordinary PDF (for example "
            "with “Print to PDF”) and try again."
        ),
        code="active_pdf",
    )


def unreadable_upload_error() -> ValidationError:
    """The request itself could not be parsed (Django's multipart parser refused it):
    in practice a file name too long for a part header (about 1,000 characters)."""
    return ValidationError(
        _(
            "The file could not be received. Its name may be too long: give the file a "
            "shorter name (at most 200 characters) and try again."
        ),
        code="unreadable_request",
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
        check_image_cost(image, upload.size or 0)
    return AttachmentKind.IMAGE


def _open_image(upload: File) -> Image.Image:
    """Open the picture lazily (the header only) with the decoders we allow.

    Pillow's own bomb check (`Image.MAX_IMAGE_PIXELS`, left at its default of about
    89 Mpx, above every limit of ours) stays a second net: its warning is made an error
    here, so that both its levels end in the same refusal.
    """
    check_declared_size(_read_head(upload, 32))
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(upload, formats=PILLOW_OPEN_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels_error(limit=max_declared_pixels("JPEG")) from error
    except UnidentifiedImageError as error:
        raise _unsupported_error() from error
    except _PILLOW_ERRORS as error:
        raise _unreadable_image_error() from error


def declared_size(head: bytes) -> tuple[str, int, int] | None:
    """Format and size in pixels read from the first 32 bytes of a PNG or WebP.

    Read here rather than by Pillow, because Pillow's WebP plugin sets up its decoder,
    with a canvas of the declared size, while opening the file; and a PNG without
    pixel data is not even recognised by Pillow, so a bomb's header alone would be
    refused as an unknown file instead of for what it is.
    """
    if head.startswith(PNG_MAGIC) and head[12:16] == b"IHDR" and len(head) >= 24:
        width, height = struct.unpack(">II", head[16:24])
        return "PNG", width, height
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP" and len(head) >= 30:
        chunk = head[12:16]
        if chunk == b"VP8X":  # extended: the canvas, 24 bits each, minus one
            width = int.from_bytes(head[24:27], "little") + 1
            height = int.from_bytes(head[27:30], "little") + 1
            return "WEBP", width, height
        if chunk == b"VP8L" and head[20] == 0x2F:  # lossless: 14 bits each, minus one
            bits = int.from_bytes(head[21:25], "little")
            return "WEBP", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        if chunk == b"VP8 " and head[23:26] == b"\x9d\x01\x2a":  # lossy key frame
            width = int.from_bytes(head[26:28], "little") & 0x3FFF
            height = int.from_bytes(head[28:30], "little") & 0x3FFF
            return "WEBP", width, height
    return None


def check_declared_size(head: bytes) -> None:
    """Refuse a PNG or WebP from the size its first bytes declare (ValidationError)."""
    declared = declared_size(head)
    if declared is None:
        return
    image_format, width, height = declared
    if width <= 0 or height <= 0:
        raise _unreadable_image_error()
    if width * height > max_declared_pixels(image_format):
        raise _too_many_pixels_error(width, height, limit=max_declared_pixels(image_format))


def fitted_size(width: int, height: int, longest: int) -> tuple[int, int]:
    """`width` × `height` scaled down (never up) so that the longest side is `longest`."""
    if max(width, height) <= longest:
        return width, height
    scale = longest / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def decoded_bytes(width: int, height: int, mode: str) -> int:
    """The memory Pillow takes for the decoded pixels of a `mode` picture."""
    return width * height * BYTES_PER_PIXEL.get(mode, DEFAULT_BYTES_PER_PIXEL)


def check_image_cost(image: Image.Image, file_size: int) -> None:
    """Decide, from the header alone, whether decoding this picture costs too much.

    Allowed format; a single frame; the pixels the header declares (more for a JPEG,
    since it is decoded at reduced scale); then the pixels that will really be decoded,
    their memory, and that memory per byte of file (a small file that unpacks to
    hundreds of megabytes is a zlib bomb). For a JPEG this calls `Image.draft` with
    the stored size, so that the following `load()` decodes at 1/2, 1/4 or 1/8 scale.
    Nothing is decoded here.
    """
    if image.format not in IMAGE_FORMATS:
        raise _unsupported_error()
    width, height = image.size
    if width <= 0 or height <= 0:
        raise _unreadable_image_error()
    if image.format != "MPO" and getattr(image, "n_frames", 1) > 1:
        # An MPO (a phone's JPEG with a preview or depth frame) keeps its first frame.
        raise _animated_error()
    declared_limit = max_declared_pixels(image.format)
    if width * height > declared_limit:
        raise _too_many_pixels_error(width, height, limit=declared_limit)
    if image.format in DRAFT_FORMATS:
        image.draft(None, fitted_size(width, height, max_side()))
    decoded_width, decoded_height = image.size
    if decoded_width * decoded_height > max_pixels():
        raise _too_many_pixels_error(width, height)
    memory = decoded_bytes(decoded_width, decoded_height, image.mode)
    if memory > settings.UPLOAD_IMAGE_MAX_DECODED_BYTES:
        raise _too_costly_error()
    if (
        memory > settings.UPLOAD_IMAGE_EXPANSION_CHECKED_ABOVE_BYTES
        and memory > file_size * settings.UPLOAD_IMAGE_MAX_EXPANSION
    ):
        raise _too_costly_error()


def _encode(picture: Image.Image, output_format: str) -> bytes:
    """A fresh file with pixels only: no EXIF, XMP, comments or colour profile."""
    if picture.mode not in OUTPUT_MODES[output_format]:
        picture = picture.convert("RGBA" if _has_alpha(picture, output_format) else "RGB")
    picture.info = {}
    buffer = io.BytesIO()
    if output_format == "JPEG":
        picture.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    elif output_format == "WEBP":
        picture.save(buffer, "WEBP", quality=WEBP_QUALITY)
    else:
        picture.save(buffer, "PNG")
    return buffer.getvalue()


@dataclass(frozen=True)
class ReencodedImage:
    content: bytes
    image_format: str  # the format written: JPEG, PNG or WEBP
    content_type: str
    extension: str
    width: int
    height: int


def reencode_image(upload: File) -> ReencodedImage:
    """Check a picture's cost, decode it within bounds, scale it down and re-encode it.

    Used for idea attachments and for the Wagtail image library (`cms.images`), so
    both have the same limits. Raises ValidationError; the upload's size is checked by
    the caller.
    """
    size = upload.size or 0
    # 1. Header: format, frames, pixels and memory; nothing decoded yet.
    with _open_image(upload) as image:
        check_image_cost(image, size)
        try:
            image.verify()  # structure and checksums, still without decoding pixels
        except _PILLOW_ERRORS as error:
            raise _unreadable_image_error() from error
    # 2. verify() leaves the image unusable: open again, check again, decode (a JPEG at
    #    the scale chosen by draft()), then scale to the stored size and re-encode.
    with _open_image(upload) as image:
        check_image_cost(image, size)
        output_format, content_type, extension = IMAGE_FORMATS[image.format]
        try:
            image.load()
            # In place; reduce() first, so no full-size copy is made.
            image.thumbnail((max_side(), max_side()), Image.Resampling.LANCZOS)
            picture = ImageOps.exif_transpose(image)
            content = _encode(picture, output_format)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _too_many_pixels_error(*image.size) from error
        except _PILLOW_ERRORS as error:
            raise _unreadable_image_error() from error
    return ReencodedImage(
        content=content,
        image_format=output_format,
        content_type=content_type,
        extension=extension,
        width=picture.width,
        height=picture.height,
    )


def _process_image(upload: File) -> ProcessedUpload:
    picture = reencode_image(upload)
    return ProcessedUpload(
        kind=AttachmentKind.IMAGE,
        content=ContentFile(picture.content),
        content_type=picture.content_type,
        extension=picture.extension,
        size=len(picture.content),
        width=picture.width,
        height=picture.height,
    )


def _has_alpha(image: Image.Image, output_format: str) -> bool:
    return output_format != "JPEG" and image.has_transparency_data


# --- PDF documents -------------------------------------------------------------------

# Names that make a PDF do something when it is opened: run JavaScript, start a
# program, carry other files, or play embedded media.
PDF_ACTIVE_NAMES = frozenset(
    {b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia"}
)
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_PDF_END_STREAM = b"endstream"
# PDF streams are inflated this much at a time, and the pieces overlap by a long name.
_PDF_PIECE_BYTES = 1024 * 1024
_PDF_NAME_OVERLAP = 128
# The end of a PDF is at most this far from its last byte (trailing whitespace, NULs).
PDF_EOF_WINDOW = 2048


def _pdf_names(data: bytes) -> set[bytes]:
    """Every /Name in `data`, with `#xx` escapes decoded (`/J#61vaScript` is /JavaScript)."""
    return {
        _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        for match in _PDF_NAME.finditer(data)
    }


def _pdf_inflated_streams(data: bytes, budget: int):
    """The content of each zlib stream, inflated a piece at a time, within `budget` bytes.

    Object streams (PDF 1.5) hide dictionaries, and so the names above, in compressed
    streams; they are looked into too. Each piece overlaps the previous one a little,
    so that a name cut in two is still found. A stream that would unpack beyond the
    budget is a refusal (a PDF zlib bomb), not a pass.
    """
    position = 0
    while (match := _PDF_STREAM.search(data, position)) is not None:
        start = match.end()
        end = data.find(_PDF_END_STREAM, start)
        if end < 0:
            return
        position = end + len(_PDF_END_STREAM)
        inflater = zlib.decompressobj()
        pending = data[start:end]
        overlap = b""
        while pending:
            try:
                piece = inflater.decompress(pending, _PDF_PIECE_BYTES)
            except zlib.error:
                break  # not zlib data (images, other filters): its raw bytes were scanned
            pending = inflater.unconsumed_tail
            budget -= len(piece)
            if budget < 0:
                raise _too_costly_pdf_error()
            yield overlap + piece
            overlap = piece[-_PDF_NAME_OVERLAP:]
            if inflater.eof or not piece:
                break


def _too_costly_pdf_error() -> ValidationError:
    return ValidationError(
        _(
            "The PDF document unpacks to far more data than a document may. Save it "
            "again as an ordinary PDF and try again."
        ),
        code="pdf_too_costly",
    )


def check_pdf(upload: File) -> None:
    """A complete PDF without active content, checked by its bytes (no PDF library).

    Refused: no `%%EOF` at the end (damaged or cut off, or another kind of file that
    only starts like a PDF), and any name in `PDF_ACTIVE_NAMES`, in the file or in its
    zlib-compressed streams. Streams compressed otherwise (LZW, ASCII85) are not
    looked into; the file is served only as a download (docs/security-uploads.md).
    """
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if b"%%EOF" not in data[-PDF_EOF_WINDOW:]:
        raise _damaged_pdf_error()
    if _pdf_names(data) & PDF_ACTIVE_NAMES:
        raise _active_pdf_error()
    for inflated in _pdf_inflated_streams(data, settings.UPLOAD_PDF_MAX_INFLATED_BYTES):
        if _pdf_names(inflated) & PDF_ACTIVE_NAMES:
            raise _active_pdf_error()


def _process_pdf(upload: File) -> ProcessedUpload:
    check_pdf(upload)
    return ProcessedUpload(
        kind=AttachmentKind.PDF,
        content=upload,
        content_type="application/pdf",
        extension="pdf",
        size=upload.size,
    )


def process_upload(upload: File) -> ProcessedUpload:
    """Check the upload's size and content; re-encode pictures. Raises ValidationError."""
    check_size(upload)
    if _read_head(upload).startswith(PDF_MAGIC):
        return _process_pdf(upload)
    return _process_image(upload)


# --- Names ---------------------------------------------------------------------------

_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|;]+')


# An extension longer than this is not one ("rapport.2024-års-version-slutlig").
_MAX_EXTENSION_LENGTH = 10


def clean_file_name(name: str, *, max_length: int = 255) -> str:
    """The client's file name without path, control characters or shell-ish symbols.

    A name longer than `max_length` is shortened in its stem, so that it keeps its
    extension (`aaaa….png` stays a `.png`).
    """
    name = os.path.basename(str(name or "").replace("\\", "/"))
    name = unicodedata.normalize("NFC", name)
    name = "".join(" " if unicodedata.category(c).startswith(("C", "Z")) else c for c in name)
    name = _UNSAFE_IN_NAME.sub("_", name)
    name = " ".join(name.split()).strip(" .")
    if len(name) <= max_length:
        return name
    stem, extension = os.path.splitext(name)
    if len(extension) > _MAX_EXTENSION_LENGTH:
        stem, extension = name, ""
    return stem[: max_length - len(extension)].rstrip(" .") + extension


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
    alt_text = SingleLineField(
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
