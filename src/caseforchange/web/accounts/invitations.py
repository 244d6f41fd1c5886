"""Invitation and password-reset e-mails: a signed, expiring, one-time link to set a password.

The link carries Django's password-reset token (``default_token_generator``): it is signed
with the secret key, expires after ``PASSWORD_RESET_TIMEOUT`` and stops working once the
password changes or the person signs in, so each link works once.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def set_password_link(request: HttpRequest, user: Any) -> str:
    """Return the absolute address of the one-time page where ``user`` sets a password."""
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    base = settings.PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")
    return base + path


def valid_days() -> int:
    """Return how many whole days a link stays valid (``PASSWORD_RESET_TIMEOUT``)."""
    return max(1, int(settings.PASSWORD_RESET_TIMEOUT) // 86400)


def send_link(request: HttpRequest, user: Any, *, invitation: bool) -> None:
    """E-mail ``user`` a link to set a password: an invitation or a reset, by the settings' backend.

    Raises:
        ValueError: when the user has no e-mail address.
    """
    if not user.email:
        raise ValueError(f"{user.get_username()} has no e-mail address")
    context = {
        "user": user,
        "link": set_password_link(request, user),
        "days": valid_days(),
        "invitation": invitation,
        "sender": getattr(request.user, "get_full_name", str)() or request.user.get_username(),
    }
    subject = (
        "You are invited to Case for change"
        if invitation
        else "Set a new password for Case for change"
    )
    body = render_to_string("accounts/email/set_password.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
