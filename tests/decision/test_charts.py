"""Decision charts carry a text alternative, their data, the illustrative label and a PNG."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseforchange.catalogue.reference import decision_catalogue
from caseforchange.decision.charts import (
    affordability_chart,
    cost_tornado_chart,
    decision_charts,
    risk_heatmap_chart,
    value_for_money_chart,
)
from caseforchange.decision.finance import FinanceResult, OptionCost, TornadoBar, ValuePoint
from caseforchange.decision.view import decision_file
from caseforchange.io.sources import load_any
from tests.cli.test_decision import DECISION


def test_value_for_money_names_the_dominated_option() -> None:
    points = [ValuePoint("a", 0.6, 2e6, ("b",)), ValuePoint("b", 0.7, 1e6, ())]
    chart = value_for_money_chart(points, {"a": "Option A", "b": "Option B"}, illustrative=True)
    assert "Dominated: Option A." in chart.alt and "(illustrative figures)" in chart.title
    # Numbers stay numbers; the formats say how every output shows them.
    assert chart.rows[0] == ["Option A", 0.6, 2e6, "Option B"]
    assert chart.formats == ["text", "dec3", "gbp", "text"] and chart.sheet == "Value for money"
    assert chart.svg.startswith("<svg") and chart.png.startswith(b"\x89PNG")
    with pytest.raises(ValueError):
        value_for_money_chart([], {})


def test_affordability_reports_years_over_the_envelope() -> None:
    cost = OptionCost(
        "a", [110.0, 90.0], [110.0, 90.0], [0.0, 0.0], 0.0, 0.0, {}, {}, [-10.0, 10.0]
    )
    result = FinanceResult(2011, 2, 0.035, [100.0, 100.0], [cost])
    chart = affordability_chart(result, {"a": "Option A"})
    assert "Above the envelope: Option A in 2011/12." in chart.alt
    # The bars' values: envelope less net revenue cost (100 - 110, 100 - 90).
    assert chart.rows == [["2011/12", 100.0, -10.0], ["2012/13", 100.0, 10.0]]
    assert chart.columns == ["year", "envelope", "headroom: Option A"]
    assert chart.formats == ["text", "gbp", "gbp"]
    with pytest.raises(ValueError, match="no envelope"):
        affordability_chart(FinanceResult(2011, 2, 0.035, [None, None], [cost]), {})


def test_risk_heatmap_counts_by_grade() -> None:
    counts = [[0] * 5 for _ in range(5)]
    counts[4][4] = 2  # two extreme risks (5 x 5)
    counts[0][0] = 1  # one low (1 x 1)
    chart = risk_heatmap_chart(counts, title="Risks")
    assert chart.alt == "3 risks on a 5 by 5 matrix: 1 low, 0 moderate, 0 high, 2 extreme."
    assert chart.rows[0] == ["5", 0, 0, 0, 0, 2]  # impact 5 first
    assert chart.formats == ["text", "int", "int", "int", "int", "int"]


def test_tornado_data_holds_factors_and_pounds_as_numbers() -> None:
    bars = [TornadoBar("pay", "Pay and prices", 0.98, 1.04, 980_000.0, 1_040_000.0)]
    chart = cost_tornado_chart("Option A", 1_000_000.0, bars)
    assert chart.rows == [["Pay and prices", 0.98, 1.04, 980_000.0, 1_000_000.0, 1_040_000.0]]
    assert chart.formats == ["text", "dec2", "dec2", "gbp", "gbp", "gbp"]
    assert chart.sheet == "Tornado Option A"
    assert cost_tornado_chart("Option A", 1e6, bars, option_id="a").sheet == "Tornado a"


def _charts(folder: Path, decision: str) -> dict[str, str]:
    path = folder / "programme.yaml"
    path.write_text(path.read_text(encoding="utf-8") + decision, encoding="utf-8")
    programme = load_any(folder).programme
    d = decision_file(programme, decision_catalogue(), {"stay": 0.6, "vertical": 0.4})
    return {stem: chart.alt for stem, chart in decision_charts(d).items()}


def test_decision_charts_are_keyed_by_file_stem(small_folder: Path) -> None:
    charts = _charts(small_folder, DECISION)
    assert {"value-for-money", "affordability", "risk-matrix"} <= set(charts)
    assert set(charts) - {"value-for-money", "affordability", "risk-matrix"} == {
        stem for stem in charts if stem.startswith("tornado-")
    }
    # r1 is 4 x 5 = 20 (extreme, 15-25), r2 is 2 x 2 = 4 (moderate, 4-6)
    assert charts["risk-matrix"] == (
        "2 risks on a 5 by 5 matrix: 0 low, 1 moderate, 0 high, 1 extreme."
    )


def test_decision_charts_leave_out_affordability_without_an_envelope(small_folder: Path) -> None:
    without = DECISION.replace("  envelope_gbp: [100000, 100000]\n", "")
    assert without != DECISION
    charts = _charts(small_folder, without)
    assert "affordability" not in charts and "value-for-money" in charts
