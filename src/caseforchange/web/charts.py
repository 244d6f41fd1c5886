"""Charts on web pages, as ``data:`` URIs for an ``<img>``.

The strict CSP forbids the inline styles an SVG carries, so charts are not inlined.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from caseforchange.chartstyle import Chart, ChartCell
from caseforchange.reports.blocks import ColumnFormat, chart_table, format_cell


@dataclass(frozen=True)
class ChartImage:
    """A chart ready for an ``<img>``, with its text alternative and data table."""

    title: str
    alt: str
    src: str
    columns: list[str]
    rows: list[list[str]]
    #: Whether each column holds numbers (right-aligned, its header too).
    numeric: list[bool] = field(default_factory=list)


def _cell(value: ChartCell, fmt: ColumnFormat) -> str:
    # A column without a number format shows its values as given (blank when missing).
    if fmt == "text":
        return "" if value is None else str(value)
    return format_cell(value, fmt)


def chart_image(chart: Chart) -> ChartImage:
    """Return the chart as a ``data:`` URI with its text alternative and data table.

    Numbers in the data table read as in the reports (the one rounding path of
    :func:`caseforchange.reports.blocks.format_cell`).
    """
    data = base64.b64encode(chart.svg.encode("utf-8")).decode("ascii")
    table = chart_table(chart)
    return ChartImage(
        chart.title,
        chart.alt,
        f"data:image/svg+xml;base64,{data}",
        chart.columns,
        [[_cell(c, table.format_of(i)) for i, c in enumerate(row)] for row in chart.rows],
        [table.numeric(i) for i in range(len(chart.columns))],
    )
