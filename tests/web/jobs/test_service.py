"""The jobs API: one stored result per revision, kind and parameters; built once; recovered."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from caseforchange.web.jobs import service
from caseforchange.web.jobs.models import InputSnapshot, ResultStatus, StoredResult
from caseforchange.web.jobs.registry import UnknownKind
from caseforchange.web.jobs.tasks import run_result
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.models import ProgrammeRecord

from .kinds import CALLS


def _rename_first_option(row: ProgrammeRecord, name: str) -> ProgrammeRecord:
    data = repository.data_of(row)
    data["options"][0]["name"] = name
    repository.save(row, repository.validate(data, "test"), "test", "option edited", row.revision)
    return ProgrammeRecord.objects.get(pk=row.pk)


def test_a_result_is_built_once_per_revision_and_reused(programme: ProgrammeRecord) -> None:
    first_name = programme.document["options"][0]["name"]
    result = service.request_result(programme, "test.echo", {"n": 1})
    assert result.status == ResultStatus.DONE and result.progress == 100
    assert result.payload_json == {"revision": 1, "first": first_name, "params": {"n": 1}}
    again = service.request_result(programme, "test.echo", {"n": 1})
    assert again.pk == result.pk and len(CALLS) == 1
    # Other parameters are another result; so is the next revision.
    other = service.request_result(programme, "test.echo", {"n": 2})
    assert other.pk != result.pk and len(CALLS) == 2
    changed = _rename_first_option(programme, "Renamed option")
    newer = service.request_result(changed, "test.echo", {"n": 1})
    assert newer.revision == 2 and newer.payload_json["first"] == "Renamed option"
    assert service.find_result(changed, "test.echo", {"n": 1}) == newer
    assert service.find_result(changed, "test.echo", {"n": 3}) is None
    # Revision 1's two results, unfrozen, were pruned when revision 2's first was made.
    assert list(StoredResult.objects.values_list("revision", flat=True)) == [2]


def test_bytes_results_keep_their_content_type(programme: ProgrammeRecord) -> None:
    result = service.request_result(programme, "test.bytes")
    assert bytes(result.payload_bytes) == b"leicester-children-2010"
    assert result.content_type == "text/plain" and result.payload_json is None


def test_an_unknown_kind_is_refused(programme: ProgrammeRecord) -> None:
    with pytest.raises(UnknownKind):
        service.request_result(programme, "no.such.kind")
    assert not StoredResult.objects.exists()


def test_a_job_builds_the_revision_it_was_asked_for(
    programme: ProgrammeRecord, settings: Any
) -> None:
    settings.JOBS_MODE = "database"  # queued, not run: no worker in this test
    first_name = programme.document["options"][0]["name"]
    queued = service.request_result(programme, "test.echo")
    assert queued.status == ResultStatus.QUEUED and queued.progress == 0
    _rename_first_option(programme, "Changed while it waited")
    assert run_result(queued.pk) == "built"
    queued.refresh_from_db()
    assert queued.payload_json["first"] == first_name and queued.revision == 1
    # Finished results are never built again.
    assert run_result(queued.pk) == "skipped" and len(CALLS) == 1


def test_problems_a_person_can_fix_are_stored_located_and_can_be_retried(
    programme: ProgrammeRecord,
) -> None:
    failed = service.request_result(programme, "test.echo", {"fail": True})
    assert failed.status == ResultStatus.FAILED
    assert "programme.yaml" in failed.error and "options[0].name" in failed.error
    assert "is not a good name" in failed.error
    same = service.request_result(programme, "test.echo", {"fail": True})
    assert same.pk == failed.pk and len(CALLS) == 1
    retried = service.request_result(programme, "test.echo", {"fail": True}, retry_failed=True)
    assert retried.pk == failed.pk and len(CALLS) == 2 and retried.attempts == 2


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _running(programme: ProgrammeRecord, settings: Any, **fields: Any) -> StoredResult:
    settings.JOBS_MODE = "database"
    result = service.request_result(programme, "test.echo")
    StoredResult.objects.filter(pk=result.pk).update(
        status=ResultStatus.RUNNING, attempts=1, **fields
    )
    settings.JOBS_MODE = "immediate"  # a recovered job runs at once
    return result


def test_recover_requeues_a_job_whose_worker_process_is_gone(
    programme: ProgrammeRecord, settings: Any
) -> None:
    gone = f"{socket.gethostname()}:{_dead_pid()}"
    result = _running(programme, settings, worker=gone, heartbeat_at=timezone.now())
    assert service.recover() == [result.pk]
    result.refresh_from_db()
    assert result.status == ResultStatus.DONE and result.attempts == 2 and len(CALLS) == 1


def test_recover_leaves_a_live_job_and_requeues_a_silent_one(
    programme: ProgrammeRecord, settings: Any
) -> None:
    alive = f"{socket.gethostname()}:{os.getpid()}"
    result = _running(programme, settings, worker=alive, heartbeat_at=timezone.now())
    assert service.recover() == []
    # A worker on another machine is judged by its heartbeat alone.
    old = timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS + 1)
    StoredResult.objects.filter(pk=result.pk).update(worker="elsewhere:1", heartbeat_at=old)
    assert service.recover() == [result.pk]
    result.refresh_from_db()
    assert result.status == ResultStatus.DONE


def test_recover_gives_up_after_the_last_attempt(programme: ProgrammeRecord, settings: Any) -> None:
    gone = f"{socket.gethostname()}:{_dead_pid()}"
    result = _running(programme, settings, worker=gone, heartbeat_at=timezone.now())
    StoredResult.objects.filter(pk=result.pk).update(attempts=settings.JOB_MAX_ATTEMPTS)
    assert service.recover() == []
    result.refresh_from_db()
    assert result.status == ResultStatus.FAILED and "Gave up after 3 attempts" in result.error
    assert CALLS == []


def test_frozen_results_outlive_pruning(programme: ProgrammeRecord) -> None:
    kept = service.freeze(programme, programme.revision, ["test.echo"])
    assert [r.frozen for r in kept] == [True]
    service.request_result(programme, "test.bytes")
    changed = _rename_first_option(programme, "Later")
    # The first result of revision 2 prunes revision 1's unfrozen test.bytes result.
    service.request_result(changed, "test.echo")
    assert service.prune(changed) == 0
    assert set(StoredResult.objects.values_list("kind", "revision")) == {
        ("test.echo", 1),
        ("test.echo", 2),
    }
    assert service.frozen_results(changed, 1)["test.echo"].pk == kept[0].pk
    # Freezing a past revision keeps what is stored and asks for nothing new.
    assert service.freeze(changed, 1, ["test.bytes"]) == []
    assert InputSnapshot.objects.count() == 2
