"""Flow runs on the background queue: the ``flow`` kind, progress while waiting, failures shown."""

from __future__ import annotations

from typing import Any

from caseforchange.web.flow.models import FlowRecord, FlowRun
from caseforchange.web.jobs.models import ResultStatus, StoredResult
from caseforchange.web.jobs.registry import kinds
from caseforchange.web.programmes.models import ProgrammeRecord


def _start(as_user: Any, row: ProgrammeRecord, replications: int = 2) -> tuple[FlowRun, str]:
    base = f"/programmes/{row.slug}/flow/"
    post = {"scenarios": ["now"], "replications": str(replications)}
    response = as_user("lead").post(base + "runs/", post)
    return FlowRun.objects.get(), response["Location"]


def test_the_flow_kind_is_registered_and_a_run_is_built_by_its_job(
    as_user: Any, small_flow: ProgrammeRecord
) -> None:
    assert "flow" in kinds()
    run, _ = _start(as_user, small_flow)
    job = StoredResult.objects.get(pk=int(run.job_id))
    assert job.kind == "flow" and job.params == {"run": run.pk}
    assert job.status == ResultStatus.DONE
    assert job.payload_json == {"run": run.pk, "status": "done", "scenarios": ["now"]}
    # The run's own row holds the result: 2 replications of scenario "now".
    assert run.result is not None and run.result["replications"] == 2
    assert [s["id"] for s in run.result["scenarios"]] == ["now"]


def test_a_queued_run_shows_its_progress_and_polls(
    as_user: Any, small_flow: ProgrammeRecord, settings: Any
) -> None:
    settings.JOBS_MODE = "database"  # the job waits for a worker (none in this test)
    run, url = _start(as_user, small_flow)
    assert run.status == FlowRun.QUEUED
    page = as_user("viewer").get(url).content.decode()
    assert "Waiting for a worker" in page and "hx-trigger" in page
    status = as_user("viewer").get(url + "status/")
    assert "HX-Refresh" not in status
    # A job that fails outside the engine (its worker lost for good) is said so, and polling stops.
    StoredResult.objects.filter(pk=int(run.job_id)).update(
        status=ResultStatus.FAILED, error="worker lost"
    )
    page = as_user("viewer").get(url).content.decode()
    assert "could not be finished: worker lost" in page and "hx-trigger" not in page
    assert as_user("viewer").get(url + "status/")["HX-Refresh"] == "true"


def test_a_run_the_engine_refuses_is_failed_with_the_located_reason(
    as_user: Any, small_flow: ProgrammeRecord
) -> None:
    # 63 referrals a week for 60 days is 540 a replication: 2 pass a limit of 1,500, 3 do not.
    record = FlowRecord.objects.get(programme=small_flow)
    record.document["run"]["max_referrals"] = 1500
    record.save()
    run, url = _start(as_user, small_flow, replications=3)
    assert run.status == FlowRun.FAILED and run.result is None
    page = as_user("lead").get(url).content.decode()
    assert "The model could not be run" in page
    assert "about 1,620 referrals over 3 runs, above the limit of 1,500" in page
