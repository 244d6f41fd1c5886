"""Runs of the flow model on the background job queue: the ``flow`` kind of result.

A requested :class:`FlowRun` is handed to :func:`caseforchange.web.jobs.service.request_result`
as kind ``flow`` with the run's id as its parameter; the queue's worker calls
:func:`build_flow`, which computes the run and records its progress and result on the run's
row (the page reads them there). The job's own payload is a short summary.
"""

from __future__ import annotations

from typing import Any

from caseforchange.web.flow.models import FlowRun
from caseforchange.web.flow.runs import execute
from caseforchange.web.jobs.models import ResultStatus, StoredResult
from caseforchange.web.jobs.registry import Payload, Progress, register
from caseforchange.web.jobs.service import request_result
from caseforchange.web.jobs.snapshot import Snapshot

#: The kind of result a flow run is on the job queue.
KIND = "flow"


@register(KIND, label="Flow model run")
def build_flow(snapshot: Snapshot, params: dict[str, Any], progress: Progress) -> Payload:
    """Compute the flow run named in ``params`` and return its status and scenarios.

    A model or run refused by the engine is recorded on the run (its page shows why).
    """
    run_id = int(params["run"])
    progress(0, "Starting the flow model")
    execute(run_id, lambda percent, message: progress(percent, message))
    run = FlowRun.objects.get(pk=run_id)
    return {"run": run_id, "status": run.status, "scenarios": run.scenarios}


def start(run: FlowRun) -> None:
    """Put ``run`` on the background queue and remember its job."""
    job = request_result(run.programme, KIND, {"run": run.pk})
    FlowRun.objects.filter(pk=run.pk).update(job_id=str(job.pk))


def job_error(run: FlowRun) -> str:
    """Return why the run's job failed outside the engine (a lost worker, say), or blank."""
    if not run.job_id.isdigit() or run.status in (FlowRun.DONE, FlowRun.FAILED):
        return ""
    job = StoredResult.objects.filter(pk=int(run.job_id)).first()
    if job is None or job.status != ResultStatus.FAILED:
        return ""
    return job.error or "the background job failed"
