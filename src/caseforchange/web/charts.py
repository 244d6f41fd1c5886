"""Charts on web pages, as ``data:`` URIs for an ``<img>``.

The strict CSP forbids the inline styles an SVG carries, so charts are not inlined.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from caseforchange.chartstyle import Chart


@dataclass(frozen=True)
class ChartImage:
    """A chart ready for an ``<img>``, with its text alternative and data table."""

    title: str
    alt: str
    src: str
    columns: list[str]
    rows: list[list[str]]


def chart_image(chart: Chart) -> ChartImage:
    """Return the chart as a ``data:`` URI with its text alternative and data table."""
    data = base64.b64encode(chart.svg.encode("utf-8")).decode("ascii")
    return ChartImage(
        chart.title,
        chart.alt,
        f"data:image/svg+xml;base64,{data}",
        chart.columns,
        [["" if c is None else str(c) for c in row] for row in chart.rows],
    )
