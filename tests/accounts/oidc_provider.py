"""A small OpenID Provider for tests, served over real HTTP on 127.0.0.1.

It speaks the authorization code flow as Entra ID and Keycloak do: a discovery document,
a JWKS with a freshly generated RSA key, an authorize endpoint that redirects back with
code and state, a token endpoint that checks the client's secret, the redirect URI and
the PKCE verifier and returns an RS256-signed ID token, and a userinfo endpoint.

    with OpenIDProvider() as provider:
        provider.person = {"sub": "42", "email": "anna@kommun.se", ...}
        location = provider.authorize(url_from_the_relying_party)

Knobs make it misbehave the way an attacker or a broken provider would: `sign_with`
(another key), `audience`, `nonce`, `lifetime_seconds` (negative: already expired).
Every request it answers is kept in `requests_seen` as (method, path).
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa


def generate_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class OpenIDProvider:
    client_id = "idesluss-test"
    client_secret = "provider-test-secret"

    def __init__(self):
        self.key = generate_key()
        self.kid = secrets.token_hex(8)
        self.person: dict = {"sub": "subject-1", "email": "person@kommun.se"}
        self.sign_with: rsa.RSAPrivateKey | None = None
        self.audience: str | None = None
        self.nonce: str | None = None
        self.lifetime_seconds = 300
        self.requests_seen: list[tuple[str, str]] = []
        self._codes: dict[str, dict] = {}
        self._tokens: dict[str, dict] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def authorize(self, authorization_url: str) -> str:
        """What the browser does at the provider: follow the relying party's redirect and
        come back with the provider's redirect (the callback URL with code and state)."""
        response = requests.get(authorization_url, allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text
        return response.headers["Location"]

    # What the endpoints answer.

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def _redirect_after_authorize(self, query: dict) -> str:
        assert query["client_id"] == self.client_id
        assert query["response_type"] == "code"
        assert query["code_challenge_method"] == "S256"
        code = secrets.token_urlsafe(16)
        self._codes[code] = {
            "nonce": query.get("nonce"),
            "code_challenge": query["code_challenge"],
            "redirect_uri": query["redirect_uri"],
            "person": dict(self.person),
        }
        return f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"

    def _token(self, form: dict) -> tuple[int, dict]:
        grant = self._codes.pop(form.get("code", ""), None)
        if grant is None or form.get("grant_type") != "authorization_code":
            return 400, {"error": "invalid_grant"}
        if (form.get("client_id"), form.get("client_secret")) != (
            self.client_id,
            self.client_secret,
        ):
            return 401, {"error": "invalid_client"}
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "")
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if challenge != grant["code_challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        now = int(time.time())
        claims = {
            **grant["person"],
            "iss": self.issuer,
            "aud": self.audience or self.client_id,
            "iat": now,
            "exp": now + self.lifetime_seconds,
            "nonce": self.nonce or grant["nonce"],
        }
        id_token = jwt.encode(
            claims, self.sign_with or self.key, algorithm="RS256", headers={"kid": self.kid}
        )
        access_token = secrets.token_urlsafe(16)
        self._tokens[access_token] = grant["person"]
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }

    def _userinfo(self, authorization: str) -> tuple[int, dict]:
        person = self._tokens.get(authorization.removeprefix("Bearer "))
        if person is None:
            return 401, {"error": "invalid_token"}
        # Like Entra ID: the userinfo has the name and address, the groups only the ID token.
        keep = {"sub", "email", "name", "given_name", "family_name", "preferred_username"}
        return 200, {key: value for key, value in person.items() if key in keep}

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status: int, body: dict):
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self):
                url = urlsplit(self.path)
                provider.requests_seen.append(("GET", url.path))
                query = {key: values[0] for key, values in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    self._json(200, provider.discovery())
                elif url.path == "/jwks":
                    self._json(200, provider.jwks())
                elif url.path == "/authorize":
                    self.send_response(302)
                    self.send_header("Location", provider._redirect_after_authorize(query))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif url.path == "/userinfo":
                    self._json(*provider._userinfo(self.headers.get("Authorization", "")))
                else:
                    self._json(404, {"error": "not_found"})

            def do_POST(self):
                url = urlsplit(self.path)
                provider.requests_seen.append(("POST", url.path))
                length = int(self.headers.get("Content-Length", "0"))
                form = {
                    key: values[0]
                    for key, values in parse_qs(self.rfile.read(length).decode()).items()
                }
                if url.path == "/token":
                    self._json(*provider._token(form))
                else:
                    self._json(404, {"error": "not_found"})

        return Handler
