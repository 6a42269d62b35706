"""Reading back the PDFs the fund pages generate, without a PDF library."""

import base64
import re
import zlib


def pdf_text(pdf: bytes) -> str:
    """The text drawn in a reportlab PDF, enough to search it: content streams are
    ASCII85 over Flate, strings escape bytes as octal, standard fonts use cp1252."""
    content = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.DOTALL):
        try:
            content.append(zlib.decompress(base64.a85decode(stream.strip().removesuffix(b"~>"))))
        except (ValueError, zlib.error):
            content.append(stream)
    raw = b"\n".join(content)
    raw = re.sub(rb"\\([0-7]{3})", lambda match: bytes([int(match.group(1), 8)]), raw)
    return re.sub(rb"\\([()\\])", rb"\1", raw).decode("cp1252")
