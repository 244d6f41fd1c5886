"""Wrong passwords: counted per username and per client address, throttled and audited.

The same wait applies whether or not the username exists, and the audit names only accounts
that exist, so neither the form nor the trail reveals which usernames are real (a mistyped
username is often someone's password, so it is never recorded).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone

from caseforchange.web.accounts.models import LoginFailure
from caseforchange.web.audit.chain import record
from caseforchange.web.clientaddr import client_address


def _digest(text: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def _keys(request: HttpRequest, username: str) -> list[str]:
    return [
        _digest(f"login-user:{username.strip().lower()}"),
        _digest(f"login-ip:{client_address(request)}"),
    ]


def _since() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.LOGIN_ATTEMPTS_WINDOW_SECONDS)


def throttled(request: HttpRequest, username: str) -> bool:
    """True when this username or this address has had too many wrong passwords lately.

    An address is allowed five times the per-username limit: one office shares an address.
    """
    user_key, address_key = _keys(request, username)
    limits = {
        user_key: settings.LOGIN_ATTEMPTS_LIMIT,
        address_key: settings.LOGIN_ATTEMPTS_LIMIT * 5,
    }
    counts = (
        LoginFailure.objects.filter(key__in=limits, at__gte=_since())
        .values("key")
        .annotate(n=Count("id"))
    )
    return any(row["n"] >= limits[row["key"]] for row in counts)


def failed(request: HttpRequest, username: str, *, refused: bool) -> None:
    """Count a wrong password (unless it was refused unchecked) and audit the attempt."""
    if not refused:
        now = timezone.now()
        LoginFailure.objects.bulk_create(
            [LoginFailure(key=key, at=now) for key in _keys(request, username)]
        )
        LoginFailure.objects.filter(at__lt=_since()).delete()
    exists = get_user_model().objects.filter(username__iexact=username.strip()).exists()
    record(
        "anonymous",
        "sign-in throttled" if refused else "sign-in failed",
        f"account[{username.strip()}]" if exists else "account[unknown]",
    )


def reset_allowed(request: HttpRequest, email: str) -> bool:
    """Count a request for a password-reset e-mail; False once the address or e-mail had many.

    Each e-mail address gets ``PASSWORD_RESET_LIMIT`` messages in the window and each client
    address five times that, so the form cannot be used to flood someone's inbox.
    """
    keys = {
        _digest(f"reset-mail:{email.strip().lower()}"): settings.PASSWORD_RESET_LIMIT,
        _digest(f"reset-ip:{client_address(request)}"): settings.PASSWORD_RESET_LIMIT * 5,
    }
    counts = dict(
        LoginFailure.objects.filter(key__in=keys, at__gte=_since())
        .values("key")
        .annotate(n=Count("id"))
        .values_list("key", "n")
    )
    if any(counts.get(key, 0) >= limit for key, limit in keys.items()):
        return False
    now = timezone.now()
    LoginFailure.objects.bulk_create([LoginFailure(key=key, at=now) for key in keys])
    return True
