"""Editing the decision file's lists (risks, market reviews, staff consultation, turnovers).

As in ``test_editing``: a good edit changes the stored document and is audited; a bad one
shows the message next to the field and changes nothing; a viewer's POST is refused. The
forms are plain HTML forms, so they work without JavaScript.
"""

from __future__ import annotations

from typing import Any

import pytest

from caseforchange.web.audit.models import AuditEntry
from caseforchange.web.decision_file.views import build
from caseforchange.web.programmes.models import ProgrammeRecord

from .test_decision import plymouth  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def _no_worker(settings: Any) -> None:
    """Leave the decision page's appraisal queued: these tests are about the parts, not it."""
    settings.JOBS_MODE = "database"


RISK = {
    "id": "r-estates",
    "title": "Community estate is not ready for locality teams",
    "category": "delivery",
    "likelihood": "3",
    "impact": "4",
    "owner": "Director of Estates",
    "option": "",
    "mitigation": "Survey the estate before April 2011",
    "residual_likelihood": "2",
    "residual_impact": "3",
    "description": "",
}


def _stored(row: ProgrammeRecord) -> ProgrammeRecord:
    return ProgrammeRecord.objects.get(pk=row.pk)


def test_add_change_and_remove_a_risk(as_user: Any, plymouth: ProgrammeRecord) -> None:  # noqa: F811
    lead = as_user("lead")
    base = f"/programmes/{plymouth.slug}/records/risk-register/"
    listing = lead.get(base).content.decode()
    assert "r-ibp-assurance" in listing and "Add risk" in listing
    before = len(plymouth.document["risks"]["risks"])
    assert lead.post(base + "new/", {**RISK, "revision": plymouth.revision}).status_code == 302
    saved = _stored(plymouth)
    risks = saved.document["risks"]["risks"]
    assert len(risks) == before + 1
    added = next(r for r in risks if r["id"] == "r-estates")
    assert (added["likelihood"], added["impact"], added["owner"]) == (3, 4, "Director of Estates")
    assert AuditEntry.objects.filter(action="risk added").exists()
    # The decision file page shows it, scored 3 x 4 = 12.
    page = lead.get(f"/programmes/{plymouth.slug}/decision/").content.decode()
    assert "Community estate is not ready for locality teams" in page and "12 (3×4)" in page
    changed = {**RISK, "impact": "5", "revision": saved.revision}
    assert lead.post(base + "r-estates/", changed).status_code == 302
    saved = _stored(plymouth)
    assert (
        next(r for r in saved.document["risks"]["risks"] if r["id"] == "r-estates")["impact"] == 5
    )
    assert lead.post(base + "r-estates/remove/").status_code == 302
    assert len(_stored(plymouth).document["risks"]["risks"]) == before


def test_a_bad_risk_is_refused_on_its_field(as_user: Any, plymouth: ProgrammeRecord) -> None:  # noqa: F811
    lead = as_user("lead")
    url = f"/programmes/{plymouth.slug}/records/risk-register/new/"
    page = lead.post(url, {**RISK, "likelihood": "7", "revision": plymouth.revision})
    text = page.content.decode()
    assert page.status_code == 200
    assert "There is a problem" in text and 'href="#f-likelihood"' in text
    unknown = lead.post(url, {**RISK, "option": "nowhere", "revision": plymouth.revision})
    assert 'href="#f-option"' in unknown.content.decode()
    now = _stored(plymouth)
    assert now.revision == plymouth.revision and now.document == plymouth.document


def test_market_review_keyed_by_service(as_user: Any, plymouth: ProgrammeRecord) -> None:  # noqa: F811
    lead = as_user("lead")
    base = f"/programmes/{plymouth.slug}/records/market-reviews/"
    listing = lead.get(base).content.decode()
    assert "citywide-services" in listing
    form = {
        "service": "citywide-services",
        "contestability": "high",
        "route": "competitive_tender",
        "potential_providers": "Community interest companies\nNew market entrants",
        "rationale": "Scale needed for critical mass; several providers could run it.",
        "revision": plymouth.revision,
    }
    assert lead.post(base + "citywide-services/", form).status_code == 302
    reviews = _stored(plymouth).document["market"]["reviews"]
    review = next(r for r in reviews if r["service"] == "citywide-services")
    assert review["route"] == "competitive_tender"
    assert review["potential_providers"] == ["Community interest companies", "New market entrants"]


def test_a_part_is_created_when_its_first_record_is_added(
    as_user: Any, programme: ProgrammeRecord
) -> None:
    lead = as_user("lead")
    document = dict(programme.document)
    document.pop("risks", None)
    ProgrammeRecord.objects.filter(pk=programme.pk).update(document=document)
    row = ProgrammeRecord.objects.get(pk=programme.pk)
    url = f"/programmes/{row.slug}/records/risk-register/new/"
    assert lead.post(url, {**RISK, "revision": row.revision}).status_code == 302
    assert [r["id"] for r in _stored(row).document["risks"]["risks"]] == ["r-estates"]


def test_viewers_see_but_cannot_change(as_user: Any, plymouth: ProgrammeRecord) -> None:  # noqa: F811
    viewer = as_user("viewer")
    base = f"/programmes/{plymouth.slug}/records/risk-register/"
    listing = viewer.get(base).content.decode()
    assert "r-ibp-assurance" in listing and "Add risk" not in listing
    assert viewer.get(base + "new/").status_code == 403
    assert viewer.post(base + "new/", RISK).status_code == 403
    assert _stored(plymouth).document == plymouth.document


def _pv(amounts: list[float], rate: float = 0.035) -> float:
    """Present value worked out here: year 0 undiscounted, year t divided by (1 + r)^t."""
    return sum(a / (1 + rate) ** t for t, a in enumerate(amounts))


def test_cost_assumptions_drive_the_tornado(as_user: Any, plymouth: ProgrammeRecord) -> None:  # noqa: F811
    lead = as_user("lead")
    base = f"/programmes/{plymouth.slug}/records/cost-assumptions/"
    listing = lead.get(base).content.decode()
    assert "Pay and prices" in listing and "Add cost assumption" in listing
    decision = lead.get(f"/programmes/{plymouth.slug}/decision/").content.decode()
    assert f'href="{base}"' in decision
    form = {
        "id": "pay",
        "name": "Pay and prices",
        "low": "0.9",
        "high": "1.1",
        "note": "Wider range after the pay review",
        "revision": plymouth.revision,
    }
    assert lead.post(base + "pay/", form).status_code == 302
    saved = _stored(plymouth)
    pay = next(a for a in saved.document["finance"]["assumptions"] if a["id"] == "pay")
    assert (pay["low"], pay["high"], pay["note"]) == (0.9, 1.1, "Wider range after the pay review")
    entry = AuditEntry.objects.filter(action="cost assumption edited").first()
    assert entry is not None
    # In-house has one pay line and one transition line: pay at x0.9 / x1.1 moves its net
    # present cost by a tenth of that line's present value either way.
    running = _pv([62_000_000, 61_900_000, 61_700_000, 61_500_000, 61_300_000])
    npc = running + 200_000
    d, _ = build(saved)
    now, bars = d.tornados["in-house"]
    bar = next(b for b in bars if b.assumption == "pay")
    assert now == pytest.approx(npc, abs=0.01)
    assert bar.npc_low == pytest.approx(npc - 0.1 * running, abs=0.01)
    assert bar.npc_high == pytest.approx(npc + 0.1 * running, abs=0.01)
    # A new assumption is added and audited.
    new = {**form, "id": "drugs", "name": "Drug prices", "low": "1", "high": "1.2", "note": ""}
    assert lead.post(base + "new/", {**new, "revision": saved.revision}).status_code == 302
    assert AuditEntry.objects.filter(action="cost assumption added").exists()
    assert "drugs" in [a["id"] for a in _stored(plymouth).document["finance"]["assumptions"]]


def test_a_bad_cost_assumption_is_refused_on_its_field(
    as_user: Any,
    plymouth: ProgrammeRecord,  # noqa: F811
) -> None:
    lead = as_user("lead")
    base = f"/programmes/{plymouth.slug}/records/cost-assumptions/"
    form = {"id": "pay", "name": "Pay and prices", "low": "1.04", "high": "0.98", "note": ""}
    page = lead.post(base + "pay/", {**form, "revision": plymouth.revision})
    text = page.content.decode()
    assert page.status_code == 200
    assert 'href="#f-high"' in text and "high (0.98) is below low (1.04)" in text
    negative = lead.post(base + "pay/", {**form, "low": "-1", "revision": plymouth.revision})
    assert 'href="#f-low"' in negative.content.decode()
    words = lead.post(base + "pay/", {**form, "high": "a lot", "revision": plymouth.revision})
    assert 'href="#f-high"' in words.content.decode()
    # An assumption the finance lines name cannot be removed from under them.
    refused = lead.post(base + "pay/remove/")
    assert refused.status_code == 200 and "assumption" in refused.content.decode()
    now = _stored(plymouth)
    assert now.revision == plymouth.revision and now.document == plymouth.document


def test_referral_routes_are_editable_and_feed_the_vertical_check(
    as_user: Any,
    plymouth: ProgrammeRecord,  # noqa: F811
) -> None:
    lead = as_user("lead")
    base = f"/programmes/{plymouth.slug}/records/referrals/"
    assert "locality-teams" in lead.get(base).content.decode()
    decision = lead.get(f"/programmes/{plymouth.slug}/decision/").content.decode()
    assert f'href="{base}"' in decision
    # Children's services also refer to the acute trust: vertical integration puts them under it.
    form = {"service": "children-families", "refers_to": ["acute-partner"]}
    assert lead.post(base + "new/", {**form, "revision": plymouth.revision}).status_code == 302
    saved = _stored(plymouth)
    routes = saved.document["competition"]["referrals"]
    assert {"service": "children-families", "refers_to": ["acute-partner"]} in routes
    assert AuditEntry.objects.filter(action="referral route added").exists()
    d, _ = build(saved)
    [flag] = [v for v in d.vertical if v.option == "vertical-integration"]
    assert "children-families" in flag.services
    # No destination chosen, or an unknown organisation: refused on the field, nothing saved.
    empty = lead.post(base + "new/", {"service": "learning-disability", "revision": saved.revision})
    assert 'href="#f-refers-to"' in empty.content.decode()
    unknown = {"service": "learning-disability", "refers_to": ["nowhere"]}
    page = lead.post(base + "new/", {**unknown, "revision": saved.revision})
    assert 'href="#f-refers-to"' in page.content.decode()
    assert _stored(plymouth).revision == saved.revision
