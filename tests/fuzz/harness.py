"""Run one command-line case in a forked child with memory and CPU limits, and judge it.

A fork after the imports costs milliseconds, so each generated input gets a fresh process
whose address space (RLIMIT_AS) and CPU time (RLIMIT_CPU) are capped: a case that would eat
the machine dies in the child and fails the test instead of the test run.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import resource
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from caseforchange.cli.main import app

#: What a child may use: far above any valid case here, far below what the bugs needed.
MEMORY_BYTES = 1_500_000_000
CPU_SECONDS = 30
#: ``LOCATION: field: message``, where LOCATION names a file we gave (with line or cell).
LOCATED = re.compile(r"^(?P<where>\S.*?): (?P<rest>.+)$")
MORE = re.compile(r"^\.\.\. and [\d,]+ more problems?")


@dataclass(frozen=True)
class Outcome:
    """How a case ended: the exit code, stdout and stderr."""

    exit_code: int
    stdout: str
    stderr: str


def _child(args: list[str], send: Any) -> None:
    try:
        _judge_in_child(args, send)
    finally:
        # Leave at once: the forked child must not run the parent's teardown (pytest, the
        # tracer hypothesis installed) under its memory limit.
        send.close()
        os._exit(0)


def _judge_in_child(args: list[str], send: Any) -> None:
    sys.settrace(None)  # hypothesis' coverage tracer is inherited through fork: not wanted here
    # The fork inherits the test process's address space, which grows over a long run (a
    # worker that ran the whole suite maps far more than a fresh one): the case gets
    # MEMORY_BYTES on top of what is already mapped.
    mapped = int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (mapped + MEMORY_BYTES, mapped + MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    result = CliRunner().invoke(app, args)
    code = result.exit_code if result.exception is None or result.exit_code != 1 else -1
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        detail = "".join(traceback.format_exception(result.exception))
        send.send(Outcome(-1, result.stdout, result.stderr + "\nTraceback:\n" + detail))
        return
    send.send(Outcome(code, result.stdout, result.stderr))


def run_limited(args: list[str]) -> Outcome:
    """Run the command line with ``args`` in a forked child under the limits.

    Returns:
        The outcome; exit code -9 (or another negative number) when the child was killed.
    """
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(args, send))
    child.start()
    send.close()
    outcome = None
    if receive.poll(CPU_SECONDS * 3):
        try:
            outcome = receive.recv()
        except EOFError:
            outcome = None
    child.join(5)
    if child.is_alive():
        child.kill()
        child.join()
    if outcome is None:
        return Outcome(child.exitcode if child.exitcode is not None else -9, "", "(no result)")
    return outcome


def snapshot(folder: Path) -> dict[str, str]:
    """Return every file under ``folder`` (hidden ones too) with the SHA-256 of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        if p.is_file()
        else "dir"
        for p in sorted(folder.rglob("*"))
    }


def assert_judged(outcome: Outcome, shown_prefix: str) -> None:
    """Check the promise: exit 0 or 2, no traceback, every error line located in our files."""
    assert outcome.exit_code in (0, 2), (outcome.exit_code, outcome.stderr[-3000:])
    assert "Traceback" not in outcome.stderr and "Traceback" not in outcome.stdout
    if outcome.exit_code == 2:
        lines = [line for line in outcome.stderr.splitlines() if line.strip()]
        assert lines, "exit 2 with no message"
        for line in lines:
            if MORE.match(line):
                continue
            found = LOCATED.match(line)
            assert found is not None, line
            assert found["where"].startswith(shown_prefix), line
            assert not found["where"].startswith("?"), line
    for text in (outcome.stdout, outcome.stderr):
        assert "\x1b]" not in text and "\x1b[" not in text, (
            "an escape sequence reached the terminal"
        )


def environment_note() -> str:
    """Return the limits the child runs under, for failure messages."""
    return f"RLIMIT_AS={MEMORY_BYTES}, RLIMIT_CPU={CPU_SECONDS}s, pid={os.getpid()}"
