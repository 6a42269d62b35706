import pytest

from cms.models import HomePage

pytestmark = pytest.mark.django_db


def test_home_page_is_the_site_root_and_swedish(client):
    response = client.get("/")
    assert response.status_code == 200
    assert isinstance(response.context["page"].specific, HomePage)
    content = response.content.decode()
    assert '<html lang="sv">' in content
    assert "Testa, lär, gör" in content


def test_base_layout_has_landmarks_and_skip_link(client):
    content = client.get("/").content.decode()
    assert '<a class="skip-link" href="#main">' in content
    assert '<main id="main"' in content
    for landmark in ("<header", "<nav", "<footer"):
        assert landmark in content


def test_wagtail_and_django_admin_login_pages(client):
    assert client.get("/admin/login/").status_code == 200
    assert client.get("/django-admin/login/").status_code == 200


def test_public_pages_send_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
