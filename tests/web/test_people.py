"""People management: only administrators reach it; invitations, resets, deactivation and
roles work, each audited."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client, override_settings
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from caseforchange.web.accounts.models import Membership, Role
from caseforchange.web.audit.chain import verify
from caseforchange.web.audit.models import AuditEntry
from caseforchange.web.programmes.models import ProgrammeRecord
from tests.web.conftest import PASSWORD

LINK = re.compile(r"http://testserver(/accounts/set-password/[^/\s]+/[^/\s]+/)")
NEW_PASSWORD = "a-brand-new-passphrase-42"


def _audit() -> Any:
    """The audit entries these tests made (the fixture's programme load is by "test")."""
    return AuditEntry.objects.exclude(actor="test")


def _routes(users: dict[str, Any]) -> list[tuple[str, str, dict[str, str]]]:
    viewer = users["viewer"].pk
    return [
        ("get", "/people/", {}),
        ("get", "/people/invite/", {}),
        ("post", "/people/invite/", {"email": "someone@nhs.net"}),
        ("get", f"/people/{viewer}/", {}),
        ("post", f"/people/{viewer}/", {"action": "deactivate"}),
        ("post", f"/people/{viewer}/", {"action": "reset-password"}),
        ("post", f"/people/{viewer}/", {"action": "reset-mfa"}),
        ("post", f"/people/{viewer}/", {"action": "role", "programme": "x", "role": "lead"}),
    ]


@pytest.mark.parametrize("role", ["lead", "facilitator", "viewer", "outsider"])
def test_only_administrators_reach_people_pages(
    users: dict[str, Any], as_user: Any, role: str
) -> None:
    client = as_user(role)
    for method, path, data in _routes(users):
        response = getattr(client, method)(path, data)
        assert response.status_code == 403, (role, method, path)
    assert get_user_model().objects.filter(email="someone@nhs.net").count() == 0
    assert users["viewer"].__class__.objects.get(pk=users["viewer"].pk).is_active
    assert not mail.outbox
    assert not _audit().exists()


def test_anonymous_visitors_are_sent_to_sign_in(users: dict[str, Any]) -> None:
    for method, path, data in _routes(users):
        response = getattr(Client(), method)(path, data)
        assert response.status_code == 302, (method, path)
        assert response["Location"].startswith("/accounts/login/?next=")
    assert not _audit().exists()


def test_administrators_see_every_account(users: dict[str, Any], as_user: Any) -> None:
    page = as_user("admin").get("/people/").content.decode()
    for name in ("admin", "lead", "facilitator", "viewer", "outsider"):
        assert f">{name}</a>" in page
    # The header offers People to administrators only.
    assert 'href="/people/"' in page
    assert 'href="/people/"' not in as_user("lead").get("/programmes/").content.decode()


def _invite(client: Client, email: str, **extra: str) -> Any:
    return client.post("/people/invite/", {"email": email, **extra})


def test_an_invitation_sets_a_password_once(users: dict[str, Any], as_user: Any) -> None:
    admin = as_user("admin")
    response = _invite(admin, "Jo.Bloggs@nhs.net", first_name="Jo", last_name="Bloggs")
    jo = get_user_model().objects.get(email="Jo.Bloggs@nhs.net")
    assert response.status_code == 302 and response["Location"] == f"/people/{jo.pk}/"
    assert jo.username == "Jo.Bloggs" and not jo.has_usable_password()
    assert "Invited" in admin.get(f"/people/{jo.pk}/").content.decode()
    # One e-mail, to the address, with a one-time link to set a password.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["Jo.Bloggs@nhs.net"]
    assert "invited" in mail.outbox[0].subject
    match = LINK.search(mail.outbox[0].body)
    assert match is not None
    # An invited account cannot sign in before it has a password.
    guest = Client()
    assert not guest.login(username="Jo.Bloggs", password="")
    first = guest.get(match.group(1))
    assert first.status_code == 302  # Django hides the token from the address bar
    form = guest.get(first["Location"])
    assert "Choose a password" in form.content.decode()
    done = guest.post(
        first["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302 and done["Location"] == "/accounts/set-password/done/"
    assert Client().login(username="Jo.Bloggs", password=NEW_PASSWORD)
    # The same link does not work a second time.
    again = Client().get(match.group(1), follow=True)
    assert "This link does not work" in again.content.decode()
    actions = list(_audit().values_list("actor", "action", "target"))
    assert actions == [
        ("user admin", "user invited", "account[Jo.Bloggs]"),
        ("user Jo.Bloggs", "password set", "account[Jo.Bloggs]"),
    ]
    assert verify().ok


def test_an_invitation_link_expires(
    users: dict[str, Any], as_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _invite(as_user("admin"), "late@nhs.net")
    match = LINK.search(mail.outbox[0].body)
    assert match is not None
    later = dt.datetime.now() + dt.timedelta(days=3, minutes=1)  # the default is 3 days
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    page = Client().get(match.group(1), follow=True).content.decode()
    assert "This link does not work" in page


@pytest.mark.parametrize(
    ("email", "username", "problem"),
    [
        ("not-an-address", "", "right format"),
        ("", "", "right format"),
        ("VIEWER@nhs.net", "", "already has this e-mail"),
        ("new@nhs.net", "lead", "username is taken"),
        ("new@nhs.net", "<script>", "letters, digits"),
    ],
)
def test_an_invitation_with_a_problem_makes_nothing(
    users: dict[str, Any], as_user: Any, email: str, username: str, problem: str
) -> None:
    users["viewer"].email = "viewer@nhs.net"
    users["viewer"].save()
    before = get_user_model().objects.count()
    response = _invite(as_user("admin"), email, username=username)
    page = response.content.decode()
    assert response.status_code == 200 and problem in page
    assert "<script>" not in page
    assert get_user_model().objects.count() == before
    assert not mail.outbox and not _audit().exists()


def test_deactivated_accounts_cannot_sign_in(users: dict[str, Any], as_user: Any) -> None:
    admin = as_user("admin")
    viewer_session = as_user("viewer")
    viewer = users["viewer"]
    assert viewer_session.get("/programmes/").status_code == 200
    admin.post(f"/people/{viewer.pk}/", {"action": "deactivate"})
    viewer.refresh_from_db()
    assert not viewer.is_active
    # The open session ends and the password no longer works.
    assert viewer_session.get("/programmes/").status_code == 302
    assert not Client().login(username="viewer", password=PASSWORD)
    assert "Deactivated" in admin.get("/people/").content.decode()
    admin.post(f"/people/{viewer.pk}/", {"action": "reactivate"})
    assert Client().login(username="viewer", password=PASSWORD)
    assert list(_audit().values_list("action", "before", "after")) == [
        ("user deactivated", True, False),
        ("user reactivated", False, True),
    ]


def test_administrators_cannot_deactivate_themselves(users: dict[str, Any], as_user: Any) -> None:
    response = as_user("admin").post(f"/people/{users['admin'].pk}/", {"action": "deactivate"})
    assert response.status_code == 403
    users["admin"].refresh_from_db()
    assert users["admin"].is_active


def test_roles_are_given_changed_and_removed(
    users: dict[str, Any], as_user: Any, programme: ProgrammeRecord
) -> None:
    admin = as_user("admin")
    outsider = users["outsider"]
    url = f"/people/{outsider.pk}/"
    for role in ("viewer", "lead", "remove"):
        response = admin.post(url, {"action": "role", "programme": programme.slug, "role": role})
        assert response.status_code == 302
        held = Membership.objects.filter(user=outsider, programme=programme)
        assert list(held.values_list("role", flat=True)) == ([] if role == "remove" else [role])
    # The outsider's rights follow: after removal, no access again.
    assert as_user("outsider").get(f"/programmes/{programme.slug}/").status_code == 403
    entries = _audit().filter(action="access changed")
    assert list(entries.values_list("programme", "target", "after")) == [
        (programme.slug, f"{programme.slug}:access[outsider]", "viewer"),
        (programme.slug, f"{programme.slug}:access[outsider]", "lead"),
        (programme.slug, f"{programme.slug}:access[outsider]", None),
    ]
    bad = admin.post(url, {"action": "role", "programme": "no-such", "role": "boss"})
    assert bad.status_code == 200
    assert "Choose a programme" in bad.content.decode() and "Choose a role" in bad.content.decode()
    assert entries.count() == 3
    assert Role.LEAD.value == "lead"


def test_administrators_send_a_password_reset(users: dict[str, Any], as_user: Any) -> None:
    viewer = users["viewer"]
    admin = as_user("admin")
    no_address = admin.post(f"/people/{viewer.pk}/", {"action": "reset-password"})
    assert "no e-mail address" in no_address.content.decode() and not mail.outbox
    viewer.email = "viewer@nhs.net"
    viewer.save()
    admin.post(f"/people/{viewer.pk}/", {"action": "reset-password"})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["viewer@nhs.net"]
    match = LINK.search(mail.outbox[0].body)
    assert match is not None
    guest = Client()
    step = guest.get(match.group(1))
    guest.post(step["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert Client().login(username="viewer", password=NEW_PASSWORD)
    assert not Client().login(username="viewer", password=PASSWORD)
    actions = list(_audit().values_list("action", flat=True))
    assert actions == ["password reset sent", "password set"]


def test_people_reset_their_own_password(users: dict[str, Any]) -> None:
    viewer = users["viewer"]
    viewer.email = "viewer@nhs.net"
    viewer.save()
    unknown = Client().post("/accounts/password-reset/", {"email": "nobody@nhs.net"})
    known = Client().post("/accounts/password-reset/", {"email": "Viewer@NHS.net"})
    # The same answer whether or not the address has an account.
    assert unknown["Location"] == known["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["viewer@nhs.net"]
    match = LINK.search(mail.outbox[0].body)
    assert match is not None
    guest = Client()
    step = guest.get(match.group(1))
    short = guest.post(step["Location"], {"new_password1": "abc", "new_password2": "abc"})
    assert short.status_code == 200 and "too short" in short.content.decode()
    guest.post(step["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert Client().login(username="viewer", password=NEW_PASSWORD)


def test_administrators_reset_a_second_factor(users: dict[str, Any], as_user: Any) -> None:
    lead = users["lead"]
    TOTPDevice.objects.create(user=lead, name="app", confirmed=True)
    StaticDevice.objects.create(user=lead, name="Backup codes")
    admin = as_user("admin")
    assert "Reset two-step sign-in" in admin.get(f"/people/{lead.pk}/").content.decode()
    admin.post(f"/people/{lead.pk}/", {"action": "reset-mfa"})
    assert not TOTPDevice.objects.filter(user=lead).exists()
    assert not StaticDevice.objects.filter(user=lead).exists()
    assert list(_audit().values_list("action", "target")) == [
        ("second factor reset", "account[lead]")
    ]


class BrokenMailServer(BaseEmailBackend):
    """A mail backend whose server is down."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("the mail server is down")


@override_settings(EMAIL_BACKEND="tests.web.test_people.BrokenMailServer")
def test_a_mail_server_failure_is_shown_not_a_crash(users: dict[str, Any], as_user: Any) -> None:
    admin = as_user("admin")
    response = _invite(admin, "sam@nhs.net")
    sam = get_user_model().objects.get(email="sam@nhs.net")
    assert response["Location"] == f"/people/{sam.pk}/"
    page = admin.get(response["Location"]).content.decode()
    assert "could not be sent (ConnectionRefusedError)" in page
    assert "Send the invitation again" in page


@override_settings(PASSWORD_RESET_LIMIT=2)
def test_reset_emails_are_limited_per_address(users: dict[str, Any]) -> None:
    users["viewer"].email = "viewer@nhs.net"
    users["viewer"].save()
    for n in range(4):
        response = Client(REMOTE_ADDR=f"10.0.0.{n}").post(
            "/accounts/password-reset/", {"email": "viewer@nhs.net"}
        )
        # The same answer every time, but only two messages reach the inbox.
        assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 2
    # From one client, five times the limit across any addresses.
    client = Client(REMOTE_ADDR="10.9.9.9")
    for n in range(12):
        client.post("/accounts/password-reset/", {"email": f"someone{n}@nhs.net"})
    users["lead"].email = "lead@nhs.net"
    users["lead"].save()
    client.post("/accounts/password-reset/", {"email": "lead@nhs.net"})
    assert len(mail.outbox) == 2
    Client(REMOTE_ADDR="10.9.9.8").post("/accounts/password-reset/", {"email": "lead@nhs.net"})
    assert len(mail.outbox) == 3


def test_administrator_and_create_rights_are_given_and_taken(
    users: dict[str, Any], as_user: Any
) -> None:
    admin = as_user("admin")
    viewer = users["viewer"]
    url = f"/people/{viewer.pk}/"
    assert as_user("viewer").get("/people/").status_code == 403
    admin.post(url, {"action": "make-admin"})
    assert as_user("viewer").get("/people/").status_code == 200
    admin.post(url, {"action": "remove-admin"})
    assert as_user("viewer").get("/people/").status_code == 403
    assert as_user("viewer").get("/programmes/new/").status_code == 403
    admin.post(url, {"action": "allow-create"})
    assert as_user("viewer").get("/programmes/new/").status_code == 200
    admin.post(url, {"action": "refuse-create"})
    assert as_user("viewer").get("/programmes/new/").status_code == 403
    # An administrator cannot remove their own right (the site would lose its last one).
    response = admin.post(f"/people/{users['admin'].pk}/", {"action": "remove-admin"})
    assert response.status_code == 403
    assert list(_audit().values_list("action", "before", "after")) == [
        ("administrator changed", False, True),
        ("administrator changed", True, False),
        ("may create programmes changed", False, True),
        ("may create programmes changed", True, False),
    ]


def test_production_warns_when_mail_would_only_be_printed() -> None:
    from caseforchange.web.accounts.apps import mail_check

    console = "django.core.mail.backends.console.EmailBackend"
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    with override_settings(PRODUCTION=True, EMAIL_BACKEND=console):
        assert [m.id for m in mail_check()] == ["caseforchange.W001"]
    with override_settings(PRODUCTION=True, EMAIL_BACKEND=smtp):
        assert mail_check() == []
    with override_settings(PRODUCTION=False, EMAIL_BACKEND=console):
        assert mail_check() == []
