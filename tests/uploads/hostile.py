"""The hostile-upload corpus: each case built in code (the repository holds no files).

A case names the file as a client would send it, its bytes, and what each upload path
must answer: idea attachments (`attachment`: the refusal's code, or "accepted") and
the Wagtail image library (`library`: "accepted", or the start of the Swedish form
error). docs/security-uploads.md lists the cases and why they answer as they do.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass
from functools import cache

from PIL import Image

ACCEPTED = "accepted"

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_ihdr(width: int, height: int, *, colour_type: int = 2) -> bytes:
    return png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0))


def zeros_deflated(length: int) -> bytes:
    """`length` zero bytes, deflated piece by piece (the test never holds them all)."""
    compressor = zlib.compressobj(9)
    piece = bytes(1024 * 1024)
    out = []
    while length > 0:
        out.append(compressor.compress(piece[: min(length, len(piece))]))
        length -= len(piece)
    out.append(compressor.flush())
    return b"".join(out)


def png_of_zeros(width: int, height: int, *, extra_rows: int = 0) -> bytes:
    """A real black RGB PNG of `width` × `height`, tiny because zeros deflate ~1000-fold;
    `extra_rows` puts more pixel rows in its IDAT than the header declares."""
    row = 1 + width * 3  # filter byte + RGB
    idat = zeros_deflated(row * (height + extra_rows))
    return (
        PNG_SIGNATURE + png_ihdr(width, height) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")
    )


def png_header_only(width: int, height: int) -> bytes:
    """Signature and IHDR, no pixel data at all."""
    return PNG_SIGNATURE + png_ihdr(width, height)


def image_bytes(fmt: str, size=(40, 30), color=(200, 30, 30), mode="RGB", **options) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, fmt, **options)
    return buffer.getvalue()


def png_with_text_and_html() -> bytes:
    """A PNG with HTML in a text chunk and an HTML page after its end."""
    png = image_bytes("PNG")
    html = b"<html><script>alert(document.cookie)</script></html>"
    end = png.index(b"IEND") - 4
    return png[:end] + png_chunk(b"tEXt", b"Comment\x00" + html) + png[end:] + html


def png_with_zip() -> bytes:
    """A PNG that is also a ZIP archive (an archive appended after IEND)."""
    import zipfile

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("payload.html", "<script>alert(1)</script>")
    return image_bytes("PNG") + archive.getvalue()


def jpeg_with_declared_size(width: int, height: int) -> bytes:
    """A small JPEG whose frame header (SOF0) is rewritten to claim `width` × `height`."""
    data = bytearray(image_bytes("JPEG", size=(16, 16)))
    sof = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


def gif_with_declared_size(width: int, height: int) -> bytes:
    data = bytearray(image_bytes("GIF", size=(4, 4)))
    struct.pack_into("<HH", data, 6, width, height)
    return bytes(data)


def webp_with_declared_size(width: int, height: int) -> bytes:
    """A lossless WebP whose VP8L header claims `width` × `height` (at most 16384²)."""
    data = bytearray(image_bytes("WEBP", size=(4, 4), lossless=True))
    assert data[12:16] == b"VP8L"
    bits = struct.unpack_from("<I", data, 21)[0]
    bits = (bits & ~0x0FFFFFFF) | (width - 1) | ((height - 1) << 14)
    struct.pack_into("<I", data, 21, bits)
    return bytes(data)


def animated(fmt: str, frames: int = 3, size=(32, 32)) -> bytes:
    images = [Image.new("RGB", size, (i * 60 % 256, 0, 0)) for i in range(frames)]
    buffer = io.BytesIO()
    images[0].save(buffer, fmt, save_all=True, append_images=images[1:], duration=100)
    return buffer.getvalue()


def jpeg_with_gps() -> bytes:
    """A phone photo's EXIF: camera, GPS position, and 'rotate 90°'."""
    exif = Image.Exif()
    exif[0x010F] = "Telefonbolaget AB"  # Make
    exif[0x0112] = 6  # Orientation
    exif[0x8825] = {1: "N", 2: (59.0, 19.0, 48.0), 3: "E", 4: (18.0, 4.0, 7.0)}  # GPSInfo
    return image_bytes("JPEG", size=(40, 30), exif=exif.tobytes())


def pdf(body: bytes = b"", *, end: bytes = b"%%EOF\n") -> bytes:
    return (
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R "
        + body
        + b" >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n" + end
    )


def pdf_with_hidden_javascript() -> bytes:
    """/JavaScript spelt with a #-escape, inside a compressed object stream."""
    hidden = zlib.compress(b"3 0 obj << /S /J#61vaScript /J#53 (app.alert(1)) >> endobj")
    return pdf(
        b"/OpenAction 3 0 R >> endobj\n4 0 obj << /Type /ObjStm /Filter /FlateDecode "
        + f"/Length {len(hidden)}".encode()
        + b" >>\nstream\n"
        + hidden
        + b"\nendstream\nendobj\n5 0 obj <<"
    )


def pdf_zlib_bomb(inflated: int = 100 * 1024 * 1024) -> bytes:
    bomb = zeros_deflated(inflated)
    return pdf(
        b">> endobj\n3 0 obj << /Filter /FlateDecode "
        + f"/Length {len(bomb)}".encode()
        + b" >>\nstream\n"
        + bomb
        + b"\nendstream\nendobj\n4 0 obj <<"
    )


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>'
)
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def png_zero_width() -> bytes:
    png = image_bytes("PNG")
    return PNG_SIGNATURE + png_ihdr(0, 30) + png[33:]


# --- The cases -----------------------------------------------------------------------

# Wagtail's own Swedish messages (its catalogue and Django's), and ours, as they start.
LIBRARY_TOO_MANY_PIXELS = "Filen har för hög upplösning"  # Wagtail's field
LIBRARY_OUR_PIXELS = "Bilden har för många pixlar"  # cms.images.ImageForm
LIBRARY_TOO_COSTLY = "Bilden skulle ta för mycket minne"
LIBRARY_ANIMATED = "Animerade bilder kan inte bifogas"
LIBRARY_BAD_EXTENSION = "Bildformatet stöds inte"
LIBRARY_WRONG_FORMAT = "Inte en giltig"
LIBRARY_NOT_AN_IMAGE = "Ladda upp en giltig bild"
LIBRARY_EMPTY = "Den skickade filen är tom"
LIBRARY_UNREADABLE = "Bilden gick inte att läsa"


@dataclass(frozen=True)
class Case:
    id: str
    name: str  # the file name the client sends
    build: object  # () -> bytes
    attachment: str  # "accepted" or the ValidationError code
    library: str  # "accepted" or the start of the Wagtail form's error
    why: str

    @property
    def content(self) -> bytes:
        return _built(self.id)


CASES = [
    Case(
        "png-huge-dimensions",
        "bomb.png",
        lambda: (
            png_header_only(60_000, 60_000)
            + png_chunk(b"IDAT", zlib.compress(bytes(4096)))
            + png_chunk(b"IEND", b"")
        ),
        "too_many_pixels",
        LIBRARY_OUR_PIXELS,
        "60,000² (3.6 Gpx) declared in 83 bytes: refused from the header",
    ),
    Case(
        "png-probe-6300",
        "karta.png",
        lambda: png_of_zeros(6_300, 6_300),
        "too_many_pixels",
        LIBRARY_OUR_PIXELS,
        "the probe's PNG: 39.7 Mpx in ~120 KB, over the 25 Mpx decode budget",
    ),
    Case(
        "png-zlib-bomb",
        "skiss.png",
        lambda: png_of_zeros(5_000, 4_000),
        "too_costly",
        LIBRARY_TOO_COSTLY,
        "20 Mpx within the budget, but 80 MB from ~80 KB: over 500-fold expansion",
    ),
    Case(
        "png-idat-longer-than-declared",
        "rader.png",
        lambda: png_of_zeros(100, 100, extra_rows=200_000),
        ACCEPTED,
        ACCEPTED,
        "60 MB of rows in the IDAT of a 100² picture: decoding stops at the declared size",
    ),
    Case(
        "png-header-only",
        "tom.png",
        lambda: png_header_only(20_000, 20_000),
        "too_many_pixels",
        LIBRARY_OUR_PIXELS,
        "a huge IHDR and nothing else: refused before anything is read",
    ),
    Case(
        "jpeg-huge-declared",
        "foto.jpg",
        lambda: jpeg_with_declared_size(65_000, 65_000),
        "too_many_pixels",
        LIBRARY_TOO_MANY_PIXELS,
        "4.2 Gpx declared in a JPEG frame header: over Pillow's own bomb limit",
    ),
    Case(
        "jpeg-48mpx-header-tiny-data",
        "foto.jpg",
        lambda: jpeg_with_declared_size(8_000, 6_000),
        "too_costly",
        LIBRARY_TOO_COSTLY,
        "48 Mpx declared (allowed for a JPEG) in 633 bytes: even at half scale, a bomb",
    ),
    Case(
        "gif-huge-declared",
        "anim.gif",
        lambda: gif_with_declared_size(65_535, 65_535),
        "unsupported",
        LIBRARY_BAD_EXTENSION,
        "GIF is not accepted at all (no decoder is tried)",
    ),
    Case(
        "webp-huge-declared",
        "bild.webp",
        lambda: webp_with_declared_size(16_384, 16_384),
        "too_many_pixels",
        LIBRARY_OUR_PIXELS,
        "268 Mpx in a WebP header: refused from our own read of the header",
    ),
    Case(
        "apng-animated",
        "anim.png",
        lambda: animated("PNG"),
        "animated",
        LIBRARY_NOT_AN_IMAGE,
        "an animated PNG: frames multiply the cost; only still pictures",
    ),
    Case(
        "webp-animated",
        "anim.webp",
        lambda: animated("WEBP"),
        "animated",
        LIBRARY_ANIMATED,
        "an animated WebP",
    ),
    Case(
        "png-zip-polyglot",
        "bild.png",
        png_with_zip,
        ACCEPTED,
        ACCEPTED,
        "a PNG that is also a ZIP: accepted, the archive is gone from the stored file",
    ),
    Case(
        "png-html-polyglot",
        "bild.png",
        png_with_text_and_html,
        ACCEPTED,
        ACCEPTED,
        "HTML in a text chunk and after IEND: accepted, no HTML in the stored file",
    ),
    Case(
        "pdf-html-polyglot",
        "sida.pdf",
        lambda: b"%PDF-1.4\n" + HTML_PAGE,
        "damaged_pdf",
        LIBRARY_NOT_AN_IMAGE,
        "starts like a PDF, is an HTML page: no %%EOF, refused",
    ),
    Case(
        "pdf-javascript",
        "rapport.pdf",
        lambda: pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
        "active_pdf",
        LIBRARY_NOT_AN_IMAGE,
        "a PDF that runs JavaScript when opened",
    ),
    Case(
        "pdf-hidden-javascript",
        "rapport.pdf",
        pdf_with_hidden_javascript,
        "active_pdf",
        LIBRARY_NOT_AN_IMAGE,
        "/J#61vaScript inside a compressed object stream",
    ),
    Case(
        "pdf-launch",
        "rapport.pdf",
        lambda: pdf(b"/OpenAction << /S /Launch /F (cmd.exe) >>"),
        "active_pdf",
        LIBRARY_NOT_AN_IMAGE,
        "a PDF that starts a program",
    ),
    Case(
        "pdf-embedded-file",
        "rapport.pdf",
        lambda: pdf(b"/Names << /EmbeddedFiles << /Names [] >> >>"),
        "active_pdf",
        LIBRARY_NOT_AN_IMAGE,
        "a PDF that carries another file",
    ),
    Case(
        "pdf-zlib-bomb",
        "rapport.pdf",
        pdf_zlib_bomb,
        "pdf_too_costly",
        LIBRARY_NOT_AN_IMAGE,
        "a 100 KB PDF whose stream unpacks to 100 MB (checked within a 64 MiB budget)",
    ),
    Case(
        "svg-script-as-svg",
        "logga.svg",
        lambda: SVG_WITH_SCRIPT,
        "unsupported",
        LIBRARY_BAD_EXTENSION,
        "an SVG with a script",
    ),
    Case(
        "svg-script-as-png",
        "logga.png",
        lambda: SVG_WITH_SCRIPT,
        "unsupported",
        LIBRARY_WRONG_FORMAT,
        "the same SVG renamed .png",
    ),
    Case(
        "html-as-png",
        "bild.png",
        lambda: HTML_PAGE,
        "unsupported",
        LIBRARY_WRONG_FORMAT,
        "an HTML page renamed .png",
    ),
    Case(
        "pdf-as-jpg",
        "foto.jpg",
        lambda: pdf(),
        ACCEPTED,
        LIBRARY_NOT_AN_IMAGE,
        "a real PDF named .jpg: an attachment by its content (stored as .pdf); no picture",
    ),
    Case(
        "jpeg-truncated",
        "trasig.jpg",
        lambda: image_bytes("JPEG", size=(400, 300))[:400],
        "unreadable",
        LIBRARY_NOT_AN_IMAGE,
        "a JPEG cut off after its headers",
    ),
    Case(
        "png-zero-width",
        "noll.png",
        png_zero_width,
        "unreadable",
        LIBRARY_UNREADABLE,
        "a PNG whose header says 0 pixels wide",
    ),
    Case(
        "jpeg-exif-gps",
        "telefon.jpg",
        jpeg_with_gps,
        ACCEPTED,
        ACCEPTED,
        "a phone photo with a GPS position: accepted, EXIF and GPS removed",
    ),
    Case(
        "jpeg-31mpx",
        "stor.jpg",
        lambda: image_bytes("JPEG", size=(6_400, 4_800), color=128, mode="L"),
        ACCEPTED,
        ACCEPTED,
        "31 Mpx, over the decode budget, but a JPEG is decoded at half scale: 3000 px stored",
    ),
    Case(
        "empty-file",
        "tom.jpg",
        lambda: b"",
        "empty",
        LIBRARY_EMPTY,
        "nothing at all",
    ),
    Case(
        "name-traversal-slash",
        "../../etc/passwd.png",
        lambda: image_bytes("PNG"),
        ACCEPTED,
        ACCEPTED,
        "a path in the name: only its last part is kept, the file is stored by a random name",
    ),
    Case(
        "name-traversal-backslash",
        "..\\..\\x.png",
        lambda: image_bytes("PNG"),
        ACCEPTED,
        ACCEPTED,
        "a Windows path in the name",
    ),
    Case(
        "name-nul-byte",
        "bild\x00.exe.png",
        lambda: image_bytes("PNG"),
        ACCEPTED,
        ACCEPTED,
        "a NUL byte in the name: removed",
    ),
    Case(
        "name-300-characters",
        "a" * 296 + ".png",
        lambda: image_bytes("PNG"),
        ACCEPTED,
        ACCEPTED,
        "a long name: shortened, the extension kept",
    ),
]

CASE_BY_ID = {case.id: case for case in CASES}


@cache
def _built(case_id: str) -> bytes:
    return CASE_BY_ID[case_id].build()
