"""Bad requests end on a clear page in the user's language, never a stack trace."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_404_is_a_swedish_page(client):
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Vi hittade inte sidan" in content
    assert "Traceback" not in content


@pytest.mark.urls("tests.urls_with_errors")
def test_500_is_a_swedish_page_without_a_stack_trace():
    client = Client(raise_request_exception=False)
    response = client.get("/crash/")
    assert response.status_code == 500
    content = response.content.decode()
    assert "Något gick fel hos oss" in content
    assert "RuntimeError" not in content
    assert "deliberate failure" not in content


def test_missing_csrf_token_gives_a_swedish_explanation(staff):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    content = response.content.decode()
    assert "Formuläret kunde inte skickas" in content
    assert "CSRF" not in content


def test_403_page_is_swedish(rf, staff):
    from ideasluss.views import permission_denied

    request = rf.get("/")
    request.user = staff
    response = permission_denied(request)
    assert response.status_code == 403
    assert "Du har inte behörighet att göra det" in response.content.decode()
