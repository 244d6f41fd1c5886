"""Editing the rest of a programme in the browser: milestones, dependency rules, panel members,
option configurations, the criteria tree and scales, the weighting method, appraisal settings.

Each edit is checked three ways: a good edit changes the stored document and is audited; a bad
one shows the domain model's message next to the field and changes nothing; a viewer's POST
is refused.
"""

from __future__ import annotations

from typing import Any

import pytest

from caseforchange.web.audit.models import AuditEntry
from caseforchange.web.programmes.models import ProgrammeRecord


def stored() -> ProgrammeRecord:
    return ProgrammeRecord.objects.get()


def unchanged(before: ProgrammeRecord) -> bool:
    """True when nothing was saved since ``before`` was read."""
    now = stored()
    return now.revision == before.revision and now.document == before.document


def error_on(page: str, field: str) -> bool:
    """True when the page shows an error summary linked to ``field`` and an inline message."""
    return (
        "There is a problem" in page
        and f'href="#{field}"' in page
        and (f'id="{field}-error"' in page or f'id="{field}--error-message"' in page)
    )


def test_milestones(as_user: Any, programme: ProgrammeRecord) -> None:
    lead = as_user("lead")
    base = f"/programmes/{programme.slug}/records/milestones/"
    bad = lead.post(base + "new/", {"id": "board", "name": "Board decision", "date": "31/02/2011"})
    page = bad.content.decode()
    assert bad.status_code == 200 and error_on(page, "f-date") and "Date:" in page
    assert unchanged(programme)
    good = lead.post(
        base + "new/",
        {"id": "board", "name": "Board decision", "date": "2011-02-28"},
    )
    assert good.status_code == 302
    milestone = stored().document["milestones"][-1]
    assert milestone == {"id": "board", "name": "Board decision", "date": "2011-02-28"}
    entry = AuditEntry.objects.get(target=f"{programme.slug}:milestones[board].date")
    assert entry.action == "milestone added" and entry.after == "2011-02-28"
    assert "Board decision" in as_user("viewer").get(base).content.decode()
    assert as_user("viewer").post(base + "new/", {"id": "x", "name": "X"}).status_code == 403


def test_dependency_rules(as_user: Any, programme: ProgrammeRecord) -> None:
    lead = as_user("lead")
    base = f"/programmes/{programme.slug}/records/dependencies/"
    form = lead.get(base + "new/").content.decode()
    assert 'type="checkbox"' in form and 'value="audiology"' in form
    rule = {"id": "hearing", "kind": "keep_together", "reason": "Shared clinics"}
    bad = lead.post(base + "new/", {**rule, "services": ["audiology", "no-such-service"]})
    page = bad.content.decode()
    assert error_on(page, "f-services") and "no-such-service" in page
    assert "Services the rule covers:" in page
    assert unchanged(programme)
    one = lead.post(base + "new/", {**rule, "services": ["audiology"]})
    assert "needs at least two services" in one.content.decode() and unchanged(programme)
    good = lead.post(base + "new/", {**rule, "services": ["audiology", "sickle-cell"]})
    assert good.status_code == 302
    saved = stored().document["dependencies"][-1]
    assert saved["services"] == ["audiology", "sickle-cell"] and saved["kind"] == "keep_together"
    assert AuditEntry.objects.filter(
        target=f"{programme.slug}:dependencies[hearing].services", action="dependency rule added"
    ).exists()
    listing = as_user("viewer").get(base).content.decode()
    assert "audiology, sickle-cell" in listing
    viewer = as_user("viewer")
    assert viewer.post(base + "hearing/", {**rule, "services": ["audiology"]}).status_code == 403


def test_panel_members(as_user: Any, programme: ProgrammeRecord) -> None:
    lead = as_user("lead")
    base = f"/programmes/{programme.slug}/records/panels/workshop/members/"
    panels = as_user("viewer").get(f"/programmes/{programme.slug}/records/panels/")
    assert base in panels.content.decode()
    listing = as_user("viewer").get(base).content.decode()
    assert "Paediatric consultant, UHL" in listing and "Add a member" not in listing
    bad = lead.post(base + "new/", {"id": "nurse", "name": "Nurse", "organisation": "nowhere"})
    assert error_on(bad.content.decode(), "f-organisation") and unchanged(programme)
    good = lead.post(base + "new/", {"id": "nurse", "name": "School nurse", "role": "Clinician"})
    assert good.status_code == 302
    members = stored().document["panels"][0]["members"]
    assert members[-1] == {"id": "nurse", "name": "School nurse", "role": "Clinician"}
    assert AuditEntry.objects.filter(
        target=f"{programme.slug}:panels[workshop].members[nurse].name", action="member added"
    ).exists()
    # Renaming a member who scored keeps their scores: they refer to the member by id.
    gp = {"id": "family-doctor", "name": "GP", "organisation": "local-gps", "role": "Clinician"}
    assert lead.post(base + "gp/", gp).status_code == 302
    scores = stored().scores
    assert not any(s.get("member") == "gp" for s in scores)
    assert any(s.get("member") == "family-doctor" for s in scores)
    # Removing a member who scored needs the box ticked; then their scores go too.
    refused = lead.post(base + "family-doctor/remove/", {})
    assert error_on(refused.content.decode(), "f-with-scores")
    assert lead.post(base + "family-doctor/remove/", {"with_scores": "yes"}).status_code == 302
    assert not any(s.get("member") == "family-doctor" for s in stored().scores)
    assert as_user("viewer").post(base + "nurse/remove/", {}).status_code == 403


def test_option_configuration(as_user: Any, programme: ProgrammeRecord) -> None:
    lead = as_user("lead")
    path = f"/programmes/{programme.slug}/records/options/proposed-split/configuration/"
    view = as_user("viewer").get(path).content.decode()
    assert "Divided between community-partnership-trust, uhl" in view and "<select" not in view
    assert "breaks" in view  # the split breaks the keep-children's-services-together rules
    form = lead.get(path).content.decode()
    assert 'name="to-audiology"' in form and 'name="split-safeguarding"' in form
    data = {
        f"to-{sid}": dest
        for sid, dest in stored().document["options"][0]["configuration"].items()
        if isinstance(dest, str)
    }
    data["split-safeguarding"] = "community-partnership-trust, uhl"
    bad = lead.post(path, {**data, "split-audiology": "uhl, atlantis"})
    page = bad.content.decode()
    # The summary links to the division the user typed; the message sits on the service's row.
    assert 'href="#f-split-audiology"' in page and 'id="f-to-audiology-error"' in page
    assert "atlantis" in page and unchanged(programme)
    good = lead.post(path, {**data, "to-audiology": "community-partnership-trust"})
    assert good.status_code == 302
    config = stored().document["options"][0]["configuration"]
    assert config["audiology"] == "community-partnership-trust"
    assert config["safeguarding"] == ["community-partnership-trust", "uhl"]
    entry = AuditEntry.objects.get(
        target=f"{programme.slug}:options[proposed-split].configuration.audiology"
    )
    assert entry.before == "uhl" and entry.after == "community-partnership-trust"
    assert as_user("viewer").post(path, data).status_code == 403


def test_add_change_move_and_remove_criteria(as_user: Any, programme: ProgrammeRecord) -> None:
    lead = as_user("lead")
    base = f"/programmes/{programme.slug}/criteria/"
    page = lead.get(base).content.decode()
    assert f"{base}new/" in page and f"{base}infrastructure/edit/" in page
    assert f"{base}new/" not in as_user("viewer").get(base).content.decode()
    bad = lead.post(base + "new/", {"id": "access", "name": "Access", "scale": "1-100"})
    assert error_on(bad.content.decode(), "f-scale") and "1-100" in bad.content.decode()
    assert unchanged(programme)
    new = {"id": "access", "name": "Access", "scale": "1-5", "direction": "maximise"}
    assert lead.post(base + "new/", new).status_code == 302
    criteria = stored().document["framework"]["criteria"]
    assert criteria[-1] == {"id": "access", "name": "Access", "scale": "1-5"}
    assert AuditEntry.objects.filter(
        target=f"{programme.slug}:framework.criteria[access].scale", action="criterion added"
    ).exists()
    # A sub-criterion turns its parent into a group, which has no scale of its own.
    child = {"id": "travel", "name": "Travel time", "scale": "0-10", "parent": "access"}
    added = lead.post(base + "new/", child, follow=True).content.decode()
    assert "&#39;access&#39; is now a group" in added
    access = stored().document["framework"]["criteria"][-1]
    assert "scale" not in access and access["children"][0]["id"] == "travel"
    # Renaming a scored criterion carries its scores with it.
    scored = {"id": "infra", "name": "Infrastructure and estates", "scale": "0-10"}
    assert lead.post(base + "infrastructure/edit/", scored).status_code == 302
    assert {s["criterion"] for s in stored().scores} >= {"infra"}
    assert "infrastructure" not in {s["criterion"] for s in stored().scores}
    # A criterion cannot be moved under itself.
    loop = {"id": "access", "name": "Access", "parent": "travel"}
    moved = lead.post(base + "access/edit/", loop)
    assert error_on(moved.content.decode(), "f-parent")
    # Removing a scored criterion is refused until its scores may go too.
    before = stored()
    refused = lead.post(base + "infra/remove/", {})
    text = refused.content.decode()
    assert error_on(text, "f-with-scores") and "scores are given" in text
    assert unchanged(before)
    assert lead.post(base + "infra/remove/", {"with_scores": "yes"}).status_code == 302
    after = stored()
    assert "infra" not in {c["id"] for c in after.document["framework"]["criteria"]}
    assert "infra" not in {s["criterion"] for s in after.scores}
    assert lead.post(base + "access/remove/", {}).status_code == 302
    viewer = as_user("viewer")
    assert viewer.post(base + "new/", new).status_code == 403
    assert viewer.post(base + "sustainability/remove/", {}).status_code == 403


def test_weighting_method(as_user: Any, programme: ProgrammeRecord) -> None:
    lead = as_user("lead")
    path = f"/programmes/{programme.slug}/criteria/weighting/"
    # Rank-order weights need a rank on every criterion: the engine says which lack one.
    bad = lead.post(path, {"method": "rank_order_centroid"})
    assert "needs a rank" in bad.content.decode() and unchanged(programme)
    assert lead.post(path, {"method": "swing", "set_by": "Board"}).status_code == 302
    weighting = stored().document["framework"]["weighting"]
    assert weighting["method"] == "swing" and weighting["set_by"] == "Board"
    entry = AuditEntry.objects.get(target=f"{programme.slug}:framework.weighting.method")
    assert entry.before == "equal" and entry.after == "swing"
    assert (
        "Weighting method: swing"
        in as_user("viewer").get(f"/programmes/{programme.slug}/criteria/").content.decode()
    )
    assert as_user("viewer").post(path, {"method": "equal"}).status_code == 403


def test_scales(as_user: Any, programme: ProgrammeRecord) -> None:
    lead = as_user("lead")
    base = f"/programmes/{programme.slug}/criteria/scales/"
    assert "Pass or fail" in as_user("viewer").get(base).content.decode()
    scale = {"id": "stars", "name": "Stars", "min": "5", "max": "1", "points": "1 Poor\n5 Good"}
    bad = lead.post(base + "new/", scale)
    page = bad.content.decode()
    assert error_on(page, "f-max") and "must be greater than min" in page
    assert unchanged(programme)
    worse = lead.post(base + "new/", {**scale, "min": "one", "max": "5"})
    assert error_on(worse.content.decode(), "f-min") and unchanged(programme)
    unread = lead.post(base + "new/", {**scale, "points": "Good"}).content.decode()
    assert error_on(unread, "f-points") and "line 1: start with a number" in unread
    assert error_on(unread, "f-max") and unchanged(programme)  # both problems at once
    good = lead.post(base + "new/", {**scale, "min": "1", "max": "5"})
    assert good.status_code == 302
    saved = stored().document["framework"]["scales"][-1]
    assert saved["max"] == 5.0 and saved["points"][1] == {"value": 5.0, "label": "Good"}
    assert AuditEntry.objects.filter(
        target=f"{programme.slug}:framework.scales[stars].points", action="scale added"
    ).exists()
    # A scale in use cannot be removed; renaming it moves its criteria with it.
    lead.post(
        f"/programmes/{programme.slug}/criteria/new/",
        {"id": "access", "name": "Access", "scale": "stars"},
    )
    refused = lead.post(base + "stars/remove/", {})
    assert "access are scored on this scale" in refused.content.decode()
    renamed = lead.post(base + "stars/edit/", {**scale, "id": "five", "min": "1", "max": "5"})
    assert renamed.status_code == 302
    assert stored().document["framework"]["criteria"][-1]["scale"] == "five"
    assert as_user("viewer").post(base + "five/remove/", {}).status_code == 403


def test_appraisal_settings(as_user: Any, programme: ProgrammeRecord) -> None:
    lead = as_user("lead")
    path = f"/programmes/{programme.slug}/appraisal/settings/"
    view = as_user("viewer").get(path).content.decode()
    assert "512" in view and '<form method="post" novalidate>' not in view
    settings = {
        "aggregation": "median",
        "samples": "abc",
        "seed": "7",
        "weight_information": "none",
    }
    bad = lead.post(path, settings)
    page = bad.content.decode()
    assert error_on(page, "f-samples") and "Number of samples:" in page and unchanged(programme)
    # A half-given interval and a bad sample count are both reported at once.
    both = lead.post(path, {**settings, "low-sustainability": "0.2"}).content.decode()
    assert error_on(both, "f-samples") and 'href="#f-low-sustainability"' in both
    assert "Sustainability: give both the lowest and highest" in both
    interval = {**settings, "samples": "500", "weight_information": "intervals"}
    missing = lead.post(path, interval)
    assert error_on(missing.content.decode(), "f-weight-intervals") and unchanged(programme)
    crossed = lead.post(
        path, {**interval, "low-sustainability": "0.5", "high-sustainability": "0.2"}
    )
    text = crossed.content.decode()
    assert 'href="#f-low-sustainability"' in text and "0 &lt;= low &lt;= high" in text
    assert unchanged(programme)
    good = lead.post(path, {**interval, "low-sustainability": "0.1", "high-sustainability": "0.3"})
    assert good.status_code == 302
    appraisal = stored().document["appraisal"]
    assert appraisal["aggregation"] == "median" and appraisal["samples"] == 500
    assert appraisal["weight_intervals"] == {"sustainability": [0.1, 0.3]}
    entry = AuditEntry.objects.get(target=f"{programme.slug}:appraisal.samples")
    assert entry.before is None and entry.after == 500
    assert as_user("viewer").post(path, settings).status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "records/milestones/",
        "records/dependencies/",
        "records/panels/workshop/members/",
        "records/options/all-acute/configuration/",
        "criteria/scales/",
        "appraisal/settings/",
    ],
)
def test_viewer_reads_and_cannot_open_forms(
    as_user: Any, programme: ProgrammeRecord, path: str
) -> None:
    assert as_user("viewer").get(f"/programmes/{programme.slug}/{path}").status_code == 200
    assert as_user("facilitator").get(f"/programmes/{programme.slug}/{path}").status_code == 200
    forms = ["criteria/new/", "criteria/weighting/", "criteria/scales/new/"]
    for form in forms:
        assert as_user("viewer").get(f"/programmes/{programme.slug}/{form}").status_code == 403
