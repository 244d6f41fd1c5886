"""The jobs API other parts of the web app use: ask for a result, read it, freeze it, recover.

``request_result(row, kind, params)`` returns the stored result of the programme's current
revision for that kind and parameters, creating it and putting a job on the queue the first
time. A page shows it when ``ready`` and the progress panel otherwise; nothing is built inside
a request (unless the queue is the immediate one the tests use).
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from caseforchange.web.jobs.models import InputSnapshot, ResultStatus, StoredResult
from caseforchange.web.jobs.registry import kind_of
from caseforchange.web.jobs.snapshot import ProgrammeRow, fingerprint, take

#: Statuses of a result that a worker has yet to finish.
UNFINISHED = (ResultStatus.QUEUED, ResultStatus.RUNNING)


def params_hash(params: dict[str, Any], inputs: str) -> str:
    """Return the SHA-256 of the parameters (as canonical JSON) and the inputs' fingerprint."""
    text = json.dumps({"params": params, "inputs": inputs}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def find_result(
    row: ProgrammeRow, kind: str, params: dict[str, Any] | None = None
) -> StoredResult | None:
    """Return the stored result of the current revision for ``kind`` and ``params``, if any."""
    key = params_hash(params or {}, fingerprint(row))
    return StoredResult.objects.filter(
        programme_id=row.pk, revision=row.revision, kind=kind, params_hash=key
    ).first()


def request_result(
    row: ProgrammeRow,
    kind: str,
    params: dict[str, Any] | None = None,
    *,
    retry_failed: bool = False,
) -> StoredResult:
    """Return the result of the current revision for ``kind``, queueing its job the first time.

    A failed result is queued again only with ``retry_failed``. Making a new result prunes
    the finished results of older revisions that no sign-off froze.

    Returns:
        The stored result (queued, running, done or failed).

    Raises:
        UnknownKind: when no builder is registered for ``kind``.
    """
    kind_of(kind)
    params = dict(params or {})
    inputs = fingerprint(row)
    key = params_hash(params, inputs)
    lookup = {"programme_id": row.pk, "revision": row.revision, "kind": kind, "params_hash": key}
    found = StoredResult.objects.filter(**lookup).first()
    if found is not None:
        if found.status == ResultStatus.FAILED and retry_failed:
            requeue(found, "Asked again")
            found.refresh_from_db()
        return found
    with transaction.atomic():
        snapshot, _ = InputSnapshot.objects.get_or_create(
            programme_id=row.pk,
            revision=row.revision,
            fingerprint=inputs,
            defaults={"inputs": take(row).to_json()},
        )
        try:
            with transaction.atomic():
                result = StoredResult.objects.create(
                    **lookup, params=params, snapshot=snapshot, message="Waiting to start"
                )
        except IntegrityError:  # asked for at the same moment by someone else
            return StoredResult.objects.get(**lookup)
    _enqueue(result.pk)
    prune(row)  # a new revision's first result: the older revisions' are not needed
    result.refresh_from_db()
    return result


def _enqueue(result_id: int) -> None:
    """Queue the job of a result once the transaction that made it commits.

    The immediate queue (tests) runs it now, so call this after the result's own transaction.
    """
    from caseforchange.web.jobs.tasks import build_result

    def enqueue() -> None:
        queued = build_result.enqueue(result_id)
        StoredResult.objects.filter(pk=result_id, status=ResultStatus.QUEUED).update(
            task_id=str(queued.id)
        )

    if settings.JOBS_MODE == "immediate":
        enqueue()
    else:
        transaction.on_commit(enqueue)


def requeue(result: StoredResult, why: str) -> None:
    """Put an unfinished or failed result back on the queue (a done one is never rebuilt)."""
    with transaction.atomic():
        updated = StoredResult.objects.filter(
            pk=result.pk, status__in=[*UNFINISHED, ResultStatus.FAILED]
        ).update(
            status=ResultStatus.QUEUED,
            progress=0,
            message=why,
            error="",
            worker="",
            heartbeat_at=None,
            task_id="",
        )
    if updated:
        _enqueue(result.pk)


def freeze(row: ProgrammeRow, revision: int, kinds: list[str]) -> list[StoredResult]:
    """Keep the results of ``kinds`` for a revision for good, asking for any not built yet.

    Used by sign-off: the revision must be the programme's current one the first time, so its
    inputs can be taken; later calls freeze what is stored.

    Returns:
        The frozen results, one per kind that exists for the revision.
    """
    kept: list[StoredResult] = []
    for kind in kinds:
        result = (
            request_result(row, kind)
            if row.revision == revision
            else StoredResult.objects.filter(
                programme_id=row.pk, revision=revision, kind=kind
            ).first()
        )
        if result is not None:
            StoredResult.objects.filter(pk=result.pk).update(frozen=True)
            result.frozen = True
            kept.append(result)
    return kept


def frozen_results(row: ProgrammeRow, revision: int) -> dict[str, StoredResult]:
    """Return the frozen results of a revision by kind (the latest of each kind)."""
    found: dict[str, StoredResult] = {}
    for result in StoredResult.objects.filter(programme_id=row.pk, revision=revision, frozen=True):
        found.setdefault(result.kind, result)
    return found


def prune(row: ProgrammeRow) -> int:
    """Delete the stored results of older revisions, except frozen ones.

    Returns:
        How many results were deleted.
    """
    old = StoredResult.objects.filter(programme_id=row.pk, revision__lt=row.revision, frozen=False)
    deleted, _ = old.exclude(status__in=UNFINISHED).delete()
    InputSnapshot.objects.filter(programme_id=row.pk, results__isnull=True).delete()
    return deleted


def worker_name() -> str:
    """Return ``host:pid`` naming this process as a worker."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _process_gone(worker: str) -> bool:
    """True when ``worker`` ran on this host and its process has ended (or is a zombie)."""
    host, _, pid_text = worker.rpartition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def _task_alive(task_id: str) -> bool:
    """True when the queue still holds the task as waiting or running."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(pk=task_id, status__in=["READY", "RUNNING"]).exists()


def _fail_task(task_id: str, why: str) -> None:
    """Mark a queue task that lost its worker as failed, so it is not left running forever."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk=task_id, status="RUNNING").update(
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path="caseforchange.web.jobs.WorkerLost",
        traceback=why,
    )


def recover(now: datetime | None = None) -> list[int]:
    """Queue again the results whose worker died or whose job left the queue unfinished.

    A running result is lost when its worker process on this host has ended, or when its
    heartbeat is older than ``JOB_STALE_SECONDS``; a queued one when its task is no longer
    waiting in the queue. Each is retried up to ``JOB_MAX_ATTEMPTS`` times, then failed.

    Returns:
        The ids of the results queued again.
    """
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.JOB_STALE_SECONDS)
    grace = now - timedelta(seconds=settings.JOB_HEARTBEAT_SECONDS * 2)
    again: list[int] = []
    for result in StoredResult.objects.filter(status__in=UNFINISHED).order_by("id"):
        if result.status == ResultStatus.RUNNING:
            lost = _process_gone(result.worker) or (
                result.heartbeat_at is None or result.heartbeat_at < stale
            )
        else:
            lost = not _task_alive(result.task_id) if result.task_id else result.created_at < grace
        if not lost:
            continue
        if result.task_id:
            _fail_task(result.task_id, f"worker {result.worker or '(none)'} lost the job")
        if result.attempts >= settings.JOB_MAX_ATTEMPTS:
            StoredResult.objects.filter(pk=result.pk, status__in=UNFINISHED).update(
                status=ResultStatus.FAILED,
                error=f"Gave up after {result.attempts} attempts: the worker stopped each time",
                finished_at=now,
            )
            continue
        requeue(result, "Started again after the worker stopped")
        again.append(result.pk)
    return again
