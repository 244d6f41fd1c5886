"""Programme workspace: edit with located errors, weights, appraisal, downloads, import/export."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from caseforchange.examples import example_path
from caseforchange.io.folder import programme_document
from caseforchange.web.audit.models import AuditEntry
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.models import ProgrammeRecord


def test_edit_option_is_validated_and_audited(as_user: Any, programme: ProgrammeRecord) -> None:
    lead = as_user("lead")
    option = programme.document["options"][0]
    path = f"/programmes/{programme.slug}/records/options/{option['id']}/"
    bad = lead.post(
        path,
        {
            "id": option["id"],
            "name": option["name"],
            "form": "no-such-form",
            "revision": programme.revision,
        },
    )
    text = bad.content.decode()
    assert bad.status_code == 200
    assert "There is a problem" in text and "no-such-form" in text
    assert 'href="#f-form"' in text
    good = lead.post(
        path,
        {
            "id": option["id"],
            "name": "Renamed option",
            "form": option["form"],
            "provider": option.get("provider", ""),
            "revision": programme.revision,
        },
    )
    assert good.status_code == 302
    programme.refresh_from_db()
    assert repository.to_programme(programme).options[0].name == "Renamed option"
    entry = AuditEntry.objects.get(target=f"{programme.slug}:options[{option['id']}].name")
    assert entry.before == option["name"] and entry.after == "Renamed option"
    assert entry.actor == "user lead"


def test_stale_edit_is_refused(as_user: Any, programme: ProgrammeRecord) -> None:
    lead = as_user("lead")
    option = programme.document["options"][0]
    path = f"/programmes/{programme.slug}/records/options/{option['id']}/"
    data = {
        "id": option["id"],
        "name": "A",
        "form": option["form"],
        "provider": option.get("provider", ""),
    }
    assert lead.post(path, {**data, "revision": programme.revision}).status_code == 302
    again = lead.post(path, {**data, "name": "B", "revision": programme.revision})
    assert again.status_code == 200 and "reload the page" in again.content.decode()
    # A mangled revision field is treated as stale, not as a server error.
    mangled = lead.post(path, {**data, "name": "C", "revision": "not-a-number"})
    assert mangled.status_code == 200 and "reload the page" in mangled.content.decode()


def test_add_and_remove_organisation(as_user: Any, programme: ProgrammeRecord) -> None:
    lead = as_user("lead")
    base = f"/programmes/{programme.slug}/records/organisations/"
    assert (
        lead.post(
            base + "new/", {"id": "new-org", "name": "New org", "kind": "partner"}
        ).status_code
        == 302
    )
    assert any(
        o["id"] == "new-org" for o in ProgrammeRecord.objects.get().document["organisations"]
    )
    assert lead.post(base + "new-org/remove/").status_code == 302
    assert not any(
        o["id"] == "new-org" for o in ProgrammeRecord.objects.get().document["organisations"]
    )


def test_weights_history(as_user: Any, programme: ProgrammeRecord) -> None:
    lead = as_user("lead")
    first = programme.document["framework"]["criteria"][0]
    data = {f"weight-{first['id']}": "7", "revision": programme.revision}
    assert lead.post(f"/programmes/{programme.slug}/criteria/", data).status_code == 302
    target = f"{programme.slug}:framework.criteria[{first['id']}].weight"
    page = as_user("viewer").get(f"/programmes/{programme.slug}/history/", {"target": target})
    assert "weight changed" in page.content.decode()
    bad = lead.post(
        f"/programmes/{programme.slug}/criteria/",
        {f"weight-{first['id']}": "-3", "revision": programme.revision + 1},
    )
    assert bad.status_code == 200 and "There is a problem" in bad.content.decode()


def test_run_appraisal_and_download_reports(as_user: Any, programme: ProgrammeRecord) -> None:
    lead = as_user("lead")
    assert lead.post(f"/programmes/{programme.slug}/appraisal/").status_code == 302
    page = lead.get(f"/programmes/{programme.slug}/appraisal/").content.decode()
    assert "Ranking of the short-listed options" in page
    assert "data:image/svg+xml;base64" in page
    for fmt, magic in (("html", b"<!DOCTYPE"), ("docx", b"PK"), ("xlsx", b"PK")):
        response = as_user("viewer").get(f"/programmes/{programme.slug}/report.{fmt}")
        assert response.status_code == 200, fmt
        assert response.content.lstrip()[:9].upper().startswith(magic.upper()), fmt


def test_the_web_downloads_the_paper_the_command_line_writes(
    as_user: Any, programme: ProgrammeRecord
) -> None:
    from caseforchange.reports.case import build_case_for_change
    from caseforchange.reports.render import render

    response = as_user("viewer").get(f"/programmes/{programme.slug}/report.html")
    expected = render(build_case_for_change(repository.loaded(programme)), "html")
    assert response.content == expected


def test_download_pdf(as_user: Any, programme: ProgrammeRecord) -> None:
    response = as_user("viewer").get(f"/programmes/{programme.slug}/report.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_export_and_import_round_trip(as_user: Any, programme: ProgrammeRecord) -> None:
    admin = as_user("admin")
    before = repository.to_programme(programme)
    folder = admin.get(f"/programmes/{programme.slug}/export/folder/").content
    workbook = admin.get(f"/programmes/{programme.slug}/export/workbook/").content
    ProgrammeRecord.objects.all().delete()
    response = admin.post("/programmes/import/", {"file": SimpleUploadedFile("p.zip", folder)})
    assert response.status_code == 302, response.content.decode()[:3000]
    after = repository.to_programme(ProgrammeRecord.objects.get())
    assert programme_document(after) == programme_document(before)
    assert after.scores == before.scores
    ProgrammeRecord.objects.all().delete()
    response = admin.post("/programmes/import/", {"file": SimpleUploadedFile("p.xlsx", workbook)})
    assert response.status_code == 302, response.content.decode()[:3000]
    again = repository.to_programme(ProgrammeRecord.objects.get())
    assert programme_document(again) == programme_document(before)


def test_import_errors_are_located(as_user: Any, db: Any) -> None:
    lead = as_user("lead")
    text = (
        (example_path("plymouth-2010") / "programme.yaml")
        .read_text()
        .replace("commissioner: nhs-plymouth", "commissioner: nobody-here")
    )
    response = lead.post(
        "/programmes/import/", {"file": SimpleUploadedFile("programme.yaml", text.encode())}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "programme.yaml" in page and "nobody-here" in page
    assert not ProgrammeRecord.objects.filter(slug="plymouth-2010").exists()
    odd = lead.post("/programmes/import/", {"file": SimpleUploadedFile("x.exe", b"MZ")})
    assert "upload an Excel workbook" in odd.content.decode()


def test_upload_size_limit(as_user: Any, db: Any, settings: Any) -> None:
    settings.MAX_UPLOAD_BYTES = 100
    response = as_user("lead").post(
        "/programmes/import/", {"file": SimpleUploadedFile("p.zip", b"x" * 200)}
    )
    assert "limited to" in response.content.decode()


def test_zip_without_programme(as_user: Any, db: Any) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../evil.txt", "no")
    response = as_user("lead").post(
        "/programmes/import/", {"file": SimpleUploadedFile("p.zip", buffer.getvalue())}
    )
    assert "holds no programme.yaml" in response.content.decode()


def test_create_programme(as_user: Any, db: Any) -> None:
    lead = as_user("lead")
    response = lead.post(
        "/programmes/new/", {"id": "north-2026", "title": "North", "framework": "plymouth-2010"}
    )
    assert response.status_code == 302
    row = ProgrammeRecord.objects.get(slug="north-2026")
    assert row.title == "North"
    assert lead.get(f"/programmes/{row.slug}/").status_code == 200
    dup = lead.post(
        "/programmes/new/", {"id": "north-2026", "title": "Again", "framework": "plymouth-2010"}
    )
    assert "already exists" in dup.content.decode()


def test_members(as_user: Any, programme: ProgrammeRecord) -> None:
    lead = as_user("lead")
    path = f"/programmes/{programme.slug}/access/"
    assert lead.post(path, {"username": "outsider", "role": "viewer"}).status_code == 302
    assert as_user("outsider").get(f"/programmes/{programme.slug}/").status_code == 200
    assert lead.post(path, {"username": "outsider", "role": "remove"}).status_code == 302
    assert as_user("outsider").get(f"/programmes/{programme.slug}/").status_code == 403


def test_detail_names_the_commissioner_and_links_the_consultation_area(
    as_user: Any, programme: ProgrammeRecord
) -> None:
    document = programme.document
    name = next(o["name"] for o in document["organisations"] if o["id"] == document["commissioner"])
    page = as_user("viewer").get(f"/programmes/{programme.slug}/").content.decode()
    assert name in page
    assert f"/programmes/{programme.slug}/engagement/" in page
    assert "Engagement and consultation" in page
