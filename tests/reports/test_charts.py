"""Charts carry their data and a text alternative that states what they show."""

from __future__ import annotations

import re

from caseforchange.chartstyle import colour, hatch
from caseforchange.reports import charts


def test_stacked_bars_label_the_engine_totals() -> None:
    fig = charts.stacked_bars(
        "Totals", ["A", "B"], ["q", "c"], [[0.2, 0.3], [0.1, 0.1]], [0.5, 0.2]
    )
    assert fig.svg.startswith("<svg")
    assert fig.png[:8] == b"\x89PNG\r\n\x1a\n"
    assert fig.alt == "Weighted totals: A 0.500, B 0.200."
    assert fig.rows == [["A", 0.2, 0.3, 0.5], ["B", 0.1, 0.1, 0.2]]


def test_no_colour_repeats_within_a_chart_of_twelve_criteria() -> None:
    names = [f"criterion {i}" for i in range(12)]
    fig = charts.stacked_bars("T", ["A"], names, [[1 / 12] * 12], [1.0])
    drawn = {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}", fig.svg)}
    assert len({colour(i) for i in range(24)}) == 24
    assert hatch(3) == "" and hatch(9) != ""
    # Each of the twelve series is drawn in its own colour (past eight, hatched as well).
    assert {colour(i).lower() for i in range(12)} <= drawn


def test_tornado_names_the_narrowest_interval() -> None:
    fig = charts.tornado("T", ["wide", "narrow"], [0.5, 0.5], [0.0, 0.4], [1.0, 0.6])
    assert "most sensitive criterion is narrow" in fig.alt
    assert fig.rows[0][0] == "narrow"


def test_tornado_says_nothing_reverses_when_every_interval_is_full() -> None:
    fig = charts.tornado("T", ["a", "b"], [0.5, 0.5], [0.0, 0.0], [1.0, 1.0])
    assert "no single criterion's weight" in fig.alt
    assert "between 0.000 and 1.000" not in fig.alt


def test_rank_acceptability_alt_gives_first_rank_shares() -> None:
    fig = charts.rank_acceptability("R", ["A", "B"], [[0.75, 0.25], [0.25, 0.75]])
    assert "A ranks first in 75.0% of samples" in fig.alt


def test_heatmap_alt_names_the_best_option_per_criterion() -> None:
    fig = charts.heatmap("H", ["A", "B"], ["x", "y"], [[0.9, None], [0.1, 0.4]])
    assert fig.alt == "Heat map of scores. x: highest A; y: highest B"
