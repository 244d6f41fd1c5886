"""A 200-replication scenario sweep on a Dask LocalCluster of 2 workers against 1 worker.

Run: ``PYTHONPATH=src python benchmarks/bench_cluster.py`` (about two minutes on two cores;
needs the ``cluster`` extra, which the dev extra includes).

Target (issue 18): the sweep on 2 worker processes at least 1.8x faster than on 1, with
identical results. Each replication simulates about 10,000 patients (a few tenths of a second),
so Dask's few milliseconds per task are negligible and the figure measures parallel
efficiency. The machine is shared: read the load average printed at the start. Because other
work on the machine distorts wall-clock times, the CPU seconds each worker process spent are
printed too: the 1-worker CPU time over the busiest worker's CPU time in the 2-worker run is
the speed-up the sweep would get on two otherwise idle cores (it includes every overhead a
worker has, but not the waiting caused by other processes).
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


def timed(workers: int) -> tuple[float, list[float], SweepResult]:
    """Return (seconds, CPU seconds per worker, result) of the sweep on ``workers`` processes."""
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
            before = client.run(time.process_time)
            start = time.perf_counter()
            result = run_sweep(model, SWEEP, chunk_map=chunk_map)
            seconds = time.perf_counter() - start
            after = client.run(time.process_time)
            cpu = [float(after[w] - before[w]) for w in sorted(after)]
            return seconds, cpu, result
        finally:
            client.close()


def main() -> None:
    """Run the sweep on 1 and then 2 workers and print the times, speed-up and identity."""
    print(f"load average at start: {os.getloadavg()}")
    one, cpu_one, first = timed(1)
    print(
        f"1 worker : {one:.1f} s wall ({one / (4 * REPLICATIONS) * 1000:.0f} ms a replication); "
        f"worker CPU {sum(cpu_one):.1f} s"
    )
    two, cpu_two, second = timed(2)
    print(f"2 workers: {two:.1f} s wall; worker CPU " + " + ".join(f"{c:.1f} s" for c in cpu_two))
    speedup = one / two
    print(f"speed-up on idle cores, from worker CPU time: {sum(cpu_one) / max(cpu_two):.2f}x")
    same = tidy_rows(first) == tidy_rows(second) and first.run.as_dict() == second.run.as_dict()
    print(
        f"speed-up: {speedup:.2f}x (target {TARGET}x: {'met' if speedup >= TARGET else 'NOT met'})"
    )
    print(f"results identical (every figure, every replication): {'yes' if same else 'NO'}")
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
