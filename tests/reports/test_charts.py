"""Charts carry their data and a text alternative that states what they show."""

from __future__ import annotations

import datetime as dt

from caseforchange.reports import charts


def test_stacked_bars_totals_in_alt_text_and_data() -> None:
    fig = charts.stacked_bars("Totals", ["A", "B"], ["q", "c"], [[0.2, 0.3], [0.1, 0.1]])
    assert fig.svg.startswith("<svg")
    assert fig.png[:8] == b"\x89PNG\r\n\x1a\n"
    assert fig.alt == "Weighted totals: A 0.500, B 0.200."
    assert fig.data.rows == [["A", 0.2, 0.3, 0.5], ["B", 0.1, 0.1, 0.2]]


def test_tornado_names_the_narrowest_interval() -> None:
    fig = charts.tornado("T", ["wide", "narrow"], [0.5, 0.5], [0.0, 0.4], [1.0, 0.6])
    assert "most sensitive criterion is narrow" in fig.alt
    assert fig.data.rows[0][0] == "narrow"


def test_rank_acceptability_alt_gives_first_rank_shares() -> None:
    fig = charts.rank_acceptability("R", ["A", "B"], [[0.75, 0.25], [0.25, 0.75]])
    assert "A ranks first in 75.0% of samples" in fig.alt


def test_heatmap_alt_names_the_best_option_per_criterion() -> None:
    fig = charts.heatmap("H", ["A", "B"], ["x", "y"], [[0.9, None], [0.1, 0.4]])
    assert fig.alt == "Heat map of scores. x: highest A; y: highest B"


def test_timeline_lists_activities_in_date_order() -> None:
    items = [
        ("later", "event", dt.date(2010, 10, 4), None),
        ("consult", "written_consultation", dt.date(2010, 10, 11), dt.date(2010, 12, 17)),
    ]
    fig = charts.timeline("T", items, [("launch", dt.date(2010, 10, 11))])
    assert [r[0] for r in fig.data.rows] == ["later", "consult", "launch"]
    assert "from 04 Oct 2010 to 17 Dec 2010" in fig.alt
