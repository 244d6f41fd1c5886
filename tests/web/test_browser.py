"""End to end in Debian's Chromium: a facilitator runs a session, three phones score, reveal.

Also runs axe-core on every page type (WCAG 2.2 A/AA) and saves screenshots to
``out/screenshots/`` for a person to look at.
"""

from __future__ import annotations

from typing import Any

import pytest

from caseforchange.appraisal.panels import aggregate
from caseforchange.appraisal.run import appraise
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.models import ProgrammeRecord
from caseforchange.web.workshops.models import SessionScore, WorkshopSession

from .browser import DESKTOP, PHONE, check_axe, new_context, sign_in

pytestmark = [pytest.mark.browser]


@pytest.mark.browser
def test_workshop_in_a_real_browser(
    browser: Any,
    live_server: Any,
    flushable_audit: None,
    users: dict[str, Any],
    programme: ProgrammeRecord,
) -> None:
    base = live_server.url
    slug = programme.slug
    desk = new_context(browser, **DESKTOP)
    facilitator = desk.new_page()
    errors: list[str] = []
    facilitator.on(
        "console",
        lambda m: (
            errors.append(facilitator.url + " " + str(m.location) + " " + m.text[:80])
            if m.type == "error"
            else None
        ),
    )

    facilitator.goto(f"{base}/accounts/login/")
    check_axe(facilitator, "login")
    sign_in(facilitator, base, "lead")
    check_axe(facilitator, "programme-list")
    facilitator.goto(f"{base}/programmes/{slug}/sessions/")
    facilitator.fill("#f-title", "Options workshop")
    facilitator.select_option("#f-panel", "workshop")
    facilitator.check("#f-names")  # a named session
    facilitator.click("button:has-text('Open session')")
    facilitator.wait_for_selector("#join-code")
    code = facilitator.inner_text("#join-code").strip()
    session = WorkshopSession.objects.get()
    assert code.replace("-", "") == session.code
    check_axe(facilitator, "facilitator-dashboard")

    # Three participants on their own devices, one a phone-sized screen.
    given = {"Asha": 3, "": 6, "Ben": 8}
    phones = []
    for index, (name, value) in enumerate(given.items()):
        options = PHONE if index == 0 else {"viewport": {"width": 1024, "height": 800}}
        context = new_context(browser, **options)
        page = context.new_page()
        page.goto(f"{base}/join/")
        if index == 0:
            page.fill("#f-code", "WRONG123")
            page.click("button:has-text('Continue')")
            check_axe(page, "join-error")
            check_axe(page, "join-phone")
        page.fill("#f-code", code.lower())
        page.click("button:has-text('Continue')")
        page.wait_for_url(f"{base}/join/you/")
        if index == 0:
            check_axe(page, "join-details-phone")
        if name:
            page.fill("#f-display-name", name)
        page.locator("input[name='group']").nth(index % 2).check()
        page.click("button:has-text('Start scoring')")
        page.wait_for_url(f"{base}/w/")
        if index == 0:
            check_axe(page, "participant-home-phone")
        for option_number, option in enumerate(session.options):
            page.goto(f"{base}/w/score/{option['id']}/")
            for criterion in session.criteria:
                page.check(f"input[name='score-{criterion['id']}'][value='{value}']")
            page.fill(
                f"#f-rationale-{session.criteria[0]['id']}", f"Reason from {name or 'someone'}"
            )
            if index == 0 and option_number == 0:
                check_axe(page, "score-phone")
            page.locator("form button").first.click()
            page.wait_for_load_state()
        page.goto(f"{base}/w/")
        page.click("button:has-text('Submit my scores')")
        page.wait_for_selector("text=You submitted your scores")
        phones.append(page)

    # Live progress arrives by HTMX polling, announced in an aria-live region.
    facilitator.wait_for_selector(
        "#progress-status:has-text('3 submitted of 3 joined')", timeout=15_000
    )
    assert facilitator.get_attribute("#progress-status", "aria-live") == "polite"
    assert "Reason from" not in facilitator.content()  # no scores before the reveal

    scribe = phones[1]
    scribe.goto(f"{base}/w/outputs/")
    scribe.fill("#f-table", "2")
    scribe.check("input[name='kind'][value='issue']")
    scribe.fill("#f-text", "Parents worry about travel to the new hub")
    scribe.click("button:has-text('Save point')")
    check_axe(scribe, "scribe-outputs")

    facilitator.goto(f"{base}/sessions/{session.pk}/")
    facilitator.click("button:has-text('Close and reveal all results')")
    facilitator.wait_for_selector("#divisive, table[data-option]")
    check_axe(facilitator, "reveal")

    # The revealed figures are the engine's aggregate of what the phones entered.
    method = repository.to_programme(programme).appraisal.aggregation
    expected = aggregate(list(given.values()), method)
    cells = facilitator.locator("td[data-value]")
    assert cells.count() == len(session.options) * len(session.criteria)
    for i in range(cells.count()):
        assert float(cells.nth(i).get_attribute("data-value")) == pytest.approx(expected)
    assert SessionScore.objects.count() == 3 * len(session.options) * len(session.criteria)

    # Closed: a phone can no longer change its answers; the room's results show on phones.
    phones[0].goto(f"{base}/w/")
    assert phones[0].locator("text=closed this session").count() == 1
    phones[0].goto(f"{base}/w/results/")
    check_axe(phones[0], "results-phone")

    # Feed the appraisal: the lead adds the scores; the appraisal page, built from the new
    # revision (in the background, or at once in tests), shows the engine's ranking.
    facilitator.goto(f"{base}/sessions/{session.pk}/")
    facilitator.click("button:has-text('Add scores to the programme')")
    facilitator.goto(f"{base}/programmes/{slug}/appraisal/")
    facilitator.wait_for_selector("#ranking", timeout=90_000)
    check_axe(facilitator, "appraisal")
    heads = facilitator.locator("#ranking tbody th")
    shown = [heads.nth(i).get_attribute("data-option") for i in range(heads.count())]
    engine = appraise(repository.to_programme(ProgrammeRecord.objects.get()))
    assert shown == engine.ranking

    for name, path in [
        ("programme-detail", f"/programmes/{slug}/"),
        ("criteria", f"/programmes/{slug}/criteria/"),
        ("options", f"/programmes/{slug}/records/options/"),
        ("option-edit", f"/programmes/{slug}/records/options/{session.options[0]['id']}/"),
        ("option-remove", f"/programmes/{slug}/records/options/{session.options[0]['id']}/remove/"),
        ("activities", f"/programmes/{slug}/engagement/"),
        ("criterion-edit", f"/programmes/{slug}/criteria/{session.criteria[0]['id']}/edit/"),
        ("scales", f"/programmes/{slug}/criteria/scales/"),
        (
            "option-configuration",
            f"/programmes/{slug}/records/options/{session.options[0]['id']}/configuration/",
        ),
        ("panel-members", f"/programmes/{slug}/records/panels/workshop/members/"),
        ("appraisal-settings", f"/programmes/{slug}/appraisal/settings/"),
        ("programme-details-form", f"/programmes/{slug}/details/"),
        ("ahp-groups", f"/programmes/{slug}/criteria/weighting/ahp/"),
        ("ahp", f"/programmes/{slug}/criteria/weighting/ahp/root/"),
        ("decision-file", f"/programmes/{slug}/decision/"),
        ("history", f"/programmes/{slug}/history/"),
        ("access", f"/programmes/{slug}/access/"),
        ("sessions", f"/programmes/{slug}/sessions/"),
        ("session-outputs", f"/sessions/{session.pk}/outputs/"),
        ("new-programme", "/programmes/new/"),
        ("import", "/programmes/import/"),
    ]:
        facilitator.goto(base + path)
        check_axe(facilitator, name)
    # A form with located errors (NHS.UK error summary).
    facilitator.goto(f"{base}/programmes/{slug}/records/options/{session.options[0]['id']}/")
    facilitator.fill("#f-name", "")
    facilitator.click("button:has-text('Save option')")
    facilitator.wait_for_selector(".nhsuk-error-summary")
    check_axe(facilitator, "option-edit-error")
    # The only CSP refusals are the NHS.UK webfont from assets.nhs.uk: the app makes no
    # third-party requests, so pages fall back to Arial as the NHS.UK frontend intends.
    refused = [e for e in errors if "Content Security Policy" in e and "font" not in e]
    assert not refused, refused
