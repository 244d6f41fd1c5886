"""The production command in docs/web.md serves the WSGI application (ADR 0022).

The load benchmark starts the server with ``server_command``; its flags must be the ones
"Deployment" documents. The test starts that command (on a free loopback port, a scratch
SQLite database), sends a phone's first two requests over one kept-alive connection, and
stops it the way a service manager would.
"""

from __future__ import annotations

import http.client
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _benchmark() -> ModuleType:
    """Return benchmarks/bench_web_load.py as a module (benchmarks are scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(
        "bench_web_load", ROOT / "benchmarks" / "bench_web_load.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


BENCH = _benchmark()


def _deployment_flags() -> list[str]:
    """Return the flags of the first granian command in docs/web.md, without host and port."""
    text = (ROOT / "docs" / "web.md").read_text(encoding="utf-8")
    command = text[text.index("  granian --interface wsgi") :].split("```", 1)[0]
    words = command.replace("\\\n", " ").split()
    return [word for word in words[1:] if word != "caseforchange.web.wsgi:application"]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[int]:
    """Yield the port of a granian server running the app; stop it with SIGTERM."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "caseforchange.web.settings",
        "CASEFORCHANGE_DATA_DIR": str(tmp_path),
        "CASEFORCHANGE_DEBUG": "0",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "caseforchange.web.manage", "migrate", "--noinput", "-v", "0"],
        env=env,
        check=True,
    )
    port = BENCH.free_port()
    command = BENCH.server_command(port, BENCH.WORKERS, BENCH.THREADS)
    process = subprocess.Popen(command, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, "granian exited while starting"
                assert time.monotonic() < deadline, "granian did not start within 60 s"
                time.sleep(0.2)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        returncode = process.wait(timeout=30)
    assert returncode == 0, f"granian did not stop cleanly on SIGTERM ({returncode})"


def test_the_documented_command_uses_two_workers_of_two_threads() -> None:
    flags = _deployment_flags()
    assert flags[:2] == ["--interface", "wsgi"]
    assert flags[flags.index("--workers") + 1] == "2"
    assert flags[flags.index("--blocking-threads") + 1] == "2"


def test_the_benchmark_serves_with_the_documented_flags() -> None:
    command = BENCH.server_command(8000, BENCH.WORKERS, BENCH.THREADS)
    assert command[:3] == [sys.executable, "-m", "granian"]
    assert command[-1] == "caseforchange.web.wsgi:application"
    # Where to listen and how much to log are the benchmark's own; the rest is the deployment.
    flags, words = [], iter(command[3:-1])
    for word in words:
        if word in ("--host", "--port", "--log-level"):
            next(words)
        else:
            flags.append(word)
    assert flags == _deployment_flags()


def test_granian_serves_a_phone_over_one_kept_alive_connection(server: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=30)
    connection.request("GET", "/join/")
    page = connection.getresponse()
    body = page.read().decode()
    assert page.status == 200
    assert "default-src 'self'" in (page.getheader("Content-Security-Policy") or "")
    assert 'name="code"' in body
    cookies = "; ".join(
        value.split(";", 1)[0] for name, value in page.getheaders() if name.lower() == "set-cookie"
    )
    token = dict(pair.split("=", 1) for pair in cookies.split("; "))["csrftoken"]
    connection.request(
        "POST",
        "/join/",
        body="code=ZZZZZZ",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookies,
            "X-CSRFToken": token,
        },
    )
    wrong = connection.getresponse()
    assert wrong.status == 200
    assert "that code is not open" in wrong.read().decode()
    connection.close()
