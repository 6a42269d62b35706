"""Media on S3-compatible object storage (ideasluss/media_storage.py).

The settings are read from an environment, as in production; the storages they name are
then used for real against an S3 server on 127.0.0.1 (moto's, which speaks the S3
protocol over HTTP), by the same services and views as on disk: an idea's attachment
goes to the private bucket and is served only through the permission-checking view, a
Wagtail image goes to the public bucket and is read anonymously from its address.
"""

import importlib.util
import io
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from ideasluss.ideas.attachments import attachment_create
from ideasluss.ideas.models import Attachment
from ideasluss.media_storage import media_storages, public_media_origin
from tests.factories import MINIMAL_PDF, IdeaFactory, UserFactory

MEDIA_BUCKET = "idesluss-media"
PRIVATE_BUCKET = "idesluss-private"
ROOT = Path(__file__).resolve().parent.parent


def load_create_buckets():
    """deploy/create_buckets.py, the one-shot service that prepares the store."""
    spec = importlib.util.spec_from_file_location(
        "create_buckets", ROOT / "deploy" / "create_buckets.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def jpeg(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, (30, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


# --- The settings, from the environment ------------------------------------------------


def test_media_stay_on_disk_by_default(tmp_path):
    entries = media_storages({}, private_root=tmp_path)
    assert entries["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert entries["private"] == {
        "BACKEND": "ideasluss.ideas.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": tmp_path},
    }
    assert public_media_origin({}) is None


def test_a_bucket_alone_chooses_object_storage(tmp_path):
    environ = {"S3_BUCKET": "media", "S3_PUBLIC_URL": "https://media.kommun.se"}
    entries = media_storages(environ, private_root=tmp_path)
    assert entries["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert entries["private"]["BACKEND"] == "ideasluss.ideas.storage_s3.PrivateS3Storage"


def test_filesystem_can_be_chosen_even_with_a_bucket_set(tmp_path):
    environ = {"MEDIA_STORAGE": "filesystem", "S3_BUCKET": "media"}
    assert media_storages(environ, private_root=tmp_path)["private"]["OPTIONS"] == {
        "location": tmp_path
    }


def test_object_storage_without_a_bucket_is_refused(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="S3_BUCKET"):
        media_storages({"MEDIA_STORAGE": "s3"}, private_root=tmp_path)


def test_an_unknown_media_storage_is_refused(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="MEDIA_STORAGE"):
        media_storages({"MEDIA_STORAGE": "ftp"}, private_root=tmp_path)


def test_one_bucket_holds_public_and_private_files_in_separate_folders(tmp_path):
    environ = {"S3_BUCKET": "media", "S3_PUBLIC_URL": "https://media.kommun.se"}
    entries = media_storages(environ, private_root=tmp_path)
    assert entries["default"]["OPTIONS"]["bucket_name"] == "media"
    assert entries["private"]["OPTIONS"]["bucket_name"] == "media"
    assert entries["default"]["OPTIONS"]["location"] == "public"
    assert entries["private"]["OPTIONS"]["location"] == "private"


@pytest.mark.parametrize(("public", "private"), [("media", "media"), ("", "private"), ("a", "a/b")])
def test_private_files_may_not_share_the_public_folder(tmp_path, public, private):
    environ = {
        "S3_BUCKET": "media",
        "S3_PUBLIC_URL": "https://media.kommun.se",
        "S3_PUBLIC_PREFIX": public,
        "S3_PRIVATE_PREFIX": private,
    }
    with pytest.raises(ImproperlyConfigured, match="separate folders"):
        media_storages(environ, private_root=tmp_path)


def test_a_private_bucket_of_its_own_may_use_any_folder(tmp_path):
    environ = {
        "S3_BUCKET": "media",
        "S3_PRIVATE_BUCKET": "secret",
        "S3_PUBLIC_URL": "https://media.kommun.se",
        "S3_PUBLIC_PREFIX": "",
        "S3_PRIVATE_PREFIX": "",
    }
    assert media_storages(environ, private_root=tmp_path)["private"]["OPTIONS"]["location"] == ""


def test_the_public_address_is_required_without_an_endpoint(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="S3_PUBLIC_URL"):
        media_storages({"S3_BUCKET": "media"}, private_root=tmp_path)


def test_the_public_address_names_the_origin_for_the_pages_policy():
    environ = {"S3_BUCKET": "media", "S3_PUBLIC_URL": "https://cdn.kommun.se/idesluss/"}
    assert public_media_origin(environ) == "https://cdn.kommun.se"
    endpoint = {"S3_BUCKET": "media", "S3_ENDPOINT_URL": "http://127.0.0.1:9000"}
    assert public_media_origin(endpoint) == "http://127.0.0.1:9000"


def test_a_public_address_that_is_not_http_is_refused(tmp_path):
    environ = {"S3_BUCKET": "media", "S3_PUBLIC_URL": "media.kommun.se"}
    with pytest.raises(ImproperlyConfigured, match="http"):
        media_storages(environ, private_root=tmp_path)


# --- Against a real S3 server -----------------------------------------------------------


@pytest.fixture(scope="module")
def s3_store():
    """moto's S3 server on 127.0.0.1, prepared as deploy/create_buckets.py prepares MinIO."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    environ = {
        "S3_BUCKET": MEDIA_BUCKET,
        "S3_PRIVATE_BUCKET": PRIVATE_BUCKET,
        "S3_ENDPOINT_URL": f"http://{host}:{port}",
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "idesluss-test",
        "S3_SECRET_ACCESS_KEY": "idesluss-test-secret",
    }
    create_buckets = load_create_buckets()
    assert create_buckets.main(environ) == 0
    # Run twice, as a redeployment does: nothing changes, nothing fails.
    assert create_buckets.main(environ) == 0
    client = boto3.client(
        "s3",
        endpoint_url=environ["S3_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="idesluss-test",
        aws_secret_access_key="idesluss-test-secret",
    )
    yield environ, client
    server.stop()


@pytest.fixture
def s3_settings(s3_store, settings, tmp_path):
    environ, client = s3_store
    for bucket in (MEDIA_BUCKET, PRIVATE_BUCKET):
        for key in keys(client, bucket):
            client.delete_object(Bucket=bucket, Key=key)
    settings.STORAGES = {
        **media_storages(environ, private_root=tmp_path),
        "staticfiles": settings.STORAGES["staticfiles"],
    }
    return environ["S3_ENDPOINT_URL"], client


def keys(client, bucket: str) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])]


@pytest.mark.django_db
def test_an_attachment_goes_to_the_private_bucket_and_only_the_view_serves_it(client, s3_settings):
    endpoint, s3 = s3_settings
    owner = UserFactory()
    idea = IdeaFactory(owner=owner, state="submitted")
    picture = SimpleUploadedFile("foto.jpg", jpeg(), content_type="image/jpeg")

    attachment = attachment_create(idea=idea, by=owner, upload=picture, alt_text="Ett kort")

    stored_key = f"private/{attachment.file.name}"
    assert keys(s3, PRIVATE_BUCKET) == [stored_key]
    assert keys(s3, MEDIA_BUCKET) == []
    stored = s3.get_object(Bucket=PRIVATE_BUCKET, Key=stored_key)["Body"].read()
    with pytest.raises(ValueError, match="no URL"):
        attachment.file.url  # noqa: B018
    with pytest.raises(ValueError, match="no URL"):
        storages["private"].url(attachment.file.name)
    # Nor can anyone read the object from the store itself.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{endpoint}/{PRIVATE_BUCKET}/{stored_key}", timeout=10)  # noqa: S310
    assert refused.value.code == 403

    client.force_login(UserFactory())
    response = client.get(reverse("ideas:attachment-file", args=[idea.pk, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored
    page = client.get(idea.get_absolute_url()).content.decode()
    assert endpoint.split("//")[1] not in page
    assert PRIVATE_BUCKET not in page


@pytest.mark.django_db
def test_an_attachment_missing_from_the_bucket_is_404(client, s3_settings):
    _endpoint, s3 = s3_settings
    owner = UserFactory()
    idea = IdeaFactory(owner=owner, state="submitted")
    attachment = attachment_create(
        idea=idea,
        by=owner,
        upload=SimpleUploadedFile("foto.jpg", jpeg(), content_type="image/jpeg"),
        alt_text="Ett kort",
    )
    s3.delete_object(Bucket=PRIVATE_BUCKET, Key=f"private/{attachment.file.name}")
    client.force_login(owner)
    url = reverse("ideas:attachment-file", args=[idea.pk, attachment.pk])
    assert client.get(url).status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()


@pytest.mark.django_db
def test_a_wagtail_image_goes_to_the_public_bucket_and_is_read_from_its_address(s3_settings):
    endpoint, s3 = s3_settings
    content = jpeg(size=(400, 300))
    image = get_image_model()(title="Cykelbanan")
    image.file.save("cykelbanan.jpg", ImageFile(io.BytesIO(content), name="c.jpg"), save=False)
    image._set_image_file_metadata()
    image.save()

    rendition = image.get_rendition("width-200")

    assert image.file.storage is default_storage
    assert f"public/{image.file.name}" in keys(s3, MEDIA_BUCKET)
    assert f"public/{rendition.file.name}" in keys(s3, MEDIA_BUCKET)
    assert keys(s3, PRIVATE_BUCKET) == []
    assert image.file.url == f"{endpoint}/{MEDIA_BUCKET}/public/{image.file.name}"
    assert "Signature" not in rendition.url
    with urllib.request.urlopen(image.file.url, timeout=10) as answer:  # noqa: S310
        assert answer.read() == content
    with urllib.request.urlopen(rendition.url, timeout=10) as answer:  # noqa: S310
        assert PillowImage.open(io.BytesIO(answer.read())).size == (200, 150)


def test_the_private_storage_refuses_even_a_signed_address(s3_settings):
    with pytest.raises(ValueError, match="no URL"):
        storages["private"].url("ideas/2026/12/foto.jpg", expire=60)


@pytest.mark.django_db
def test_a_wagtail_document_is_not_public_in_the_bucket_but_served_by_wagtails_view(
    client, s3_settings
):
    endpoint, s3 = s3_settings
    document = get_document_model()(title="Protokoll")
    document.file.save("protokoll.pdf", ContentFile(MINIMAL_PDF), save=False)
    document.save()

    assert f"public/{document.file.name}" in keys(s3, MEDIA_BUCKET)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(  # noqa: S310
            f"{endpoint}/{MEDIA_BUCKET}/public/{document.file.name}", timeout=10
        )
    assert refused.value.code == 403
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
