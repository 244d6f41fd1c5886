"""Join codes: short enough to type on a phone, long enough not to be guessed."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

#: No 0/O, 1/I/L: letters people confuse when reading a projector.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
#: 8 characters of 31 give about 39.6 bits; with the rate limit, guessing is hopeless.
LENGTH = 8


def new_code() -> str:
    """Return a fresh random join code."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str:
    """Return the code a person typed, upper-cased, without spaces or hyphens."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def display(code: str) -> str:
    """Return the code in two groups of four for reading aloud: ``ABCD-EFGH``."""
    return f"{code[:4]}-{code[4:]}" if len(code) == LENGTH else code


def link_token(session_pk: int, code: str) -> str:
    """Return the long secret the QR code and join link carry beside the code.

    It is an HMAC of the session and its code under the secret key (128 bits shown), so it
    cannot be guessed and needs no rate limit: a room can always join by the link.
    """
    message = f"join:{session_pk}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]


def token_matches(session_pk: int, code: str, token: str) -> bool:
    """True when ``token`` is the session's link token (compared in constant time)."""
    return hmac.compare_digest(link_token(session_pk, code), token)
