"""The one queue task: build a stored result with its kind's builder, at most once.

The task claims the result (queued -> running, with this worker's name and a heartbeat), runs
the builder outside any transaction while a thread keeps the heartbeat fresh, then writes the
payload and ``done`` in one transaction, but only if no other attempt finished first. A
worker killed mid-job leaves the result running with a stale heartbeat; ``service.recover``
queues it again when a worker starts, so it completes once and is never stored twice.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import TaskContext, task

from caseforchange.domain.problems import InvalidInput
from caseforchange.web.jobs.models import ResultStatus, StoredResult
from caseforchange.web.jobs.registry import Payload, kind_of
from caseforchange.web.jobs.service import UNFINISHED, worker_name
from caseforchange.web.jobs.snapshot import Snapshot

logger = logging.getLogger(__name__)


class _Heartbeat(threading.Thread):
    """Touch the result's heartbeat every ``JOB_HEARTBEAT_SECONDS`` until stopped."""

    def __init__(self, result_id: int) -> None:
        super().__init__(name=f"heartbeat-{result_id}", daemon=True)
        self.result_id = result_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.JOB_HEARTBEAT_SECONDS):
                StoredResult.objects.filter(pk=self.result_id, status=ResultStatus.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        except Exception:  # a heartbeat that fails only makes the job look stale sooner
            logger.exception("heartbeat of result %s stopped", self.result_id)
        finally:
            connection.close()


def _claim(result_id: int, task_id: str) -> StoredResult | None:
    """Mark the result running by this worker; None when it is finished or unknown."""
    with transaction.atomic():
        result = StoredResult.objects.select_for_update().filter(pk=result_id).first()
        if result is None or result.status not in UNFINISHED:
            return None
        result.status = ResultStatus.RUNNING
        result.attempts += 1
        result.worker = worker_name()
        result.task_id = task_id
        result.heartbeat_at = result.started_at = timezone.now()
        result.progress = 0
        result.message = "Starting"
        result.save()
    return result


def _finish(result_id: int, payload: Payload | None, content_type: str, error: str) -> bool:
    """Store the payload (or the error) and the final status, unless already finished.

    Returns:
        True when this attempt wrote the result.
    """
    with transaction.atomic():
        result = StoredResult.objects.select_for_update().filter(pk=result_id).first()
        if result is None or result.finished:
            return False
        result.finished_at = timezone.now()
        result.heartbeat_at = result.finished_at
        if error:
            result.status = ResultStatus.FAILED
            result.error = error
            result.message = "Could not be built"
        else:
            result.status = ResultStatus.DONE
            result.progress = 100
            result.message = "Ready"
            if isinstance(payload, bytes):
                result.payload_bytes = payload
                result.content_type = content_type
            else:
                result.payload_json = payload
                result.content_type = "application/json"
        result.save()
    return True


def run_result(result_id: int, task_id: str = "") -> str:
    """Build one stored result if it still needs building; return what happened.

    Returns:
        ``"built"``, ``"failed"``, ``"skipped"`` (already finished or gone) or ``"lost"``
        (another attempt finished first).
    """
    result = _claim(result_id, task_id)
    if result is None:
        return "skipped"
    kind = kind_of(result.kind)
    snapshot = Snapshot.from_json(result.snapshot.inputs)

    def progress(percent: int, message: str = "") -> None:
        StoredResult.objects.filter(pk=result_id, status=ResultStatus.RUNNING).update(
            progress=max(0, min(99, int(percent))),
            message=message[:200],
            heartbeat_at=timezone.now(),
        )

    beat: _Heartbeat | None = None
    if not connection.in_atomic_block:  # the immediate queue runs inside the request
        beat = _Heartbeat(result_id)
        beat.start()
    payload: Payload | None = None
    error = ""
    try:
        payload = kind.builder(snapshot, dict(result.params), progress)
    except InvalidInput as problem:
        error = "\n".join(p.render() for p in problem.problems)
    except Exception as failure:
        logger.exception("building %s failed", result)
        error = f"{type(failure).__name__}: {failure}"
    finally:
        if beat is not None:
            beat.stopped.set()
            beat.join()
    wrote = _finish(result_id, payload, kind.content_type, error)
    if not wrote:
        return "lost"
    return "failed" if error else "built"


@task(takes_context=True)
def build_result(context: TaskContext, result_id: int) -> str:
    """Queue task: build the stored result ``result_id`` (see :func:`run_result`)."""
    return run_result(result_id, str(context.task_result.id))
