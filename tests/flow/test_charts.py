"""Charts are written as SVG."""

from __future__ import annotations

from pathlib import Path

from caseforchange.flow.charts import comparison_chart, queue_chart, warmup_chart
from caseforchange.flow.runner import run_model

from .helpers import mmc_model


def test_run_charts_are_svg(tmp_path: Path) -> None:
    model = mmc_model(9.0, 1.0, 10, horizon_days=200, warmup_days="auto", replications=2)
    result = run_model(model)
    for chart in (comparison_chart, queue_chart, warmup_chart):
        path = chart(result, tmp_path / f"{chart.__name__}.svg")
        assert path.read_text().lstrip().startswith("<?xml")
