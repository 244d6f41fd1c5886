"""AHP weights and consistency ratio, checked against the closed form for 3x3 matrices."""

from __future__ import annotations

import pytest

from caseforchange.appraisal.ahp import RANDOM_INDEX, ahp_group_weights, ahp_weights
from caseforchange.appraisal.weights import framework_weights
from caseforchange.domain.criteria import CriteriaFramework
from caseforchange.domain.problems import InvalidInput


def _lambda_max_3x3(a12: float, a13: float, a23: float) -> float:
    # For a 3x3 reciprocal matrix, lambda_max = 1 + d^(1/3) + d^(-1/3) with d = a13 / (a12 a23).
    d = a13 / (a12 * a23)
    return 1 + d ** (1 / 3) + d ** (-1 / 3)


def test_saaty_random_index_table() -> None:
    assert [RANDOM_INDEX[n] for n in range(3, 11)] == [
        0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49,
    ]  # fmt: skip


def test_consistent_matrix_recovers_its_weights_with_zero_ratio() -> None:
    # Built from weights 4:2:1, so a_ij = w_i / w_j exactly.
    result = ahp_weights([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]])
    assert result.weights == pytest.approx((4 / 7, 2 / 7, 1 / 7))
    assert result.lambda_max == pytest.approx(3.0)
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-12)


def test_consistent_4x4_matrix() -> None:
    w = [0.4, 0.3, 0.2, 0.1]
    result = ahp_weights([[wi / wj for wj in w] for wi in w])
    assert result.weights == pytest.approx(tuple(w))
    assert result.lambda_max == pytest.approx(4.0)


def test_textbook_3x3_consistency_ratio_by_hand() -> None:
    # Saaty's classic judgements: 3, 5 and 3.
    matrix = [[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]
    lam = _lambda_max_3x3(3, 5, 3)  # = 1 + (5/9)^(1/3) + (9/5)^(1/3) = 3.0385
    expected_cr = ((lam - 3) / 2) / 0.58
    result = ahp_weights(matrix)
    assert result.lambda_max == pytest.approx(lam, rel=1e-9)
    assert result.consistency_ratio == pytest.approx(expected_cr, rel=1e-9)
    assert 0.033 < expected_cr < 0.034
    assert result.consistent


def test_inconsistent_matrix_is_refused_unless_accepted() -> None:
    # a12 = 9, a23 = 9 but a13 = 1/9: circular preferences.
    matrix = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]
    lam = _lambda_max_3x3(9, 1 / 9, 9)
    cr = ((lam - 3) / 2) / 0.58
    with pytest.raises(InvalidInput) as error:
        ahp_group_weights(matrix, ["a", "b", "c"], ("x",), group="root", accept_inconsistency=False)
    message = error.value.problems[0].message
    assert f"{cr:.3f}" in message and "'root'" in message
    accepted = ahp_group_weights(
        matrix, ["a", "b", "c"], ("x",), group="root", accept_inconsistency=True
    )
    assert accepted.consistency_ratio == pytest.approx(cr)


def test_non_reciprocal_entry_is_located() -> None:
    with pytest.raises(InvalidInput) as error:
        ahp_group_weights(
            [[1, 3], [3, 1]], ["cost", "quality"], ("p",), group="g", accept_inconsistency=False
        )
    assert error.value.problems[0].path == ("p", 1, 0)
    assert "reciprocal" in error.value.problems[0].message


def test_framework_ahp_by_group_with_warning_when_accepted() -> None:
    fw = CriteriaFramework.model_validate(
        {
            "id": "fw",
            "name": "fw",
            "weighting": {
                "method": "ahp",
                "accept_inconsistency": True,
                "ahp": {
                    "root": [[1, 3], [1 / 3, 1]],
                    "q": [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]],
                },
            },
            "criteria": [
                {
                    "id": "q",
                    "name": "Q",
                    "children": [
                        {"id": f"q{i}", "name": f"Q{i}", "scale": "0-10"} for i in range(3)
                    ],
                },
                {"id": "c", "name": "C", "scale": "0-10"},
            ],
        }
    )
    found = framework_weights(fw)
    # Circular judgements balance out: each of q's children gets a third of 3/4.
    assert found.leaf_weights == pytest.approx((0.25, 0.25, 0.25, 0.25))
    assert any("'q'" in w and "inconsistent" in w for w in found.warnings)
