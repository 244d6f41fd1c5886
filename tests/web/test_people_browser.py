"""People and two-step sign-in in Debian's Chromium, at desktop width and on a 390 px phone.

An administrator invites someone and gives them a role; a lead sets up an authenticator app
with a code computed here (RFC 6238) and is then asked for a code at the next sign-in.
axe-core finds no WCAG A/AA problem; screenshots go to ``out/screenshots/``.
"""

from __future__ import annotations

import base64
import time
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from caseforchange.web.accounts.models import Membership
from caseforchange.web.programmes.models import ProgrammeRecord

from .browser import check_axe, new_context, sign_in
from .conftest import PASSWORD
from .test_mfa import totp
from .test_sso import Provider, provider

__all__ = ["provider"]

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize(("name", "width"), [("desktop", 1280), ("phone", 390)])
def test_people_and_two_step_sign_in_in_a_real_browser(
    browser: Any,
    live_server: Any,
    flushable_audit: None,
    users: dict[str, Any],
    programme: ProgrammeRecord,
    name: str,
    width: int,
) -> None:
    base = live_server.url
    context = new_context(browser, viewport={"width": width, "height": 900})
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)

    sign_in(page, base, "admin")
    page.goto(f"{base}/people/invite/")
    page.fill("#f-email", "sam.jones@nhs.net")
    page.fill("#f-first-name", "Sam")
    page.fill("#f-last-name", "Jones")
    page.click("button:has-text('Send the invitation')")
    page.wait_for_selector("text=Invitation sent to sam.jones@nhs.net")
    assert len(mail.outbox) == 1
    page.select_option("#f-programme", programme.slug)
    page.select_option("#f-role", "facilitator")
    page.click("button:has-text('Save the role')")
    page.wait_for_selector("text=is now Facilitator")
    sam = get_user_model().objects.get(email="sam.jones@nhs.net")
    assert Membership.objects.get(user=sam).role == "facilitator"
    check_axe(page, f"people-detail-{name}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.goto(f"{base}/people/")
    check_axe(page, f"people-list-{name}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()

    context = new_context(browser, viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, base, "lead")
    page.goto(f"{base}/accounts/second-factor/")
    check_axe(page, f"mfa-enrol-{name}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    secret = page.inner_text("#secret").replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("#f-code", totp(key, time.time()))
    page.click("button:has-text('Turn on two-step sign-in')")
    page.wait_for_selector("#backup-codes")
    check_axe(page, f"mfa-enrolled-{name}")
    context.close()

    # The next sign-in asks for the code before the programmes open.
    context = new_context(browser, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#f-username", "lead")
    page.fill("#f-password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{base}/accounts/second-factor/code/*")
    check_axe(page, f"mfa-verify-{name}")
    page.fill("#f-code", totp(key, time.time() + 30))  # the next step: this one is spent
    page.click("button:has-text('Continue')")
    page.wait_for_url(f"{base}/programmes/")
    context.close()
    # The NHS.UK webfont is refused by the CSP on purpose (docs/web.md, "Security notes").
    assert not [m for m in console if "Loading the font" not in m], console


@pytest.mark.parametrize(("name", "width"), [("desktop", 1280), ("phone", 390)])
def test_single_sign_on_in_a_real_browser(
    browser: Any,
    live_server: Any,
    flushable_audit: None,
    users: dict[str, Any],
    provider: Provider,
    name: str,
    width: int,
) -> None:
    users["viewer"].email = "viewer@nhs.net"
    users["viewer"].save()
    base = live_server.url
    context = new_context(browser, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    check_axe(page, f"login-sso-{name}")
    # Chromium follows the redirects to the local provider and back to the callback.
    page.click("a:has-text('Sign in with your organisation account')")
    page.wait_for_url(f"{base}/programmes/")
    assert "Sign out viewer" in page.content()
    context.close()

    provider.email = "stranger@nhs.net"
    context = new_context(browser, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.click("a:has-text('Sign in with your organisation account')")
    page.wait_for_url(f"{base}/accounts/login/?sso=refused")
    check_axe(page, f"login-sso-refused-{name}")
    context.close()
