"""Scenario sweeps: a grid of staff levels by demand growth, each run with replications.

A sweep takes one scenario of a flow model (its ``base``) and makes one new scenario for every
pair of a staff scale and a demand growth in the grid: every staffed team's staff (or each
shift of its rota) is multiplied by the scale and rounded, as ``team_changes.staff_scale``
does, and the demand grows by the given rate a year on top of the base scenario's own
(compounding, as ``demand_growth_per_year`` does). Bed pools keep their beds. All points share
the seed and replication numbers (common random numbers) and each has its own warm-up, so a
point's figures do not depend on the rest of the grid. The result is a tidy table: one row per
point and measure, with the mean and the 95% interval over replications.

Pure: the sweep arrives as data (see ``io/sweep_file.py``); nothing here reads or writes files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field, model_validator

from caseforchange.chunks import ChunkMap
from caseforchange.domain.base import Id, Model, Text
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.flow.model import FlowModel, Scenario, TeamChange
from caseforchange.flow.runner import Progress, RunResult, run_model
from caseforchange.flow.statistics import Interval
from caseforchange.flow.system import BASE, check_model, resolve

#: Most points a sweep may have (staff scales x demand growths).
MAX_POINTS = 400

Measure = Literal[
    "within_18_weeks",
    "wait_mean",
    "wait_median",
    "wait_p92",
    "handoffs_per_patient",
    "admissions_per_1000",
    "utilisation",
    "cost_per_year",
    "cost_per_referral",
]

#: Measures written when a sweep names none; costs only when the model has a costs section.
DEFAULT_MEASURES: tuple[Measure, ...] = (
    "within_18_weeks",
    "wait_mean",
    "wait_p92",
    "utilisation",
    "cost_per_year",
)

Scale = Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)]
Growth = Annotated[float, Field(gt=-1, le=10, allow_inf_nan=False)]


class Sweep(Model):
    """A sweep file: the scenario to vary, the grid, and how to run each point."""

    note: Text | None = None
    base: Id | None = None
    teams: list[Id] | None = None
    staff_scale: list[Scale] = Field(default_factory=lambda: [1.0], min_length=1)
    demand_growth_per_year: list[Growth] = Field(default_factory=lambda: [0.0], min_length=1)
    replications: Annotated[int, Field(ge=2, le=10_000)] | None = None
    seed: Annotated[int, Field(ge=0)] | None = None
    measures: list[Measure] | None = None

    @model_validator(mode="after")
    def _grid(self) -> Sweep:
        for name in ("staff_scale", "demand_growth_per_year"):
            values: list[float] = getattr(self, name)
            if len(set(values)) != len(values):
                raise ValueError(f"{name} lists a value twice")
        points = len(self.staff_scale) * len(self.demand_growth_per_year)
        if points > MAX_POINTS:
            raise ValueError(f"the grid has {points} points; at most {MAX_POINTS}")
        return self


@dataclass(frozen=True)
class Point:
    """One point of the grid: its scenario id, staff scale and added demand growth."""

    scenario: str
    staff_scale: float
    demand_growth_per_year: float


@dataclass
class SweepResult:
    """A sweep's points, the measures kept, and the run behind them (seed, warnings, ...)."""

    base: str
    points: list[Point]
    measures: list[str]
    run: RunResult

    def metric(self, point: Point, measure: str) -> Interval | None:
        """Return a point's interval for a measure, or None when the model lacks it."""
        summary = next(s for s in self.run.scenarios if s.scenario == point.scenario)
        return summary.metrics.get(measure)


#: Columns of the tidy table.
COLUMNS = (
    "scenario",
    "staff_scale",
    "demand_growth_per_year",
    "measure",
    "mean",
    "low",
    "high",
    "replications",
    "seed",
)


def point_id(scale: float, growth: float) -> str:
    """Return the scenario id of a grid point, e.g. ``sweep-staff-1.1-growth-0.04``."""
    return f"sweep-staff-{scale:g}-growth-{growth:g}"


def expand(model: FlowModel, sweep: Sweep) -> tuple[FlowModel, str, list[Point]]:
    """Return the model with one scenario per grid point, the base scenario id, and the points.

    Raises:
        InvalidInput: the base scenario is unknown, or ``teams`` names a team the base
            scenario does not have or a bed pool; each problem names the sweep's field.
    """
    known = [s.id for s in model.scenarios]
    base = sweep.base or (known[0] if known else BASE)
    if base != BASE and base not in known:
        choices = ", ".join(known) or "none (leave base out to vary the base model)"
        raise InvalidInput([Problem(("base",), f"unknown scenario {base!r}; known: {choices}")])
    teams = resolve(model, base).teams
    staffed = [t.id for t in teams if t.beds is None]
    problems: list[Problem] = []
    for i, name in enumerate(sweep.teams or []):
        if name not in {t.id for t in teams}:
            problems.append(Problem(("teams", i), f"scenario {base!r} has no team {name!r}"))
        elif name not in staffed:
            problems.append(Problem(("teams", i), f"{name!r} is a bed pool: it has no staff"))
    if problems:
        raise InvalidInput(problems)
    scaled = list(sweep.teams) if sweep.teams is not None else staffed
    taken = set(known)
    points: list[Point] = []
    scenarios = list(model.scenarios)
    for growth in sweep.demand_growth_per_year:
        for scale in sweep.staff_scale:
            sid = point_id(scale, growth)
            while sid in taken:
                sid += "-x"
            taken.add(sid)
            points.append(Point(sid, scale, growth))
            scenarios.append(
                Scenario(
                    id=sid,
                    label=f"staff x{scale:g}, demand growth {growth:+.1%} a year",
                    based_on=None if base == BASE else base,
                    team_changes={t: TeamChange(staff_scale=scale) for t in scaled},
                    demand_growth_per_year=growth,
                )
            )
    expanded = model.model_copy(update={"scenarios": scenarios})
    problems = check_model(expanded)
    if problems:
        raise InvalidInput(problems)
    return expanded, base, points


def run_sweep(
    model: FlowModel,
    sweep: Sweep,
    *,
    replications: int | None = None,
    seed: int | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    chunk_map: ChunkMap | None = None,
) -> SweepResult:
    """Run every point of the grid and return the sweep's result.

    ``replications`` and ``seed`` override the sweep's, which override ``flow.yaml``'s.
    ``chunk_map`` runs the replications elsewhere (a cluster); the figures are the same.

    Raises:
        InvalidInput: as :func:`expand`, or the whole run passes the model's limits.
    """
    expanded, base, points = expand(model, sweep)
    result = run_model(
        expanded,
        scenarios=[p.scenario for p in points],
        replications=replications if replications is not None else sweep.replications,
        seed=seed if seed is not None else sweep.seed,
        jobs=jobs,
        progress=progress,
        chunk_map=chunk_map,
    )
    wanted = list(sweep.measures or DEFAULT_MEASURES)
    present = set(result.scenarios[0].metrics)
    measures: list[str] = [m for m in wanted if m in present]
    return SweepResult(base, points, measures, result)


def tidy_rows(result: SweepResult) -> list[list[object]]:
    """Return the tidy table's rows (see :data:`COLUMNS`): one per point and measure."""
    rows: list[list[object]] = []
    for point in result.points:
        for measure in result.measures:
            iv = result.metric(point, measure)
            if iv is None:
                continue
            rows.append(
                [
                    point.scenario,
                    point.staff_scale,
                    point.demand_growth_per_year,
                    measure,
                    iv.mean,
                    iv.low,
                    iv.high,
                    result.run.replications,
                    result.run.seed,
                ]
            )
    return rows
