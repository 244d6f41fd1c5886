"""A slow test kind of result and a small command line, for tests that run a real worker.

``python -m tests.web.jobs.worker_helper enqueue`` stores the Leicester example and asks for a
``test.slow`` result (printing its id), as a web request would; ``status ID`` prints the
result, its key's row count and the queue's tasks as JSON. The worker loads this module
through ``CASEFORCHANGE_JOB_BUILDERS`` so it can build ``test.slow``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caseforchange.web.jobs.registry import Payload, Progress, register

if TYPE_CHECKING:
    from caseforchange.web.jobs.snapshot import Snapshot

#: Seconds each step of the slow build takes.
STEP_SECONDS = 0.25


@register("test.slow", label="A slow test build")
def build_slow(snapshot: Snapshot, params: dict[str, Any], progress: Progress) -> Payload:
    """Take ``CFC_TEST_STEPS`` quarter seconds, marking each attempt in ``CFC_TEST_MARKS``."""
    marks = Path(os.environ["CFC_TEST_MARKS"])
    steps = int(os.environ.get("CFC_TEST_STEPS", "20"))
    with (marks / "started").open("a", encoding="utf-8") as out:
        out.write(f"{os.getpid()}\n")
    for step in range(steps):
        progress(100 * step // steps, f"step {step + 1} of {steps}")
        time.sleep(STEP_SECONDS)
    with (marks / "returned").open("a", encoding="utf-8") as out:
        out.write(f"{os.getpid()}\n")
    return {"revision": snapshot.revision, "options": len(snapshot.data["options"])}


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caseforchange.web.settings")
    import django

    django.setup()


def enqueue() -> int:
    """Store the example programme and ask for its slow result; return the result's id."""
    from caseforchange.examples import example_path
    from caseforchange.io.folder import load_programme
    from caseforchange.web.jobs.service import request_result
    from caseforchange.web.programmes import repository

    loaded = load_programme(example_path("leicester-children-2010"))
    row = repository.create(loaded.programme, "test", loaded.file_hashes, "example loaded")
    return request_result(row, "test.slow").pk


def status(pk: int) -> dict[str, Any]:
    """Return the result's state, how many rows share its key, and the queue's tasks."""
    from django_tasks_db.models import DBTaskResult

    from caseforchange.web.jobs.models import StoredResult

    result = StoredResult.objects.get(pk=pk)
    same = StoredResult.objects.filter(
        programme=result.programme,
        revision=result.revision,
        kind=result.kind,
        params_hash=result.params_hash,
    ).count()
    return {
        "status": result.status,
        "attempts": result.attempts,
        "progress": result.progress,
        "payload": result.payload_json,
        "rows": same,
        "all_rows": StoredResult.objects.count(),
        "tasks": sorted(DBTaskResult.objects.values_list("status", flat=True)),
    }


if __name__ == "__main__":
    _setup()
    if sys.argv[1] == "enqueue":
        print(enqueue())
    else:
        print(json.dumps(status(int(sys.argv[2]))))
