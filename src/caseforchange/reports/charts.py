"""Charts for the report: matplotlib, a colour-blind-safe palette, SVG and PNG out.

Every function returns a :class:`Figure` carrying its text alternative and its data table, so
each chart can be read without seeing it.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import textwrap
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure as MplFigure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from caseforchange.chartstyle import colour, day_number
from caseforchange.reports.blocks import Cell, ColumnFormat, Figure, Table, formats

HEAT = LinearSegmentedColormap.from_list("cfc-heat", ["#f7fbff", "#6baed6", "#08306b"])

plt.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.fonttype": "none",
        "svg.hashsalt": "caseforchange",
    }
)


def _wrap(labels: Sequence[str], width: int = 30) -> list[str]:
    """Return labels wrapped onto lines of at most ``width`` characters, for axis ticks."""
    return ["\n".join(textwrap.wrap(label, width)) or label for label in labels]


def _finish(
    fig: MplFigure,
    caption: str,
    alt: str,
    columns: list[str],
    rows: list[list[Cell]],
    formats: list[ColumnFormat],
) -> Figure:
    fig.tight_layout()
    svg_buffer = io.StringIO()
    fig.savefig(svg_buffer, format="svg", metadata={"Date": None})
    png_buffer = io.BytesIO()
    fig.savefig(png_buffer, format="png", dpi=200)
    plt.close(fig)
    svg = svg_buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    table = Table(f"Data for: {caption}", columns, rows, formats)
    return Figure(caption, svg, png_buffer.getvalue(), alt, table)


def _best_row(values: Sequence[Sequence[float | None]], column: int) -> int:
    scored = [(v, i) for i, row in enumerate(values) if (v := row[column]) is not None]
    return max(scored)[1] if scored else 0


def heatmap(
    caption: str,
    options: Sequence[str],
    criteria: Sequence[str],
    values: Sequence[Sequence[float | None]],
    scale_label: str = "value (0-1)",
) -> Figure:
    """Return an option x criterion heat map of values on 0..1 (None shown blank)."""
    rows_n, cols_n = len(options), len(criteria)
    fig, ax = plt.subplots(figsize=(max(6.5, 0.7 * cols_n + 3.5), max(2.6, 0.6 * rows_n + 2.0)))
    grid = [[float("nan") if v is None else v for v in row] for row in values]
    image = ax.imshow(grid, cmap=HEAT, vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(cols_n), labels=_wrap(criteria, 18), rotation=40, ha="right")
    ax.set_yticks(range(rows_n), labels=_wrap(options))
    for i in range(rows_n):
        for j in range(cols_n):
            v = values[i][j]
            if v is not None:
                ax.text(
                    j,
                    i,
                    f"{v:.2f}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if v > 0.55 else "black",
                )
    fig.colorbar(image, ax=ax, label=scale_label, fraction=0.04)
    ax.spines[:].set_visible(False)
    best = [_best_row(values, j) for j in range(cols_n)]
    alt = "Heat map of scores. " + "; ".join(
        f"{criteria[j]}: highest {options[best[j]]}" for j in range(cols_n)
    )
    rows: list[list[Cell]] = [[options[i], *values[i]] for i in range(rows_n)]
    return _finish(
        fig, caption, alt, ["option", *criteria], rows, formats("text", ("dec2", cols_n))
    )


def _stacked_barh(
    labels: Sequence[str], series: Sequence[str], widths: Sequence[Sequence[float]]
) -> tuple[MplFigure, Axes, list[float]]:
    """Draw one horizontal bar per label, stacked by series; return the figure, axes, totals."""
    fig, ax = plt.subplots(figsize=(7.5, max(2.6, 0.62 * len(labels) + 1.8)))
    lefts = [0.0] * len(labels)
    for j, name in enumerate(series):
        part = [widths[i][j] for i in range(len(labels))]
        ax.barh(
            list(range(len(labels))),
            part,
            left=lefts,
            color=colour(j),
            label=name,
            edgecolor="white",
            linewidth=0.5,
        )
        lefts = [a + b for a, b in zip(lefts, part, strict=True)]
    ax.set_yticks(range(len(labels)), labels=_wrap(labels))
    ax.invert_yaxis()
    ax.legend(
        fontsize=7,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.25),
        ncol=min(len(series), 4),
        frameon=False,
    )
    return fig, ax, lefts


def stacked_bars(
    caption: str,
    options: Sequence[str],
    criteria: Sequence[str],
    contributions: Sequence[Sequence[float]],
) -> Figure:
    """Return horizontal bars of each option's weighted total, stacked by criterion."""
    fig, ax, totals = _stacked_barh(options, criteria, contributions)
    for i, total in enumerate(totals):
        ax.text(total + 0.005, i, f"{total:.3f}", va="center", fontsize=8)
    ax.set_xlabel("weighted total (0-1)")
    order = sorted(range(len(options)), key=lambda i: -totals[i])
    alt = "Weighted totals: " + ", ".join(f"{options[i]} {totals[i]:.3f}" for i in order) + "."
    rows: list[list[Cell]] = [
        [options[i], *contributions[i], totals[i]] for i in range(len(options))
    ]
    columns = formats("text", ("dec3", len(criteria) + 1))
    return _finish(fig, caption, alt, ["option", *criteria, "total"], rows, columns)


def tornado(
    caption: str,
    criteria: Sequence[str],
    current: Sequence[float],
    lows: Sequence[float],
    highs: Sequence[float],
) -> Figure:
    """Return a tornado chart: per criterion, the weight interval keeping the top option first.

    Bars are sorted with the narrowest interval (the most sensitive criterion) at the top.
    """
    order = sorted(range(len(criteria)), key=lambda j: highs[j] - lows[j])
    fig, ax = plt.subplots(figsize=(7.0, max(2.0, 0.35 * len(criteria) + 1.2)))
    names = _wrap([criteria[j] for j in order], 34)
    ax.barh(
        names,
        [highs[j] - lows[j] for j in order],
        left=[lows[j] for j in order],
        color=colour(4),
        edgecolor=colour(0),
    )
    ax.scatter(
        [current[j] for j in order],
        names,
        color=colour(5),
        zorder=3,
        marker="|",
        s=200,
        label="current weight",
    )
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.set_xlabel("weight of the criterion (others rescaled in proportion)")
    ax.legend(fontsize=7, loc="lower right", frameon=False)
    j0 = order[0]
    alt = (
        "Weight intervals within which the top option stays first. The most sensitive criterion "
        f"is {criteria[j0]}: between {lows[j0]:.3f} and {highs[j0]:.3f} (now {current[j0]:.3f})."
    )
    rows: list[list[Cell]] = [[criteria[j], current[j], lows[j], highs[j]] for j in order]
    return _finish(
        fig,
        caption,
        alt,
        ["criterion", "weight", "lowest", "highest"],
        rows,
        ["text", "dec3", "dec3", "dec3"],
    )


def rank_acceptability(
    caption: str, options: Sequence[str], acceptability: Sequence[Sequence[float]]
) -> Figure:
    """Return stacked bars of each option's SMAA rank acceptability (rank 1 first)."""
    ranks = len(acceptability[0]) if acceptability else 0
    names = [f"rank {r + 1}" for r in range(ranks)]
    fig, ax, _ = _stacked_barh(options, names, acceptability)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of weight samples")
    alt = "Rank acceptability: " + "; ".join(
        f"{options[i]} ranks first in {100 * acceptability[i][0]:.1f}% of samples"
        for i in range(len(options))
    )
    rows: list[list[Cell]] = [[options[i], *acceptability[i]] for i in range(len(options))]
    return _finish(fig, caption, alt, ["option", *names], rows, formats("text", ("pct", ranks)))


def timeline(
    caption: str,
    items: Sequence[tuple[str, str, dt.date, dt.date | None]],
    milestones: Sequence[tuple[str, dt.date]],
) -> Figure:
    """Return a timeline of activities (label, kind, start, end) and milestones (label, date)."""
    kinds = sorted({kind for _, kind, _, _ in items})
    height = max(2.4, 0.32 * len(items) + 1.5) + 0.16 * (len(milestones) + len(kinds))
    fig, ax = plt.subplots(figsize=(7.5, height))
    for row, (label, kind, start, end) in enumerate(items):
        shade = colour(kinds.index(kind))
        if end is not None and end > start:
            ax.barh(
                row,
                (end - start).days,
                left=day_number(start),
                color=shade,
                height=0.5,
            )
        else:
            ax.plot(day_number(start), row, "o", color=shade)
        ax.text(day_number(start), row - 0.35, f" {label}", fontsize=7)
    handles: list[Artist] = [
        Patch(color=colour(i), label=k.replace("_", " ")) for i, k in enumerate(kinds)
    ]
    for number, (name, day) in enumerate(sorted(milestones, key=lambda m: m[1]), start=1):
        x = day_number(day)
        ax.axvline(x, color="#555555", linestyle=":", linewidth=0.9)
        ax.text(x, -0.9, f"M{number}", ha="center", va="bottom", fontsize=7, color="#333333")
        handles.append(
            Line2D(
                [], [], color="#555555", linestyle=":", label=f"M{number} {day:%d %b %Y}: {name}"
            )
        )
    ax.set_ylim(len(items) - 0.4, -1.2)
    ax.legend(
        handles=handles,
        fontsize=7,
        loc="upper left",
        bbox_to_anchor=(0.0, -0.12),
        ncol=1 if milestones else min(len(kinds), 5),
        frameon=False,
    )
    ax.xaxis_date()
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    dated = sorted(items, key=lambda x: x[2])
    alt = (
        f"Timeline of {len(items)} engagement activities from {dated[0][2]:%d %b %Y} to "
        f"{max((e or s) for _, _, s, e in items):%d %b %Y}, with {len(milestones)} milestones."
        if items
        else "No dated activities."
    )
    rows: list[list[Cell]] = [
        [label, kind.replace("_", " "), start.isoformat(), end.isoformat() if end else None]
        for label, kind, start, end in dated
    ]
    rows += [[name, "milestone", day.isoformat(), None] for name, day in milestones]
    return _finish(
        fig,
        caption,
        alt,
        ["activity", "kind", "start", "end"],
        rows,
        ["text", "text", "text", "text"],
    )


def interval_bars(
    caption: str,
    labels: Sequence[str],
    intervals: Sequence[tuple[float, float, float]],
    unit: str,
) -> Figure:
    """Return horizontal bars of means with 95% interval whiskers, one per label."""
    fig, ax = plt.subplots(figsize=(7.0, max(2.2, 0.5 * len(labels) + 1.2)))
    means = [m for m, _, _ in intervals]
    low_err = [max(0.0, m - lo) if not math.isnan(lo) else 0.0 for m, lo, _ in intervals]
    high_err = [max(0.0, hi - m) if not math.isnan(hi) else 0.0 for m, _, hi in intervals]
    ax.barh(
        range(len(labels)),
        means,
        xerr=[low_err, high_err],
        capsize=4,
        color=[colour(i) for i in range(len(labels))],
    )
    ax.set_yticks(range(len(labels)), labels=_wrap(labels))
    ax.invert_yaxis()
    ax.set_xlabel(unit)
    alt = f"{caption}: " + "; ".join(
        f"{label} {m:,.1f} (95% CI {lo:,.1f} to {hi:,.1f})"
        for label, (m, lo, hi) in zip(labels, intervals, strict=True)
    )
    rows: list[list[Cell]] = [
        [label, m, lo, hi] for label, (m, lo, hi) in zip(labels, intervals, strict=True)
    ]
    return _finish(
        fig, caption, alt, ["scenario", "mean", "low", "high"], rows, formats("text", ("dec2", 3))
    )
