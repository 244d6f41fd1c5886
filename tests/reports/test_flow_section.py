"""The patient-flow section of the report, from a small model run."""

from __future__ import annotations

from caseforchange.chartstyle import Chart
from caseforchange.flow.model import FlowModel
from caseforchange.flow.runner import run_model
from caseforchange.flow.scoring import suggest_scores
from caseforchange.reports.blocks import Paragraph, Table
from caseforchange.reports.flow_section import flow_section
from tests.flow.helpers import mmc_model


def test_flow_section_compares_scenarios_with_intervals_as_numbers() -> None:
    model: FlowModel = mmc_model(4.0, 1.0, 5, horizon_days=200.0, warmup_days=10.0)
    result = run_model(model, replications=3, seed=3)
    section = flow_section(result, suggest_scores(result, model.scoring))
    assert section.part == "appendix"
    table = next(b for b in section.blocks if isinstance(b, Table))
    assert table.columns == ["measure", "scenario", "mean", "95% low", "95% high"]
    wait = result.scenarios[0].metrics["wait_p92"]
    row = next(r for r in table.rows if r[0] == "92nd centile wait (days)")
    assert row[2:] == [wait.mean, wait.low, wait.high]
    (chart,) = [b for b in section.blocks if isinstance(b, Chart)]
    assert chart.rows[0][1] == wait.mean
    text = " ".join(b.text for b in section.blocks if isinstance(b, Paragraph))
    assert "3 replications" in text and "seed 3" in text
