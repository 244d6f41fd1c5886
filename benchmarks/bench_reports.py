"""Benchmark: all four report formats for all four example programmes (target: at most 60 s).

Runs the same path as ``make demo`` (two worker processes, one example each at a time) and
prints the wall time per example and in total.
"""

from __future__ import annotations

import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from caseforchange.cli.demo import build_example
from caseforchange.examples import EXAMPLE_IDS

TARGET_SECONDS = 60.0


def _timed(example_id: str, out: str) -> tuple[str, float, int]:
    started = time.perf_counter()
    paths = build_example(example_id, out)
    return example_id, time.perf_counter() - started, len(paths)


def main() -> int:
    """Build every report, print the figures and return 0 when the target is met."""
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        with ProcessPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(_timed, EXAMPLE_IDS, [out] * len(EXAMPLE_IDS)))
        total = time.perf_counter() - started
        files = sum(n for _, _, n in results)
        sizes = sum(p.stat().st_size for p in Path(out).rglob("report.*"))
    for example_id, seconds, n in results:
        print(f"{example_id:28s} {n} files in {seconds:6.1f} s (one worker)")
    verdict = "PASS" if total <= TARGET_SECONDS else "FAIL"
    print(
        f"all {files} files ({sizes / 1e6:.1f} MB) in {total:.1f} s wall on 2 processes: "
        f"{verdict} (target <= {TARGET_SECONDS:.0f} s)"
    )
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
