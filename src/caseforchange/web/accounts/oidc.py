"""Optional single sign-on by OpenID Connect: an existing, active account matched by e-mail.

Off unless ``CASEFORCHANGE_OIDC_ISSUER`` and ``CASEFORCHANGE_OIDC_CLIENT_ID`` are set. The
provider's endpoints come from its discovery document (``{issuer}/.well-known/
openid-configuration``) unless given one by one. A login is accepted only when the ID token
is signed by a key of the provider's JWKS (RS256), names this client as its audience and the
configured issuer, carries the nonce of this browser's request, and the e-mail address the
provider gives matches exactly one active account here (case-insensitively). Nobody is ever
created by signing in: an administrator invites people first (docs/web.md, "Single sign-on").
"""

from __future__ import annotations

import functools
import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.views import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from caseforchange.web.audit.chain import record

LOGGER = logging.getLogger(__name__)

#: Each endpoint setting and the discovery document's key that supplies it when it is blank.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


def enabled() -> bool:
    """True when single sign-on is configured (an issuer and a client id)."""
    return bool(settings.OIDC_ISSUER and settings.OIDC_RP_CLIENT_ID)


@functools.lru_cache(maxsize=8)
def discovery(issuer: str) -> dict[str, Any]:
    """Return the provider's discovery document, fetched once per issuer per process.

    Raises:
        ImproperlyConfigured: when the document names another issuer.
    """
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
    response.raise_for_status()
    document: dict[str, Any] = response.json()
    if document.get("issuer") != issuer:
        raise ImproperlyConfigured(f"{url} names the issuer {document.get('issuer')!r}")
    return document


def setting(attr: str, *default: Any) -> Any:
    """Return an OIDC setting, taking a blank endpoint from the provider's discovery document."""
    if attr in DISCOVERED and not getattr(settings, attr, ""):
        return discovery(settings.OIDC_ISSUER)[DISCOVERED[attr]]
    return import_from_settings(attr, *default)


class SingleSignOnBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """Signs in an existing active account whose e-mail matches the provider's verified claim.

    Inert (and makes no network call) for password sign-ins and while SSO is off.
    """

    get_settings = staticmethod(setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The parent reads every endpoint here; that waits until a callback really arrives.
        from django.contrib.auth import get_user_model

        self.UserModel = get_user_model()

    def _configure(self) -> None:
        self.OIDC_OP_TOKEN_ENDPOINT = setting("OIDC_OP_TOKEN_ENDPOINT")
        self.OIDC_OP_USER_ENDPOINT = setting("OIDC_OP_USER_ENDPOINT")
        self.OIDC_OP_JWKS_ENDPOINT = setting("OIDC_OP_JWKS_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        """Finish the authorization-code flow, or return None (audited) when it is refused."""
        if request is None or not enabled() or "code" not in request.GET:
            return None
        self._configure()
        try:
            user = super().authenticate(request, **kwargs)
        except (SuspiciousOperation, requests.RequestException, jwt.PyJWTError) as error:
            LOGGER.warning("single sign-on refused: %s", error)
            user = None
        if user is None or not user.is_active:
            record("anonymous", "single sign-on refused", "account[unknown]")
            return None
        record(
            f"user {user.get_username()}",
            "signed in by single sign-on",
            f"account[{user.get_username()}]",
        )
        return user

    def _verify_jws(self, payload: str, key: Any) -> dict[str, Any]:
        """Check the token's signature, algorithm, audience, issuer and lifetime.

        Raises:
            SuspiciousOperation: when any of them is wrong.
        """
        try:
            header = jwt.get_unverified_header(payload)
            if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
                raise SuspiciousOperation("the ID token is signed with another algorithm")
            claims: dict[str, Any] = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_ISSUER,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
                leeway=60,
            )
        except jwt.PyJWTError as error:
            raise SuspiciousOperation(f"the ID token is not valid: {error}") from error
        return claims

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        """Accept only an e-mail address the provider has not marked unverified."""
        return bool(claims.get("email")) and claims.get("email_verified", True) is not False

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        """Return the active accounts with the provider's e-mail address (case-insensitive)."""
        email = str(claims.get("email", "")).strip()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def get_user(self, user_id: Any) -> Any:
        """Return the session's account while it is active, or None (which signs it out)."""
        return self.UserModel.objects.filter(pk=user_id, is_active=True).first()

    def create_user(self, claims: dict[str, Any]) -> Any:
        """Refuse: single sign-on never creates accounts.

        Raises:
            SuspiciousOperation: always.
        """
        raise SuspiciousOperation("no account has this e-mail address")


class StartSignOn(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """Send the browser to the provider, with a fresh state, nonce and PKCE challenge."""

    get_settings = staticmethod(setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The parent reads the endpoints here; ``get`` does once SSO is known to be on.
        View.__init__(self, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        """Redirect to the provider's authorization endpoint (404 while SSO is off).

        Raises:
            Http404: when single sign-on is not configured.
        """
        if not enabled():
            raise Http404("single sign-on is not configured")
        self.OIDC_OP_AUTH_ENDPOINT = setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        response: HttpResponse = super().get(request)
        return response


class FinishSignOn(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """Take the provider's answer: sign in, or go back to the sign-in page with a message."""

    get_settings = staticmethod(setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        """Finish the sign-in (404 while SSO is off).

        Raises:
            Http404: when single sign-on is not configured.
        """
        if not enabled():
            raise Http404("single sign-on is not configured")
        response: HttpResponse = super().get(request)
        return response
