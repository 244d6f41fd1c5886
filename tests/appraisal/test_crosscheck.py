"""The pymcdm cross-check agrees on a dominant option and drops flat criteria."""

from __future__ import annotations

from caseforchange.appraisal.crosscheck import METHODS, cross_check


def test_dominant_option_is_first_by_every_method() -> None:
    values = [[0.9, 0.8, 0.5], [0.2, 0.4, 0.5], [0.5, 0.1, 0.5]]
    found = cross_check(values, [0.5, 0.3, 0.2], ["a", "b", "c"], ["x", "y", "flat"])
    assert list(found.ranks) == list(METHODS)
    assert all(ranks["a"] == 1 for ranks in found.ranks.values())
    assert found.agree
    assert found.dropped_criteria == ["flat"]


def test_one_option_reports_only_the_weighted_sum() -> None:
    found = cross_check([[0.5, 0.5]], [0.5, 0.5], ["a"], ["x", "y"])
    assert list(found.ranks) == ["weighted sum"] and found.note
