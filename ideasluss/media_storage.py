"""Where uploaded files live: on this machine's disk, or on S3-compatible object storage.

Read by the settings (`ideasluss/settings/base.py`) from the environment, so it imports no
app and no S3 library: the storage classes are named by their dotted paths and loaded only
when a file is stored.

Two kinds of file, kept apart:

- public media, Wagtail's images and their renditions, at a public address (`url()`);
- private files, idea attachments and cost receipts, which have no address at all
  (`ideasluss.ideas.storage`): they are served only through the views that check who may
  see them. On S3 they live in a bucket, or under a prefix, that no one may read
  anonymously; their storage refuses to make a URL, signed or not.

With several app servers the disk of one is not the disk of the others, so media go to
object storage (docs/deploy.md, "Process layout").
"""

from collections.abc import Mapping
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

FILESYSTEM = "filesystem"
S3 = "s3"

PUBLIC_S3_STORAGE = "storages.backends.s3.S3Storage"
PRIVATE_S3_STORAGE = "ideasluss.ideas.storage_s3.PrivateS3Storage"
PRIVATE_FILESYSTEM_STORAGE = "ideasluss.ideas.storage.PrivateFileSystemStorage"

DEFAULT_PUBLIC_PREFIX = "public"
DEFAULT_PRIVATE_PREFIX = "private"


def _get(environ: Mapping[str, str], name: str, default: str = "") -> str:
    return environ.get(name, default).strip()


def media_storage_kind(environ: Mapping[str, str]) -> str:
    """`MEDIA_STORAGE` ("filesystem" or "s3"); S3 when unset and `S3_BUCKET` is set."""
    kind = _get(environ, "MEDIA_STORAGE").lower() or (S3 if _get(environ, "S3_BUCKET") else "")
    kind = kind or FILESYSTEM
    if kind not in {FILESYSTEM, S3}:
        raise ImproperlyConfigured(f"MEDIA_STORAGE must be {FILESYSTEM!r} or {S3!r}, not {kind!r}.")
    if kind == S3 and not _get(environ, "S3_BUCKET"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs S3_BUCKET, the bucket for media.")
    return kind


def _public_url(environ: Mapping[str, str]) -> str:
    """Where public media are read from: S3_PUBLIC_URL, or the endpoint's bucket address."""
    public_url = _get(environ, "S3_PUBLIC_URL")
    if not public_url:
        endpoint = _get(environ, "S3_ENDPOINT_URL")
        if not endpoint:
            raise ImproperlyConfigured(
                "Set S3_PUBLIC_URL, the address public media are read from (a CDN or the "
                "bucket's public address): the pages' Content Security Policy names it."
            )
        public_url = f"{endpoint.rstrip('/')}/{_get(environ, 'S3_BUCKET')}"
    parts = urlsplit(public_url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ImproperlyConfigured(f"S3_PUBLIC_URL must be an http(s) address, not {public_url!r}.")
    return public_url.rstrip("/")


def _connection_options(environ: Mapping[str, str]) -> dict:
    endpoint = _get(environ, "S3_ENDPOINT_URL") or None
    return {
        "endpoint_url": endpoint,
        "region_name": _get(environ, "S3_REGION") or None,
        "access_key": _get(environ, "S3_ACCESS_KEY_ID") or None,
        "secret_key": _get(environ, "S3_SECRET_ACCESS_KEY") or None,
        # An S3-compatible store at an address of its own (MinIO, Garage, a cloud's
        # object storage) names the bucket in the path; AWS chooses for itself.
        "addressing_style": _get(environ, "S3_ADDRESSING_STYLE") or ("path" if endpoint else None),
        # S3 would replace an object of the same name; Django's storages never do.
        "file_overwrite": False,
        # Access is the bucket's policy, never a per-object ACL (which many stores refuse).
        "default_acl": None,
    }


def media_storages(environ: Mapping[str, str], *, private_root) -> dict:
    """The "default" (public media) and "private" entries of STORAGES."""
    if media_storage_kind(environ) == FILESYSTEM:
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "private": {
                "BACKEND": PRIVATE_FILESYSTEM_STORAGE,
                "OPTIONS": {"location": private_root},
            },
        }
    bucket = _get(environ, "S3_BUCKET")
    private_bucket = _get(environ, "S3_PRIVATE_BUCKET") or bucket
    public_prefix = _get(environ, "S3_PUBLIC_PREFIX", DEFAULT_PUBLIC_PREFIX).strip("/")
    private_prefix = _get(environ, "S3_PRIVATE_PREFIX", DEFAULT_PRIVATE_PREFIX).strip("/")
    if private_bucket == bucket and _overlaps(public_prefix, private_prefix):
        raise ImproperlyConfigured(
            "S3_PUBLIC_PREFIX and S3_PRIVATE_PREFIX must be separate folders when the media "
            "and private files share one bucket: the public one is readable by anyone."
        )
    public_url = urlsplit(_public_url(environ))
    connection = _connection_options(environ)
    return {
        "default": {
            "BACKEND": PUBLIC_S3_STORAGE,
            "OPTIONS": {
                **connection,
                "bucket_name": bucket,
                "location": public_prefix,
                # The address of a public object, unsigned: pages and renditions are
                # cached, so a signed address would expire inside them.
                "querystring_auth": False,
                "custom_domain": public_url.netloc + public_url.path,
                "url_protocol": f"{public_url.scheme}:",
            },
        },
        "private": {
            "BACKEND": PRIVATE_S3_STORAGE,
            "OPTIONS": {**connection, "bucket_name": private_bucket, "location": private_prefix},
        },
    }


def _overlaps(first: str, second: str) -> bool:
    """Whether one folder is inside the other (the bucket's root holds every folder)."""
    if not first or not second:
        return True
    first, second = f"{first}/", f"{second}/"
    return first.startswith(second) or second.startswith(first)


def public_media_origin(environ: Mapping[str, str]) -> str | None:
    """The origin public media are read from when it is not the site's own (for the CSP)."""
    if media_storage_kind(environ) == FILESYSTEM:
        return None
    parts = urlsplit(_public_url(environ))
    return f"{parts.scheme}://{parts.netloc}"
