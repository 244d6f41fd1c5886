"""The optional second factor: TOTP devices, the middleware that asks for a code, backup codes.

A signed-in person who has set up an authenticator app must type its code before any other
page opens. With ``MFA_REQUIRED`` (``CASEFORCHANGE_MFA_REQUIRED=1``), administrators and
programme leads who have not set one up are sent to set it up first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from caseforchange.web.accounts.models import Membership, Role
from caseforchange.web.accounts.roles import is_admin

#: How many one-time backup codes a person gets when they set up the second factor.
BACKUP_CODES = 10


def has_device(user: Any) -> bool:
    """True when the user has a confirmed authenticator app."""
    return bool(TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists())


def enrolled_user_ids() -> set[int]:
    """Return the ids of every user with a confirmed authenticator app."""
    return set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))


def needs_second_factor(user: Any) -> bool:
    """True for the people a required second factor applies to: administrators and leads."""
    return is_admin(user) or Membership.objects.filter(user_id=user.pk, role=Role.LEAD).exists()


def remove_devices(user: Any) -> int:
    """Delete the user's authenticator apps and backup codes; return how many devices went."""
    totp, _ = TOTPDevice.objects.filter(user_id=user.pk).delete()
    static: int = StaticDevice.objects.filter(user_id=user.pk).count()
    StaticToken.objects.filter(device__user_id=user.pk).delete()
    StaticDevice.objects.filter(user_id=user.pk).delete()
    return int(bool(totp)) + static


def new_backup_codes(user: Any) -> list[str]:
    """Replace the user's backup codes with fresh ones and return them (shown once)."""
    StaticToken.objects.filter(device__user_id=user.pk).delete()
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Backup codes")
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def _exempt_paths() -> tuple[str, ...]:
    return (
        reverse("accounts:logout"),
        reverse("accounts:mfa_verify"),
        reverse("accounts:mfa_enrol"),
        str(settings.STATIC_URL),
    )


class SecondFactorMiddleware:
    """Sends signed-in people who still owe a second factor to type it, or to set one up.

    Runs after django-otp's ``OTPMiddleware`` (which gives ``request.user.is_verified``).
    Anonymous visitors, verified sessions and the sign-out, code and set-up pages pass.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Answer the request, or redirect to the code or set-up page when a factor is owed."""
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or user.is_verified()
            or request.path.startswith(_exempt_paths())
        ):
            return self.get_response(request)
        query = urlencode({"next": request.get_full_path()})
        if has_device(user):
            return HttpResponseRedirect(f"{reverse('accounts:mfa_verify')}?{query}")
        if settings.MFA_REQUIRED and needs_second_factor(user):
            return HttpResponseRedirect(f"{reverse('accounts:mfa_enrol')}?{query}")
        return self.get_response(request)
