"""Rate limiting of failed join-code attempts, per client address and per browser session."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _keys(request: HttpRequest) -> list[str]:
    address = request.META.get("REMOTE_ADDR", "unknown")
    keys = [f"join-fail:ip:{address}"]
    if request.session.session_key:
        keys.append(f"join-fail:session:{request.session.session_key}")
    return keys


def blocked(request: HttpRequest) -> bool:
    """True when this client has failed too many times recently."""
    limit = settings.JOIN_ATTEMPTS_LIMIT
    return any(int(cache.get(key, 0)) >= limit for key in _keys(request))


def failed(request: HttpRequest) -> None:
    """Count one failed attempt against this client, for the rate-limit window."""
    window = settings.JOIN_ATTEMPTS_WINDOW_SECONDS
    for key in _keys(request):
        if cache.add(key, 1, window):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)
