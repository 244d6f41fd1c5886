"""Charts come back as chart records: inline SVG, a text alternative and the data shown."""

from __future__ import annotations

from caseforchange.flow.charts import comparison_chart, queue_chart, warmup_chart
from caseforchange.flow.runner import run_model

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
