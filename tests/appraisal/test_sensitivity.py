"""One-way weight sensitivity against intervals worked out by hand."""

from __future__ import annotations

import pytest

from caseforchange.appraisal.sensitivity import criterion_sensitivity, weight_sensitivity

# A = (1, 0), B = (0, 1), C = (0.6, 0.6); weights (0.7, 0.3). With w1 = x, totals are
# A = x, B = 1 - x, C = 0.6. A leads while x >= 0.6 (C overtakes below); B passes C at x = 0.4
# and A at x = 0.5.
VALUES = [[1.0, 0.0], [0.0, 1.0], [0.6, 0.6]]
OPTIONS = ["A", "B", "C"]


def test_interval_where_the_top_option_stays_first() -> None:
    found = criterion_sensitivity(VALUES, [0.7, 0.3], OPTIONS, "c1", [0])
    assert found is not None
    assert found.top == "A"
    assert found.top_interval == pytest.approx((0.6, 1.0))
    assert found.below == "C" and found.above is None
    crossings = [(round(c.weight, 9), c.overtaker, c.overtaken) for c in found.rank_changes]
    assert crossings == [(0.4, "C", "B"), (0.5, "A", "B"), (0.6, "A", "C")]
    assert found.stable["A"] == pytest.approx((0.6, 1.0))


def test_tornado_bars_and_skip_of_a_sole_criterion() -> None:
    found = weight_sensitivity(VALUES, [0.7, 0.3], OPTIONS, {"c1": [0], "c2": [1]}, swing=0.5)
    bar = next(b for b in found.tornado if b.criterion == "c1")
    # w1 = 0.35: A 0.35, B 0.65 -> margin -0.3; w1 = 1.0 (capped): A 1, C 0.6 -> 0.4.
    assert (bar.weight_low, bar.weight_high) == pytest.approx((0.35, 1.0))
    assert (bar.margin_low, bar.margin_high) == pytest.approx((-0.3, 0.4))
    assert criterion_sensitivity([[1.0], [0.0]], [1.0], ["A", "B"], "only", [0]) is None
