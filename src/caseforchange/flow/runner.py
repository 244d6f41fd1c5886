"""Replications of scenarios: warm-up, seeds, confidence intervals, serial or in parallel.

Every replication is a pure function of (system, horizon, warm-up, seed, replication number),
so running them over several processes, or on a cluster through a
:class:`~caseforchange.chunks.ChunkMap`, gives exactly the numbers of a serial run: the
results are put back in replication order before anything is summed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

from caseforchange.chunks import ChunkMap
from caseforchange.domain.problems import InvalidInput
from caseforchange.flow.model import FlowModel
from caseforchange.flow.simulation import ReplicationResult, simulate
from caseforchange.flow.statistics import Interval, confidence_interval
from caseforchange.flow.system import (
    System,
    check_run_size,
    load_by_team,
    resolve,
    scenario_ids,
)
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


@dataclass(frozen=True)
class Replication:
    """One replication of the system at ``system`` in a shared tuple of systems (a chunk item).

    The tuple of systems is sent to each worker once; each item is a few numbers.
    """

    system: int
    horizon_days: float
    warmup_days: float
    seed: int
    replication: int
    series_points: int


def run_replication(systems: tuple[System, ...], item: Replication) -> ReplicationResult:
    """Run one replication of ``systems[item.system]`` and return its result.

    The chunk function a :class:`~caseforchange.chunks.ChunkMap` runs: a pure function of its
    arguments, so a worker anywhere gives the same result as this process.
    """
    return simulate(
        systems[item.system],
        horizon_days=item.horizon_days,
        warmup_days=item.warmup_days,
        seed=item.seed,
        replication=item.replication,
        series_points=item.series_points,
    )


def _mapped(
    tasks: Sequence[Task], chunk_map: ChunkMap, progress: Progress | None
) -> list[ReplicationResult]:
    systems: list[System] = []
    index: dict[int, int] = {}
    for task in tasks:
        if id(task.system) not in index:
            index[id(task.system)] = len(systems)
            systems.append(task.system)
    items = [
        Replication(
            index[id(t.system)],
            t.horizon_days,
            t.warmup_days,
            t.seed,
            t.replication,
            t.series_points,
        )
        for t in tasks
    ]
    results: list[ReplicationResult] = []
    for result in chunk_map(run_replication, tuple(systems), items):
        results.append(result)
        if progress:
            progress(len(results), len(tasks))
    return results


def run_tasks(
    tasks: Sequence[Task],
    jobs: int = 1,
    progress: Progress | None = None,
    chunk_map: ChunkMap | None = None,
) -> list[ReplicationResult]:
    """Run tasks serially (``jobs`` 1), over ``jobs`` processes or through ``chunk_map``.

    Returns the results in task order, whichever way they ran.

    Raises:
        ValueError: when ``jobs`` is below 1.
    """
    if jobs < 1:
        raise ValueError("jobs must be at least 1")
    if chunk_map is not None:
        return _mapped(tasks, chunk_map, progress)
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


#: Figures that are shares (0 to 1): their intervals are clipped to [0, 1].
SHARES = ("within_18_weeks", "utilisation", "wait_probability", "occupancy")


def summarise(values: list[float], key: str) -> Interval:
    """Return the 95% interval of a figure over replications, clipped to what is possible.

    Every figure the simulation reports is non-negative; shares are also at most 1.
    """
    iv = confidence_interval(values, floor=0.0)
    if key.rsplit("/", 1)[-1] in SHARES and iv.high > 1:
        iv = Interval(iv.mean, iv.low, 1.0, iv.n)
    return iv


@dataclass
class ScenarioSummary:
    """A scenario's figures over replications, each a mean with a 95% confidence interval.

    ``difference`` holds, for scenarios after the first, the paired difference from the first
    scenario (same replication numbers, so the same patients with the same random numbers).
    ``warmup_days`` is this scenario's own warm-up, so a scenario's figures do not depend on
    which other scenarios are run; ``warmup`` and ``pilot_series`` show how it was chosen.
    """

    scenario: str
    label: str
    metrics: dict[str, Interval]
    difference: dict[str, Interval]
    series: dict[str, list[float]]
    replications: list[ReplicationResult] = field(repr=False)
    warmup_days: float = 0.0
    warmup: Warmup | None = None
    pilot_series: list[float] = field(default_factory=list)


@dataclass
class RunResult:
    """Everything a run produced, with what is needed to reproduce it.

    ``warmup_days`` is the longest scenario warm-up (each scenario has its own);
    ``warnings`` are things a reader must know before trusting the figures.
    """

    seed: int
    replications: int
    horizon_days: float
    warmup_days: float
    warmup_method: str
    series_points: int
    illustrative: bool
    note: str | None
    scenarios: list[ScenarioSummary]
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """Return a JSON-ready record of the run (no NaN: missing figures become None)."""

        def clean(x: float) -> float | None:
            return None if math.isnan(x) else x

        def interval(iv: Interval) -> dict[str, float | int | None]:
            return {k: clean(float(v)) for k, v in iv.as_dict().items()}

        return {
            "seed": self.seed,
            "seed_scheme": "numpy SeedSequence(seed).spawn(replications); per purpose a "
            "grandchild keyed by CRC-32 of its name; each patient's own numbers drawn at "
            "referral (see docs/flow.md)",
            "replications": self.replications,
            "horizon_days": self.horizon_days,
            "warmup_days": self.warmup_days,
            "warmup_method": self.warmup_method,
            "series_points": self.series_points,
            "illustrative": self.illustrative,
            "note": self.note,
            "warnings": self.warnings,
            "scenarios": [
                {
                    "id": s.scenario,
                    "label": s.label,
                    "warmup_days": s.warmup_days,
                    "warmup_statistic": s.warmup.statistic if s.warmup else None,
                    "warmup_batches_dropped": s.warmup.batches_dropped if s.warmup else None,
                    "warmup_ran_out_of_run": s.warmup.at_limit if s.warmup else None,
                    "pilot_in_system": s.pilot_series,
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


def _interval(data: object) -> Interval:
    """Return an interval from its JSON record (a missing figure, None, comes back as NaN)."""
    record = data if isinstance(data, dict) else {}

    def number(key: str) -> float:
        value = record.get(key)
        return math.nan if value is None else float(value)

    return Interval(number("mean"), number("low"), number("high"), int(record.get("n") or 0))


def result_from_dict(data: dict[str, Any]) -> RunResult:
    """Return a run rebuilt from its JSON record (:meth:`RunResult.as_dict`), for charts.

    Each replication's own figures are not rebuilt (``replications`` of every scenario is
    empty); the summaries, series, warm-ups and warnings are.
    """
    scenarios: list[ScenarioSummary] = []
    for s in data.get("scenarios", []):
        statistic = s.get("warmup_statistic")
        warmup = None
        if statistic is not None:
            dropped = s.get("warmup_batches_dropped")
            if dropped is None:
                dropped = statistic.index(min(statistic)) if statistic else 0
            warmup = Warmup(
                float(s.get("warmup_days") or 0.0),
                int(dropped),
                [float(x) for x in statistic],
                bool(s.get("warmup_ran_out_of_run")),
            )
        scenarios.append(
            ScenarioSummary(
                scenario=str(s["id"]),
                label=str(s.get("label") or s["id"]),
                metrics={k: _interval(v) for k, v in (s.get("metrics") or {}).items()},
                difference={
                    k: _interval(v) for k, v in (s.get("difference_from_first") or {}).items()
                },
                series={k: [float(x) for x in v] for k, v in (s.get("series_mean") or {}).items()},
                replications=[],
                warmup_days=float(s.get("warmup_days") or 0.0),
                warmup=warmup,
                pilot_series=[float(x) for x in s.get("pilot_in_system") or []],
            )
        )
    return RunResult(
        seed=int(data["seed"]),
        replications=int(data["replications"]),
        horizon_days=float(data["horizon_days"]),
        warmup_days=float(data.get("warmup_days") or 0.0),
        warmup_method=str(data.get("warmup_method") or ""),
        series_points=int(data.get("series_points") or 0),
        illustrative=bool(data.get("illustrative")),
        note=data.get("note"),
        scenarios=scenarios,
        warnings=[str(w) for w in data.get("warnings") or []],
    )


def _mean_series(results: list[ReplicationResult]) -> dict[str, list[float]]:
    keys = results[0].series.keys()
    return {
        k: [sum(col) / len(col) for col in zip(*(r.series[k] for r in results), strict=True)]
        for k in keys
    }


def choose_warmups(
    systems: list[System],
    horizon: float,
    seed: int,
    points: int,
    jobs: int = 1,
    progress: Progress | None = None,
    chunk_map: ChunkMap | None = None,
) -> list[tuple[Warmup, list[float]]]:
    """Return each system's MSER-5 warm-up and the pilot series it was chosen from.

    Pilot replications start from the go-live state with no warm-up; their number in the
    system is averaged over replications before MSER-5 is applied. Each system gets its own
    warm-up, so its figures do not depend on the other systems run beside it.
    """
    tasks = [
        Task(system, horizon, 0.0, seed, rep, points)
        for system in systems
        for rep in range(PILOT_REPLICATIONS)
    ]
    results = run_tasks(tasks, jobs, progress, chunk_map)
    chosen: list[tuple[Warmup, list[float]]] = []
    for i in range(len(systems)):
        batch = results[i * PILOT_REPLICATIONS : (i + 1) * PILOT_REPLICATIONS]
        series = _mean_series(batch)["in_system"]
        chosen.append((mser5(series, horizon / points), series))
    return chosen


def run_warnings(systems: list[System], summaries: list[ScenarioSummary]) -> list[str]:
    """Return warnings about a run: warm-ups that ran out of run, and unstable teams.

    A team is unstable when its offered load over a year is 1 or more (its queue grows
    without limit); one whose load is below 1 on average but not at the peak week is named
    too, since its queue grows through the peak.
    """
    out: list[str] = []
    for s in summaries:
        if s.warmup is not None and s.warmup.at_limit:
            out.append(
                f"scenario {s.scenario!r}: the warm-up ({s.warmup_days:.0f} days) ran out of "
                "run: MSER-5 found no settled level in the first half, so the system may "
                "never settle; run longer or check for an unstable team"
            )
    for system in systems:
        for team, (annual, peak, week) in load_by_team(system).items():
            if annual >= 1:
                out.append(
                    f"scenario {system.scenario!r}: team {team!r} is unstable: offered load "
                    f"{annual:.2f} of its capacity over a year (peak {peak:.2f} in week "
                    f"{week + 1}); its queue grows without limit"
                )
            elif peak >= 1:
                out.append(
                    f"scenario {system.scenario!r}: team {team!r} is overloaded at the peak: "
                    f"offered load {peak:.2f} in week {week + 1} (year average {annual:.2f}); "
                    "its queue grows through the peak"
                )
    return out


def run_model(
    model: FlowModel,
    *,
    scenarios: Sequence[str] | None = None,
    replications: int | None = None,
    seed: int | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    chunk_map: ChunkMap | None = None,
) -> RunResult:
    """Run the chosen scenarios (all by default) and return their summaries.

    All scenarios use the same seed and replication numbers (common random numbers); each
    has its own warm-up, so its figures are the same whichever other scenarios run.
    ``chunk_map`` (a cluster, for example) runs the replications instead of ``jobs``
    processes; the figures are identical either way.

    Raises:
        InvalidInput: an unknown scenario was named, or the run passes its limits.
    """
    settings = model.run
    ids = list(scenarios) if scenarios else scenario_ids(model)
    systems = [resolve(model, sid) for sid in ids]
    reps = replications or settings.replications
    seed = settings.seed if seed is None else seed
    horizon = settings.horizon_days
    points = settings.series_points
    problems = [p for system in systems for p in check_run_size(system, settings, reps)]
    if problems:
        raise InvalidInput(problems)
    warm: list[tuple[Warmup | None, list[float]]]
    if settings.warmup_days == "auto":
        warm = list(choose_warmups(systems, horizon, seed, points, jobs, progress, chunk_map))
        method = "MSER-5 on pilot replications, per scenario"
    else:
        warm = [(None, []) for _ in systems]
        method = "fixed in flow.yaml"
    days = [w.days if w is not None else float(settings.warmup_days) for w, _ in warm]
    tasks = [
        Task(system, horizon, days[i], seed, rep, points)
        for i, system in enumerate(systems)
        for rep in range(reps)
    ]
    results = run_tasks(tasks, jobs, progress, chunk_map)
    summaries: list[ScenarioSummary] = []
    first: list[ReplicationResult] | None = None
    for i, system in enumerate(systems):
        batch = results[i * reps : (i + 1) * reps]
        keys = batch[0].scalars.keys()
        metrics = {k: summarise([r.scalars[k] for r in batch], k) for k in keys}
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
                warmup_days=days[i],
                warmup=warm[i][0],
                pilot_series=warm[i][1],
            )
        )
    return RunResult(
        seed=seed,
        replications=reps,
        horizon_days=horizon,
        warmup_days=max(days),
        warmup_method=method,
        series_points=points,
        illustrative=model.illustrative,
        note=model.note,
        scenarios=summaries,
        warnings=run_warnings(systems, summaries),
    )
