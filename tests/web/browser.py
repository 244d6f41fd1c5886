"""What every real-browser test shares: Debian's Chromium, axe-core, screens and signing in.

The ``browser`` fixture (``tests/web/conftest.py``) launches Chromium once per test module
through :func:`chromium`; tests open contexts with :func:`new_context`, check each page with
:func:`check_axe` (WCAG 2.2 A/AA, a screenshot to ``out/screenshots/``) and :func:`fits`.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from .conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "out" / "screenshots"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: The screens the tests use: a desktop and a 390 px phone.
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 900}}
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
}

# Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
# between browser steps are ordinary blocking calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def missing() -> str | None:
    """Return why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"Debian chromium is not installed at {CHROMIUM}"
    if not AXE.exists():
        return "node_modules/axe-core is missing: run npm ci"
    return None


@contextmanager
def chromium() -> Iterator[Any]:
    """Yield a headless Debian Chromium, skipping the test when it cannot be launched here."""
    why = missing()
    if why is not None:
        pytest.skip(why)
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


def check_axe(page: Any, name: str) -> None:
    """Run axe-core on the page, save a screenshot, and fail on any WCAG A/AA violation."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    # Evaluated through the DevTools protocol, so the page's strict CSP stays on.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    problems = [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert not problems, f"{name}: {json.dumps(problems, indent=1)}"


def new_context(browser: Any, **options: Any) -> Any:
    """A browser context that can reach only the loopback server under test."""
    context = browser.new_context(**options)
    context.route(
        re.compile(r"^(?!https?://(localhost|127\.0\.0\.1)[:/]).*"), lambda route: route.abort()
    )
    return context


def sign_in(page: Any, base: str, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form and wait for the programme list."""
    page.goto(f"{base}/accounts/login/")
    page.fill("#f-username", username)
    page.fill("#f-password", password)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{base}/programmes/")


def fits(page: Any, width: int) -> None:
    """Fail when the page scrolls sideways at ``width`` pixels."""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll} px wide"
