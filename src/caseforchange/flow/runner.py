"""Replications of scenarios: warm-up, seeds, confidence intervals, serial or in parallel.

Every replication is a pure function of (system, horizon, warm-up, seed, replication number),
so running them over several processes gives exactly the numbers of a serial run: the
results are put back in replication order before anything is summed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field

from caseforchange.flow.model import FlowModel
from caseforchange.flow.simulation import ReplicationResult, simulate
from caseforchange.flow.statistics import Interval, confidence_interval
from caseforchange.flow.system import System, resolve, scenario_ids
from caseforchange.flow.warmup import Warmup, mser5

#: Pilot replications used to choose the warm-up when it is ``auto``.
PILOT_REPLICATIONS = 5

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Task:
    """One replication to run (picklable, so it can be sent to another process)."""

    system: System
    horizon_days: float
    warmup_days: float
    seed: int
    replication: int
    series_points: int


def run_task(task: Task) -> ReplicationResult:
    """Run one task and return its result (top-level so that worker processes can import it)."""
    return simulate(
        task.system,
        horizon_days=task.horizon_days,
        warmup_days=task.warmup_days,
        seed=task.seed,
        replication=task.replication,
        series_points=task.series_points,
    )


def run_tasks(
    tasks: Sequence[Task], jobs: int = 1, progress: Progress | None = None
) -> list[ReplicationResult]:
    """Run tasks serially (``jobs`` 1) or over ``jobs`` processes; return results in task order.

    Raises:
        ValueError: when ``jobs`` is below 1.
    """
    if jobs < 1:
        raise ValueError("jobs must be at least 1")
    results: list[ReplicationResult | None] = [None] * len(tasks)
    done = 0
    if jobs == 1 or len(tasks) <= 1:
        for i, task in enumerate(tasks):
            results[i] = run_task(task)
            done += 1
            if progress:
                progress(done, len(tasks))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(run_task, task): i for i, task in enumerate(tasks)}
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                done += 1
                if progress:
                    progress(done, len(tasks))
    return [r for r in results if r is not None]


@dataclass
class ScenarioSummary:
    """A scenario's figures over replications, each a mean with a 95% confidence interval.

    ``difference`` holds, for scenarios after the first, the paired difference from the first
    scenario (same replication numbers, so the same random numbers): its interval is usually
    much narrower than that of either scenario alone.
    """

    scenario: str
    label: str
    metrics: dict[str, Interval]
    difference: dict[str, Interval]
    series: dict[str, list[float]]
    replications: list[ReplicationResult] = field(repr=False)


@dataclass
class RunResult:
    """Everything a run produced, with what is needed to reproduce it."""

    seed: int
    replications: int
    horizon_days: float
    warmup_days: float
    warmup_method: str
    warmup: Warmup | None
    pilot_series: list[float]
    series_points: int
    illustrative: bool
    note: str | None
    scenarios: list[ScenarioSummary]

    def as_dict(self) -> dict[str, object]:
        """Return a JSON-ready record of the run (no NaN: missing figures become None)."""

        def clean(x: float) -> float | None:
            return None if math.isnan(x) else x

        def interval(iv: Interval) -> dict[str, float | int | None]:
            return {k: clean(float(v)) for k, v in iv.as_dict().items()}

        return {
            "seed": self.seed,
            "seed_scheme": "numpy SeedSequence(seed).spawn(replications); per purpose a "
            "grandchild keyed by CRC-32 of its name (see docs/flow.md)",
            "replications": self.replications,
            "horizon_days": self.horizon_days,
            "warmup_days": self.warmup_days,
            "warmup_method": self.warmup_method,
            "warmup_statistic": self.warmup.statistic if self.warmup else None,
            "pilot_in_system": self.pilot_series,
            "illustrative": self.illustrative,
            "note": self.note,
            "scenarios": [
                {
                    "id": s.scenario,
                    "label": s.label,
                    "metrics": {k: interval(v) for k, v in s.metrics.items()},
                    "difference_from_first": {k: interval(v) for k, v in s.difference.items()},
                    "series_mean": s.series,
                    "replications": [
                        {
                            "replication": r.replication,
                            "seed": r.seed,
                            "scalars": {k: clean(v) for k, v in r.scalars.items()},
                        }
                        for r in s.replications
                    ],
                }
                for s in self.scenarios
            ],
        }


def _mean_series(results: list[ReplicationResult]) -> dict[str, list[float]]:
    keys = results[0].series.keys()
    return {
        k: [sum(col) / len(col) for col in zip(*(r.series[k] for r in results), strict=True)]
        for k in keys
    }


def choose_warmup(
    systems: list[System],
    horizon: float,
    seed: int,
    points: int,
    jobs: int = 1,
    progress: Progress | None = None,
) -> tuple[Warmup, list[float]]:
    """Return the MSER-5 warm-up (the longest over the scenarios) and the pilot series shown.

    Pilot replications start from empty with no warm-up; their number in the system is
    averaged over replications before MSER-5 is applied.
    """
    tasks = [
        Task(system, horizon, 0.0, seed, rep, points)
        for system in systems
        for rep in range(PILOT_REPLICATIONS)
    ]
    results = run_tasks(tasks, jobs, progress)
    chosen: Warmup | None = None
    shown: list[float] = []
    for i in range(len(systems)):
        batch = results[i * PILOT_REPLICATIONS : (i + 1) * PILOT_REPLICATIONS]
        series = _mean_series(batch)["in_system"]
        w = mser5(series, horizon / points)
        if chosen is None or w.days > chosen.days:
            chosen, shown = w, series
    assert chosen is not None
    return chosen, shown


def run_model(
    model: FlowModel,
    *,
    scenarios: Sequence[str] | None = None,
    replications: int | None = None,
    seed: int | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
) -> RunResult:
    """Run the chosen scenarios (all by default) and return their summaries.

    All scenarios use the same seed and replication numbers (common random numbers) and the
    same warm-up, so they can be compared side by side.

    Raises:
        InvalidInput: an unknown scenario was named.
    """
    settings = model.run
    ids = list(scenarios) if scenarios else scenario_ids(model)
    systems = [resolve(model, sid) for sid in ids]
    reps = replications or settings.replications
    seed = settings.seed if seed is None else seed
    horizon = settings.horizon_days
    points = settings.series_points
    warm: Warmup | None = None
    pilot: list[float] = []
    if settings.warmup_days == "auto":
        warm, pilot = choose_warmup(systems, horizon, seed, points, jobs, progress)
        warmup_days = warm.days
        method = "MSER-5 on pilot replications"
    else:
        warmup_days = float(settings.warmup_days)
        method = "fixed in flow.yaml"
    tasks = [
        Task(system, horizon, warmup_days, seed, rep, points)
        for system in systems
        for rep in range(reps)
    ]
    results = run_tasks(tasks, jobs, progress)
    summaries: list[ScenarioSummary] = []
    first: list[ReplicationResult] | None = None
    for i, system in enumerate(systems):
        batch = results[i * reps : (i + 1) * reps]
        keys = batch[0].scalars.keys()
        metrics = {k: confidence_interval([r.scalars[k] for r in batch]) for k in keys}
        difference: dict[str, Interval] = {}
        if first is not None:
            for k in keys:
                if k in first[0].scalars:
                    diffs = [r.scalars[k] - f.scalars[k] for r, f in zip(batch, first, strict=True)]
                    difference[k] = confidence_interval(diffs)
        else:
            first = batch
        summaries.append(
            ScenarioSummary(
                scenario=system.scenario,
                label=system.label,
                metrics=metrics,
                difference=difference,
                series=_mean_series(batch),
                replications=batch,
            )
        )
    return RunResult(
        seed=seed,
        replications=reps,
        horizon_days=horizon,
        warmup_days=warmup_days,
        warmup_method=method,
        warmup=warm,
        pilot_series=pilot,
        series_points=points,
        illustrative=model.illustrative,
        note=model.note,
        scenarios=summaries,
    )
