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
