"""The reveal's chart: each option's room score on every criterion, with the range given.

A facilitator reveals results to a room; a picture of where the scores sit and how far apart
people were reads faster than the tables beneath it. The chart is built from plain data (no
database rows), so it is tested like any other chart.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.lines import Line2D

from caseforchange.chartstyle import OKABE_ITO, Chart, svg_markup
from caseforchange.web.workshops.repository import CellResult

RANGE_GREY = "#768692"  # NHS mid grey: the range line must not compete with the dot


def _fmt(value: float | None, places: int = 2) -> str:
    return "no scores" if value is None else f"{value:.{places}f}".rstrip("0").rstrip(".")


#: (option id, option name)
OptionKey = tuple[str, str]
#: (criterion id, criterion name, scale minimum, scale maximum)
CriterionKey = tuple[str, str, float, float]
#: (option, criterion, number of scores, room score, lowest, highest)
CellKey = tuple[str, str, int, float | None, float | None, float | None]


def room_chart(
    options: Sequence[Mapping[str, Any]],
    criteria: Sequence[Mapping[str, Any]],
    cells: Sequence[CellResult],
    method: str,
) -> Chart:
    """Return a chart with one panel per option of the room's scores.

    Each panel has a dot at the room's score on each criterion and a line from the lowest to
    the highest score given.

    ``options`` and ``criteria`` are the session's snapshots (``id``, ``name``; criteria also
    ``min`` and ``max``); ``method`` names the aggregation (e.g. "mean"). Criteria nobody
    scored are listed as "no scores" in the table and left blank in the picture. Drawing takes
    about 0.3 s, and every phone in the room asks for the same results once they are revealed,
    so a chart is drawn once per distinct set of figures and then reused.
    """
    return _room_chart(
        tuple((str(o["id"]), str(o["name"])) for o in options),
        tuple((str(c["id"]), str(c["name"]), float(c["min"]), float(c["max"])) for c in criteria),
        tuple(sorted((c.option, c.criterion, c.n, c.value, c.low, c.high) for c in cells)),
        method,
    )


@lru_cache(maxsize=64)
def _room_chart(
    options: tuple[OptionKey, ...],
    criteria: tuple[CriterionKey, ...],
    cells: tuple[CellKey, ...],
    method: str,
) -> Chart:
    # (option, criterion) -> (number of scores, room score, lowest, highest)
    found = {(o, c): (n, value, low, high) for o, c, n, value, low, high in cells}
    lowest = min(c[2] for c in criteria)
    highest = max(c[3] for c in criteria)
    margin = 0.05 * (highest - lowest)
    rows_per_panel = len(criteria)
    height = 0.8 + len(options) * (0.32 * rows_per_panel + 0.55)
    with plt.rc_context({"font.family": "DejaVu Sans", "font.size": 9}):
        figure, axes = plt.subplots(
            len(options), 1, figsize=(7.0, height), sharex=True, squeeze=False
        )
        labels = ["\n".join(textwrap.wrap(name, 30)) for _, name, _, _ in criteria]
        for ax, (option_id, option_name) in zip(axes[:, 0], options, strict=True):
            for y, (criterion_id, *_) in enumerate(criteria):
                _, value, low, high = found.get((option_id, criterion_id), (0, None, None, None))
                if value is None:
                    continue
                if low is not None and high is not None:
                    ax.plot([low, high], [y, y], color=RANGE_GREY, lw=3, alpha=0.6)
                ax.plot([value], [y], "o", color=OKABE_ITO[0], markersize=7)
            ax.set_yticks(range(rows_per_panel), labels=labels)
            ax.set_ylim(rows_per_panel - 0.5, -0.5)
            ax.set_xlim(lowest - margin, highest + margin)
            ax.grid(axis="x", color="#d8dde0", lw=0.6)
            ax.set_axisbelow(True)
            ax.spines[["top", "right"]].set_visible(False)
            ax.set_title("\n".join(textwrap.wrap(option_name, 75)), loc="left", fontsize=9)
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
        svg = svg_markup(figure)
    table: list[list[str]] = []
    summaries = []
    for option_id, option_name in options:
        scored = []
        for criterion_id, criterion_name, _, _ in criteria:
            n, value, low, high = found.get((option_id, criterion_id), (0, None, None, None))
            table.append([option_name, criterion_name, _fmt(value), _fmt(low), _fmt(high), str(n)])
            if value is not None:
                scored.append((value, criterion_name))
        if scored:
            (low_value, low_name), (high_value, high_name) = min(scored), max(scored)
            summaries.append(
                f"{option_name}: lowest on {low_name} ({_fmt(low_value)}), "
                f"highest on {high_name} ({_fmt(high_value)})"
            )
        else:
            summaries.append(f"{option_name}: no scores")
    alt = (
        f"Dot-and-range chart of the room's {method} score for {len(options)} options on "
        f"{len(criteria)} criteria, with each score's lowest and highest. " + "; ".join(summaries)
    )
    return Chart(
        "The room's scores, option by option",
        svg,
        alt,
        ["Option", "Criterion", f"Room ({method})", "Lowest", "Highest", "Scores"],
        table,
    )
