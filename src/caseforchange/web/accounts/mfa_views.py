"""Set up an authenticator app (QR code and secret, confirmed by a code) and type its code."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from caseforchange.web.accounts import mfa
from caseforchange.web.audit.chain import actor, record
from caseforchange.web.errors import ErrorItem


def _next(request: HttpRequest) -> str:
    wanted = str(request.POST.get("next") or request.GET.get("next") or "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return str(settings.LOGIN_REDIRECT_URL)


def _code(request: HttpRequest) -> str:
    return "".join(str(request.POST.get("code", "")).split()).lower()


def grouped_secret(device: TOTPDevice) -> str:
    """Return the device's secret in base32, in groups of four, for typing into an app."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: show its QR code and secret, then confirm it with a code."""
    user: Any = request.user
    if mfa.has_device(user):
        codes = None
        if request.method == "POST" and request.POST.get("action") == "new-codes":
            if not user.is_verified():  # this page is open before the code: ask for it first
                return redirect("accounts:mfa_verify")
            with transaction.atomic():
                codes = mfa.new_backup_codes(user)
                record(actor(request), "backup codes replaced", f"account[{user.get_username()}]")
        return render(
            request, "accounts/mfa_enrolled.jinja", {"codes": codes, "next": _next(request)}
        )
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    errors: list[ErrorItem] = []
    if request.method == "POST":
        if device.verify_token(_code(request)):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = mfa.new_backup_codes(user)
                record(actor(request), "second factor set up", f"account[{user.get_username()}]")
            otp_login(request, device)
            return render(
                request, "accounts/mfa_enrolled.jinja", {"codes": codes, "next": _next(request)}
            )
        errors.append(ErrorItem("Enter the 6-digit code your app shows now", "#f-code"))
    qr = segno.make(device.config_url, error="m").svg_data_uri(
        scale=5, dark="#212b32", light="#ffffff"
    )
    return render(
        request,
        "accounts/mfa_enrol.jinja",
        {
            "qr": qr,
            "secret": grouped_secret(device),
            "errors": errors,
            "next": _next(request),
            "required": settings.MFA_REQUIRED and mfa.needs_second_factor(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Ask for the code of the person's authenticator app, or one of their backup codes."""
    user: Any = request.user
    if user.is_verified() or not mfa.has_device(user):
        return redirect(_next(request))
    errors: list[ErrorItem] = []
    if request.method == "POST":
        code = _code(request)
        devices = [
            *TOTPDevice.objects.filter(user_id=user.pk, confirmed=True),
            *StaticDevice.objects.filter(user_id=user.pk, confirmed=True),
        ]
        for device in devices:
            verified = verify_token(user, device.persistent_id, code)
            if verified is not None:
                otp_login(request, verified)
                record(actor(request), "second factor verified", f"account[{user.get_username()}]")
                if isinstance(verified, StaticDevice):
                    record(actor(request), "backup code used", f"account[{user.get_username()}]")
                    messages.info(
                        request,
                        "You used a backup code; each works once. Ask an administrator to reset "
                        "your second factor if you have lost your app.",
                    )
                return redirect(_next(request))
        record(actor(request), "second factor failed", f"account[{user.get_username()}]")
        errors.append(
            ErrorItem(
                "The code is wrong or has expired. Wait for the next code and try again", "#f-code"
            )
        )
    response = render(
        request, "accounts/mfa_verify.jinja", {"errors": errors, "next": _next(request)}
    )
    if errors:
        response.status_code = 400
    return response
