"""Sign-on over OpenID Connect, end to end against a provider served over real HTTP.

The relying party runs in-process through Django's test client; its requests for the
discovery document, the token, the JWKS and the userinfo go over HTTP to the provider's
thread (tests/accounts/oidc_provider.py). Nothing is mocked.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from ideasluss.accounts.roles import Role
from tests.factories import TEST_PASSWORD, UnitFactory, UserFactory

from .oidc_provider import OpenIDProvider, generate_key

pytestmark = pytest.mark.django_db

User = get_user_model()

ANNA = {
    "sub": "entra-7f3a",
    "email": "anna.andersson@kommun.se",
    "given_name": "Anna",
    "family_name": "Andersson",
    "preferred_username": "anna.andersson@kommun.se",
    "department": "Hemtjänst Norr",
    "groups": ["grp-idesluss-coaches", "grp-fund-committee", "grp-unrelated"],
}


@pytest.fixture
def provider(settings):
    with OpenIDProvider() as provider:
        settings.OIDC_ENABLED = True
        settings.OIDC_RP_CLIENT_ID = provider.client_id
        settings.OIDC_RP_CLIENT_SECRET = provider.client_secret
        settings.OIDC_OP_DISCOVERY_URL = provider.discovery_url
        settings.OIDC_PROVIDER_NAME = "Kommunens konto"
        settings.OIDC_ROLE_MAP = {
            "grp-idesluss-coaches": Role.COACH,
            "grp-fund-committee": Role.COMMITTEE_MEMBER,
        }
        settings.OIDC_DEFAULT_ROLES = [Role.STAFF]
        settings.AUTHENTICATION_BACKENDS = [
            *settings.AUTHENTICATION_BACKENDS,
            "ideasluss.accounts.oidc.OrganisationOIDCBackend",
        ]
        provider.person = dict(ANNA)
        yield provider


def sign_on(client, provider, *, tamper_state: bool = False):
    """The browser's round trip: our login button, the provider, our callback."""
    start = client.get(reverse("oidc_authentication_init"))
    assert start.status_code == 302
    assert start["Location"].startswith(f"{provider.issuer}/authorize?")
    callback = urlsplit(provider.authorize(start["Location"]))
    query = {key: values[0] for key, values in parse_qs(callback.query).items()}
    if tamper_state:
        query["state"] = "forged-" + query["state"]
    return client.get(callback.path, query, follow=True)


def signed_in_user(client):
    return client.get(reverse("profile")).wsgi_request.user


def roles_of(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_the_login_page_offers_the_organisations_account(client, provider):
    content = client.get(reverse("login")).content.decode()
    assert "Logga in med Kommunens konto" in content
    assert reverse("oidc_authentication_init") in content


def test_without_sign_on_configured_nothing_of_it_shows(client):
    content = client.get(reverse("login")).content.decode()
    assert "oidc" not in content
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404


def test_first_sign_in_creates_the_user_with_name_email_unit_and_roles(client, provider):
    unit = UnitFactory(name="Hemtjänst Norr")
    response = sign_on(client, provider)
    assert response.redirect_chain[-1][0] == reverse("start:my-work")
    user = User.objects.get(oidc_subject="entra-7f3a")
    assert signed_in_user(client) == user
    assert (user.first_name, user.last_name) == ("Anna", "Andersson")
    assert user.email == "anna.andersson@kommun.se"
    assert user.username == "anna.andersson@kommun.se"
    assert user.unit == unit
    assert roles_of(user) == {Role.STAFF, Role.COACH, Role.COMMITTEE_MEMBER}
    assert not user.has_usable_password()
    # The relying party really went to the provider: discovery, token (with the PKCE
    # verifier, checked there), keys and userinfo.
    assert {
        ("GET", "/.well-known/openid-configuration"),
        ("POST", "/token"),
        ("GET", "/jwks"),
        ("GET", "/userinfo"),
    } <= set(provider.requests_seen)


def test_second_sign_in_updates_the_user_and_removes_a_role_no_longer_granted(client, provider):
    UnitFactory(name="Hemtjänst Norr")
    new_unit = UnitFactory(name="Gata och park")
    sign_on(client, provider)
    user = User.objects.get(oidc_subject="entra-7f3a")
    # An administrator gives a role the provider does not manage; it must stay.
    user.groups.add(Group.objects.get_or_create(name=Role.ADMINISTRATOR)[0])
    client.post(reverse("logout"))

    provider.person = {
        **ANNA,
        "email": "anna.berg@kommun.se",
        "family_name": "Berg",
        "department": "gata och park",
        "groups": ["grp-idesluss-coaches"],
    }
    sign_on(client, provider)
    assert User.objects.filter(oidc_subject="entra-7f3a").count() == 1
    user.refresh_from_db()
    assert signed_in_user(client) == user
    assert (user.last_name, user.email, user.unit) == ("Berg", "anna.berg@kommun.se", new_unit)
    assert roles_of(user) == {Role.STAFF, Role.COACH, Role.ADMINISTRATOR}


def test_an_unknown_unit_keeps_the_persons_unit(client, provider):
    unit = UnitFactory(name="Norrskolan")
    UserFactory(username="anna", email=ANNA["email"], unit=unit)
    provider.person = {**ANNA, "department": "Enhet som inte finns"}
    sign_on(client, provider)
    user = User.objects.get(username="anna")
    assert user.oidc_subject == "entra-7f3a"  # the local account was taken over by e-mail
    assert user.unit == unit


def refusals(caplog) -> str:
    return " ".join(r.getMessage() for r in caplog.records if r.name == "idesluss.security")


def test_a_token_signed_by_another_key_is_refused(client, provider, caplog):
    provider.sign_with = generate_key()  # same kid, other key: the signature is wrong
    response = sign_on(client, provider)
    assert "Signature verification failed" in refusals(caplog)
    assert not signed_in_user(client).is_authenticated
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "Inloggningen med Kommunens konto lyckades inte" in response.content.decode()
    assert not User.objects.filter(oidc_subject="entra-7f3a").exists()


def test_a_token_for_another_audience_is_refused(client, provider, caplog):
    provider.audience = "another-application"
    sign_on(client, provider)
    assert "Audience doesn't match" in refusals(caplog)
    assert not signed_in_user(client).is_authenticated
    assert not User.objects.filter(oidc_subject="entra-7f3a").exists()


def test_a_token_with_another_nonce_is_refused(client, provider, caplog):
    provider.nonce = "a-nonce-from-another-sign-in"
    sign_on(client, provider)
    assert "Nonce verification failed" in refusals(caplog)
    assert not signed_in_user(client).is_authenticated
    assert not User.objects.filter(oidc_subject="entra-7f3a").exists()


def test_a_callback_with_a_forged_state_is_refused(client, provider, caplog):
    response = sign_on(client, provider, tamper_state=True)
    assert "state not found" in refusals(caplog)
    assert response.status_code == 200
    assert "Inloggningen med Kommunens konto lyckades inte" in response.content.decode()
    assert not signed_in_user(client).is_authenticated
    assert ("POST", "/token") not in provider.requests_seen


def test_an_expired_token_is_refused(client, provider, caplog):
    provider.lifetime_seconds = -120  # beyond the minute of clock leeway
    sign_on(client, provider)
    assert "Signature has expired" in refusals(caplog)
    assert not signed_in_user(client).is_authenticated
    assert not User.objects.filter(oidc_subject="entra-7f3a").exists()


@pytest.mark.parametrize("login_url", ["/accounts/login/", "/admin/login/", "/django-admin/login/"])
def test_with_local_login_off_a_password_post_is_refused(client, provider, settings, login_url):
    settings.LOCAL_LOGIN_ENABLED = False
    UserFactory(username="admin", is_staff=True, is_superuser=True, roles=[Role.ADMINISTRATOR])
    response = client.post(login_url, {"username": "admin", "password": TEST_PASSWORD})
    assert response.status_code in {200, 403}
    assert not signed_in_user(client).is_authenticated
    assert not client.get("/admin/").wsgi_request.user.is_authenticated


def test_with_local_login_off_the_login_page_offers_only_the_provider(client, provider, settings):
    settings.LOCAL_LOGIN_ENABLED = False
    content = client.get(reverse("login")).content.decode()
    assert "Logga in med Kommunens konto" in content
    assert 'name="password"' not in content
    assert client.post(reverse("login"), {"username": "x", "password": "y"}).status_code == 403
    assert client.get(reverse("password_reset")).status_code == 404


def test_the_discovery_document_is_read_only_when_signing_on_and_then_cached(client, provider):
    UserFactory(username="bo")
    client.post(reverse("login"), {"username": "bo", "password": TEST_PASSWORD})
    client.get(reverse("login"))
    assert provider.requests_seen == []  # password sign-in and pages never ask the provider
    client.post(reverse("logout"))
    sign_on(client, provider)
    client.post(reverse("logout"))
    sign_on(client, provider)
    discovery = ("GET", "/.well-known/openid-configuration")
    assert provider.requests_seen.count(discovery) == 1
    assert provider.requests_seen.count(("POST", "/token")) == 2


def test_a_provider_that_sends_no_valid_email_is_refused(client, provider, caplog):
    provider.person = {**ANNA, "email": "not an address"}
    sign_on(client, provider)
    assert not signed_in_user(client).is_authenticated
    assert "no valid e-mail address" in refusals(caplog)
    assert not User.objects.filter(oidc_subject="entra-7f3a").exists()


def test_an_erased_account_stays_erased_and_the_person_gets_a_new_one(client, provider):
    erased = UserFactory(
        username="erased-1",
        email="",
        first_name="",
        last_name="",
        oidc_subject="entra-7f3a",
        erased_at=timezone.now(),
        is_active=False,
    )
    sign_on(client, provider)
    erased.refresh_from_db()
    assert (erased.oidc_subject, erased.email, erased.first_name) == (None, "", "")
    user = signed_in_user(client)
    assert user.is_authenticated and user.pk != erased.pk
    assert user.oidc_subject == "entra-7f3a"
