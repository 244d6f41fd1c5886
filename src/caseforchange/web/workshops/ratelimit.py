"""Rate limiting of failed join-code attempts, per browser and per client address.

Failures are rows in the database so that the limit holds across all server processes and
threads (a per-process cache would let each worker grant its own allowance). A browser gets
``JOIN_ATTEMPTS_LIMIT`` wrong codes per window; an address gets ten times that, because a
whole workshop room often shares one address behind the venue's wifi and one person's typing
must not lock everyone out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone

from caseforchange.web.workshops.models import JoinFailure


def _digest(text: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def _keys(request: HttpRequest, browser: str) -> list[tuple[str, int]]:
    """Return each key this client is counted under, with its limit."""
    limit = settings.JOIN_ATTEMPTS_LIMIT
    address = request.META.get("REMOTE_ADDR", "unknown")
    return [(_digest(f"ip:{address}"), limit * 10), (_digest(f"browser:{browser}"), limit)]


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.JOIN_ATTEMPTS_WINDOW_SECONDS)


def blocked(request: HttpRequest, browser: str) -> bool:
    """Return True when this browser or its address has failed too often within the window."""
    limits = dict(_keys(request, browser))
    counts = (
        JoinFailure.objects.filter(key__in=limits, at__gte=_window_start())
        .values("key")
        .annotate(n=Count("id"))
    )
    return any(row["n"] >= limits[row["key"]] for row in counts)


def failed(request: HttpRequest, browser: str) -> None:
    """Record one failed attempt and forget attempts older than the window."""
    now = timezone.now()
    JoinFailure.objects.bulk_create(
        [JoinFailure(key=key, at=now) for key, _ in _keys(request, browser)]
    )
    JoinFailure.objects.filter(at__lt=_window_start()).delete()
