"""The reveal's chart: each option's room score on every criterion, with the range given.

A facilitator reveals results to a room; a picture of where the scores sit and how far apart
people were reads faster than the tables beneath it. The chart is built from plain data (no
database rows), so it is tested like any other chart.
"""

from __future__ import annotations

import base64
import io
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.lines import Line2D

from caseforchange.chartstyle import OKABE_ITO
from caseforchange.web.workshops.repository import CellResult

RANGE_GREY = "#768692"  # NHS mid grey: the range line must not compete with the dot


@dataclass(frozen=True)
class RoomChart:
    """The chart as a ``data:`` URI for an ``<img>`` (the CSP forbids inline SVG styles),
    with its text alternative and its data as a table."""

    title: str
    alt: str
    src: str
    columns: list[str]
    rows: list[list[str]]


def _fmt(value: float | None, places: int = 2) -> str:
    return "no scores" if value is None else f"{value:.{places}f}".rstrip("0").rstrip(".")


def _svg_src(figure: Any) -> str:
    buffer = io.StringIO()
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "caseforchange"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    data = base64.b64encode(buffer.getvalue().encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{data}"


def room_chart(
    options: Sequence[Mapping[str, Any]],
    criteria: Sequence[Mapping[str, Any]],
    cells: Sequence[CellResult],
    method: str,
) -> RoomChart:
    """Return a chart with one panel per option: a dot at the room's score on each criterion
    and a line from the lowest to the highest score given.

    ``options`` and ``criteria`` are the session's snapshots (``id``, ``name``; criteria also
    ``min`` and ``max``); ``method`` names the aggregation (e.g. "mean"). Criteria nobody
    scored are listed as "no scores" in the table and left blank in the picture.
    """
    found = {(c.option, c.criterion): c for c in cells}
    lowest = min(float(c["min"]) for c in criteria)
    highest = max(float(c["max"]) for c in criteria)
    rows_per_panel = len(criteria)
    height = 0.8 + len(options) * (0.32 * rows_per_panel + 0.55)
    with plt.rc_context({"font.family": "DejaVu Sans", "font.size": 9}):
        figure, axes = plt.subplots(
            len(options), 1, figsize=(7.0, height), sharex=True, squeeze=False
        )
        labels = ["\n".join(textwrap.wrap(str(c["name"]), 30)) for c in criteria]
        for ax, option in zip(axes[:, 0], options, strict=True):
            for y, criterion in enumerate(criteria):
                cell = found.get((str(option["id"]), str(criterion["id"])))
                if cell is None or cell.value is None:
                    continue
                if cell.low is not None and cell.high is not None:
                    ax.plot([cell.low, cell.high], [y, y], color=RANGE_GREY, lw=3, alpha=0.6)
                ax.plot([cell.value], [y], "o", color=OKABE_ITO[0], markersize=7)
            ax.set_yticks(range(rows_per_panel), labels=labels)
            ax.set_ylim(rows_per_panel - 0.5, -0.5)
            ax.set_xlim(lowest - 0.05 * (highest - lowest), highest + 0.05 * (highest - lowest))
            ax.grid(axis="x", color="#d8dde0", lw=0.6)
            ax.set_axisbelow(True)
            ax.spines[["top", "right"]].set_visible(False)
            ax.set_title("\n".join(textwrap.wrap(str(option["name"]), 75)), loc="left", fontsize=9)
        axes[-1, 0].set_xlabel("Score")
        figure.legend(
            handles=[
                Line2D([], [], marker="o", ls="", color=OKABE_ITO[0], label=f"room ({method})"),
                Line2D([], [], color=RANGE_GREY, lw=3, alpha=0.6, label="lowest to highest"),
            ],
            loc="upper right",
            ncols=2,
            frameon=False,
        )
        figure.tight_layout(rect=(0, 0, 1, 1 - 0.35 / height))
        src = _svg_src(figure)
    table: list[list[str]] = []
    summaries = []
    for option in options:
        scored = []
        for criterion in criteria:
            cell = found.get((str(option["id"]), str(criterion["id"])))
            value = cell.value if cell else None
            table.append(
                [
                    str(option["name"]),
                    str(criterion["name"]),
                    _fmt(value),
                    _fmt(cell.low if cell else None),
                    _fmt(cell.high if cell else None),
                    str(cell.n if cell else 0),
                ]
            )
            if value is not None:
                scored.append((value, str(criterion["name"])))
        if scored:
            low, high = min(scored), max(scored)
            summaries.append(
                f"{option['name']}: lowest on {low[1]} ({_fmt(low[0])}), "
                f"highest on {high[1]} ({_fmt(high[0])})"
            )
        else:
            summaries.append(f"{option['name']}: no scores")
    alt = (
        f"Dot-and-range chart of the room's {method} score for {len(options)} options on "
        f"{len(criteria)} criteria, with each score's lowest and highest. " + "; ".join(summaries)
    )
    return RoomChart(
        "The room's scores, option by option",
        alt,
        src,
        ["Option", "Criterion", f"Room ({method})", "Lowest", "Highest", "Scores"],
        table,
    )
