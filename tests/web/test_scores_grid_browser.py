"""The scores grid in Debian's Chromium, at desktop width and on a 390 px phone.

A lead corrects a score with the keyboard (Tab along the row, arrow keys down the column),
sees an off-scale value refused on its cell, and saves; axe-core finds no WCAG A/AA problem.
Screenshots go to ``out/screenshots/`` for a person to look at.
"""

from __future__ import annotations

from typing import Any

import pytest

from caseforchange.web.programmes.models import ProgrammeRecord

from .browser import check_axe, new_context, sign_in

pytestmark = [pytest.mark.browser]


def _commissioners_value(option: str, criterion: str) -> float:
    row = ProgrammeRecord.objects.get()
    return next(
        s["value"]
        for s in row.scores
        if s.get("panel") == "commissioners"
        and s.get("member") is None
        and (s["option"], s["criterion"]) == (option, criterion)
    )


@pytest.mark.parametrize(("name", "width"), [("desktop", 1280), ("phone", 390)])
def test_scores_grid_in_a_real_browser(
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
    sign_in(page, base, "lead")
    page.goto(f"{base}/programmes/{programme.slug}/scores/")
    check_axe(page, f"scores-index-{name}")
    page.click("a:has-text('Commissioners')")
    check_axe(page, f"scores-grid-{name}")
    # Nothing but the grid's own scrolling region is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # Tab goes value -> low -> high -> rationale -> the next cell's value along the row.
    page.focus("#c0-0-value")
    for expected in ("c0-0-low", "c0-0-high", "c0-0-rationale", "c0-1-value"):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == expected
    # The down arrow moves to the same box of the next option (the progressive enhancement).
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.id") == "c1-1-value"
    page.keyboard.type("12")  # the box's text is selected, so this replaces it
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "c0-1-value"
    page.keyboard.type("3")
    with page.expect_navigation():
        page.click("button:has-text('Save scores')")
    # The answer is a new page: wait for it rather than read the old one.
    page.locator("#c1-1-value-error").wait_for(state="visible", timeout=15_000)
    assert "outside the scale 0..10" in page.inner_text("#c1-1-value-error")
    check_axe(page, f"scores-grid-error-{name}")
    # Nothing was saved: the second option's stored score is still the example's.
    assert _commissioners_value("proposed-split", "service-integration") != 3

    page.fill("#c1-1-value", "6")
    page.click("button:has-text('Save scores')")
    page.wait_for_selector("text=figures changed")
    assert _commissioners_value("proposed-split", "service-integration") == 3
    assert _commissioners_value("all-community-partnership", "service-integration") == 6
    check_axe(page, f"scores-grid-saved-{name}")
    # The NHS.UK fonts are off-site and refused by the CSP by design; anything else is a fault.
    assert not [m for m in console if "Loading the font" not in m], console
    context.close()


def test_sign_off_and_what_changed_in_a_real_browser(
    browser: Any,
    live_server: Any,
    flushable_audit: None,
    users: dict[str, Any],
    programme: ProgrammeRecord,
) -> None:
    base = live_server.url
    slug = programme.slug
    context = new_context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, base, "lead")
    page.goto(f"{base}/programmes/{slug}/appraisal/")
    page.click("button:has-text('Run')")
    page.goto(f"{base}/programmes/{slug}/versions/")
    check_axe(page, "versions")
    page.click("a:has-text('Sign off revision 1')")
    check_axe(page, "signoff-new")
    page.fill("#f-note", "Board meeting, paper 7 (illustrative)")
    page.click("button:has-text('Sign off revision 1')")
    page.wait_for_url(f"{base}/programmes/{slug}/signoff/1/")
    check_axe(page, "signoff")
    page.goto(f"{base}/programmes/{slug}/scores/commissioners/")
    page.fill("#c0-0-value", "2")
    page.click("button:has-text('Save scores')")
    page.wait_for_selector("text=figures changed")
    page.goto(f"{base}/programmes/{slug}/signoff/1/changes/")
    assert "scores[proposed-split/quality-efficiencies/commissioners/-].value" in page.inner_text(
        "#changed-figures"
    )
    check_axe(page, "signoff-changes")
    page.goto(f"{base}/programmes/{slug}/duplicate/")
    check_axe(page, "duplicate")
    page.goto(f"{base}/programmes/{slug}/archive/")
    check_axe(page, "archive")
    context.close()
