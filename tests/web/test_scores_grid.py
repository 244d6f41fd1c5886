"""The scores grid: a panel's agreed scores entered, corrected and cleared in the browser.

The Leicester example's commissioners panel has one agreed score per option and criterion,
all on the 0-10 scale; the workshop panel has only its members' scores.
"""

from __future__ import annotations

from typing import Any

from caseforchange.web.audit.models import AuditEntry
from caseforchange.web.programmes.models import AppraisalRun, ProgrammeRecord
from caseforchange.web.programmes.scores_grid import leaf_criteria


def stored() -> ProgrammeRecord:
    return ProgrammeRecord.objects.get()


def grid_post(row: ProgrammeRecord, panel: str | None) -> dict[str, str]:
    """The form exactly as the page sends it unchanged: every cell's stored text."""
    data = row.document
    scores = {
        (s["option"], s["criterion"]): s
        for s in row.scores
        if s.get("panel") == panel and s.get("member") is None
    }
    form = {"revision": str(row.revision)}
    for i, option in enumerate(data["options"]):
        for j, criterion in enumerate(leaf_criteria(data)):
            s = scores.get((option["id"], criterion["id"]), {})
            for part in ("value", "low", "high"):
                form[f"c{i}-{j}-{part}"] = "" if s.get(part) is None else f"{s[part]:g}"
            form[f"c{i}-{j}-rationale"] = s.get("rationale", "")
    return form


def agreed(row: ProgrammeRecord, option: str, criterion: str) -> dict[str, Any] | None:
    return next(
        (
            s
            for s in row.scores
            if s.get("panel") == "commissioners"
            and s.get("member") is None
            and (s["option"], s["criterion"]) == (option, criterion)
        ),
        None,
    )


def test_index_lists_each_panel_with_its_counts(as_user: Any, programme: ProgrammeRecord) -> None:
    page = as_user("viewer").get(f"/programmes/{programme.slug}/scores/").content.decode()
    # 4 options x 6 criteria = 24 cells; commissioners agreed all 24, workshop members 144.
    assert "24 of 24" in page and "0 of 24" in page and ">144<" in page


def test_an_unchanged_grid_saves_nothing(as_user: Any, programme: ProgrammeRecord) -> None:
    url = f"/programmes/{programme.slug}/scores/commissioners/"
    before = AuditEntry.objects.count()
    response = as_user("lead").post(url, grid_post(programme, "commissioners"))
    assert response.status_code == 302
    assert stored().revision == programme.revision
    assert AuditEntry.objects.count() == before


def test_a_range_and_rationale_are_saved_audited_and_appraised(
    as_user: Any, programme: ProgrammeRecord
) -> None:
    lead = as_user("lead")
    url = f"/programmes/{programme.slug}/scores/commissioners/"
    form = grid_post(programme, "commissioners")
    # Row 0 is proposed-split, column 0 quality-efficiencies (stored value 7).
    form.update({"c0-0-value": "6.5", "c0-0-low": "5", "c0-0-high": "8", "c0-0-rationale": "New"})
    assert lead.post(url, form).status_code == 302
    row = stored()
    assert row.revision == programme.revision + 1
    score = agreed(row, "proposed-split", "quality-efficiencies")
    assert score is not None
    assert (score["value"], score["low"], score["high"], score["rationale"]) == (6.5, 5, 8, "New")
    target = f"{programme.slug}:scores[proposed-split/quality-efficiencies/commissioners/-]"
    entries = {e.target: e for e in AuditEntry.objects.filter(action="score edited")}
    assert entries[target + ".value"].before == 7 and entries[target + ".value"].after == 6.5
    assert entries[target + ".low"].before is None and entries[target + ".low"].after == 5
    assert set(entries) == {target + p for p in (".value", ".low", ".high", ".rationale")}
    # The appraisal reads the saved programme: a run now is of the new revision.
    assert lead.post(f"/programmes/{programme.slug}/appraisal/").status_code == 302
    assert AppraisalRun.objects.get().revision == row.revision


def test_off_scale_and_bad_numbers_show_on_their_cell_and_save_nothing(
    as_user: Any, programme: ProgrammeRecord
) -> None:
    url = f"/programmes/{programme.slug}/scores/commissioners/"
    form = grid_post(programme, "commissioners")
    form.update({"c1-2-value": "11", "c2-3-value": "seven", "c3-4-low": "9", "c3-4-high": "4"})
    response = as_user("lead").post(url, form)
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert 'href="#c1-2-value"' in page and 'id="c1-2-value-error"' in page
    assert "11 is outside the scale 0..10" in page
    assert 'href="#c2-3-value"' in page and 'id="c2-3-value-error"' in page
    assert 'href="#c3-4-value"' in page and "low (9.0) is greater than high (4.0)" in page
    # The posted text is shown again, not the stored values.
    assert 'value="seven"' in page
    assert stored().revision == programme.revision and stored().scores == programme.scores


def test_blank_cell_removes_the_agreed_score_and_a_new_panel_cell_is_added(
    as_user: Any, programme: ProgrammeRecord
) -> None:
    lead = as_user("lead")
    form = grid_post(programme, "commissioners")
    for part in ("value", "low", "high", "rationale"):
        form[f"c0-0-{part}"] = ""
    assert lead.post(f"/programmes/{programme.slug}/scores/commissioners/", form).status_code == 302
    assert agreed(stored(), "proposed-split", "quality-efficiencies") is None
    # The workshop panel had no agreed scores: one typed in becomes a panel-level score.
    row = stored()
    form = grid_post(row, "workshop")
    form["c3-5-value"] = "4"
    assert lead.post(f"/programmes/{programme.slug}/scores/workshop/", form).status_code == 302
    new = [s for s in stored().scores if s.get("panel") == "workshop" and "member" not in s]
    assert new == [
        {
            "option": "split-therapists-with-paediatrics",
            "criterion": "whole-systems-fit",
            "panel": "workshop",
            "value": 4.0,
        }
    ]


def test_stale_grid_is_refused(as_user: Any, programme: ProgrammeRecord) -> None:
    url = f"/programmes/{programme.slug}/scores/commissioners/"
    form = grid_post(programme, "commissioners")
    form["c0-0-value"] = "3"
    assert as_user("admin").post(url, form).status_code == 302
    form["c0-0-value"] = "4"
    page = as_user("lead").post(url, form).content.decode()
    assert "reload the page" in page
    score = agreed(stored(), "proposed-split", "quality-efficiencies")
    assert score is not None and score["value"] == 3


def test_viewer_sees_scores_read_only(as_user: Any, programme: ProgrammeRecord) -> None:
    url = f"/programmes/{programme.slug}/scores/commissioners/"
    page = as_user("viewer").get(url).content.decode()
    assert "<input" not in page.split("scores-grid")[1] and "Save scores" not in page
    assert as_user("viewer").post(url, grid_post(programme, "commissioners")).status_code == 403
    assert as_user("lead").get(url.replace("commissioners", "nobody")).status_code == 404


def test_hostile_rationale_is_escaped(as_user: Any, programme: ProgrammeRecord) -> None:
    url = f"/programmes/{programme.slug}/scores/commissioners/"
    form = grid_post(programme, "commissioners")
    form["c0-0-rationale"] = "<script>alert(1)</script>"
    assert as_user("lead").post(url, form).status_code == 302
    page = as_user("viewer").get(url).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
