"""Charts come back as chart records: inline SVG, a text alternative and the data shown."""

from __future__ import annotations

import json
from typing import Any

from caseforchange.flow.charts import comparison_chart, cost_chart, queue_chart, warmup_chart
from caseforchange.flow.runner import result_from_dict, run_model

from .helpers import mmc_model


def test_run_charts_are_records_with_svg_and_data() -> None:
    model = mmc_model(9.0, 1.0, 10, horizon_days=200, warmup_days="auto", replications=2)
    result = run_model(model)
    for make in (comparison_chart, queue_chart, warmup_chart):
        chart = make(result)
        assert chart is not None
        assert chart.svg.startswith("<svg")
        assert chart.alt
        assert chart.rows and all(len(r) == len(chart.columns) for r in chart.rows)


def test_no_warmup_chart_when_the_warmup_is_fixed() -> None:
    model = mmc_model(9.0, 1.0, 10, horizon_days=100, warmup_days=10, replications=2)
    assert warmup_chart(run_model(model)) is None


def test_tradeoff_chart_has_a_row_per_point_and_says_illustrative() -> None:
    from caseforchange.flow.charts import tradeoff_chart
    from caseforchange.flow.sweep import Sweep, run_sweep

    model = mmc_model(2.0, 1.0, 4, horizon_days=100, warmup_days=10, replications=2)
    model = model.model_copy(update={"illustrative": True})
    sweep = Sweep(staff_scale=[1.0, 2.0], demand_growth_per_year=[0.0, 0.1])
    chart = tradeoff_chart(run_sweep(model, sweep))
    assert chart.svg.startswith("<svg") and "ILLUSTRATIVE" in chart.svg
    assert len(chart.rows) == 4 and all(len(r) == len(chart.columns) for r in chart.rows)
    # no unit costs in the model: the horizontal axis is the staff scale
    assert chart.columns[3] == "staff scale" and [r[3] for r in chart.rows] == ["1", "2"] * 2
    assert "4 points: 2 demand growths, each over 2 staff levels" in chart.alt


def _costed(per_year: list[float]) -> dict[str, Any]:
    """A run record with a cost per year (interval ±10%) and £100 a referral per scenario."""
    return {
        "seed": 1,
        "replications": 3,
        "horizon_days": 365.0,
        "illustrative": True,
        "scenarios": [
            {
                "id": f"s{i}",
                "metrics": {
                    "cost_per_year": {"mean": c, "low": c * 0.9, "high": c * 1.1, "n": 3},
                    "cost_per_referral": {"mean": 100.0, "low": 90.0, "high": 110.0, "n": 3},
                },
            }
            for i, c in enumerate(per_year)
        ],
    }


def test_cost_chart_shows_each_scenarios_cost_and_interval() -> None:
    chart = cost_chart(result_from_dict(_costed([1_000_000.0, 250_000.0])))
    assert chart is not None and chart.svg.startswith("<svg")
    assert chart.rows == [
        ["s0", "1000000", "900000", "1100000", "100.00", "90.00", "110.00"],
        ["s1", "250000", "225000", "275000", "100.00", "90.00", "110.00"],
    ]


def test_no_cost_chart_without_costs() -> None:
    model = mmc_model(9.0, 1.0, 10, horizon_days=50, warmup_days=5, replications=2)
    assert cost_chart(run_model(model)) is None


def test_charts_from_a_stored_run_record_match_the_run_itself() -> None:
    model = mmc_model(9.0, 1.0, 10, horizon_days=200, warmup_days="auto", replications=2)
    result = run_model(model)
    stored = json.loads(json.dumps(result.as_dict()))
    rebuilt = result_from_dict(stored)
    for make in (comparison_chart, queue_chart, warmup_chart):
        first, again = make(result), make(rebuilt)
        assert first is not None and again is not None
        assert again.rows == first.rows
    assert rebuilt.scenarios[0].warmup_days == result.scenarios[0].warmup_days
