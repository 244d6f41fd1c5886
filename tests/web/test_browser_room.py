"""The room's controls in Debian's Chromium at 390 px: the facilitator's phone-sized screen and a
participant's phone; no sideways scrolling, chart text at least 12 px, screenshots to look at."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest

from caseforchange.web.programmes.models import ProgrammeRecord
from caseforchange.web.workshops.codes import link_token
from caseforchange.web.workshops.models import Participant, WorkshopSession

from .browser import PHONE, check_axe, fits, new_context, sign_in

pytestmark = [pytest.mark.browser]


def smallest_chart_text(page: Any) -> float:
    """Return the smallest text in the page's chart, in CSS pixels as shown."""
    src = page.evaluate("document.querySelector('#room-chart img').currentSrc")
    shown = page.evaluate("document.querySelector('#room-chart img').clientWidth")
    svg = base64.b64decode(src.split(",", 1)[1]).decode()
    view_width = float(re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+)', svg).group(1))
    sizes = [float(s) for s in re.findall(r"font:? [^;\"]*?([\d.]+)px", svg)]
    sizes += [float(s) for s in re.findall(r"font-size:\s*([\d.]+)px", svg)]
    assert sizes, "the chart has no text"
    return min(sizes) * shown / view_width


@pytest.mark.browser
def test_room_controls_at_390_px(
    browser: Any,
    live_server: Any,
    flushable_audit: None,
    users: dict[str, Any],
    programme: ProgrammeRecord,
) -> None:
    base = live_server.url
    desk = new_context(browser, **PHONE).new_page()
    sign_in(desk, base, "lead")
    desk.goto(f"{base}/programmes/{programme.slug}/sessions/")
    desk.fill("#f-title", "Room on a phone")
    desk.select_option("#f-panel", "workshop")
    desk.check("#f-names")  # named
    desk.fill("#f-cap", "5")
    desk.click("button:has-text('Open session')")
    desk.wait_for_selector("#join-code")
    session = WorkshopSession.objects.get()
    assert session.participant_cap == 5 and not session.anonymous
    fits(desk, 390)
    check_axe(desk, "room-dashboard-390")

    # One phone joins by the QR code's link, another by typing the code.
    first = new_context(browser, **PHONE).new_page()
    first.goto(f"{base}/join/?code={session.code}&t={link_token(session.pk, session.code)}")
    first.wait_for_url(f"{base}/join/you/")
    assert "panel members page" in first.inner_text("#privacy")
    fits(first, 390)
    check_axe(first, "room-join-details-390")
    first.fill("#f-display-name", "Asha")
    first.locator("input[name='group']").first.check()
    first.click("button:has-text('Start scoring')")
    option = session.options[0]
    criteria = session.criteria
    first.goto(f"{base}/w/score/{option['id']}/")
    for criterion in criteria:
        first.check(f"input[name='score-{criterion['id']}'][value='4']")
    first.click("button:has-text('Save and')")
    first.goto(f"{base}/w/score/{option['id']}/")
    first.click(f"button[name='withdraw'][value='{criteria[0]['id']}']")
    first.wait_for_selector("text=is withdrawn")
    fits(first, 390)
    check_axe(first, "room-withdrawn-390")
    first.goto(f"{base}/w/")
    first.click("button:has-text('Submit my scores')")

    second = new_context(browser, **PHONE).new_page()
    second.goto(f"{base}/join/")
    second.fill("#f-code", session.code)
    second.click("button:has-text('Continue')")
    second.fill("#f-display-name", "Asha again")
    second.locator("input[name='group']").first.check()
    second.click("button:has-text('Start scoring')")
    second.goto(f"{base}/w/score/{session.options[1]['id']}/")
    for criterion in criteria:
        second.check(f"input[name='score-{criterion['id']}'][value='8']")
    second.click("button:has-text('Save and')")

    # The "not yet submitted" list stays open across polls and refreshes.
    desk.goto(f"{base}/sessions/{session.pk}/")
    desk.click("#people-toggle")
    desk.wait_for_selector("#not-submitted")
    desk.wait_for_timeout(3500)  # one HTMX poll
    assert "Asha again" in desk.inner_text("#not-submitted")
    assert "1 submitted of 2 joined" in desk.inner_text("#progress-status")
    desk.reload()
    assert desk.locator("#not-submitted").count() == 1
    fits(desk, 390)
    check_axe(desk, "room-not-submitted-390")

    # Merge the one who joined twice.
    desk.goto(f"{base}/sessions/{session.pk}/participants/")
    fits(desk, 390)
    check_axe(desk, "room-participants-390")
    desk.select_option("#f-source", "2")
    desk.select_option("#f-into", "1")
    desk.click("button:has-text('Merge')")
    desk.wait_for_selector("text=merged into participant 1")
    assert Participant.objects.count() == 1

    # Close, reveal one option, look at it on the phone, then hide everything again.
    desk.goto(f"{base}/sessions/{session.pk}/")
    desk.click("button:has-text('Close session')")
    desk.click("a:has-text('reveal them one option at a time')")
    desk.click(f"form[data-option='{option['id']}'] button")
    desk.wait_for_selector(f"form[data-option='{option['id']}'] .nhsuk-tag--green")
    fits(desk, 390)
    check_axe(desk, "room-results-facilitator-390")
    first.goto(f"{base}/w/results/")
    fits(first, 390)
    assert first.locator("table[data-option]").count() == 1
    assert smallest_chart_text(first) >= 12
    check_axe(first, "room-results-phone-390")
    desk.goto(f"{base}/sessions/{session.pk}/")
    desk.click("button:has-text('Hide results again')")
    desk.wait_for_selector("text=Results hidden")
    response = first.goto(f"{base}/w/results/")
    assert response is not None and response.status == 403

    # The criteria page fits a phone too.
    desk.goto(f"{base}/programmes/{programme.slug}/criteria/")
    fits(desk, 390)
    check_axe(desk, "criteria-390")
