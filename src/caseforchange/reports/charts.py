"""Charts for the report: matplotlib, a colour-blind-safe palette, SVG and PNG out.

Every function returns a :class:`Figure` carrying its text alternative and its data table, so
each chart can be read without seeing it.
"""

from __future__ import annotations

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

from caseforchange.chartstyle import colour, hatch
from caseforchange.reports.blocks import Cell, ColumnFormat, Figure, formats, total_text

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
    """Return the chart record: SVG and PNG cut to everything drawn (legends included)."""
    svg_buffer = io.StringIO()
    fig.savefig(svg_buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    png_buffer = io.BytesIO()
    fig.savefig(png_buffer, format="png", dpi=150, bbox_inches="tight")
    plt.close(fig)
    svg = svg_buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    return Figure(
        caption, svg, alt, columns, list(rows), png=png_buffer.getvalue(), formats=list(formats)
    )


def _legend_outside(ax: Axes, handles: list[Artist] | None = None) -> None:
    """Put the legend to the right of the plot, where it never hides or clips a bar."""
    place = {"bbox_to_anchor": (1.01, 1.0), "frameon": False, "borderaxespad": 0.0}
    if handles is not None:
        ax.legend(handles=handles, fontsize=7, loc="upper left", **place)
    else:
        ax.legend(fontsize=7, loc="upper left", **place)


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
    fig.colorbar(image, ax=ax, label=scale_label, fraction=0.04, pad=0.02)
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
    """Draw one horizontal bar per label, stacked by series; return the figure, axes, ends.

    Every series has its own colour (tints and hatching past the palette's eight).
    """
    fig, ax = plt.subplots(figsize=(6.2, max(2.4, 0.55 * len(labels) + 1.2)))
    lefts = [0.0] * len(labels)
    for j, name in enumerate(series):
        part = [widths[i][j] for i in range(len(labels))]
        ax.barh(
            list(range(len(labels))),
            part,
            left=lefts,
            color=colour(j),
            hatch=hatch(j),
            label="\n".join(textwrap.wrap(name, 34)) or name,
            edgecolor="white" if not hatch(j) else "#333333",
            linewidth=0.4,
        )
        lefts = [a + b for a, b in zip(lefts, part, strict=True)]
    ax.set_yticks(range(len(labels)), labels=_wrap(labels, 26))
    ax.invert_yaxis()
    _legend_outside(ax)
    return fig, ax, lefts


def stacked_bars(
    caption: str,
    options: Sequence[str],
    criteria: Sequence[str],
    contributions: Sequence[Sequence[float]],
    totals: Sequence[float],
) -> Figure:
    """Return horizontal bars of each option's weighted total, stacked by criterion.

    The labels show ``totals`` (the engine's) through the report's one rounding path, so the
    chart reads as the text and tables do.
    """
    fig, ax, ends = _stacked_barh(options, criteria, contributions)
    for i, total in enumerate(totals):
        ax.text(ends[i] + 0.005, i, total_text(total), va="center", fontsize=8)
    ax.set_xlim(0, max(ends, default=0.0) * 1.15 + 0.01)
    ax.set_xlabel("weighted total (0-1)")
    order = sorted(range(len(options)), key=lambda i: -totals[i])
    alt = "Weighted totals: " + ", ".join(f"{options[i]} {total_text(totals[i])}" for i in order)
    alt += "."
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
    _legend_outside(ax)
    j0 = order[0]
    if highs[j0] - lows[j0] >= 0.999:
        alt = (
            "Weight intervals within which the top option stays first: no single criterion's "
            "weight, moved anywhere from 0 to 1, puts another option first."
        )
    else:
        alt = (
            "Weight intervals within which the top option stays first. The most sensitive "
            f"criterion is {criteria[j0]}: the top option stays first while its weight is "
            f"between {lows[j0]:.3f} and {highs[j0]:.3f} (now {current[j0]:.3f})."
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
        hatch=[hatch(i) for i in range(len(labels))],
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
