"""Weights: direct, swing, rank-order centroid and hierarchical, against hand calculations."""

from __future__ import annotations

import pytest

from caseforchange.appraisal.weights import (
    direct_weights,
    framework_weights,
    rank_order_centroid,
    swing_weights,
)
from caseforchange.domain.criteria import CriteriaFramework
from caseforchange.domain.problems import InvalidInput


def test_direct_points_are_normalised() -> None:
    assert direct_weights([50, 30, 20], ["a", "b", "c"]) == pytest.approx((0.5, 0.3, 0.2))


def test_swing_weights_are_ratios_to_the_top_swing() -> None:
    # 100 : 60 : 40 -> 100/200, 60/200, 40/200
    assert swing_weights([100, 60, 40], ["a", "b", "c"]) == pytest.approx((0.5, 0.3, 0.2))


def test_weights_summing_to_zero_are_refused_naming_the_criteria() -> None:
    with pytest.raises(InvalidInput) as error:
        direct_weights([0, 0], ["cost", "quality"])
    assert "cost, quality" in error.value.problems[0].message
    assert "sum to zero" in error.value.problems[0].message


def test_rank_order_centroid_by_hand() -> None:
    # n = 3: w1 = (1 + 1/2 + 1/3)/3 = 11/18, w2 = (1/2 + 1/3)/3 = 5/18, w3 = (1/3)/3 = 2/18
    assert rank_order_centroid([1, 2, 3]) == pytest.approx((11 / 18, 5 / 18, 2 / 18))
    # Order follows the ranks, not the positions.
    assert rank_order_centroid([3, 1, 2]) == pytest.approx((2 / 18, 11 / 18, 5 / 18))


def test_rank_order_centroid_ties_share_the_average() -> None:
    shared = (11 / 18 + 5 / 18) / 2
    assert rank_order_centroid([1, 1, 3]) == pytest.approx((shared, shared, 2 / 18))
    assert rank_order_centroid([1, 1, 2]) == pytest.approx((shared, shared, 2 / 18))


def _framework(**weighting: object) -> CriteriaFramework:
    return CriteriaFramework.model_validate(
        {
            "id": "fw",
            "name": "fw",
            "weighting": weighting,
            "criteria": [
                {"id": "gate", "name": "Gate", "hurdle": True, "scale": "pass-fail"},
                {
                    "id": "quality",
                    "name": "Quality",
                    "weight": 60,
                    "rank": 1,
                    "children": [
                        {"id": "outcomes", "name": "O", "scale": "0-10", "weight": 3, "rank": 1},
                        {"id": "access", "name": "A", "scale": "0-10", "weight": 1, "rank": 2},
                    ],
                },
                {"id": "cost", "name": "Cost", "scale": "0-10", "weight": 40, "rank": 2},
            ],
        }
    )


def test_hierarchical_global_weight_is_the_product_down_the_tree() -> None:
    found = framework_weights(_framework(method="direct"))
    assert found.leaves == ["outcomes", "access", "cost"]
    # quality 0.6 x (3/4, 1/4); cost 0.4; the hurdle takes no share.
    assert found.leaf_weights == pytest.approx((0.45, 0.15, 0.4))
    assert found.global_["quality"] == pytest.approx(0.6)
    assert found.members["quality"] == (0, 1)


def test_rank_order_centroid_in_a_tree() -> None:
    found = framework_weights(_framework(method="rank_order_centroid"))
    # Two siblings: ROC gives 3/4 and 1/4 at each level.
    assert found.leaf_weights == pytest.approx((0.75 * 0.75, 0.75 * 0.25, 0.25))


def test_equal_weighting_ignores_points() -> None:
    found = framework_weights(_framework(method="equal"))
    assert found.leaf_weights == pytest.approx((0.25, 0.25, 0.5))


def test_a_group_with_weights_summing_to_zero_names_the_group() -> None:
    fw = _framework(method="direct")
    fw.criteria[1].children[0].weight = 0
    fw.criteria[1].children[1].weight = 0
    with pytest.raises(InvalidInput) as error:
        framework_weights(fw)
    problem = error.value.problems[0]
    assert "outcomes, access" in problem.message
    assert problem.path == ("framework", "criteria", 1, "children")


def test_some_weights_missing_among_siblings_is_refused() -> None:
    fw = _framework(method="direct")
    fw.criteria[2].weight = None
    with pytest.raises(InvalidInput) as error:
        framework_weights(fw)
    assert "'cost' has no weight" in error.value.problems[0].message
    assert error.value.problems[0].path == ("framework", "criteria", 2, "weight")
