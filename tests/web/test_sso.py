"""Single sign-on against a local OpenID Connect provider made here: discovery, authorize,
token (an RS256 ID token signed by a key generated in the test), JWKS and userinfo."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from caseforchange.web.accounts import oidc
from caseforchange.web.audit.models import AuditEntry

CLIENT_ID = "caseforchange-test"
CLIENT_SECRET = "local-test-secret"


class Provider:
    """A minimal OpenID Connect provider for one test, on a loopback port."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.email = "viewer@nhs.net"
        self.claims: dict[str, Any] = {}  # extra or replaced userinfo / ID token claims
        self.mode = "good"  # or: bad-signature, wrong-nonce, wrong-audience, wrong-issuer
        self.codes: dict[str, dict[str, str]] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.token_requests = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"

    def _userinfo(self) -> dict[str, Any]:
        return {"sub": "user-123", "email": self.email, "email_verified": True, **self.claims}

    def _id_token(self, nonce: str) -> str:
        now = int(time.time())
        body = {
            "iss": self.issuer if self.mode != "wrong-issuer" else "http://elsewhere.example",
            "sub": "user-123",
            "aud": CLIENT_ID if self.mode != "wrong-audience" else "another-client",
            "iat": now,
            "exp": now + 300,
            "nonce": nonce if self.mode != "wrong-nonce" else "not-the-nonce",
            "email": self.email,
        }
        key = self.other_key if self.mode == "bad-signature" else self.key
        return jwt.encode(body, key, algorithm="RS256", headers={"kid": "k1"})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _json(self, body: Any, status: int = 200) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    self._json(
                        {
                            "issuer": provider.issuer,
                            "authorization_endpoint": provider.issuer + "/authorize",
                            "token_endpoint": provider.issuer + "/token",
                            "userinfo_endpoint": provider.issuer + "/userinfo",
                            "jwks_uri": provider.issuer + "/jwks",
                        }
                    )
                elif url.path == "/jwks":
                    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(
                        provider.key.public_key(), as_dict=True
                    )
                    self._json({"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]})
                elif url.path == "/authorize":
                    assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
                    assert "openid" in query["scope"].split()
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = query
                    back = urlencode({"code": code, "state": query["state"]})
                    self.send_response(302)
                    self.send_header("Location", f"{query['redirect_uri']}?{back}")
                    self.end_headers()
                elif url.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    if token not in provider.tokens:
                        self._json({"error": "invalid_token"}, 401)
                    else:
                        self._json(provider.tokens[token])
                else:
                    self._json({"error": "not found"}, 404)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                provider.token_requests += 1
                asked = provider.codes.pop(form.get("code", ""), None)
                verifier = form.get("code_verifier", "")
                challenge = (
                    base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                    .rstrip(b"=")
                    .decode()
                )
                if (
                    self.path != "/token"
                    or asked is None
                    or form.get("client_id") != CLIENT_ID
                    or form.get("client_secret") != CLIENT_SECRET
                    or form.get("redirect_uri") != asked["redirect_uri"]
                    or asked.get("code_challenge") != challenge
                ):
                    self._json({"error": "invalid_grant"}, 400)
                    return
                access = secrets.token_urlsafe(16)
                provider.tokens[access] = provider._userinfo()
                self._json(
                    {
                        "access_token": access,
                        "token_type": "Bearer",
                        "id_token": provider._id_token(asked["nonce"]),
                    }
                )

        return Handler


@pytest.fixture
def provider() -> Iterator[Provider]:
    """A local provider, with the app configured to use it by its issuer alone."""
    made = Provider()
    thread = threading.Thread(target=made.server.serve_forever, daemon=True)
    thread.start()
    oidc.discovery.cache_clear()
    with override_settings(
        OIDC_ISSUER=made.issuer,
        OIDC_RP_CLIENT_ID=CLIENT_ID,
        OIDC_RP_CLIENT_SECRET=CLIENT_SECRET,
        OIDC_TIMEOUT=5,
    ):
        yield made
    made.server.shutdown()
    made.server.server_close()
    oidc.discovery.cache_clear()


def _sign_in(provider: Provider, next_path: str = "/programmes/") -> tuple[Client, Any]:
    """Drive the authorization-code flow: app -> provider -> app's callback."""
    client = Client()
    start = client.get(f"/accounts/sso/start/?next={next_path}")
    assert start.status_code == 302
    assert start["Location"].startswith(provider.issuer + "/authorize?")
    asked = parse_qs(urlparse(start["Location"]).query)
    assert asked["code_challenge_method"] == ["S256"] and asked["nonce"][0]
    # The browser's visit to the provider (which signs the person in without asking).
    answer = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    back = urlparse(answer.headers["Location"])
    assert back.netloc == "testserver" and back.path == "/accounts/sso/callback/"
    return client, client.get(f"{back.path}?{back.query}")


def _signed_in_as(client: Client) -> str | None:
    value = client.session.get("_auth_user_id")
    return str(value) if value is not None else None


def test_a_known_email_signs_in(provider: Provider, users: dict[str, Any]) -> None:
    viewer = users["viewer"]
    viewer.email = "Viewer@NHS.net"  # matched case-insensitively
    viewer.save()
    client, done = _sign_in(provider)
    assert done.status_code == 302 and done["Location"] == "/programmes/"
    assert _signed_in_as(client) == str(viewer.pk)
    assert client.get("/programmes/").status_code == 200
    assert provider.token_requests == 1
    assert ("user viewer", "signed in by single sign-on", "account[viewer]") in (
        AuditEntry.objects.values_list("actor", "action", "target")
    )
    # Deactivating the account ends the single sign-on session at its next request.
    viewer.is_active = False
    viewer.save()
    assert client.get("/programmes/").status_code == 302


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("bad-signature", "Signature verification failed"),
        ("wrong-nonce", "Nonce verification failed"),
        ("wrong-audience", "Audience doesn't match"),
        ("wrong-issuer", "Invalid issuer"),
    ],
)
def test_a_bad_id_token_is_refused(
    provider: Provider,
    users: dict[str, Any],
    mode: str,
    reason: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    users["viewer"].email = "viewer@nhs.net"
    users["viewer"].save()
    provider.mode = mode
    client, done = _sign_in(provider)
    assert done.status_code == 302 and done["Location"] == "/accounts/login/?sso=refused"
    assert _signed_in_as(client) is None
    assert client.get("/programmes/").status_code == 302
    page = Client().get(done["Location"]).content.decode()
    assert "Single sign-on did not sign you in" in page
    assert ("anonymous", "single sign-on refused") in AuditEntry.objects.values_list(
        "actor", "action"
    )
    # Refused for the reason the provider was made to get wrong, not another.
    refusals = [r.getMessage() for r in caplog.records if "sign-on refused" in r.getMessage()]
    assert len(refusals) == 1 and reason in refusals[0]


@pytest.mark.parametrize(
    ("claims", "active"),
    [
        ({"email": "stranger@nhs.net"}, True),  # nobody has this address: nobody is created
        ({"email_verified": False}, True),  # the provider has not verified the address
        ({"email": ""}, True),
        ({}, False),  # the account is deactivated
    ],
)
def test_unknown_unverified_or_deactivated_people_are_refused(
    provider: Provider, users: dict[str, Any], claims: dict[str, Any], active: bool
) -> None:
    from django.contrib.auth import get_user_model

    users["viewer"].email = "viewer@nhs.net"
    users["viewer"].is_active = active
    users["viewer"].save()
    provider.claims = claims
    before = get_user_model().objects.count()
    client, done = _sign_in(provider)
    assert done["Location"] == "/accounts/login/?sso=refused"
    assert _signed_in_as(client) is None
    assert get_user_model().objects.count() == before


def test_two_accounts_with_one_address_are_refused(
    provider: Provider, users: dict[str, Any]
) -> None:
    for name in ("viewer", "facilitator"):
        users[name].email = "viewer@nhs.net"
        users[name].save()
    client, done = _sign_in(provider)
    assert done["Location"] == "/accounts/login/?sso=refused"
    assert _signed_in_as(client) is None


def test_a_second_factor_is_still_asked_after_sso(
    provider: Provider, users: dict[str, Any]
) -> None:
    users["viewer"].email = "viewer@nhs.net"
    users["viewer"].save()
    TOTPDevice.objects.create(user=users["viewer"], name="app", confirmed=True)
    client, _ = _sign_in(provider)
    assert _signed_in_as(client) == str(users["viewer"].pk)
    assert client.get("/programmes/")["Location"].startswith("/accounts/second-factor/code/")


def test_the_login_page_offers_sso_only_when_configured(
    provider: Provider, users: dict[str, Any]
) -> None:
    assert "/accounts/sso/start/" in Client().get("/accounts/login/").content.decode()
    with override_settings(OIDC_ISSUER="", OIDC_RP_CLIENT_ID=""):
        assert "/accounts/sso/start/" not in Client().get("/accounts/login/").content.decode()
        assert Client().get("/accounts/sso/start/").status_code == 404
        assert Client().get("/accounts/sso/callback/?code=x&state=y").status_code == 404
    # Password sign-in still works beside it, and makes no call to the provider.
    from tests.web.conftest import PASSWORD

    assert Client().login(username="viewer", password=PASSWORD)
    assert provider.token_requests == 0


def test_a_callback_without_its_state_is_refused(provider: Provider, users: dict[str, Any]) -> None:
    client = Client()
    client.get("/accounts/sso/start/")
    response = client.get("/accounts/sso/callback/?code=forged&state=forged")
    assert response.status_code == 400  # mozilla-django-oidc: state not in this session
    assert _signed_in_as(client) is None
    assert provider.token_requests == 0
