"""Rate limiting of wrong join codes: per browser, per client address and across the site.

The three limits together bound guessing without letting anyone lock a room out:

- A browser gets ``JOIN_ATTEMPTS_LIMIT`` wrong codes per window; after that only that browser
  waits (its own typing, nobody else's).
- An address gets ten times that. A whole room often shares one address behind the venue's
  wifi, so an address over its limit refuses only browsers that have themselves typed a wrong
  code: a phone typing the right code first time is always let in.
- The whole site gets ``JOIN_GLOBAL_LIMIT`` wrong codes per 24 hours. This is the bound the
  probability rests on (docs/web.md, "Join codes"): with at most ``MAX_OPEN_SESSIONS`` live
  codes, no amount of addresses or browsers can test more codes than that in a day. Past it,
  typed codes wait until the day's count falls; the QR code and join link carry a long
  secret (``codes.link_token``) that is never rate limited, so the room can still join.

Failures are rows in the database so that every server process sees the same counts (a
per-process cache would let each worker grant its own allowance).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from enum import Enum
from functools import cache

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from caseforchange.web import rawsql
from caseforchange.web.clientaddr import client_address
from caseforchange.web.workshops.models import JoinFailure

DAY = dt.timedelta(hours=24)


class Refusal(Enum):
    """Why a typed code is not checked."""

    BROWSER = "browser"
    ADDRESS = "address"
    SITE = "site"


def _digest(text: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def _keys(request: HttpRequest, browser: str) -> tuple[str, str, str]:
    """Return the browser's, the address's and the site's key (raw addresses are not stored)."""
    return (
        _digest(f"browser:{browser}"),
        _digest(f"ip:{client_address(request)}"),
        _digest("site"),
    )


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.JOIN_ATTEMPTS_WINDOW_SECONDS)


def refusal(request: HttpRequest, browser: str) -> Refusal | None:
    """Return why this browser's next typed code must not be checked, or None to check it."""
    browser_key, address_key, site_key = _keys(request, browser)
    recent = rawsql.prepare(JoinFailure, "at", _window_start())
    day = rawsql.prepare(JoinFailure, "at", timezone.now() - DAY)
    counts: dict[str, int] = dict(
        rawsql.fetch_all(_counting(), [browser_key, address_key, recent, site_key, day])
    )
    limit = settings.JOIN_ATTEMPTS_LIMIT
    own = counts.get(browser_key, 0)
    if own >= limit:
        return Refusal.BROWSER
    if counts.get(site_key, 0) >= settings.JOIN_GLOBAL_LIMIT:
        return Refusal.SITE
    if own and counts.get(address_key, 0) >= limit * 10:
        return Refusal.ADDRESS
    return None


@cache
def _counting() -> str:
    """Return the statement counting recent failures of the browser, address and site keys.

    Every typed code runs it, so it is built once per process rather than by the ORM.
    """
    key, at = rawsql.column(JoinFailure, "key"), rawsql.column(JoinFailure, "at")
    return (
        f"SELECT {key}, COUNT(*) FROM {rawsql.table(JoinFailure)}"
        f" WHERE ({key} IN (%s, %s) AND {at} >= %s) OR ({key} = %s AND {at} >= %s)"
        f" GROUP BY {key}"
    )


def failed(request: HttpRequest, browser: str) -> None:
    """Record one wrong code under all three keys and forget rows past their windows."""
    now = timezone.now()
    browser_key, address_key, site_key = _keys(request, browser)
    JoinFailure.objects.bulk_create(
        [JoinFailure(key=key, at=now) for key in (browser_key, address_key, site_key)]
    )
    JoinFailure.objects.filter(
        Q(at__lt=_window_start()) & ~Q(key=site_key) | Q(key=site_key, at__lt=now - DAY)
    ).delete()


def chance_of_a_hit() -> float:
    """Return the bound on the chance that guessing finds a live code within 24 hours.

    At most ``JOIN_GLOBAL_LIMIT`` typed codes are checked wrongly in 24 hours, each matching
    one of at most ``MAX_OPEN_SESSIONS`` live codes out of ``len(ALPHABET) ** LENGTH``; link
    tokens (128 bits) add a chance below 10^-30 and are left out.
    """
    from caseforchange.web.workshops.codes import ALPHABET, LENGTH

    return float(settings.JOIN_GLOBAL_LIMIT * settings.MAX_OPEN_SESSIONS / len(ALPHABET) ** LENGTH)
