"""SMAA-2 speed and memory: prints its figures and PASS/FAIL per target.

Targets (issue 3), on a 2-core machine:
- 1,000,000 weight samples, 10 options, 20 criteria, uniform score ranges: <= 2 s, <= 1 GB.
- the same with point scores: <= 1 s.
- 100,000 samples with a full ranking of the 20 criteria as the weight constraint: <= 2 s.

Times are the best of three runs (other work on a shared machine only ever adds time). Peak
memory is measured on a separate run with tracemalloc (NumPy reports its arrays to it), and the
process's maximum resident set size is printed too. The speed-up is against a plain per-sample
Python loop doing the same computation on a smaller run.

Run: ``PYTHONPATH=src python benchmarks/bench_smaa.py``. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import math
import random
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable

import numpy as np

from caseforchange.appraisal.matrix import DecisionMatrix
from caseforchange.appraisal.sampling import (
    OrderedSimplex,
    UniformSimplex,
    WeightSampler,
    feasible_sampler,
    interval_constraints,
)
from caseforchange.appraisal.smaa import SmaaResult, smaa2

OPTIONS, CRITERIA = 10, 20
SEED = 2010


def _matrices() -> tuple[DecisionMatrix, DecisionMatrix]:
    rng = np.random.default_rng(SEED)
    low = rng.uniform(0.0, 0.6, (OPTIONS, CRITERIA))
    high = low + rng.uniform(0.05, 0.4, (OPTIONS, CRITERIA))
    return DecisionMatrix.from_ranges(low, high), DecisionMatrix.from_values((low + high) / 2)


def _best_time(run: Callable[[], SmaaResult], repeats: int = 3) -> tuple[float, SmaaResult]:
    best, result = math.inf, None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    assert result is not None
    return best, result


def _peak_mb(run: Callable[[], SmaaResult]) -> float:
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def python_loop_rate(matrix: DecisionMatrix, samples: int) -> float:
    """Return samples per second of a plain per-sample loop: weights, scores, totals, ranks."""
    rnd = random.Random(SEED)
    low = matrix.low.tolist()
    high = matrix.high.tolist()
    n, m = len(low), len(low[0])
    counts = [[0] * n for _ in range(n)]
    start = time.perf_counter()
    for _ in range(samples):
        e = [rnd.expovariate(1.0) for _ in range(m)]
        total = sum(e)
        w = [x / total for x in e]
        utilities = [
            sum(w[j] * (low[i][j] + (high[i][j] - low[i][j]) * rnd.random()) for j in range(m))
            for i in range(n)
        ]
        order = sorted(range(n), key=lambda i: -utilities[i])
        for rank, i in enumerate(order):
            counts[i][rank] += 1
    return samples / (time.perf_counter() - start)


def main() -> int:
    """Run the benchmark cases; return 1 when any target is missed."""
    uncertain, point = _matrices()
    failures = 0

    def report(name: str, value: float, limit: float, unit: str) -> None:
        nonlocal failures
        ok = value <= limit
        failures += not ok
        print(f"  {'PASS' if ok else 'FAIL'}  {name}: {value:.2f} {unit} (target <= {limit:g})")

    def run_with(
        matrix: DecisionMatrix, sampler: WeightSampler, n: int
    ) -> Callable[[], SmaaResult]:
        return lambda: smaa2(matrix, sampler, n, SEED)

    print(f"SMAA-2 benchmark: {OPTIONS} options x {CRITERIA} criteria, seed {SEED}")
    n = 1_000_000
    seconds, result = _best_time(run_with(uncertain, UniformSimplex(CRITERIA), n))
    print(f"\n1. {n:,} samples, uniform score ranges, no weight information")
    print(
        f"  {n / seconds:,.0f} samples/s; chunk {result.chunk_size:,}; "
        f"confidence from {result.confidence_samples:,} score samples"
    )
    report("wall time", seconds, 2.0, "s")
    peak = _peak_mb(run_with(uncertain, UniformSimplex(CRITERIA), n))
    report("peak traced memory", peak, 1024, "MB")
    loop_n = 20_000
    loop_rate = python_loop_rate(uncertain, loop_n)
    print(
        f"  plain Python loop ({loop_n:,} samples): {loop_rate:,.0f} samples/s; "
        f"vectorised is {n / seconds / loop_rate:,.0f}x faster"
    )

    seconds, _ = _best_time(run_with(point, UniformSimplex(CRITERIA), n))
    print(f"\n2. {n:,} samples, point scores, no weight information")
    print(f"  {n / seconds:,.0f} samples/s")
    report("wall time", seconds, 1.0, "s")

    n = 100_000
    ranking = OrderedSimplex(CRITERIA, [[[j] for j in range(CRITERIA)]])
    seconds, _ = _best_time(run_with(uncertain, ranking, n))
    print(f"\n3. {n:,} samples, full ranking of {CRITERIA} criteria, uniform score ranges")
    print(f"  {n / seconds:,.0f} samples/s (exact: uniform on the simplex, sorted)")
    report("wall time", seconds, 2.0, "s")

    for label, count, bounds in (
        ("loose intervals on 5 criteria", 100_000, [(0.02, 0.15)] * 5),
        ("tight intervals on 10 criteria", 10_000, [(0.05, 0.08)] * 10),
    ):
        a, b = interval_constraints([[j] for j in range(len(bounds))], bounds, CRITERIA)
        sampler = feasible_sampler(CRITERIA, a, b, (), label)
        start = time.perf_counter()
        found = smaa2(point, sampler, count, SEED)
        seconds = time.perf_counter() - start
        print(f"\n4. {count:,} samples, {label}, point scores: {found.sampler['method']}")
        print(f"  {seconds:.2f} s, {count / seconds:,.0f} samples/s (no target; for information)")

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess maximum resident set size: {rss:,.0f} MB")
    report("maximum resident set size", rss, 1024, "MB")
    print("\nall targets met" if not failures else f"\n{failures} target(s) missed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
