"""Weighted totals, contributions and ranks with ties, against hand calculations."""

from __future__ import annotations

import pytest

from caseforchange.appraisal.totals import (
    competition_ranks,
    contributions,
    ranking,
    tie_groups,
    weighted_totals,
)

VALUES = [[0.8, 0.2, 0.5], [0.4, 0.9, 0.1], [0.6, 0.6, 0.3]]
WEIGHTS = [0.5, 0.3, 0.2]


def test_weighted_sum_by_hand() -> None:
    # 0.4+0.06+0.1 = 0.56; 0.2+0.27+0.02 = 0.49; 0.3+0.18+0.06 = 0.54
    assert list(weighted_totals(VALUES, WEIGHTS)) == pytest.approx([0.56, 0.49, 0.54])
    assert list(contributions(VALUES, WEIGHTS)[1]) == pytest.approx([0.2, 0.27, 0.02])


def test_ranks_best_first() -> None:
    totals = weighted_totals(VALUES, WEIGHTS)
    assert list(competition_ranks(totals)) == [1, 3, 2]
    assert ranking(totals) == [0, 2, 1]


def test_ties_share_the_better_rank_and_are_listed() -> None:
    totals = [0.5, 0.7, 0.5, 0.2]
    assert list(competition_ranks(totals)) == [2, 1, 2, 4]
    assert ranking(totals) == [1, 0, 2, 3]
    assert tie_groups(totals) == [[0, 2]]


def test_mismatched_weights_are_refused() -> None:
    with pytest.raises(ValueError):
        weighted_totals(VALUES, [0.5, 0.5])
