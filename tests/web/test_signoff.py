"""Sign-off: a revision marked as the Board's version keeps its inputs; what changed since."""

from __future__ import annotations

from typing import Any

from markupsafe import escape

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


def test_sign_off_keeps_its_appraisal_and_paper_byte_for_byte(
    as_user: Any, programme: ProgrammeRecord
) -> None:
    from caseforchange.web.jobs import service
    from caseforchange.web.jobs.models import StoredResult

    lead = as_user("lead")
    slug = programme.slug
    assert lead.post(f"/programmes/{slug}/signoff/", {"revision": "1"}).status_code == 302
    kept = {r.kind: r for r in StoredResult.objects.filter(revision=1, frozen=True)}
    assert set(kept) == {"appraisal", "paper.html", "paper.pdf", "paper.docx", "workbook.xlsx"}
    assert all(r.ready for r in kept.values())

    viewer = as_user("viewer")
    page = viewer.get(f"/programmes/{slug}/signoff/1/").content.decode()
    links = {kind: f"/jobs/{r.pk}/download/" for kind, r in kept.items() if kind != "appraisal"}
    assert all(link in page for link in links.values())
    before = {kind: viewer.get(link).content for kind, link in links.items()}
    assert before["paper.pdf"].startswith(b"%PDF") and before["paper.docx"].startswith(b"PK")
    # The signed-off paper is the one the appraisal page offered for that revision.
    assert viewer.get(f"/programmes/{slug}/report.docx").content == before["paper.docx"]

    # A score changes (7 -> 4): revision 2 gets its own paper; the signed-off one stays.
    form = grid_post(ProgrammeRecord.objects.get(), "commissioners")
    form["c0-0-value"] = "4"
    assert lead.post(f"/programmes/{slug}/scores/commissioners/", form).status_code == 302
    now = viewer.get(f"/programmes/{slug}/report.html").content
    assert now != before["paper.html"]
    service.prune(ProgrammeRecord.objects.get())
    after = {kind: viewer.get(link).content for kind, link in links.items()}
    assert after == before
    assert StoredResult.objects.get(pk=kept["paper.pdf"].pk).finished_at == (
        kept["paper.pdf"].finished_at
    )
    # The ranking shown at sign-off is the frozen appraisal's.
    ranking = kept["appraisal"].payload_json["result"]["ranking"]
    names = {o["id"]: o["name"] for o in programme.document["options"]}
    page = viewer.get(f"/programmes/{slug}/signoff/1/").content.decode()
    listed = page.split('class="cfc-ranking"')[1].split("</ol>")[0]
    assert [str(escape(names[o])) for o in ranking] == [
        part.split("</li>")[0] for part in listed.split("<li>")[1:]
    ]
