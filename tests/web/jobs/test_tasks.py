"""A real worker killed with SIGKILL mid-job: after a restart the job completes, stored once.

Everything runs in subprocesses against a database of the test's own (a fresh SQLite file, or
a fresh PostgreSQL database when ``DATABASE_URL`` is set), as ``make run`` would: the process
that asks for the result exits before any worker starts, so the job lives in the database.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def job_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of the subprocesses: their own database, the slow test kind."""
    marks = tmp_path / "marks"
    marks.mkdir()
    env = dict(os.environ)
    env.update(
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src")]),
        DJANGO_SETTINGS_MODULE="caseforchange.web.settings",
        CASEFORCHANGE_DATA_DIR=str(tmp_path / "data"),
        CASEFORCHANGE_JOBS="database",
        CASEFORCHANGE_JOB_BUILDERS="tests.web.jobs.worker_helper",
        CASEFORCHANGE_JOB_HEARTBEAT_SECONDS="0.5",
        CASEFORCHANGE_JOB_STALE_SECONDS="30",
        CFC_TEST_MARKS=str(marks),
        CFC_TEST_STEPS="60",  # 15 s a build: time to see it running and kill it
    )
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        env.pop("DATABASE_URL", None)
        yield env
        return
    psycopg = pytest.importorskip("psycopg")
    base, _, _ = url.rpartition("/")
    name = f"cfc_jobs_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = f"{base}/{name}"
    try:
        yield env
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "caseforchange.web.manage",
                "jobs_worker",
                "--interval=0.2",
                "--no-startup-delay",
            ],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _wait(what: Callable[[], Any], seconds: float) -> Any:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        found = what()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("timed out waiting")


def test_a_job_killed_mid_run_completes_once_after_the_worker_restarts(
    job_env: dict[str, str], tmp_path: Path
) -> None:
    marks = Path(job_env["CFC_TEST_MARKS"])
    log = tmp_path / "worker.log"
    _run(job_env, "-m", "caseforchange.web.manage", "migrate", "--noinput", "-v", "0")
    result_id = int(_run(job_env, "-m", "tests.web.jobs.worker_helper", "enqueue"))

    def status() -> dict[str, Any]:
        text = _run(job_env, "-m", "tests.web.jobs.worker_helper", "status", str(result_id))
        found: dict[str, Any] = json.loads(text)
        return found

    before = status()
    assert before["status"] == "queued" and before["tasks"] == ["READY"]

    first = _worker(job_env, log)
    try:
        _wait(lambda: (marks / "started").exists(), 120)
        running = status()
        assert running["status"] == "running" and running["tasks"] == ["RUNNING"]
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    killed = status()
    assert killed["status"] == "running" and killed["attempts"] == 1
    assert not (marks / "returned").exists()  # it never got to the end

    second = _worker(job_env, log)
    try:
        after = _wait(lambda: (s := status())["status"] == "done" and s, 120)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=60)
    assert after["rows"] == 1 and after["all_rows"] == 1, log.read_text()
    assert after["attempts"] == 2 and after["progress"] == 100
    # Built from revision 1 of the Leicester example, which has four options.
    assert after["payload"] == {"revision": 1, "options": 4}
    # The lost task is marked failed; the retry's task finished successfully.
    assert after["tasks"] == ["FAILED", "SUCCESSFUL"], log.read_text()
    assert len((marks / "started").read_text().split()) == 2
    assert len((marks / "returned").read_text().split()) == 1
