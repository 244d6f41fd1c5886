"""Job routes: status (panel and JSON), download and retry, for each role."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from caseforchange.web.jobs import service
from caseforchange.web.jobs.models import ResultStatus, StoredResult
from caseforchange.web.programmes.models import ProgrammeRecord

from .kinds import CALLS

ROLES = ["admin", "lead", "facilitator", "viewer"]


@pytest.mark.parametrize("name", [*ROLES, "outsider"])
def test_status_json_and_panel_by_role(as_user: Any, programme: ProgrammeRecord, name: str) -> None:
    result = service.request_result(programme, "test.echo", {"n": 1})
    client = as_user(name)
    response = client.get(f"/jobs/{result.pk}/", {"format": "json"})
    if name == "outsider":
        assert response.status_code == 403
        assert client.get(f"/jobs/{result.pk}/download/").status_code == 403
        return
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "done" and data["progress"] == 100 and data["kind"] == "test.echo"
    assert "payload_json" not in data and data["revision"] == 1
    panel = client.get(f"/jobs/{result.pk}/").content.decode()
    assert 'data-status="done"' in panel and "hx-trigger" not in panel  # no more polling


def test_anonymous_users_are_sent_to_sign_in(programme: ProgrammeRecord) -> None:
    result = service.request_result(programme, "test.echo")
    response = Client().get(f"/jobs/{result.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Client().get("/jobs/999/").status_code == 302


def test_a_running_job_polls_and_a_finished_one_redirects_htmx(
    as_user: Any, programme: ProgrammeRecord, settings: Any
) -> None:
    settings.JOBS_MODE = "database"
    queued = service.request_result(programme, "test.echo")
    viewer = as_user("viewer")
    target = f"/programmes/{programme.slug}/appraisal/"
    panel = viewer.get(f"/jobs/{queued.pk}/", {"next": target}).content.decode()
    assert 'data-status="queued"' in panel and 'hx-trigger="every 1s"' in panel
    assert f"/jobs/{queued.pk}/?next=/programmes/{programme.slug}/appraisal/" in panel
    StoredResult.objects.filter(pk=queued.pk).update(
        status=ResultStatus.RUNNING, progress=40, message="Drawing <charts>"
    )
    panel = viewer.get(f"/jobs/{queued.pk}/").content.decode()
    assert 'value="40"' in panel and "Drawing &lt;charts&gt;</span>: 40% done" in panel
    StoredResult.objects.filter(pk=queued.pk).update(status=ResultStatus.DONE, progress=100)
    done = viewer.get(f"/jobs/{queued.pk}/", {"next": target}, headers={"HX-Request": "true"})
    assert done.status_code == 204 and done["HX-Redirect"] == target
    # Only a local address is followed.
    foreign = viewer.get(
        f"/jobs/{queued.pk}/", {"next": "https://evil.example/"}, headers={"HX-Request": "true"}
    )
    assert foreign.status_code == 200 and "evil" not in foreign.content.decode()


def test_download_serves_built_bytes_only(
    as_user: Any, programme: ProgrammeRecord, settings: Any
) -> None:
    built = service.request_result(programme, "test.bytes")
    response = as_user("viewer").get(f"/jobs/{built.pk}/download/")
    assert response.status_code == 200 and response.content == b"leicester-children-2010"
    assert response["Content-Type"] == "text/plain"
    assert "leicester-children-2010-revision-1-test.bytes" in response["Content-Disposition"]
    # JSON results and results not built yet have nothing to download.
    echo = service.request_result(programme, "test.echo")
    assert as_user("viewer").get(f"/jobs/{echo.pk}/download/").status_code == 404
    settings.JOBS_MODE = "database"
    queued = service.request_result(programme, "test.bytes", {"later": 1})
    assert as_user("viewer").get(f"/jobs/{queued.pk}/download/").status_code == 404
    assert as_user("viewer").get("/jobs/99999/download/").status_code == 404


@pytest.mark.parametrize("name", [*ROLES, "outsider"])
def test_retry_is_for_leads_and_administrators(
    as_user: Any, programme: ProgrammeRecord, name: str
) -> None:
    failed = service.request_result(programme, "test.echo", {"fail": True})
    assert failed.status == ResultStatus.FAILED and len(CALLS) == 1
    viewer_panel = as_user("viewer").get(f"/jobs/{failed.pk}/").content.decode()
    assert "is not a good name" in viewer_panel and "Try again" not in viewer_panel
    response = as_user(name).post(f"/jobs/{failed.pk}/retry/")
    if name in ("admin", "lead"):
        assert response.status_code == 200 and len(CALLS) == 2
        failed.refresh_from_db()
        assert failed.attempts == 2
    else:
        assert response.status_code == 403 and len(CALLS) == 1
    assert as_user("lead").get(f"/jobs/{failed.pk}/retry/").status_code == 405
