"""The phone pass: a signed cookie that says which workshop a browser is joining or scoring in.

Participants have no account. Keeping their place in a signed cookie rather than a database
session means a phone's page views and score submissions read and write no session rows: on a
busy workshop that is a third of the queries. The cookie holds only ids, is signed with the
secret key (so it cannot be forged to become another participant) and is HTTP-only.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, replace

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

COOKIE = "cfc_phone"
_SALT = "caseforchange.workshops.phone"


@dataclass(frozen=True)
class PhonePass:
    """What a browser holds: a random id (for rate limiting) and its workshop place."""

    browser: str
    joining: int | None = None
    participant: int | None = None

    def joined(self, participant: int) -> PhonePass:
        """Return the pass of a browser that has just become ``participant``."""
        return replace(self, joining=None, participant=participant)


def read(request: HttpRequest) -> PhonePass | None:
    """Return the browser's pass, or None when it has none or its signature does not verify."""
    try:
        raw = request.get_signed_cookie(
            COOKIE, default="", salt=_SALT, max_age=settings.SESSION_COOKIE_AGE
        )
        if not raw:
            return None
        data = json.loads(raw)
        return PhonePass(
            browser=str(data["browser"]),
            joining=_int_or_none(data.get("joining")),
            participant=_int_or_none(data.get("participant")),
        )
    except (KeyError, ValueError, TypeError, signing.BadSignature):
        return None


def read_or_new(request: HttpRequest) -> PhonePass:
    """Return the browser's pass, or a new one with a fresh random browser id."""
    return read(request) or PhonePass(browser=secrets.token_urlsafe(16))


def store(response: HttpResponse, phone_pass: PhonePass) -> HttpResponse:
    """Set the pass on ``response`` and return it."""
    response.set_signed_cookie(
        COOKIE,
        json.dumps(asdict(phone_pass), separators=(",", ":")),
        salt=_SALT,
        max_age=settings.SESSION_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def forget(response: HttpResponse) -> HttpResponse:
    """Remove the pass from the browser and return ``response``."""
    response.delete_cookie(COOKIE, samesite="Lax")
    return response


def _int_or_none(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("not an id")
    return value
