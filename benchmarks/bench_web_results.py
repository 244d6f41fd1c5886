"""Benchmark: the appraisal page and the paper's downloads served from stored results.

Targets (issue 13), once a revision's results are built: p95 of the appraisal page at most
300 ms and p95 of each download (HTML, PDF, Word, Excel) at most 2 s.

It loads the four examples into a fresh SQLite file in a temporary folder, builds each
programme's results once as the worker does (``jobs.tasks.run_result``, timed), then asks
for the page and each download ``--requests`` times with Django's test client, signed in as
an administrator. Exit status 1 when a target is missed.

Run: ``PYTHONPATH=src python benchmarks/bench_web_results.py [--requests 50]
[--examples leicester-children-2010,...]``.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from typing import Any

PAGE_TARGET_MS = 300.0
DOWNLOAD_TARGET_MS = 2000.0


def p95(values: list[float]) -> float:
    """Return the 95th percentile of ``values`` (inclusive method)."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def timed(call: Callable[[], Any], times: int) -> list[float]:
    """Return the milliseconds each of ``times`` calls took, failing on a non-200 answer."""
    found = []
    for _ in range(times):
        started = time.perf_counter()
        response = call()
        found.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"unexpected status {response.status_code}")
    return found


def main() -> int:
    """Load, build once, measure; print the figures and return 0 when every target is met."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--examples", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cfc-bench-results-") as data:
        os.environ.update(
            CASEFORCHANGE_DATA_DIR=data,
            CASEFORCHANGE_JOBS="database",
            DJANGO_SETTINGS_MODULE="caseforchange.web.settings",
        )
        os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.test import Client

        from caseforchange.web.jobs import service
        from caseforchange.web.jobs.builders import PAPERS
        from caseforchange.web.jobs.tasks import run_result
        from caseforchange.web.programmes.models import ProgrammeRecord

        call_command("migrate", "--noinput", verbosity=0)
        call_command("load_examples", stdout=io.StringIO())
        admin = get_user_model().objects.create_superuser("bench", password="bench-pass-1234")
        client = Client()
        client.force_login(admin)
        chosen = [e for e in args.examples.split(",") if e]
        rows = ProgrammeRecord.objects.order_by("slug")
        if chosen:
            rows = rows.filter(slug__in=chosen)
        missed = False
        print(f"{'example':28} {'what':14} {'built s':>8} {'p95 ms':>8} {'target':>8}")
        for row in rows:
            for kind in ["appraisal", *PAPERS]:
                result = service.request_result(row, kind)
                started = time.perf_counter()
                outcome = run_result(result.pk)
                built = time.perf_counter() - started
                if outcome != "built":
                    raise SystemExit(f"{row.slug} {kind}: {outcome}")
                if kind == "appraisal":
                    url = f"/programmes/{row.slug}/appraisal/"
                    target = PAGE_TARGET_MS
                else:
                    url = f"/programmes/{row.slug}/report.{PAPERS[kind][0]}"
                    target = DOWNLOAD_TARGET_MS
                figure = p95(timed(partial(client.get, url), args.requests))
                missed |= figure > target
                mark = "ok" if figure <= target else "MISSED"
                print(f"{row.slug:28} {kind:14} {built:8.1f} {figure:8.1f} {target:8.0f} {mark}")
        return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
