"""Risk scores, grades, the 5x5 matrix and the top risks, against a hand-drawn register."""

from __future__ import annotations

import pytest

from caseforchange.decision.risks import for_option, grade, grade_counts, matrix, score, top_risks
from caseforchange.domain.risks import Risk


def _risk(
    rid: str, lik: int, imp: int, res: tuple[int, int] | None = None, option: str | None = None
) -> Risk:
    extra = {} if res is None else {"residual_likelihood": res[0], "residual_impact": res[1]}
    return Risk(
        id=rid,
        title=rid,
        category="delivery",
        likelihood=lik,
        impact=imp,
        owner="PMO",
        option=option,
        **extra,
    )


REGISTER = [
    _risk("a", 5, 5, (2, 5)),  # 25 -> 10
    _risk("b", 4, 3, (2, 2), option="x"),  # 12 -> 4
    _risk("c", 1, 1),  # 1
    _risk("d", 3, 4),  # 12, not mitigated
    _risk("e", 4, 3, option="x"),  # 12, same cell as b
]


def test_scores_and_grades() -> None:
    s = score(REGISTER[0])
    assert (s.score, s.residual, s.grade, s.residual_grade) == (25, 10, "extreme", "high")
    assert [grade(x) for x in (1, 3, 4, 6, 8, 12, 15, 25)] == [
        "low",
        "low",
        "moderate",
        "moderate",
        "high",
        "high",
        "extreme",
        "extreme",
    ]
    with pytest.raises(ValueError):
        grade(26)


def test_five_by_five_matrix_counts() -> None:
    # rows are impact 1..5, columns likelihood 1..5
    expected = [
        [1, 0, 0, 0, 0],  # impact 1: c (L1)
        [0, 0, 0, 0, 0],
        [0, 0, 0, 2, 0],  # impact 3: b and e (L4)
        [0, 0, 1, 0, 0],  # impact 4: d (L3)
        [0, 0, 0, 0, 1],  # impact 5: a (L5)
    ]
    assert matrix(REGISTER) == expected
    residual = [[0] * 5 for _ in range(5)]
    residual[1][1] = 1  # b after mitigation: L2 I2
    residual[4][1] = 1  # a after mitigation: L2 I5
    assert matrix(REGISTER, residual=True) == residual


def test_top_risks_rank_by_current_score() -> None:
    # current scores: a 10, b 4, c 1, d 12, e 12 -> d and e (12; ties by id), then a, b, c
    assert [s.risk.id for s in top_risks(REGISTER, 4)] == ["d", "e", "a", "b"]
    assert grade_counts(REGISTER) == {"low": 1, "moderate": 0, "high": 3, "extreme": 1}
    assert [r.id for r in for_option(REGISTER, "x")] == ["b", "e"]
    assert [r.id for r in for_option(REGISTER, None)] == ["a", "c", "d"]
