"""Public renditions are made when an image is saved, not while a visitor waits."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils.text import smart_split
from wagtail.images.models import Filter, Rendition

from cms.models import ResultPage
from cms.renditions import public_filter_specs
from tests.factories import WagtailImageFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
IMAGE_TAG = re.compile(r"{%\s*(?:picture|image|srcset_image)\s+(?P<arguments>[^%]+)%}")


def template_specs() -> dict[str, str]:
    """Every single filter spec an image tag of the templates asks for, with its file."""
    found = {}
    for template in TEMPLATES.rglob("*.html"):
        for tag in IMAGE_TAG.finditer(template.read_text(encoding="utf-8")):
            _image, *words = smart_split(tag["arguments"])
            patterns = [word for word in words if "=" not in word and word != "as"]
            if "as" in words:
                patterns = patterns[:-1]  # the name after "as"
            for spec in Filter.expand_spec(patterns):
                found[spec] = str(template.relative_to(TEMPLATES))
    return found


def test_the_templates_ask_for_images():
    # Guards the reading below: a template change that hides the tags from it fails here.
    assert len(template_specs()) >= 15


def test_every_spec_of_the_templates_is_made_in_advance():
    made = set(public_filter_specs())

    missing = {spec: where for spec, where in template_specs().items() if spec not in made}

    assert missing == {}


def test_saving_an_image_makes_its_public_renditions(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = WagtailImageFactory()

    specs = set(image.renditions.values_list("filter_spec", flat=True))
    assert specs == set(public_filter_specs())


def test_a_visitor_of_a_story_page_makes_no_rendition(
    client, publish_story, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        image = WagtailImageFactory()
    page = publish_story(ResultPage, title="Låsboxen", hero_image=image, hero_image_alt="Låsbox")
    before = Rendition.objects.count()

    response = client.get(page.url)

    assert response.status_code == 200
    assert 'type="image/avif"' in response.content.decode()
    assert Rendition.objects.count() == before


def test_the_command_makes_the_missing_renditions(capsys):
    images = WagtailImageFactory.create_batch(2)
    assert not Rendition.objects.exists()

    call_command("make_public_renditions")

    for image in images:
        assert image.renditions.count() == len(public_filter_specs())
    assert "2 images" in capsys.readouterr().out


def test_an_image_whose_file_is_gone_is_named_and_the_others_are_made(capsys):
    gone, kept = WagtailImageFactory.create_batch(2)
    gone.file.storage.delete(gone.file.name)

    call_command("make_public_renditions")

    assert kept.renditions.count() == len(public_filter_specs())
    assert not gone.renditions.exists()
    assert f"Image {gone.pk}" in capsys.readouterr().err
