"""Replications: common random numbers, recorded seeds, parallel equal to serial."""

from __future__ import annotations

from caseforchange.flow.model import FlowModel
from caseforchange.flow.runner import Task, run_model, run_tasks
from caseforchange.flow.system import resolve

from .helpers import mmc_model


def _two_scenarios() -> FlowModel:
    model = mmc_model(9.0, 1.0, 10, horizon_days=300, warmup_days=20, replications=8, seed=11)
    return FlowModel.model_validate(
        {
            **model.model_dump(),
            "scenarios": [
                {"id": "now"},
                {"id": "more", "team_changes": {"t": {"staff_add": 2}}},
            ],
        }
    )


def test_scenarios_share_arrivals_and_paired_difference_is_tighter() -> None:
    model = _two_scenarios()
    result = run_model(model)
    now, more = result.scenarios
    for a, b in zip(now.replications, more.replications, strict=True):
        assert a.scalars["referrals"] == b.scalars["referrals"]  # same arrival stream
        assert a.seed == b.seed == 11
    diff = more.difference["wait_mean"]
    assert diff.high < 0
    assert diff.half_width < now.metrics["wait_mean"].half_width


def test_parallel_results_identical_to_serial() -> None:
    system = resolve(mmc_model(9.0, 1.0, 10))
    tasks = [Task(system, 200.0, 10.0, 5, rep, 20) for rep in range(4)]
    serial = run_tasks(tasks, jobs=1)
    parallel = run_tasks(tasks, jobs=2)
    # repr, because NaN (no urgent patients here) is not equal to itself
    assert [repr(r.scalars) for r in serial] == [repr(r.scalars) for r in parallel]
    assert [r.series for r in serial] == [r.series for r in parallel]


def test_different_seed_gives_different_numbers() -> None:
    system = resolve(mmc_model(9.0, 1.0, 10))
    a, b = run_tasks([Task(system, 100.0, 0.0, 1, 0, 20), Task(system, 100.0, 0.0, 2, 0, 20)])
    assert a.scalars["wait_mean"] != b.scalars["wait_mean"]


def test_auto_warmup_is_chosen_and_recorded() -> None:
    model = mmc_model(9.0, 1.0, 10, horizon_days=400, warmup_days="auto", replications=2, seed=3)
    result = run_model(model)
    (summary,) = result.scenarios
    assert summary.warmup is not None
    assert result.warmup_method.startswith("MSER-5")
    assert 0 <= summary.warmup_days <= 200
    assert len(summary.pilot_series) == model.run.series_points


def test_a_scenario_alone_gives_the_same_figures_as_beside_others() -> None:
    data = _two_scenarios().model_dump()
    data["run"]["warmup_days"] = "auto"
    data["run"]["replications"] = 2
    model = FlowModel.model_validate(data)
    both = run_model(model).scenarios[1]
    alone = run_model(model, scenarios=["more"]).scenarios[0]
    assert alone.warmup_days == both.warmup_days
    assert alone.metrics["wait_mean"] == both.metrics["wait_mean"]
