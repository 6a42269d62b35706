import pytest

from cms.site_tree import SECTIONS, ensure_site_tree

pytestmark = pytest.mark.django_db


def test_the_sections_exist_once_with_their_promised_addresses(client):
    first = ensure_site_tree()
    second = ensure_site_tree()
    assert {k: p.pk for k, p in first.items()} == {k: p.pk for k, p in second.items()}
    for _model, slug, _title in SECTIONS:
        assert first[slug].url == f"/{slug}/"
        assert first[slug].live


def test_the_site_answers_at_the_configured_public_address(settings):
    from wagtail.models import Site

    settings.WAGTAILADMIN_BASE_URL = "https://idesluss.kommun.se"
    ensure_site_tree()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("idesluss.kommun.se", 443)
    assert site.root_url == "https://idesluss.kommun.se"
