"""Calibration: the fitted baseline reproduces the demand and episode lengths it was fitted to."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseforchange.flow.calibration import calibrate
from caseforchange.flow.metrics import flow_metrics
from caseforchange.flow.model import RunSettings
from caseforchange.flow.system import all_team_names
from caseforchange.io.flow_file import load_flow_model
from caseforchange.io.referrals import load_referrals

EXAMPLE = Path(__file__).parents[2] / "src/caseforchange/examples/plymouth-2010"


def test_calibrated_baseline_fits_demand_and_caseload() -> None:
    model = load_flow_model(EXAMPLE)
    run = RunSettings.model_validate(
        {**model.run.model_dump(), "horizon_days": 400, "warmup_days": 100}
    )
    model = model.model_copy(update={"run": run})
    metrics = flow_metrics(
        load_referrals(EXAMPLE / "referrals.csv", known_teams=all_team_names(model))
    )
    fit = calibrate(model, metrics, replications=2)
    rows = {r.name: r for r in fit.rows}
    demand = rows["referrals a week from outside"]
    assert demand.simulated.mean == pytest.approx(demand.observed, rel=0.05)
    nursing = rows["nursing-north mean caseload"]
    assert nursing.simulated.mean == pytest.approx(nursing.observed, rel=0.25)
    assert any("episode" in c for c in fit.changes)
