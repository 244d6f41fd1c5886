"""The appraisal page and the paper's downloads, served from results stored per revision."""

from __future__ import annotations

from typing import Any

import pytest

from caseforchange.appraisal.run import appraise
from caseforchange.web.audit.models import AuditEntry
from caseforchange.web.jobs.models import ResultStatus, StoredResult
from caseforchange.web.jobs.tasks import run_result
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.models import AppraisalRun, ProgrammeRecord

ROLES = ["admin", "lead", "facilitator", "viewer"]


def test_first_view_queues_the_build_and_shows_progress_without_building(
    as_user: Any, programme: ProgrammeRecord, settings: Any
) -> None:
    settings.JOBS_MODE = "database"  # no worker: the job waits in the queue
    slug = programme.slug
    page = as_user("viewer").get(f"/programmes/{slug}/appraisal/").content.decode()
    job = StoredResult.objects.get()
    assert job.kind == "appraisal" and job.status == ResultStatus.QUEUED
    assert f'hx-get="/jobs/{job.pk}/?next=/programmes/{slug}/appraisal/"' in page
    assert "is being built in the background" in page and 'id="ranking"' not in page
    # Views while it waits reuse the same job.
    as_user("lead").get(f"/programmes/{slug}/appraisal/")
    assert StoredResult.objects.count() == 1

    assert run_result(job.pk) == "built"  # what the worker does
    page = as_user("viewer").get(f"/programmes/{slug}/appraisal/").content.decode()
    expected = appraise(repository.to_programme(programme)).ranking
    names = {o["id"]: o["name"] for o in programme.document["options"]}
    shown = [
        part.split('data-option="')[1].split('"')[0] for part in page.split('<th scope="row"')[1:]
    ]
    assert shown == expected and names[expected[0]] in page
    assert "data:image/svg+xml;base64" in page and "hx-get" not in page
    # Once shown, the four downloads are queued to be ready when asked for.
    kinds = set(StoredResult.objects.values_list("kind", flat=True))
    assert kinds == {"appraisal", "paper.html", "paper.pdf", "paper.docx", "workbook.xlsx"}


def test_a_download_waits_for_its_build_then_serves_the_stored_bytes(
    as_user: Any, programme: ProgrammeRecord, settings: Any
) -> None:
    settings.JOBS_MODE = "database"
    slug = programme.slug
    viewer = as_user("viewer")
    waiting = viewer.get(f"/programmes/{slug}/report.docx")
    job = StoredResult.objects.get(kind="paper.docx")
    assert (
        waiting.status_code == 200 and "Word Board paper of revision 1" in waiting.content.decode()
    )
    assert f"/jobs/{job.pk}/?next=/programmes/{slug}/report.docx" in waiting.content.decode()
    assert run_result(job.pk) == "built"
    response = viewer.get(f"/programmes/{slug}/report.docx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert response.content == bytes(StoredResult.objects.get(pk=job.pk).payload_bytes)
    assert 'filename="leicester-children-2010-report.docx"' in response["Content-Disposition"]
    assert viewer.get(f"/programmes/{slug}/report.odt").status_code == 404


def test_a_programme_that_cannot_be_appraised_says_why(
    as_user: Any, programme: ProgrammeRecord
) -> None:
    ProgrammeRecord.objects.filter(pk=programme.pk).update(scores=[])
    slug = programme.slug
    page = as_user("viewer").get(f"/programmes/{slug}/appraisal/").content.decode()
    assert "cannot be built yet" in page and 'data-status="failed"' in page
    response = as_user("viewer").get(f"/programmes/{slug}/report.pdf")
    assert response.status_code == 302 and response["Location"].endswith("/appraisal/")


@pytest.mark.parametrize("name", [*ROLES, "outsider"])
def test_appraisal_page_and_download_by_role(
    as_user: Any, programme: ProgrammeRecord, settings: Any, name: str
) -> None:
    settings.JOBS_MODE = "database"
    slug = programme.slug
    client = as_user(name)
    expected = 403 if name == "outsider" else 200
    assert client.get(f"/programmes/{slug}/appraisal/").status_code == expected
    assert client.get(f"/programmes/{slug}/report.pdf").status_code == expected


@pytest.mark.parametrize("name", [*ROLES])
def test_recording_a_run_is_for_leads_and_administrators(
    as_user: Any, programme: ProgrammeRecord, name: str
) -> None:
    slug = programme.slug
    response = as_user(name).post(f"/programmes/{slug}/appraisal/")
    if name in ("facilitator", "viewer"):
        assert response.status_code == 403 and not AppraisalRun.objects.exists()
        return
    assert response.status_code == 302
    run = AppraisalRun.objects.get()
    stored = StoredResult.objects.get(kind="appraisal")
    assert run.revision == 1 and run.result == stored.payload_json["result"]
    entry = AuditEntry.objects.get(action="appraisal run")
    assert entry.after["ranking"] == run.result["ranking"] and entry.actor == f"user {name}"


def test_recording_waits_for_the_build(
    as_user: Any, programme: ProgrammeRecord, settings: Any
) -> None:
    settings.JOBS_MODE = "database"
    response = as_user("lead").post(f"/programmes/{programme.slug}/appraisal/", follow=True)
    assert "still being built" in response.content.decode()
    assert not AppraisalRun.objects.exists()
