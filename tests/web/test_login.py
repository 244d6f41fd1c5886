"""Sign-in: wrong passwords throttled per username and per address, audited, and no hint of
which usernames exist."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client, override_settings

from caseforchange.web.audit.chain import verify
from caseforchange.web.audit.models import AuditEntry
from tests.web.conftest import PASSWORD


def _try(client: Client, username: str, password: str = "wrong-password") -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


@override_settings(LOGIN_ATTEMPTS_LIMIT=3)
def test_wrong_passwords_are_throttled_per_username(users: dict[str, Any]) -> None:
    for _ in range(3):
        assert _try(Client(REMOTE_ADDR="10.0.0.1"), "viewer").status_code == 200
    # From another address, the right password waits too: the account is being guessed.
    response = _try(Client(REMOTE_ADDR="10.0.0.2"), "viewer", PASSWORD)
    assert response.status_code == 429 and "Too many attempts" in response.content.decode()
    # Another account is untouched.
    assert _try(Client(REMOTE_ADDR="10.0.0.2"), "lead", PASSWORD).status_code == 302
    actions = list(AuditEntry.objects.values_list("action", "target"))
    assert actions.count(("sign-in failed", "account[viewer]")) == 3
    assert ("sign-in throttled", "account[viewer]") in actions
    assert verify().ok


@override_settings(LOGIN_ATTEMPTS_LIMIT=2)
def test_wrong_passwords_are_throttled_per_address(users: dict[str, Any]) -> None:
    client = Client(REMOTE_ADDR="10.0.0.9")
    for n in range(10):  # an address gets five times the per-username limit
        assert _try(client, f"guess{n}").status_code == 200
    assert _try(client, "lead", PASSWORD).status_code == 429
    assert _try(Client(REMOTE_ADDR="10.0.0.8"), "lead", PASSWORD).status_code == 302


def test_the_form_does_not_reveal_which_usernames_exist(users: dict[str, Any]) -> None:
    real = _try(Client(), "viewer").content.decode()
    made_up = _try(Client(), "nobody-at-all").content.decode()
    strip = lambda page: page.replace("viewer", "X").replace("nobody-at-all", "X")  # noqa: E731
    assert "Enter a correct username and password" in real
    # Apart from the echoed username and the per-request tokens, the pages are the same.
    tokens = re.compile(r'(value|nonce)="[^"]*"')
    assert tokens.sub("", strip(real)) == tokens.sub("", strip(made_up))
    # The audit never records a username that does not exist.
    targets = set(
        AuditEntry.objects.filter(action="sign-in failed").values_list("target", flat=True)
    )
    assert targets == {"account[viewer]", "account[unknown]"}


def test_a_sign_in_is_audited_once_and_a_failure_is_not_a_sign_in(users: dict[str, Any]) -> None:
    assert _try(Client(), "lead").status_code == 200
    assert _try(Client(), "lead", PASSWORD).status_code == 302
    actions = list(AuditEntry.objects.values_list("actor", "action", "target"))
    assert actions.count(("user lead", "signed in", "account[lead]")) == 1
    assert [a for a in actions if a[1] == "signed in"] == [
        ("user lead", "signed in", "account[lead]")
    ]
    assert ("anonymous", "sign-in failed", "account[lead]") in actions
    assert verify().ok
