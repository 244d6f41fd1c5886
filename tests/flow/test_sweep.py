"""Scenario sweeps: the grid's scenarios, the tidy rows, and figures against closed forms."""

from __future__ import annotations

import math

import pytest

from caseforchange.domain.problems import InvalidInput
from caseforchange.flow.model import FlowModel
from caseforchange.flow.runner import run_model
from caseforchange.flow.sweep import COLUMNS, Sweep, expand, point_id, run_sweep, tidy_rows
from caseforchange.flow.system import resolve
from tests.flow.helpers import mmc_model

TWO_TEAMS = {
    "arrivals": [{"id": "a", "source": "gp", "per_week": 14, "reasons": {"x": 1}}],
    "teams": [
        {
            "id": "nursing",
            "staff": 4,
            "service": {"kind": "exponential", "mean": 1},
            "after": {"discharge": 0.5, "beds": 0.5},
        },
        {"id": "beds", "beds": 5, "bed_kind": "acute", "service": {"kind": "fixed", "value": 1}},
    ],
    "triage": [{"to": "nursing"}],
    "scenarios": [
        {"id": "today"},
        {"id": "bigger", "based_on": "today", "team_changes": {"nursing": {"staff_add": 2}}},
    ],
    "run": {"horizon_days": 100, "warmup_days": 10, "replications": 2, "seed": 3},
}


def test_expand_makes_a_scenario_per_point_scaling_staff_but_not_beds() -> None:
    model = FlowModel.model_validate(TWO_TEAMS)
    sweep = Sweep(base="bigger", staff_scale=[0.5, 1.5], demand_growth_per_year=[0.0, 0.1])
    expanded, base, points = expand(model, sweep)
    assert base == "bigger"
    assert [p.scenario for p in points] == [
        "sweep-staff-0.5-growth-0",
        "sweep-staff-1.5-growth-0",
        "sweep-staff-0.5-growth-0.1",
        "sweep-staff-1.5-growth-0.1",
    ]
    system = resolve(expanded, point_id(1.5, 0.1))
    teams = {t.id: t for t in system.teams}
    assert teams["nursing"].staff == 9  # (4 + 2) x 1.5, on top of the base scenario's change
    assert teams["beds"].beds == 5  # bed pools keep their beds
    assert system.demand_growth_per_year == pytest.approx(0.1)
    assert resolve(expanded, point_id(0.5, 0.0)).teams[0].staff == 3


def test_bad_base_and_teams_are_named() -> None:
    model = FlowModel.model_validate(TWO_TEAMS)
    with pytest.raises(InvalidInput) as error:
        expand(model, Sweep(base="tomorrow"))
    assert error.value.problems[0].path == ("base",)
    assert "today, bigger" in error.value.problems[0].message
    with pytest.raises(InvalidInput) as error:
        expand(model, Sweep(teams=["therapy", "beds"]))
    paths = [p.path for p in error.value.problems]
    assert paths == [("teams", 0), ("teams", 1)]
    assert "bed pool" in error.value.problems[1].message


def test_grid_limits() -> None:
    with pytest.raises(ValueError, match="twice"):
        Sweep(staff_scale=[1.0, 1.0])
    with pytest.raises(ValueError, match="at most 400"):
        Sweep(
            staff_scale=[1 + i / 100 for i in range(21)],
            demand_growth_per_year=[i / 100 for i in range(20)],
        )


def test_utilisation_follows_the_offered_load_at_each_staff_level() -> None:
    # M/M/c with 2 arrivals a day and a mean episode of 1 day on 4 staff: utilisation is
    # 2 / (1 x staff): 0.667 on 3 staff (x0.75), 0.5 on 4 and 0.25 on 8 (x2). The points share
    # their patients (common random numbers), so the work done, utilisation x staff, is the
    # same at every level up to the episodes still open at the end of the run.
    model = mmc_model(2.0, 1.0, 4, horizon_days=800, warmup_days=50, replications=4, seed=1)
    result = run_sweep(model, Sweep(staff_scale=[0.75, 1.0, 2.0]))
    work = []
    for point, staff, expected in zip(result.points, (3, 4, 8), (2 / 3, 0.5, 0.25), strict=True):
        iv = result.metric(point, "utilisation")
        assert iv is not None
        assert iv.low <= expected <= iv.high
        work.append(iv.mean * staff)
    assert work == pytest.approx([work[0]] * 3, rel=0.01)


def test_a_point_at_scale_one_is_the_base_scenario_itself() -> None:
    # Same seed and replication numbers: the x1, +0% point is the base scenario's own run.
    model = FlowModel.model_validate(TWO_TEAMS)
    result = run_sweep(model, Sweep(base="bigger", staff_scale=[1.0], measures=["wait_mean"]))
    plain = run_model(model, scenarios=["bigger"])
    assert result.metric(result.points[0], "wait_mean") == plain.scenarios[0].metrics["wait_mean"]


def test_tidy_rows_one_per_point_and_measure() -> None:
    model = FlowModel.model_validate(TWO_TEAMS)
    sweep = Sweep(staff_scale=[1.0, 2.0], measures=["wait_mean", "cost_per_year", "utilisation"])
    result = run_sweep(model, sweep, replications=3, seed=9)
    rows = tidy_rows(result)
    assert len(COLUMNS) == len(rows[0])
    # no costs section in the model: cost_per_year is left out, not written empty
    assert [r[3] for r in rows] == ["wait_mean", "utilisation"] * 2
    assert {r[7] for r in rows} == {3} and {r[8] for r in rows} == {9}
    for row in rows:
        mean, low, high = row[4], row[5], row[6]
        assert isinstance(mean, float) and not math.isnan(mean)
        assert low <= mean <= high  # type: ignore[operator]
