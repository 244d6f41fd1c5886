"""Editing what used to need a file import: the programme's details, AHP pairwise comparisons,
and value functions of measured criteria.

As in ``test_editing``: a good edit changes the stored document and is audited; a bad one
shows the message next to the field and changes nothing; a viewer's POST is refused.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from caseforchange.appraisal.weights import framework_weights
from caseforchange.web.audit.models import AuditEntry
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.models import ProgrammeRecord

from .test_editing import error_on, stored, unchanged

DETAILS = {
    "title": "Children's community services, Leicester (2010)",
    "scope": "Children's community health services in LLR.",
    "commissioner": "nhs-lcr",
    "decision_date": "2011-03-31",
    "start": "2010-04-01",
    "end": "2011-03-31",
    "characteristics": "Care closer to home, in the community\n\nClear pathways",
    "sources": "Stakeholder event report, May 2010",
    "illustrative": "yes",
    "note": "Budgets and scores are illustrative.",
}


def test_programme_decision_who_what_and_month(as_user: Any, programme: ProgrammeRecord) -> None:
    lead = as_user("lead")
    path = f"/programmes/{programme.slug}/details/"
    form = lead.get(path).content.decode()
    assert "Children and Young People&#39;s Executive" in form  # the example's decision body
    decided = {
        **DETAILS,
        "decision_date": "2010-10-01",
        "decision_date_precision": "month",
        "decision_body": "the NHS Plymouth Board",
        "decision": "to decide on the Integrated Business Plans",
    }
    wrong_day = lead.post(path, {**decided, "decision_date": "2010-10-05"}).content.decode()
    assert error_on(wrong_day, "f-decision-date-precision")
    assert "written as the 1st" in wrong_day
    assert unchanged(programme)
    assert lead.post(path, decided).status_code == 302
    document = stored().document
    assert document["decision_date_precision"] == "month"
    assert document["decision_body"] == "the NHS Plymouth Board"
    assert document["decision"] == "to decide on the Integrated Business Plans"
    assert AuditEntry.objects.filter(target=f"{programme.slug}:decision_body").exists()


def test_programme_details(as_user: Any, programme: ProgrammeRecord) -> None:
    lead = as_user("lead")
    path = f"/programmes/{programme.slug}/details/"
    assert path in lead.get(f"/programmes/{programme.slug}/").content.decode()
    assert path not in as_user("viewer").get(f"/programmes/{programme.slug}/").content.decode()
    form = lead.get(path).content.decode()
    assert "cannot be changed" in form and 'value="nhs-leicester-city" selected' in form
    bad = lead.post(path, {**DETAILS, "decision_date": "31/02/2011"})
    page = bad.content.decode()
    assert error_on(page, "f-decision-date") and "Decision date:" in page
    unknown = lead.post(path, {**DETAILS, "commissioner": "nowhere"}).content.decode()
    assert error_on(unknown, "f-commissioner") and "organisation &#39;nowhere&#39;" in unknown
    assert unchanged(programme)
    crossed = lead.post(path, {**DETAILS, "start": "2011-04-01"}).content.decode()
    assert error_on(crossed, "f-end") and "is before start" in crossed
    unnoted = lead.post(path, {**DETAILS, "note": ""}).content.decode()
    assert error_on(unnoted, "f-note") and "needs a note" in unnoted
    assert unchanged(programme)
    assert lead.post(path, DETAILS).status_code == 302
    saved = stored()
    document = saved.document
    assert saved.title == DETAILS["title"] and document["commissioner"] == "nhs-lcr"
    assert document["decision_date"] == "2011-03-31"
    assert document["timetable"] == {"start": "2010-04-01", "end": "2011-03-31"}
    # One characteristic a line: the comma belongs to the first, blank lines are dropped.
    assert document["characteristics"] == [
        "Care closer to home, in the community",
        "Clear pathways",
    ]
    assert document["provenance"] == {
        "sources": ["Stakeholder event report, May 2010"],
        "illustrative": True,
        "note": "Budgets and scores are illustrative.",
    }
    assert document["id"] == programme.slug  # not on the form
    entry = AuditEntry.objects.get(target=f"{programme.slug}:commissioner")
    assert entry.action == "programme details changed"
    assert (entry.before, entry.after) == ("nhs-leicester-city", "nhs-lcr")
    # Clearing the optional fields leaves them out rather than storing blanks.
    blank = {**DETAILS, "decision_date": "", "start": "", "end": "", "characteristics": ""}
    emptied = {**blank, "sources": "", "illustrative": "", "note": ""}
    assert lead.post(path, emptied).status_code == 302
    cleared = stored().document
    assert not {"decision_date", "timetable", "characteristics", "provenance"} & set(cleared)
    viewer = as_user("viewer")
    assert viewer.get(path).status_code == 403
    assert viewer.post(path, DETAILS).status_code == 403


def _add_group(lead: Any, slug: str) -> None:
    """Add a top-level criterion 'access' with three sub-criteria (a group of three)."""
    base = f"/programmes/{slug}/criteria/"
    access = {"id": "access", "name": "Access", "scale": "0-10"}
    assert lead.post(base + "new/", access).status_code == 302
    for cid in ("travel", "waiting", "choice"):
        child = {"id": cid, "name": cid.capitalize(), "scale": "0-10", "parent": "access"}
        assert lead.post(base + "new/", child).status_code == 302


def _shown(page: str) -> tuple[dict[str, float], float]:
    """Return the weights and consistency ratio an AHP page shows."""
    weights = re.findall(r'data-criterion="([^"]+)" data-weight="([^"]+)"', page)
    ratio = re.search(r'data-cr="([^"]+)"', page)
    assert ratio is not None
    return {c: float(w) for c, w in weights}, float(ratio.group(1))


def test_ahp_comparisons(as_user: Any, programme: ProgrammeRecord) -> None:
    lead, viewer = as_user("lead"), as_user("viewer")
    slug = programme.slug
    _add_group(lead, slug)
    index = f"/programmes/{slug}/criteria/weighting/ahp/"
    path = index + "access/"
    assert index in lead.get(f"/programmes/{slug}/criteria/weighting/").content.decode()
    listing = viewer.get(index).content.decode()
    assert path in listing and index + "root/" in listing and "Not compared yet" in listing
    form = lead.get(path).content.decode()
    assert "Travel compared with Waiting" in form and "Both are equally important (1)" in form
    assert "Travel is strongly more important (5)" in form
    assert "Waiting is strongly more important (1/5)" in form

    # Off Saaty's scale, or not a number: shown on the pair's field, nothing saved.
    consistent = {"pair-0-1": "2", "pair-0-2": "4", "pair-1-2": "2"}
    before = stored()
    for wrong in ("2.5", "abc", ""):
        bad = lead.post(path, {**consistent, "pair-0-2": wrong}).content.decode()
        assert error_on(bad, "f-pair-0-2") and "Travel compared with Choice:" in bad
        assert unchanged(before)

    # Travel = 2 x Waiting = 4 x Choice, consistently: weights 4/7, 2/7, 1/7 and CR 0.
    assert lead.post(path, consistent).status_code == 302
    matrix = stored().document["framework"]["weighting"]["ahp"]["access"]
    assert matrix == [[1.0, 2.0, 4.0], [0.5, 1.0, 2.0], [0.25, 0.5, 1.0]]
    assert AuditEntry.objects.filter(
        target=f"{slug}:framework.weighting.ahp.access", action="AHP comparisons changed"
    ).exists()
    page = viewer.get(path).content.decode()
    weights, ratio = _shown(page)
    assert weights == pytest.approx({"travel": 4 / 7, "waiting": 2 / 7, "choice": 1 / 7})
    assert ratio == pytest.approx(0.0, abs=1e-9)
    assert "<select" not in page
    assert "Travel is moderately to strongly more important (4)" in page

    # A cycle (travel > waiting > choice > travel) is too inconsistent unless accepted.
    cycle = {"pair-0-1": "9", "pair-1-2": "9", "pair-0-2": "1/9"}
    before = stored()
    refused = lead.post(path, cycle).content.decode()
    assert error_on(refused, "f-accept-inconsistency") and "consistency ratio is" in refused
    assert "The comparisons are inconsistent" in refused and "(not saved)" in refused
    assert unchanged(before)
    assert lead.post(path, {**cycle, "accept_inconsistency": "yes"}).status_code == 302
    weighting = stored().document["framework"]["weighting"]
    assert weighting["accept_inconsistency"] is True
    accepted = lead.get(path).content.decode()
    assert "The comparisons are inconsistent" in accepted and "accepted as they are" in accepted
    assert _shown(accepted)[1] > 0.1

    # AHP can be chosen once every group is compared; the engine then uses these weights.
    weighting_page = f"/programmes/{slug}/criteria/weighting/"
    refused = lead.post(weighting_page, {"method": "ahp"}).content.decode()
    assert "no AHP comparison matrix for &#39;root&#39;" in refused
    assert lead.post(path, consistent).status_code == 302
    root = lead.get(index + "root/").content.decode()
    names = re.findall(r'name="(pair-\d+-\d+)"', root)
    assert len(names) == 21  # seven top-level criteria, in pairs
    assert lead.post(index + "root/", dict.fromkeys(names, "1")).status_code == 302
    assert lead.post(weighting_page, {"method": "ahp"}).status_code == 302
    engine = framework_weights(repository.to_programme(stored()).framework)
    assert engine.local["travel"] == pytest.approx(4 / 7)
    assert engine.local["access"] == pytest.approx(1 / 7)

    assert lead.get(index + "no-such-group/").status_code == 404
    assert lead.get(index + "travel/").status_code == 404  # a leaf has nothing to compare
    assert viewer.post(path, consistent).status_code == 403


def test_value_function(as_user: Any, programme: ProgrammeRecord) -> None:
    lead = as_user("lead")
    base = f"/programmes/{programme.slug}/criteria/"
    cost = {"id": "cost", "name": "Annual cost", "unit": "£", "direction": "minimise"}
    unread = lead.post(base + "new/", {**cost, "points": "0 1\nabc 3"}).content.decode()
    assert error_on(unread, "f-points") and "line 2: give the measure" in unread
    assert unchanged(programme)
    one = lead.post(base + "new/", {**cost, "points": "0 1"}).content.decode()
    assert error_on(one, "f-points") and "at least 2 items" in one
    falling = lead.post(base + "new/", {**cost, "points": "500000 0\n0 1"}).content.decode()
    assert error_on(falling, "f-points") and "strictly increasing" in falling
    above = lead.post(base + "new/", {**cost, "points": "0 100\n500000 0"}).content.decode()
    assert error_on(above, "f-points") and "between 0 and 1" in above
    no_unit = lead.post(base + "new/", {**cost, "unit": "", "points": "0 1\n9 0"}).content.decode()
    assert error_on(no_unit, "f-unit") and unchanged(programme)

    good = lead.post(base + "new/", {**cost, "points": "0 1\n250,000 0.5\n500000 0"})
    assert good.status_code == 302
    criterion = stored().document["framework"]["criteria"][-1]
    assert criterion["value_function"] == {
        "unit": "£",
        "points": [[0.0, 1.0], [250000.0, 0.5], [500000.0, 0.0]],
    }
    assert criterion["direction"] == "minimise" and "scale" not in criterion
    assert AuditEntry.objects.filter(
        target=f"{programme.slug}:framework.criteria[cost].value_function.points",
        action="criterion added",
    ).exists()
    form = lead.get(base + "cost/edit/").content.decode()
    assert "0 1\n250000 0.5\n500000 0</textarea>" in form and 'value="£"' in form
    assert "measured in £" in as_user("viewer").get(base).content.decode()
    # Blanking both fields turns it back into a criterion that needs a scale.
    plain = {"id": "cost", "name": "Annual cost", "scale": "0-10", "unit": "", "points": ""}
    assert lead.post(base + "cost/edit/", plain).status_code == 302
    assert "value_function" not in stored().document["framework"]["criteria"][-1]
    assert as_user("viewer").post(base + "cost/edit/", cost).status_code == 403


def test_move_criteria(as_user: Any, programme: ProgrammeRecord) -> None:
    lead, slug = as_user("lead"), programme.slug
    move = f"/programmes/{slug}/criteria/move/"
    page = lead.get(f"/programmes/{slug}/criteria/").content.decode()
    assert 'name="down" value="quality-efficiencies"' in page
    assert 'name="up" value="quality-efficiencies"' not in page  # already first
    viewed = as_user("viewer").get(f"/programmes/{slug}/criteria/").content.decode()
    assert 'form="move-criterion"' not in viewed
    moved = lead.post(move, {"down": "quality-efficiencies", "revision": programme.revision})
    assert moved.status_code == 302 and moved["Location"].endswith("#c-quality-efficiencies")
    ids = [c["id"] for c in stored().document["framework"]["criteria"]]
    assert ids[:2] == ["service-integration", "quality-efficiencies"]
    entry = AuditEntry.objects.get(target=f"{slug}:framework.criteria.order")
    assert entry.action == "criterion moved" and entry.after[:2] == ids[:2]
    before = stored()
    first = lead.post(move, {"up": "service-integration"}, follow=True).content.decode()
    assert "already first" in first and unchanged(before)

    # Judgements follow their criteria: the matrix rows and columns swap with them.
    _add_group(lead, slug)
    path = f"/programmes/{slug}/criteria/weighting/ahp/access/"
    assert lead.post(path, {"pair-0-1": "2", "pair-0-2": "4", "pair-1-2": "2"}).status_code == 302
    assert lead.post(move, {"up": "waiting"}).status_code == 302
    framework = stored().document["framework"]
    assert [c["id"] for c in framework["criteria"][-1]["children"]] == [
        "waiting",
        "travel",
        "choice",
    ]
    assert framework["weighting"]["ahp"]["access"] == [
        [1.0, 0.5, 2.0],
        [2.0, 1.0, 4.0],
        [0.5, 0.25, 1.0],
    ]
    weights, _ = _shown(lead.get(path).content.decode())
    assert weights == pytest.approx({"travel": 4 / 7, "waiting": 2 / 7, "choice": 1 / 7})
    assert as_user("viewer").post(move, {"up": "waiting"}).status_code == 403
