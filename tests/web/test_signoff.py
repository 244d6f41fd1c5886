"""Sign-off: a revision marked as the Board's version keeps its inputs; what changed since."""

from __future__ import annotations

from typing import Any

from caseforchange.web.audit.models import AuditEntry
from caseforchange.web.programmes.models import ProgrammeRecord, SignOff

from .test_scores_grid import grid_post


def test_sign_off_freezes_inputs_and_lists_changes(
    as_user: Any, programme: ProgrammeRecord
) -> None:
    lead = as_user("lead")
    slug = programme.slug
    assert lead.post(f"/programmes/{slug}/appraisal/").status_code == 302
    page = lead.get(f"/programmes/{slug}/signoff/").content.decode()
    assert "Sign off revision 1" in page
    form = {"revision": "1", "note": "Board, paper 7"}
    response = lead.post(f"/programmes/{slug}/signoff/", form)
    assert response.status_code == 302 and response["Location"] == f"/programmes/{slug}/signoff/1/"
    entry = AuditEntry.objects.get(action="programme signed off")
    assert entry.after["revision"] == 1 and entry.after["note"] == "Board, paper 7"
    # Signing the same revision twice is refused.
    page = lead.post(f"/programmes/{slug}/signoff/", {"revision": "1"}).content.decode()
    assert "already signed off" in page and SignOff.objects.count() == 1

    # One score changes after the sign-off (7 -> 4): a new revision; the sign-off keeps 7.
    form = grid_post(ProgrammeRecord.objects.get(), "commissioners")
    form["c0-0-value"] = "4"
    assert lead.post(f"/programmes/{slug}/scores/commissioners/", form).status_code == 302
    assert ProgrammeRecord.objects.get().revision == 2
    signed = SignOff.objects.get()
    kept = [
        s
        for s in signed.scores
        if s.get("panel") == "commissioners"
        and "member" not in s
        and (s["option"], s["criterion"]) == ("proposed-split", "quality-efficiencies")
    ]
    assert kept[0]["value"] == 7

    viewer = as_user("viewer")
    page = viewer.get(f"/programmes/{slug}/signoff/1/").content.decode()
    assert "Board, paper 7" in page and signed.sha256 in page and "1 figure differs" in page
    page = viewer.get(f"/programmes/{slug}/signoff/1/changes/").content.decode()
    path = "scores[proposed-split/quality-efficiencies/commissioners/-].value"
    assert path in page and "1 figure differs" in page
    assert "score edited" in page and "user lead" in page
    assert "appraisal run" not in page.split("Edits since")[1]
    assert "Run the appraisal" in page  # no run yet of revision 2
    assert viewer.get(f"/programmes/{slug}/signoff/2/").status_code == 404


def test_sign_off_refuses_a_stale_form_and_other_roles(
    as_user: Any, programme: ProgrammeRecord
) -> None:
    slug = programme.slug
    page = as_user("lead").post(f"/programmes/{slug}/signoff/", {"revision": "0"}).content.decode()
    assert "changed (revision 1)" in page and not SignOff.objects.exists()
    viewer = as_user("viewer")
    assert viewer.post(f"/programmes/{slug}/signoff/", {"revision": "1"}).status_code == 403
    assert as_user("facilitator").get(f"/programmes/{slug}/signoff/").status_code == 403
