"""Wilson intervals, chi-square and tallies, checked against values worked by hand."""

from __future__ import annotations

import pytest

from caseforchange.engagement.statistics import (
    analyse_counts,
    chi_square,
    cross_tab,
    shares,
    tally_rows,
    wilson_interval,
)


def test_wilson_45_of_100_matches_hand_computation() -> None:
    # p = .45, z = 1.96: centre (.45 + .019207)/1.038415 = .451845,
    # half-width 1.96 * sqrt(.002475 + .000096)/1.038415 = .095699.
    low, high = wilson_interval(45, 100)
    assert low == pytest.approx(0.3561, abs=1e-4)
    assert high == pytest.approx(0.5475, abs=1e-4)


def test_wilson_extremes_stay_inside_0_1_and_reject_bad_counts() -> None:
    low, high = wilson_interval(0, 10)
    assert low == 0.0 and 0.0 < high < 0.35
    low, high = wilson_interval(10, 10)
    assert high == 1.0 and 0.65 < low < 1.0
    assert wilson_interval(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson_interval(11, 10)


def test_chi_square_2x2_by_hand() -> None:
    # Expected 15 in every cell: chi2 = 4 * (5**2 / 15) = 6.667 on 1 df, p = 0.00982.
    test = chi_square([[10, 20], [20, 10]])
    assert test is not None
    assert test.statistic == pytest.approx(20 / 3)
    assert test.dof == 1
    assert test.p_value == pytest.approx(0.009823, abs=1e-5)
    assert test.small_note is None


def test_small_expected_counts_get_a_note() -> None:
    tab = cross_tab("q", {"a": {"x": 3, "y": 1}, "b": {"x": 1, "y": 4}}, ["x", "y"])
    assert tab.test is not None
    assert tab.note is not None and "fewer than 5" in tab.note


def test_empty_rows_and_columns_are_left_out_of_the_test() -> None:
    assert chi_square([[5, 0], [0, 0]]) is None
    test = chi_square([[10, 20, 0], [20, 10, 0], [0, 0, 0]])
    assert test is not None and test.dof == 1


def test_shares_keep_order_and_total() -> None:
    result = shares({"No": 30, "Yes": 70}, ["Yes", "No", "Maybe"])
    assert [s.answer for s in result] == ["Yes", "No", "Maybe"]
    assert result[0].fraction == pytest.approx(0.7)
    assert result[2].count == 0 and result[2].total == 100


def test_tally_counts_multi_select_answers_and_respondents() -> None:
    rows = [
        {"group": "staff", "q": "A", "m": "x;y"},
        {"group": "staff", "q": "B", "m": ""},
        {"group": "", "q": "A", "m": "y"},
    ]
    tally = tally_rows(rows, {"q": False, "m": True})
    assert tally.counts["q"] == {"staff": {"A": 1, "B": 1}, "(no group)": {"A": 1}}
    assert tally.counts["m"]["staff"] == {"x": 1, "y": 1}
    assert tally.respondents["m"] == {"staff": 1, "(no group)": 1}
    assert tally.overall("q") == {"A": 2, "B": 1}


def test_ballot_by_organisation_merges_groups() -> None:
    counts = {"s1": {"a": 10, "b": 5}, "s2": {"a": 2, "b": 8}, "p": {"a": 5, "b": 5}}
    result = analyse_counts("q", "Which?", ["a", "b"], counts, {"s1": "org1", "s2": "org1"})
    assert result.respondents == 35
    assert result.by_group.groups == ["s1", "s2", "p"]
    # Only one organisation is known, so there is nothing to compare across organisations.
    assert result.by_organisation is None
    result = analyse_counts("q", "Which?", ["a", "b"], counts, {"s1": "o1", "s2": "o2"})
    assert result.by_organisation is not None
    assert result.by_organisation.counts == [[10, 5], [2, 8]]
