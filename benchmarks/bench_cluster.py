"""A 200-replication scenario sweep on a Dask LocalCluster of 2 workers against 1 worker.

Run: ``PYTHONPATH=src python benchmarks/bench_cluster.py`` (about two minutes on two cores;
needs the ``cluster`` extra, which the dev extra includes).

Target (issue 18): the sweep on 2 worker processes at least 1.8x faster than on 1, with
identical results. Each replication simulates about 10,000 patients (a few tenths of a second),
so Dask's few milliseconds per task are negligible and the figure measures parallel
efficiency. The machine is shared: read the load average printed at the start.
"""

from __future__ import annotations

import os
import time

from caseforchange.cluster.executor import DaskMap, connect
from caseforchange.flow.model import FlowModel
from caseforchange.flow.sweep import Sweep, SweepResult, run_sweep, tidy_rows

TARGET = 1.8
REPLICATIONS = 50  # x 4 points = 200 replications

MODEL = {
    "illustrative": True,
    "arrivals": [
        {"id": "gp", "source": "GP", "per_week": 70, "reasons": {"frailty": 0.6, "rehab": 0.4}}
    ],
    "teams": [
        {
            "id": "nursing",
            "staff": 16,
            "service": {"kind": "lognormal", "mean": 1.4, "sd": 1.0},
            "after": {"discharge": 0.75, "therapy": 0.25},
        },
        {"id": "therapy", "staff": 5, "service": {"kind": "gamma", "mean": 1.5, "cv": 0.6}},
    ],
    "triage": [{"to": "nursing"}],
    "run": {"horizon_days": 1000, "warmup_days": 50, "replications": 2, "seed": 18},
}
SWEEP = Sweep(
    staff_scale=[1.0, 1.25],
    demand_growth_per_year=[0.0, 0.05],
    replications=REPLICATIONS,
    measures=["within_18_weeks", "wait_mean", "wait_p92", "utilisation"],
)


def timed(workers: int) -> tuple[float, SweepResult]:
    """Return (seconds, result) of the sweep on a LocalCluster of ``workers`` processes."""
    from distributed import LocalCluster

    model = FlowModel.model_validate(MODEL)
    with LocalCluster(
        n_workers=workers, processes=True, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        client = connect(cluster.scheduler_address, "benchmark")
        try:
            client.wait_for_workers(workers)
            chunk_map = DaskMap(client)
            # Warm the workers (imports, first simulation) outside the timing.
            run_sweep(model, Sweep(staff_scale=[1.0]), replications=2, chunk_map=chunk_map)
            start = time.perf_counter()
            result = run_sweep(model, SWEEP, chunk_map=chunk_map)
            return time.perf_counter() - start, result
        finally:
            client.close()


def main() -> None:
    """Run the sweep on 1 and then 2 workers and print the times, speed-up and identity."""
    print(f"load average at start: {os.getloadavg()}")
    one, first = timed(1)
    print(f"1 worker : {one:.1f} s ({one / (4 * REPLICATIONS) * 1000:.0f} ms a replication)")
    two, second = timed(2)
    print(f"2 workers: {two:.1f} s")
    speedup = one / two
    same = tidy_rows(first) == tidy_rows(second) and first.run.as_dict() == second.run.as_dict()
    print(
        f"speed-up: {speedup:.2f}x (target {TARGET}x: {'met' if speedup >= TARGET else 'NOT met'})"
    )
    print(f"results identical (every figure, every replication): {'yes' if same else 'NO'}")
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
