"""Web load: phones join workshop sessions at once and each submit 20 scores.

Two figures are quoted: 300 phones in one session (issue 7) and 1,000 phones across four
sessions at once, arriving over the same 30 seconds (issue 10: ``--participants 1000
--sessions 4``).

Target (issue 7), on a 2-core machine, against a local server on 127.0.0.1 only:
- zero lost and zero duplicated scores, counted in the database afterwards;
- p95 response time <= 200 ms over every request of the run.

It runs on SQLite (a fresh file in a temporary folder) and, when ``DATABASE_URL`` names a
PostgreSQL server, again on a scratch database created beside it and dropped afterwards.
The server is granian (2 workers x 2 threads, as docs/web.md advises for 2 cores) started
and stopped by this script; the client (its own small HTTP client, on uvloop when installed)
is a bounded asyncio load of 300 participants arriving over 30 seconds, each
joining with the code and then scoring four options on five criteria with a few seconds'
thought between pages. Every loop is bounded, and the script stops by itself.

Run: ``PYTHONPATH=src python benchmarks/bench_web_load.py [--participants N] [--sessions S]
[--arrival-seconds A] [--databases sqlite,postgresql] [--workers W] [--threads T]``;
participant i joins session i mod S.
Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = "leicester-children-2010"
OPTIONS, CRITERIA = 4, 5  # 20 scores per participant
ARRIVAL_SECONDS = 30.0
THINK_SECONDS = (2.0, 4.0)
#: How long after the last arrival a participant may take: four options' thinking and pages.
FINISH_SECONDS = 30.0
P95_TARGET_MS = 200.0
#: The server's processes and threads per process, as docs/web.md's deployment advises.
WORKERS, THREADS = 2, 2


@dataclass
class Stats:
    """Latencies and failures seen by the client."""

    latencies: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    finished: int = 0
    #: Scores the server said it saved (a redirect after a score POST): none may be missing.
    acknowledged: int = 0


def free_port() -> int:
    """Return a free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def setup(
    env: dict[str, str], sessions: int, cap: int
) -> list[tuple[str, str, list[str], list[str]]]:
    """Migrate, load the example and open the sessions, in a child process; return their plans.

    Each plan is (code, group, options, criteria).
    """
    script = f"""
import django, json
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from caseforchange.examples import example_path
from caseforchange.io.folder import load_programme
from caseforchange.web.programmes import repository
from caseforchange.web.workshops import repository as workshops
loaded = load_programme(example_path({EXAMPLE!r}))
row = repository.create(loaded.programme, "bench", loaded.file_hashes, "example loaded")
plans = []
for n in range({sessions}):
    session = workshops.open_session(row, "workshop", f"Load test {{n}}", "bench", None,
                                     cap={cap})
    plans.append([session.code, session.groups[0]["id"],
                  [o["id"] for o in session.options][:{OPTIONS}],
                  [c["id"] for c in session.criteria][:{CRITERIA}]])
print(json.dumps(plans))
"""
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    import json

    plans = json.loads(out.stdout.strip().splitlines()[-1])
    return [(code, group, options, criteria) for code, group, options, criteria in plans]


def count(env: dict[str, str], codes: list[str]) -> dict[str, Any]:
    """Count participants, scores, duplicates and audit entries of the sessions."""
    script = f"""
import django, json
django.setup()
from django.db.models import Count
from caseforchange.web.workshops.models import Participant, SessionScore, WorkshopSession
from caseforchange.web.audit.models import AuditEntry
from caseforchange.web.audit.chain import verify
s = WorkshopSession.objects.filter(code__in={codes!r})
scores = SessionScore.objects.filter(session__in=s)
people = Participant.objects.filter(session__in=s)
dups = (scores.values("participant", "option", "criterion")
        .annotate(n=Count("id")).filter(n__gt=1).count())
given = {{}}
for pid, value in scores.values_list("participant", "value"):
    given.setdefault(pid, set()).add(value)
# Each participant gave one value everywhere: any mixture means a score went to the wrong person.
wrong = sum(len(v) > 1 for v in given.values())
values = sorted(int(next(iter(v))) for v in given.values())
print(json.dumps({{"participants": people.count(),
    "submitted": people.exclude(submitted_at=None).count(),
    "scores": scores.count(), "duplicates": dups,
    "wrong_values": wrong, "values": values,
    "audit_scores": AuditEntry.objects.filter(action="workshop score").count(),
    "chain_ok": int(verify().ok)}}))
"""
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    import json

    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


class Phone:
    """One phone's HTTP/1.1 connection: keep-alive, cookies, form posts; nothing else.

    Written on asyncio streams rather than a client library because the load generator shares
    the two cores with the server it measures: aiohttp (its cookie jar above all) cost about
    1 ms of CPU per request, a sixth of the machine at 1,000 phones. This client reads a
    response by its Content-Length or chunked encoding, keeps each cookie's name and value
    (the server sets them for one host and path), and reconnects when the server has closed an
    idle connection.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        """Close the connection, if one is open."""
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, data: dict[str, str] | None = None) -> int:
        """Send one request and read the whole response; return its status code.

        Raises OSError (or asyncio.IncompleteReadError) when the connection fails twice.
        """
        body = urlencode(data).encode() if data is not None else b""
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        if self.cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        token = self.cookies.get("csrftoken")
        if token:
            head.append(f"X-CSRFToken: {token}")
        if method == "POST":
            head.append("Content-Type: application/x-www-form-urlencoded")
            head.append(f"Content-Length: {len(body)}")
        raw = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        for attempt in (1, 2):
            fresh = self.writer is None
            if fresh:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            assert self.reader is not None and self.writer is not None
            try:
                self.writer.write(raw)
                await self.writer.drain()
                return await self._response()
            except (OSError, asyncio.IncompleteReadError):
                await self.close()
                if fresh or attempt == 2:  # only a reused connection may have been closed
                    raise
        raise AssertionError("unreachable")

    async def _response(self) -> int:
        assert self.reader is not None
        status_line = await self.reader.readuntil(b"\r\n")
        status = int(status_line.split(b" ", 2)[1])
        length, chunked, keep = 0, False, True
        while True:
            line = await self.reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding":
                chunked = "chunked" in value.lower()
            elif name == "connection":
                keep = value.lower() != "close"
            elif name == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, cookie = pair.partition("=")
                if cookie and "max-age=0" not in value.lower():
                    self.cookies[key.strip()] = cookie.strip()
                else:
                    self.cookies.pop(key.strip(), None)
        if chunked:
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        elif length:
            await self.reader.readexactly(length)
        if not keep:
            await self.close()
        return status


async def participant(
    index: int,
    base: str,
    plan: tuple[str, str, list[str], list[str]],
    stats: Stats,
    start: float,
    total: int,
    arrival: float,
) -> None:
    """One phone: join, score each option, submit; every request is timed."""
    code, group, options, criteria = plan
    await asyncio.sleep(index * arrival / total)
    rng = random.Random(index)
    value = str(index % 11)  # known per participant, so the database can be checked
    address = urlparse(base)
    phone = Phone(address.hostname or "127.0.0.1", address.port or 80)

    async def call(method: str, path: str, data: dict[str, str] | None = None) -> int:
        began = time.perf_counter()
        try:
            async with asyncio.timeout(30.0):
                status = await phone.request(method, path, data)
        except (OSError, asyncio.IncompleteReadError, TimeoutError) as error:
            stats.failures.append(f"{method} {path}: {type(error).__name__}")
            await phone.close()
            return 0
        took = time.perf_counter() - began
        stats.latencies.append(took)
        kind = method + " " + "/".join(path.split("/")[:3])
        stats.by_kind.setdefault(kind, []).append(took)
        if status >= 400:
            stats.failures.append(f"{method} {path}: {status}")
        return status

    try:
        await call("GET", "/join/")
        await call("POST", "/join/", {"code": code})
        await call("GET", "/join/you/")
        await call("POST", "/join/you/", {"display_name": "", "group": group})
        for option in options:
            await asyncio.sleep(rng.uniform(*THINK_SECONDS))
            await call("GET", f"/w/score/{option}/")
            saved = await call(
                "POST", f"/w/score/{option}/", {f"score-{c}": value for c in criteria}
            )
            stats.acknowledged += len(criteria) if saved == 302 else 0
        await call("POST", "/w/submit/")
    finally:
        await phone.close()
    stats.finished += 1
    if time.perf_counter() - start > arrival + FINISH_SECONDS:
        stats.failures.append(f"participant {index} finished after {arrival + FINISH_SECONDS} s")


async def warm(base: str, count: int) -> None:
    """Send ``count`` join-page requests at once, three times, and read the answers."""
    address = urlparse(base)

    async def one() -> None:
        phone = Phone(address.hostname or "127.0.0.1", address.port or 80)
        try:
            await phone.request("GET", "/join/")
        finally:
            await phone.close()

    for _ in range(3):
        await asyncio.gather(*(one() for _ in range(count)))


def run_async(main: Coroutine[Any, Any, None]) -> None:
    """Run ``main`` on uvloop's event loop when it is installed (the ``bench`` extra).

    The load generator shares the two cores with the server it measures: uvloop's loop, in C,
    spends about half the CPU per request of asyncio's own.
    """
    try:
        import uvloop
    except ImportError:  # asyncio's own loop measures the same, at a higher cost
        asyncio.run(main)
        return
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        runner.run(main)


def wait_for(url: str, seconds: float = 180.0) -> None:
    """Wait until the server answers, or fail saying what the last attempt met."""
    deadline = time.monotonic() + seconds
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=10.0).close()
            return
        except OSError as error:  # refused, reset or timed out while the server starts
            last = error
            time.sleep(0.2)
    raise RuntimeError(f"the server did not start at {url}: {last}")


def server_command(port: int, workers: int, threads: int) -> list[str]:
    """Return the command that serves the app on 127.0.0.1:``port`` as docs/web.md deploys it.

    Granian with ``workers`` processes of ``threads`` threads running the app (ADR 0022).
    """
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        # Keep each thread (and its database connection) between bursts of the room.
        "--blocking-threads-idle-timeout",
        "600",
        "--respawn-failed-workers",
        "--log-level",
        "warning",
        "caseforchange.web.wsgi:application",
    ]


def run(
    label: str,
    env: dict[str, str],
    participants: int,
    sessions: int,
    arrival: float,
    processes: tuple[int, int] = (WORKERS, THREADS),
) -> bool:
    """Run the whole load against one database; print the figures; return PASS.

    ``processes`` is the server's (workers, threads per worker).
    """
    load_before = os.getloadavg()[0]  # the machine is shared: say how busy it was
    plans = setup(env, sessions, cap=participants)
    options, criteria = plans[0][2], plans[0][3]
    database_before = postgres_cpu() if "DATABASE_URL" in env else None
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    self_before = resource.getrusage(resource.RUSAGE_SELF)
    port = free_port()
    server = subprocess.Popen(
        server_command(port, *processes),
        env=env,
        cwd=str(ROOT),
        start_new_session=True,
    )
    stats = Stats()
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/join/")
        # Warm every worker's imports and connections before timing: requests at once, so
        # that each worker takes some (a worker imports the views on its first request).
        run_async(warm(base, 60))
        serving_before = tree_cpu(server.pid)
        start = time.perf_counter()

        async def everyone() -> None:
            async with asyncio.timeout(arrival + FINISH_SECONDS + 60):
                await asyncio.gather(
                    *(
                        participant(
                            i, base, plans[i % sessions], stats, start, participants, arrival
                        )
                        for i in range(participants)
                    )
                )

        try:
            run_async(everyone())
        except TimeoutError:  # a busy machine: report what was measured, as a failure
            stats.failures.append(f"gave up after {arrival + FINISH_SECONDS + 60:.0f} s")
        elapsed = time.perf_counter() - start
        serving = tree_cpu(server.pid) - serving_before
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:  # workers still finishing on a busy machine
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
    server_cpu = _cpu(resource.getrusage(resource.RUSAGE_CHILDREN)) - _cpu(children_before)
    client_cpu = _cpu(resource.getrusage(resource.RUSAGE_SELF)) - _cpu(self_before)
    database_after = postgres_cpu() if database_before is not None else None
    database_cpu = (
        f", database server {database_after - database_before:.1f} s "
        f"({(database_after - database_before) * 1000 / max(1, len(stats.latencies)):.2f} ms"
        " per request)"
        if database_before is not None and database_after is not None
        else ""
    )
    counts = count(env, [plan[0] for plan in plans])
    expected = participants * len(options) * len(criteria)
    lat = sorted(stats.latencies)
    p50 = statistics.median(lat) * 1000
    p95 = lat[int(0.95 * (len(lat) - 1))] * 1000
    lost = expected - counts["scores"] + counts["duplicates"]
    ok = (
        lost == 0
        and counts["duplicates"] == 0
        and counts["wrong_values"] == 0
        and counts["values"] == sorted(i % 11 for i in range(participants))
        and counts["participants"] == participants
        and counts["submitted"] == participants
        and counts["chain_ok"] == 1
        and not stats.failures
        and p95 <= P95_TARGET_MS
    )
    print(
        f"== {label}: {participants} participants in {sessions} session(s) arriving over "
        f"{arrival:.0f} s, x {len(options) * len(criteria)} scores; "
        f"granian {processes[0]} workers x {processes[1]} threads; "
        f"load average before {load_before:.1f}, after {os.getloadavg()[0]:.1f}"
    )
    print(
        f"   requests {len(lat)} in {elapsed:.1f} s ({len(lat) / elapsed:.0f}/s), "
        f"failures {len(stats.failures)} {stats.failures[:3]}"
    )
    print(
        f"   latency p50 {p50:.0f} ms, p95 {p95:.0f} ms (target <= {P95_TARGET_MS:.0f}), "
        f"max {lat[-1] * 1000:.0f} ms"
    )
    print(
        f"   CPU: web server {server_cpu:.1f} s with start-up, {serving:.1f} s serving the load "
        f"({serving * 1000 / max(1, len(lat)):.2f} ms per request), "
        f"load generator {client_cpu:.1f} s{database_cpu} "
        f"(of {2 * elapsed:.0f} core-seconds on 2 cores)"
    )
    for kind, times in sorted(stats.by_kind.items()):
        times = sorted(times)
        print(
            f"     {kind:<22} n={len(times):<5} p50 {statistics.median(times) * 1000:4.0f} ms"
            f"  p95 {times[int(0.95 * (len(times) - 1))] * 1000:4.0f} ms"
        )
    print(
        f"   database: participants {counts['participants']}, submitted {counts['submitted']}, "
        f"scores {counts['scores']} of {expected} ({stats.acknowledged} acknowledged), "
        f"lost {lost}, acknowledged but missing {max(0, stats.acknowledged - counts['scores'])}, "
        f"duplicated {counts['duplicates']}, wrong values {counts['wrong_values']}, "
        f"audit entries {counts['audit_scores']}, chain {'ok' if counts['chain_ok'] else 'BROKEN'}"
    )
    print(f"   {'PASS' if ok else 'FAIL'}")
    return ok


def _cpu(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


def _proc_stats() -> dict[int, tuple[str, list[str]]]:
    """Return every process's name and the fields after it in ``/proc/PID/stat``."""
    stats: dict[int, tuple[str, list[str]]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    name, rest = handle.read().rsplit(")", 1)
            except OSError:  # the process ended while we looked
                continue
            stats[int(entry)] = (name.split("(", 1)[-1], rest.split())
    return stats


def tree_cpu(root: int) -> float:
    """Return the CPU seconds used so far by process ``root`` and its live children.

    The server's workers are its children: this is read while they run, so it does not
    depend on how they are stopped (a worker killed at the end is never waited for, and its
    time would be missing from ``RUSAGE_CHILDREN``).
    """
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid, (_, f) in _proc_stats().items():
        if pid == root or int(f[1]) == root:  # f[1]: parent id; f[11], f[12]: utime, stime
            total += int(f[11]) + int(f[12])
    return total / tick


def postgres_cpu() -> float | None:
    """Return the CPU seconds used so far by this machine's PostgreSQL server, or None.

    The postmaster's own time, what its exited children (finished connections) used, and
    what its live children used: the database's share of the two cores during a run. Other
    users of the same server are counted too.
    """
    tick = os.sysconf("SC_CLK_TCK")
    stats = {pid: f for pid, (name, f) in _proc_stats().items() if name == "postgres"}
    # Fields after the name: state, ppid, ... utime (12th), stime, cutime, cstime.
    roots = [pid for pid, f in stats.items() if int(f[1]) not in stats]
    if not roots:
        return None
    total = 0.0
    for pid, f in stats.items():
        total += int(f[11]) + int(f[12])
        if pid in roots:
            total += int(f[13]) + int(f[14])
    return total / tick


def scratch_postgres(url: str) -> tuple[str, str]:
    """Create a scratch database beside ``url``'s; return its URL and name."""
    import psycopg

    parts = urlparse(url)
    name = f"cfc_bench_{os.getpid()}"
    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(parts._replace(path=f"/{name}")), name


def drop_postgres(url: str, name: str) -> None:
    """Drop the scratch database."""
    import psycopg

    admin = urlunparse(urlparse(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    """Run on SQLite, then on PostgreSQL when DATABASE_URL is set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--sessions", type=int, default=1, help="sessions open at once")
    parser.add_argument("--arrival-seconds", type=float, default=ARRIVAL_SECONDS)
    parser.add_argument(
        "--databases",
        default="sqlite,postgresql",
        help="Which of sqlite,postgresql to run (PostgreSQL only when DATABASE_URL is set)",
    )
    parser.add_argument("--workers", type=int, default=WORKERS, help="server processes")
    parser.add_argument(
        "--threads", type=int, default=THREADS, help="threads per process running the app"
    )
    args = parser.parse_args()
    wanted = set(args.databases.split(","))
    base_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "caseforchange.web.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
        # Measure the server as deployed: no SQL query log, no template reloading.
        "CASEFORCHANGE_DEBUG": "0",
    }
    results = []
    with tempfile.TemporaryDirectory(prefix="cfc-bench-") as tmp:
        env = {**base_env, "CASEFORCHANGE_DATA_DIR": tmp}
        env.pop("DATABASE_URL", None)
        if "sqlite" in wanted:
            results.append(
                run(
                    "SQLite (WAL, immediate transactions)",
                    env,
                    args.participants,
                    args.sessions,
                    args.arrival_seconds,
                    (args.workers, args.threads),
                )
            )
        url = os.environ.get("DATABASE_URL", "")
        if "postgresql" in wanted and url.startswith(("postgres://", "postgresql://")):
            scratch, name = scratch_postgres(url)
            try:
                results.append(
                    run(
                        "PostgreSQL",
                        {**env, "DATABASE_URL": scratch},
                        args.participants,
                        args.sessions,
                        args.arrival_seconds,
                        (args.workers, args.threads),
                    )
                )
            finally:
                drop_postgres(url, name)
        shutil.rmtree(tmp, ignore_errors=True)
    if not results:
        print("NOTHING RAN: PostgreSQL needs DATABASE_URL (postgres://...) to be set")
        return 2
    print("PASS" if all(results) else "FAIL")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
