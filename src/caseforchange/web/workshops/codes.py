"""Join codes: short enough to type on a phone, long enough not to be guessed."""

from __future__ import annotations

import secrets

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
