"""What upload pages share: an oversized upload is refused from its declared length,
before its body is read (and so before the CSRF check, which reads the body)."""

from django.http import HttpRequest

# Room for the multipart framing, the CSRF token and the text fields around the file.
UPLOAD_OVERHEAD_BYTES = 64 * 1024


def declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
