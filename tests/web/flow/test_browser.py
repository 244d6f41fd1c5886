"""The flow pages in Debian's Chromium, on a desktop and at 390 px: axe-core finds no WCAG A/AA
problem, nothing scrolls sideways on a phone, and screenshots are saved to look at."""

from __future__ import annotations

from typing import Any

import pytest

from caseforchange.web.flow.models import FlowRecord
from caseforchange.web.programmes.models import ProgrammeRecord

from ..browser import DESKTOP, PHONE, check_axe, fits, new_context, sign_in

pytestmark = [pytest.mark.browser]

SCREENS = {"desktop": DESKTOP, "390": PHONE}


@pytest.mark.browser
@pytest.mark.parametrize("screen", list(SCREENS))
def test_flow_pages_in_a_real_browser(
    browser: Any,
    live_server: Any,
    flushable_audit: None,
    plymouth_flow: ProgrammeRecord,
    small_flow: ProgrammeRecord,
    screen: str,
) -> None:
    base = live_server.url
    width = SCREENS[screen]["viewport"]["width"]  # type: ignore[index]
    page = new_context(browser, **SCREENS[screen]).new_page()
    sign_in(page, base, "lead")

    page.goto(f"{base}/programmes/{plymouth_flow.slug}/flow/")
    assert page.locator("#teams-base-table").is_visible()
    fits(page, width)
    check_axe(page, f"flow-model-{screen}")

    # A bad edit: the error summary links to the field, and nothing is saved.
    page.goto(f"{base}/programmes/{plymouth_flow.slug}/flow/teams/base/nursing-north/")
    page.fill("#f-staff", "lots")
    page.click("button:has-text('Save')")
    page.wait_for_selector(".nhsuk-error-summary")
    assert "is not a whole number" in page.inner_text(".nhsuk-error-summary")
    fits(page, width)
    check_axe(page, f"flow-team-edit-error-{screen}")
    assert FlowRecord.objects.get(programme=plymouth_flow).revision == 1

    # A run of the small model, then its results with charts and data tables.
    page.goto(f"{base}/programmes/{small_flow.slug}/flow/")
    page.click("button:has-text('Run the model')")
    page.wait_for_selector("#results-table")
    assert page.locator("figure img.cfc-chart").count() == 3
    fits(page, width)
    check_axe(page, f"flow-results-{screen}")
