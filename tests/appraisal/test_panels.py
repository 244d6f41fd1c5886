"""Aggregation within and across panels, and disagreement, against hand calculations."""

from __future__ import annotations

import math

import pytest

from caseforchange.appraisal.panels import (
    Estimate,
    aggregate,
    aggregate_estimates,
    combine_panels,
    disagreement,
    group_scores,
    panel_weights,
)
from caseforchange.domain.panels import Distribution, Panel, Score
from caseforchange.domain.problems import InvalidInput
from caseforchange.domain.programme import Aggregation


def test_aggregations_by_hand() -> None:
    assert aggregate([2, 4, 9], Aggregation.MEAN) == pytest.approx(5)
    assert aggregate([2, 4, 9], Aggregation.MEDIAN) == 4
    assert aggregate([2, 4, 8], Aggregation.GEOMETRIC_MEAN) == pytest.approx(4)  # cube root of 64
    assert aggregate([0, 4, 8], Aggregation.GEOMETRIC_MEAN) == 0


def test_ranges_are_aggregated_bound_by_bound() -> None:
    found = aggregate_estimates(
        [Estimate(5, 4, 6, Distribution.UNIFORM), Estimate(7, 7, 7)], Aggregation.MEAN
    )
    assert (found.low, found.value, found.high) == (5.5, 6, 6.5)
    assert found.kind is Distribution.UNIFORM


def test_panels_combine_by_weight_renormalised_over_those_present() -> None:
    found = combine_panels(
        {"board": Estimate(8, 8, 8), "staff": Estimate(2, 2, 2)},
        {"board": 2, "staff": 1, "public": 1},
    )
    assert found is not None and found.value == pytest.approx((2 * 8 + 2) / 3)
    assert combine_panels({"board": Estimate(1, 1, 1)}, {"board": 0}) is None


def _panels() -> list[Panel]:
    return [
        Panel.model_validate(
            {
                "id": "board",
                "name": "Board",
                "members": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
            }
        ),
        Panel(id="staff", name="Staff"),
    ]


def test_panel_with_no_members_and_no_agreed_scores_is_named() -> None:
    with pytest.raises(InvalidInput) as error:
        panel_weights(
            _panels(), [Score(option="x", criterion="c", panel="board", member="a", value=1)]
        )
    problem = error.value.problems[0]
    assert "panel 'staff'" in problem.message and problem.path == ("panels", 1, "members")


def test_member_scores_twice_is_refused_naming_member() -> None:
    twice = [Score(option="x", criterion="c", panel="board", member="a", value=v) for v in (1, 2)]
    with pytest.raises(InvalidInput) as error:
        group_scores(twice, _panels())
    assert "member 'a' of panel 'board'" in error.value.problems[0].message


def test_disagreement_spread_and_iqr() -> None:
    scores = [
        Score(option="x", criterion="c", panel="board", member="a", value=2),
        Score(option="x", criterion="c", panel="board", member="b", value=6),
        Score(option="x", criterion="c", panel="staff", value=10),
        Score(option="y", criterion="c", panel="staff", value=5),
    ]
    cells = group_scores(scores, _panels())
    found = disagreement(cells, {"c": lambda raw: raw / 10}, Aggregation.MEAN)
    x = next(c for c in found.cells if c.option == "x")
    # Board mean 4 -> 0.4, staff 1.0: spread 0.6. Board members 0.2 and 0.6: spread 0.4.
    assert x.spread == pytest.approx(0.6)
    assert x.member_spread["board"] == pytest.approx(0.4)
    # Pooled values 0.2, 0.6, 1.0: quartiles 0.4 and 0.8 (linear interpolation).
    assert x.iqr == pytest.approx(0.4)
    assert found.most_divisive[0].option == "x"
    assert math.isclose(found.by_option["y"], 0.0)
