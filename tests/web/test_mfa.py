"""Two-step sign-in: codes are computed here from RFC 6238 (checked against the RFC's own
test vectors), independently of django-otp."""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import re
import struct
import time
from typing import Any

import pytest
from django.test import Client, override_settings
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from caseforchange.web.audit.models import AuditEntry
from tests.web.conftest import PASSWORD


def totp(key: bytes, at: float, digits: int = 6, step: int = 30) -> str:
    """RFC 6238 TOTP with HMAC-SHA1 (RFC 4226 dynamic truncation)."""
    counter = struct.pack(">Q", int(at // step))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


@pytest.mark.parametrize(
    ("at", "expected"),
    # RFC 6238 appendix B, SHA1 column: the key is the ASCII string "12345678901234567890".
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1234567890, "89005924"),
        (20000000000, "65353130"),
    ],
)
def test_the_code_function_matches_the_rfc_vectors(at: int, expected: str) -> None:
    assert totp(b"12345678901234567890", at, digits=8) == expected


def _secret_on(page: str) -> bytes:
    match = re.search(r'id="secret">([A-Z2-7 ]+)<', page)
    assert match is not None, "the set-up page shows the secret"
    secret = match.group(1).replace(" ", "")
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def _sign_in(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_a_lead_sets_up_an_app_and_a_wrong_code_fails(users: dict[str, Any]) -> None:
    client = _sign_in("lead")
    page = client.get("/accounts/second-factor/").content.decode()
    assert "data:image/svg+xml" in page  # the QR code
    key = _secret_on(page)
    assert len(key) == 20
    right = totp(key, time.time())
    wrong = str((int(right) + 1) % 1_000_000).zfill(6)
    refused = client.post("/accounts/second-factor/", {"code": wrong})
    assert "Enter the 6-digit code" in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=users["lead"], confirmed=True).exists()
    done = client.post("/accounts/second-factor/", {"code": right})
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", done.content.decode())
    assert len(codes) == 10
    assert TOTPDevice.objects.filter(user=users["lead"], confirmed=True).exists()
    # The session that set it up is verified: pages open.
    assert client.get("/programmes/").status_code == 200
    assert ("second factor set up", "account[lead]") in AuditEntry.objects.values_list(
        "action", "target"
    )


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_the_code_is_asked_for_at_sign_in(users: dict[str, Any]) -> None:
    key = b"0123456789abcdefghij"
    TOTPDevice.objects.create(user=users["lead"], name="app", key=key.hex(), confirmed=True)
    client = _sign_in("lead")
    asked = client.get("/programmes/")
    assert asked.status_code == 302
    assert asked["Location"] == "/accounts/second-factor/code/?next=%2Fprogrammes%2F"
    # Every other page waits for the code too, but signing out does not.
    assert client.get("/people/").status_code == 302
    right = totp(key, time.time())
    wrong = str((int(right) + 500_000) % 1_000_000).zfill(6)
    refused = client.post("/accounts/second-factor/code/", {"code": wrong, "next": "/programmes/"})
    assert refused.status_code == 400
    assert client.get("/programmes/").status_code == 302
    passed = client.post("/accounts/second-factor/code/", {"code": right, "next": "/programmes/"})
    assert passed.status_code == 302 and passed["Location"] == "/programmes/"
    assert client.get("/programmes/").status_code == 200
    # The same code does not sign in a second session (no replay).
    other = _sign_in("lead")
    again = other.post("/accounts/second-factor/code/", {"code": right})
    assert again.status_code == 400
    actions = list(
        AuditEntry.objects.filter(target="account[lead]").values_list("action", flat=True)
    )
    assert actions == [
        "signed in",
        "second factor failed",
        "second factor verified",
        "signed in",
        "second factor failed",
    ]


def test_a_right_code_straight_after_a_wrong_one_waits(users: dict[str, Any]) -> None:
    key = b"0123456789abcdefghij"
    TOTPDevice.objects.create(user=users["lead"], name="app", key=key.hex(), confirmed=True)
    client = _sign_in("lead")
    right = totp(key, time.time())
    wrong = str((int(right) + 1) % 1_000_000).zfill(6)
    assert client.post("/accounts/second-factor/code/", {"code": wrong}).status_code == 400
    # django-otp's throttle: after a failure the next try within a second is refused unchecked.
    assert client.post("/accounts/second-factor/code/", {"code": right}).status_code == 400


def test_a_backup_code_works_once(users: dict[str, Any]) -> None:
    TOTPDevice.objects.create(user=users["lead"], name="app", confirmed=True)
    device = StaticDevice.objects.create(user=users["lead"], name="Backup codes")
    device.token_set.create(token="abcd2345")
    client = _sign_in("lead")
    used = client.post("/accounts/second-factor/code/", {"code": "ABCD 2345"})
    assert used.status_code == 302
    page = client.get("/programmes/").content.decode()
    assert "backup code" in html.unescape(page)
    assert (
        _sign_in("lead").post("/accounts/second-factor/code/", {"code": "abcd2345"}).status_code
        == 400
    )


def test_people_without_an_app_are_not_asked(users: dict[str, Any]) -> None:
    assert _sign_in("lead").get("/programmes/").status_code == 200


@override_settings(MFA_REQUIRED=True)
def test_required_second_factor_applies_to_administrators_and_leads(
    users: dict[str, Any],
) -> None:
    for name in ("admin", "lead"):
        response = _sign_in(name).get("/programmes/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/second-factor/?next=")
    for name in ("facilitator", "viewer"):
        assert _sign_in(name).get("/programmes/").status_code == 200
    page = _sign_in("lead").get("/accounts/second-factor/").content.decode()
    assert "must set this up" in page


def test_after_an_administrator_reset_no_code_is_asked(users: dict[str, Any], as_user: Any) -> None:
    TOTPDevice.objects.create(user=users["lead"], name="app", confirmed=True)
    assert _sign_in("lead").get("/programmes/").status_code == 302
    as_user("admin").post(f"/people/{users['lead'].pk}/", {"action": "reset-mfa"})
    assert _sign_in("lead").get("/programmes/").status_code == 200


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_new_backup_codes_need_the_code_first(users: dict[str, Any]) -> None:
    key = b"0123456789abcdefghij"
    TOTPDevice.objects.create(user=users["lead"], name="app", key=key.hex(), confirmed=True)
    old = StaticDevice.objects.create(user=users["lead"], name="Backup codes")
    old.token_set.create(token="oldcode2")
    client = _sign_in("lead")
    refused = client.post("/accounts/second-factor/", {"action": "new-codes"})
    assert refused["Location"] == "/accounts/second-factor/code/"
    assert list(old.token_set.values_list("token", flat=True)) == ["oldcode2"]
    client.post("/accounts/second-factor/code/", {"code": totp(key, time.time())})
    page = client.post("/accounts/second-factor/", {"action": "new-codes"}).content.decode()
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", page)
    assert len(codes) == 10 and "oldcode2" not in codes
    stored = StaticDevice.objects.get(user=users["lead"]).token_set.values_list("token", flat=True)
    assert sorted(stored) == sorted(codes)
