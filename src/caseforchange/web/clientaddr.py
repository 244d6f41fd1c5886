"""The client's address, as rate limits see it: the connection's, or a trusted proxy's header."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def header_key(name: str) -> str:
    """Return the ``request.META`` key of a header name (``X-Real-IP`` -> ``HTTP_X_REAL_IP``)."""
    return "HTTP_" + name.strip().upper().replace("-", "_")


def client_address(request: HttpRequest) -> str:
    """Return the address the request came from.

    With ``CLIENT_IP_HEADER`` set (behind a reverse proxy), the last address in that header is
    used: the one the trusted proxy itself appended, which a client cannot forge. Without it,
    or when the header is missing, it is the connection's address. Never raises.
    """
    name = str(settings.CLIENT_IP_HEADER)
    if name:
        value = str(request.META.get(header_key(name), ""))
        last = value.split(",")[-1].strip()
        if last:
            return last
    return str(request.META.get("REMOTE_ADDR", "unknown"))
