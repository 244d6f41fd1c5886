"""Charts of the decision file: value for money, cost tornado, risk heat map, affordability.

Each returns a :class:`~caseforchange.chartstyle.Chart` with SVG, PNG, a text alternative and
its data table, so it can be read without being seen. Illustrative data says so in the title.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure as MplFigure
from matplotlib.patches import Patch

from caseforchange.chartstyle import OKABE_ITO, Chart, ChartCell, colour, png_bytes, svg_markup
from caseforchange.decision.finance import FinanceResult, TornadoBar, ValuePoint
from caseforchange.decision.risks import grade, matrix
from caseforchange.decision.view import DecisionFile

_INK = "#212b32"
_AMBER = "#994d00"
#: Grade colours for the risk matrix background: low, moderate, high, extreme.
_GRADE_COLOURS = {"low": "#d9f0d3", "moderate": "#fff2b3", "high": "#fdd0a2", "extreme": "#f4a6a6"}


def _title(title: str, illustrative: bool) -> str:
    return f"{title} (illustrative figures)" if illustrative else title


def _heading(ax: Axes, title: str, illustrative: bool, titled: bool) -> None:
    """Draw the chart's title, or, when a caption carries the title, only its illustrative mark.

    The mark stays in the image so a chart copied out of a report still says so.
    """
    if titled:
        ax.set_title(title, fontsize=10, loc="left")
    elif illustrative:
        ax.set_title("Illustrative figures", fontsize=8, loc="right", color=_AMBER)


def _chart(
    fig: MplFigure,
    title: str,
    alt: str,
    columns: list[str],
    rows: list[list[ChartCell]],
    formats: list[str],
    sheet: str,
) -> Chart:
    """Return the chart record; its data table holds numbers, shown by ``formats``."""
    png = png_bytes(fig)
    return Chart(title, svg_markup(fig), alt, columns, rows, png, formats, sheet=sheet)


def _m(value: float) -> str:
    return f"£{value / 1e6:,.2f}m"


def value_for_money_chart(
    points: Sequence[ValuePoint],
    names: Mapping[str, str],
    *,
    illustrative: bool = False,
    titled: bool = True,
    size: tuple[float, float] = (7.0, 4.2),
) -> Chart:
    """Return a scatter of appraised value against net present cost, dominated options hollow.

    Each point carries its number; the legend outside the plot names it, so close points
    never overprint each other's names. ``size`` is the figure's size in inches; ``titled``
    False leaves the title to a caption.

    Raises:
        ValueError: when there are no points to plot.
    """
    if not points:
        raise ValueError("no option has both a cost and an appraised value")
    fig, ax = plt.subplots(figsize=size)
    for i, p in enumerate(points):
        dominated = bool(p.dominated_by)
        ax.scatter(
            [p.npc / 1e6],
            [p.value],
            s=60,
            color="white" if dominated else colour(i),
            edgecolors=colour(i),
            linewidths=1.8,
            zorder=3,
            label=textwrap.fill(
                f"{i + 1}  {names.get(p.option, p.option)}" + (" (dominated)" if dominated else ""),
                34,
                subsequent_indent="    ",
            ),
        )
        ax.annotate(
            str(i + 1),
            (p.npc / 1e6, p.value),
            xytext=(5, 3),
            textcoords="offset points",
            fontsize=8,
            fontweight="bold",
            color=_INK,
        )
    ax.legend(frameon=False, fontsize=7.5, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    ax.set_xlabel("net present cost (£m, discounted)")
    ax.set_ylabel("appraised value (0-1, higher is better)")
    ax.grid(alpha=0.3)
    ax.margins(x=0.15, y=0.2)
    title = _title("Value for money: appraised value against net present cost", illustrative)
    _heading(ax, title, illustrative, titled)
    best = max(points, key=lambda p: (p.value, -p.npc))
    cheapest = min(points, key=lambda p: (p.npc, -p.value))
    losers = [names.get(p.option, p.option) for p in points if p.dominated_by]
    alt = (
        f"Scatter of {len(points)} options. Highest value: {names.get(best.option, best.option)}"
        f" ({best.value:.3f}, {_m(best.npc)}). Lowest cost: "
        f"{names.get(cheapest.option, cheapest.option)} ({_m(cheapest.npc)}). "
        + (f"Dominated: {', '.join(losers)}." if losers else "No option is dominated.")
    )
    rows: list[list[ChartCell]] = [
        [
            names.get(p.option, p.option),
            p.value,
            p.npc,
            ", ".join(names.get(o, o) for o in p.dominated_by) or "—",
        ]
        for p in points
    ]
    return _chart(
        fig,
        title,
        alt,
        ["option", "value", "net present cost", "dominated by"],
        rows,
        ["text", "dec3", "gbp", "text"],
        "Value for money",
    )


def cost_tornado_chart(
    option_name: str,
    base: float,
    bars: Sequence[TornadoBar],
    *,
    illustrative: bool = False,
    titled: bool = True,
    option_id: str | None = None,
) -> Chart:
    """Return a tornado of the option's NPC as each cost assumption runs from low to high.

    ``titled`` False leaves the title to a caption; the data's workbook sheet is named by
    ``option_id`` when given (short and unique), else by the name.

    Raises:
        ValueError: when the option's lines name no assumption.
    """
    if not bars:
        raise ValueError(f"no cost assumption applies to {option_name}")
    fig, ax = plt.subplots(figsize=(7.0, max(2.2, 0.45 * len(bars) + 1.4)))
    labels = [f"{b.name} (x{b.low_factor:g} to x{b.high_factor:g})" for b in bars]
    for i, b in enumerate(bars):
        ax.barh(i, (b.npc_low - base) / 1e6, left=base / 1e6, color=colour(0), height=0.6)
        ax.barh(i, (b.npc_high - base) / 1e6, left=base / 1e6, color=colour(1), height=0.6)
    ax.axvline(base / 1e6, color=_INK, linewidth=1)
    ax.set_yticks(range(len(bars)), labels=labels)
    ax.invert_yaxis()
    ax.set_xlabel("net present cost (£m)")
    title = _title(f"Cost assumptions: {option_name}", illustrative)
    _heading(ax, title, illustrative, titled)
    ax.legend(
        handles=[Patch(color=colour(0), label="low"), Patch(color=colour(1), label="high")],
        frameon=False,
        fontsize=8,
        loc="lower right",
    )
    top = bars[0]
    alt = (
        f"Net present cost of {option_name} is {_m(base)}. The widest swing comes from "
        f"{top.name}: {_m(top.npc_low)} at its low value to {_m(top.npc_high)} at its high."
    )
    rows: list[list[ChartCell]] = [
        [b.name, b.low_factor, b.high_factor, b.npc_low, base, b.npc_high] for b in bars
    ]
    return _chart(
        fig,
        title,
        alt,
        ["assumption", "low factor", "high factor", "NPC at low", "NPC now", "NPC at high"],
        rows,
        ["text", "dec2", "dec2", "gbp", "gbp", "gbp"],
        f"Tornado {option_id or option_name}",
    )


def risk_heatmap_chart(
    counts: list[list[int]],
    *,
    title: str,
    illustrative: bool = False,
    titled: bool = True,
    size: tuple[float, float] = (5.6, 4.6),
) -> Chart:
    """Return the 5x5 matrix (impact up, likelihood across) with counts, shaded by grade.

    ``size`` is the figure's size in inches; ``titled`` False leaves the title to a caption.
    """
    fig, ax = plt.subplots(figsize=size)
    order = ["low", "moderate", "high", "extreme"]
    grid = [[order.index(grade((i + 1) * (j + 1))) for j in range(5)] for i in range(5)]
    cmap = ListedColormap([_GRADE_COLOURS[g] for g in order])
    ax.imshow(grid, cmap=cmap, vmin=0, vmax=3, origin="lower")
    for i in range(5):
        for j in range(5):
            n = counts[i][j]
            ax.text(j, i, str(n) if n else "", ha="center", va="center", fontsize=11, color=_INK)
    ax.set_xticks(range(5), labels=[str(k) for k in range(1, 6)])
    ax.set_yticks(range(5), labels=[str(k) for k in range(1, 6)])
    ax.set_xlabel("likelihood (1 rare - 5 almost certain)")
    ax.set_ylabel("impact (1 negligible - 5 catastrophic)")
    ax.spines[:].set_visible(False)
    full = _title(title, illustrative)
    _heading(ax, full, illustrative, titled)
    ax.legend(
        handles=[Patch(color=_GRADE_COLOURS[g], label=g) for g in order],
        frameon=False,
        fontsize=8,
        loc="upper left",
        bbox_to_anchor=(1.02, 1.0),
    )
    total = sum(map(sum, counts))
    by_grade = dict.fromkeys(order, 0)
    for i in range(5):
        for j in range(5):
            by_grade[grade((i + 1) * (j + 1))] += counts[i][j]
    alt = (
        f"{total} risks on a 5 by 5 matrix: " + ", ".join(f"{by_grade[g]} {g}" for g in order) + "."
    )
    rows: list[list[ChartCell]] = [
        [str(i + 1), *[counts[i][j] for j in range(5)]] for i in reversed(range(5))
    ]
    return _chart(
        fig,
        full,
        alt,
        ["impact \\ likelihood", "1", "2", "3", "4", "5"],
        rows,
        ["text", *["int"] * 5],
        "Risk matrix",
    )


def affordability_chart(
    result: FinanceResult,
    names: Mapping[str, str],
    *,
    illustrative: bool = False,
    titled: bool = True,
) -> Chart:
    """Return each option's headroom by year (envelope less net revenue cost) as bars.

    ``titled`` False leaves the title to a caption.

    A bar below zero is a year in which the option costs more than the commissioner's envelope.

    Raises:
        ValueError: when no option has finance data or there is no envelope.
    """
    if not result.options:
        raise ValueError("no option has finance data")
    years = [t for t, e in enumerate(result.envelope) if e is not None]
    if not years:
        raise ValueError("no envelope is recorded")
    labels = result.year_labels()
    n = len(result.options)
    width = 0.8 / n
    fig, ax = plt.subplots(figsize=(7.0, 3.8))
    for k, cost in enumerate(result.options):
        xs = [i - 0.4 + width * (k + 0.5) for i in range(len(years))]
        ax.bar(
            xs,
            [(cost.headroom[t] or 0.0) / 1e6 for t in years],
            width,
            color=OKABE_ITO[k % len(OKABE_ITO)],
            label=textwrap.fill(names.get(cost.option, cost.option), 34),
        )
    ax.axhline(0, color=_INK, linewidth=1)
    ax.set_xticks(range(len(years)), labels=[labels[t] for t in years])
    ax.set_ylabel("headroom (£m)")
    title = _title("Affordability: headroom against the commissioner's envelope", illustrative)
    _heading(ax, title, illustrative, titled)
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    short = [
        f"{names.get(c.option, c.option)} in {', '.join(labels[t] for t in c.years_short)}"
        for c in result.options
        if c.years_short
    ]
    alt = f"Headroom of {n} options in {len(years)} years against the envelope. " + (
        f"Above the envelope: {'; '.join(short)}." if short else "Every option is within it."
    )
    # The data are what the bars show: each option's headroom (negative: over the envelope).
    rows: list[list[ChartCell]] = [
        [labels[t], result.envelope[t], *[c.headroom[t] for c in result.options]] for t in years
    ]
    columns = [
        "year",
        "envelope",
        *[f"headroom: {names.get(c.option, c.option)}" for c in result.options],
    ]
    return _chart(
        fig, title, alt, columns, rows, ["text", *["gbp"] * (len(columns) - 1)], "Affordability"
    )


def decision_charts(d: DecisionFile) -> dict[str, Chart]:
    """Return the file's charts by file stem: value for money, affordability, tornados, risks.

    A chart is left out when the file has nothing for it (affordability needs an envelope), so
    this raises nothing for a valid programme.
    """
    out: dict[str, Chart] = {}
    names = d.names()
    if d.value_for_money:
        out["value-for-money"] = value_for_money_chart(
            d.value_for_money, names, illustrative=d.illustrative("finance")
        )
    f = d.finance
    if f is not None and f.options and any(e is not None for e in f.envelope):
        out["affordability"] = affordability_chart(f, names, illustrative=d.illustrative("finance"))
    for option, (base, bars) in d.tornados.items():
        out[f"tornado-{option}"] = cost_tornado_chart(
            names.get(option, option),
            base,
            bars,
            illustrative=d.illustrative("finance"),
            option_id=option,
        )
    if d.risks:
        out["risk-matrix"] = risk_heatmap_chart(
            matrix([s.risk for s in d.risks]),
            title="Risks before mitigation",
            illustrative=d.illustrative("risks"),
        )
    return out
