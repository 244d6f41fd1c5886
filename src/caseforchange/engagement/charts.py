"""Engagement charts as SVG strings, each with a text alternative and its data table.

matplotlib with the Agg backend (no display needed) and the Okabe-Ito palette, which stays
distinguishable under the common colour-vision deficiencies.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Ellipse, Rectangle
from matplotlib.textpath import TextToPath

from caseforchange.chartstyle import OKABE_ITO, Chart, day_number, svg_markup
from caseforchange.domain.programme import Programme
from caseforchange.engagement.stakeholders import MappedGroup, Quadrant
from caseforchange.engagement.statistics import QuestionResult

#: Measures text with the font matplotlib lays the chart out in, to wrap the key to fit.
_TEXT_TO_PATH = TextToPath()


#: Marker diameter, the centre-to-centre spacing of markers sharing a point, and the font of
#: the numbers inside them, in points. The figure is 7 inches (504 pt) wide, so shown ~700 px
#: wide every point becomes ~1.4 px: 7.5 pt numbers render at ~10 px, 8 pt key text at ~11 px.
MARKER_PT = 15.0
PITCH_PT = 17.0
_NUMBER_FONT = 7.5
_KEY_FONT = 8.0
_FIGURE_WIDTH_IN = 7.0
#: Side of one interest-by-influence cell; it grows when a crowded point needs more room.
_MIN_CELL_IN = 0.85

#: Reading order of the quadrants (most attention first) and their Okabe-Ito colours.
_QUADRANTS: tuple[tuple[Quadrant, str], ...] = (
    (Quadrant.MANAGE_CLOSELY, OKABE_ITO[5]),
    (Quadrant.KEEP_SATISFIED, OKABE_ITO[0]),
    (Quadrant.KEEP_INFORMED, OKABE_ITO[2]),
    (Quadrant.MONITOR, OKABE_ITO[3]),
)
_INK = "#212b32"
_MUTED = "#425563"


def _cluster_shape(size: int) -> tuple[int, int]:
    """Return (columns, rows) of the near-square grid holding ``size`` markers."""
    columns = math.ceil(math.sqrt(size))
    return columns, math.ceil(size / columns)


def _cell_inches(points: Sequence[tuple[float, float]]) -> float:
    """Return the side of one cell, in inches: enough for the most crowded point's grid."""
    crowd = max(Counter(points).values(), default=1)
    columns, _rows = _cluster_shape(crowd)
    # The cluster plus a margin, so clusters on neighbouring points never meet.
    return max(_MIN_CELL_IN, (columns * PITCH_PT + 8.0) / 72)


def marker_size(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """Return the (spacing, diameter) of the stakeholder map's markers, in data units.

    ``spacing`` is the distance between the centres of neighbouring markers on one point and
    ``diameter`` a marker's width, both as fractions of one rating step, for the chart of
    these (interest, influence) points: cells grow with the most crowded point, so the
    markers keep their size in points.
    """
    cell_pt = _cell_inches(points) * 72
    return PITCH_PT / cell_pt, MARKER_PT / cell_pt


def cluster_positions(
    points: Sequence[tuple[float, float]], spacing: float | None = None
) -> list[tuple[float, float]]:
    """Spread markers that share a point into a small grid centred on that point.

    Each distinct point's markers, in the order given, fill a near-square grid row by row
    from the top left (a short last row is centred), with ``spacing`` between neighbouring
    centres (by default the chart's, from :func:`marker_size`); a point with one marker
    keeps it exactly on the point. A cluster of ``n`` markers spans
    ``(ceil(sqrt(n)) - 1) * spacing`` either way.

    Returns:
        One ``(x, y)`` per input point, in the same order and the same (data) units.

    Raises:
        ValueError: if ``spacing`` is not positive.
    """
    if spacing is None:
        spacing, _diameter = marker_size(points)
    if spacing <= 0:
        raise ValueError(f"spacing must be positive, not {spacing}")
    sizes = Counter(points)
    seen: dict[tuple[float, float], int] = {}
    positions: list[tuple[float, float]] = []
    for point in points:
        index = seen.get(point, 0)
        seen[point] = index + 1
        columns, rows = _cluster_shape(sizes[point])
        row, column = divmod(index, columns)
        in_row = min(columns, sizes[point] - row * columns)
        x = point[0] + (column - (in_row - 1) / 2) * spacing
        # Rows run downwards so the numbers read like text: 1 2 / 3 4.
        y = point[1] + ((rows - 1) / 2 - row) * spacing
        positions.append((x, y))
    return positions


def _text_width(text: str, size: float, weight: str = "normal") -> float:
    """Return the width of ``text`` in points, measured with matplotlib's own font."""
    prop = FontProperties(size=size, weight=weight)
    width, _height, _descent = _TEXT_TO_PATH.get_text_width_height_descent(text, prop, ismath=False)
    return float(width)


def _wrap(text: str, width_pt: float, size: float, weight: str = "normal") -> list[str]:
    """Break ``text`` into lines no wider than ``width_pt`` (a word too long is split)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if _text_width(candidate, size, weight) <= width_pt:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while _text_width(current, size, weight) > width_pt and len(current) > 1:
            cut = len(current) - 1
            while cut > 1 and _text_width(current[:cut] + "-", size, weight) > width_pt:
                cut -= 1
            lines.append(current[:cut] + "-")
            current = current[cut:]
    if current:
        lines.append(current)
    return lines or [""]


def _number_colour(fill: str) -> str:
    """Return black or white, whichever contrasts more with ``fill`` (WCAG luminance)."""

    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(fill[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"


@dataclass(frozen=True)
class _KeyLine:
    """One line of the key: a quadrant heading, or one line of a numbered group's name."""

    text: str
    quadrant: Quadrant
    advance: float  # points down from the previous line's baseline to this one's
    number: int | None = None  # the group's number, on each of its lines
    line: int = 0  # which line of the group's name; the marker goes beside line 0

    @property
    def heading(self) -> bool:
        """Whether this line is a quadrant heading rather than part of a group's name."""
        return self.number is None


#: Baseline-to-baseline steps in the key, in points: wrapped lines of one name, the first
#: line of the next group (far enough that the key's own markers never touch) and a heading.
_KEY_LINE_PT = _KEY_FONT * 1.4
_KEY_ENTRY_PT = MARKER_PT + 2.5
_KEY_HEADING_PT = _KEY_FONT * 2.2


def _key_blocks(groups: list[MappedGroup], width_pt: float) -> list[list[_KeyLine]]:
    """Return the key as blocks (a heading, or one group's wrapped name) in number order."""
    blocks: list[list[_KeyLine]] = []
    for quadrant_, _colour in _QUADRANTS:
        members = [(n, m) for n, m in enumerate(groups, 1) if m.quadrant is quadrant_]
        if not members:
            continue
        blocks.append([_KeyLine(quadrant_.value.capitalize(), quadrant_, _KEY_HEADING_PT)])
        for number, member in members:
            # Wrapped 10% short of the column: a browser without DejaVu Sans may fall back
            # to a wider face such as Verdana.
            wrapped = _wrap(member.group.name, 0.9 * width_pt, _KEY_FONT)
            blocks.append(
                [
                    _KeyLine(text, quadrant_, _KEY_LINE_PT if i else _KEY_ENTRY_PT, number, i)
                    for i, text in enumerate(wrapped)
                ]
            )
    return blocks


def _key_columns(blocks: list[list[_KeyLine]], count: int) -> list[list[list[_KeyLine]]]:
    """Split the key's blocks into at most ``count`` columns of about equal height.

    Blocks are never split, and a heading never ends a column away from its first group.
    """

    def height(block: list[_KeyLine]) -> float:
        return sum(line.advance for line in block)

    target = sum(height(block) for block in blocks) / count
    columns: list[list[list[_KeyLine]]] = [[]]
    filled = 0.0
    for index, block in enumerate(blocks):
        # A heading travels with the group after it.
        size = height(block)
        if block[0].heading and index + 1 < len(blocks):
            size += height(blocks[index + 1])
        # Start a new column when this block would overshoot the target by more than the
        # column would fall short without it, but never just after a heading.
        if (
            columns[-1]
            and not columns[-1][-1][0].heading
            and len(columns) < count
            and filled + size - target > target - filled
        ):
            columns.append([])
            filled = 0.0
        columns[-1].append(block)
        filled += height(block)
    return columns


def _column_height(column: list[list[_KeyLine]]) -> float:
    """Return the height of a key column in points, from its top to its last baseline.

    The first line sits one text line below the top, whatever its own advance.
    """
    advances = [line.advance for block in column for line in block]
    return sum(advances[1:]) + _KEY_LINE_PT if advances else 0.0


def _draw_quadrants(axes: Axes, threshold: int, cell_in: float, band: float) -> None:
    """Tint each quadrant in its colour and name it in the strip above or below the cells."""
    line = min(max(threshold - 0.5, 0.5), 5.5)
    spans = {False: (0.5, line), True: (line, 5.5)}
    for quadrant_, colour in _QUADRANTS:
        high_interest = quadrant_ in (Quadrant.MANAGE_CLOSELY, Quadrant.KEEP_INFORMED)
        high_influence = quadrant_ in (Quadrant.MANAGE_CLOSELY, Quadrant.KEEP_SATISFIED)
        x0, x1 = spans[high_interest]
        y0, y1 = spans[high_influence]
        if x1 <= x0 or y1 <= y0:
            continue  # a threshold of 1 or 6 leaves this quadrant empty
        if high_influence:
            y1 += band
        else:
            y0 -= band
        axes.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, color=colour, alpha=0.08, linewidth=0))
        # A quadrant one cell wide cannot hold "manage closely" on one line at 8 pt.
        lines = _wrap(quadrant_.value, (x1 - x0) * cell_in * 72 - 6, 8.0, "bold")
        axes.text(
            (x0 + x1) / 2,
            y1 - band / 2 if high_influence else y0 + band / 2,
            "\n".join(lines),
            ha="center",
            va="center",
            fontsize=8.0 if len(lines) == 1 else 7.0,
            fontweight="bold",
            color=_MUTED,
            linespacing=1.0,
        )
    if 0.5 < line < 5.5:
        axes.axvline(line, color=_MUTED, linewidth=1.0, zorder=1)
        axes.axhline(line, color=_MUTED, linewidth=1.0, zorder=1)


def _draw_key(
    figure: Figure,
    columns: list[list[list[_KeyLine]]],
    left_pt: float,
    top_pt: float,
    column_pt: float,
    gap_pt: float,
) -> None:
    """Draw the key's columns, each line positioned in points from the figure's lower left."""
    colours = dict(_QUADRANTS)
    width_in, height_in = (float(v) for v in figure.get_size_inches())
    for c, column in enumerate(columns):
        x_pt = left_pt + c * (column_pt + gap_pt)
        y_pt = top_pt
        for block in column:
            for entry in block:
                # The first line of a column starts one text line below the top, whatever
                # its kind, so every column's first baseline lines up.
                y_pt -= entry.advance if y_pt < top_pt else _KEY_LINE_PT
                if entry.heading:
                    figure.text(
                        *_fraction(figure, (x_pt, y_pt)),
                        entry.text,
                        fontsize=_KEY_FONT,
                        fontweight="bold",
                        color=_INK,
                        va="baseline",
                    )
                    continue
                if entry.line == 0:
                    fill = colours[entry.quadrant]
                    centre = _fraction(figure, (x_pt + MARKER_PT / 2, y_pt + _KEY_FONT * 0.35))
                    figure.add_artist(
                        Ellipse(
                            centre,
                            MARKER_PT / 72 / width_in,
                            MARKER_PT / 72 / height_in,
                            facecolor=fill,
                            edgecolor="white",
                            linewidth=0.8,
                            transform=figure.transFigure,
                        )
                    )
                    figure.text(
                        *centre,
                        str(entry.number),
                        ha="center",
                        va="center_baseline",
                        fontsize=_NUMBER_FONT,
                        color=_number_colour(fill),
                        gid=f"stakeholder-key-{entry.number}",
                    )
                figure.text(
                    *_fraction(figure, (x_pt + MARKER_PT + 6.0, y_pt)),
                    entry.text,
                    fontsize=_KEY_FONT,
                    color=_INK,
                    va="baseline",
                    gid=f"stakeholder-name-{entry.number}-{entry.line}",
                )
    # An invisible box over the key's full width keeps the 10% slack left when wrapping
    # inside the SVG's tight bounding box, so a wider fallback font is not cut off.
    right_pt = left_pt + len(columns) * column_pt + (len(columns) - 1) * gap_pt
    bottom_pt = top_pt - max(_column_height(column) for column in columns) - 4.0
    figure.add_artist(
        Rectangle(
            _fraction(figure, (left_pt, bottom_pt)),
            (right_pt - left_pt) / 72 / width_in,
            (top_pt - bottom_pt) / 72 / height_in,
            facecolor="none",
            edgecolor="none",
            transform=figure.transFigure,
        )
    )


def _fraction(figure: Figure, point_pt: tuple[float, float]) -> tuple[float, float]:
    """Return a position given in points from the figure's lower left as figure fractions."""
    width, height = figure.get_size_inches()
    return point_pt[0] / 72 / float(width), point_pt[1] / 72 / float(height)


def stakeholder_map_chart(mapped: list[MappedGroup], threshold: int = 3) -> Chart:
    """Plot each group's interest (x) against influence (y) as a numbered marker, with a key.

    Groups are numbered by quadrant (manage closely, keep satisfied, keep informed, monitor),
    then point (influence, then interest, highest first), then name; groups on the same
    point sit in a small grid around it in number order (see :func:`cluster_positions`).
    Markers and quadrants are coloured by quadrant. The key under the plot gives every
    number's full group name, wrapped, under a heading per quadrant, so the SVG reads on
    its own as an image. ``threshold`` places the quadrant lines and tints; pass the one the
    groups were mapped with, since markers take their colour from each group's quadrant.

    Returns:
        The chart; its data table lists the groups in number order, with their numbers.
    """
    order = {q: i for i, (q, _c) in enumerate(_QUADRANTS)}
    colours = dict(_QUADRANTS)
    # Numbers run through a quadrant cell by cell, top right first, so a cluster's numbers
    # are consecutive and neighbours on the plot are neighbours in the key.
    groups = sorted(
        mapped,
        key=lambda m: (
            order[m.quadrant],
            -m.influence,
            -m.interest,
            m.group.name.casefold(),
            m.group.id,
        ),
    )
    points = [(float(m.interest), float(m.influence)) for m in groups]
    cell_in = _cell_inches(points)
    positions = cluster_positions(points)

    # Geometry in inches: the plot (five cells each way, plus a strip above and below for the
    # quadrant names) centred over the key; the key is wrapped before the figure is made so
    # the figure can be sized to hold it.
    band_in, left_in, below_in, top_in, foot_in = 0.3, 0.75, 0.6, 0.1, 0.1
    plot_w_in, plot_h_in = 5 * cell_in, 5 * cell_in + 2 * band_in
    width_in = max(_FIGURE_WIDTH_IN, plot_w_in + left_in + 0.2)
    key_count = 1 if len(groups) <= 6 else 2 if len(groups) <= 24 else 3
    gap_pt = 14.0
    if key_count > 1:
        key_left_pt = 6.0
        column_pt = (width_in * 72 - 12.0 - gap_pt * (key_count - 1)) / key_count
    else:
        # A single column lines up under the plot, from its axis label to its right edge.
        key_left_pt = (width_in - plot_w_in - left_in) / 2 * 72
        column_pt = (plot_w_in + left_in) * 72
    blocks = _key_blocks(groups, column_pt - MARKER_PT - 6.0)
    key_columns = _key_columns(blocks, key_count) if blocks else []
    key_pt = max((_column_height(c) for c in key_columns), default=0.0) + 4.0
    height_in = top_in + plot_h_in + below_in + key_pt / 72 + foot_in

    figure = plt.figure(figsize=(width_in, height_in))
    axes = figure.add_axes(
        (
            (width_in - plot_w_in + left_in) / 2 / width_in,
            1 - (top_in + plot_h_in) / height_in,
            plot_w_in / width_in,
            plot_h_in / height_in,
        )
    )
    band = band_in / cell_in
    axes.set_xlim(0.5, 5.5)
    axes.set_ylim(0.5 - band, 5.5 + band)
    axes.set_xticks(range(1, 6))
    axes.set_yticks(range(1, 6))
    axes.tick_params(labelsize=8, length=3)
    axes.set_xlabel("Interest (1–5)", fontsize=9)
    axes.set_ylabel("Influence (1–5)", fontsize=9)
    for spine in axes.spines.values():
        spine.set_color(_MUTED)
    # Faint cell borders show which point a cluster belongs to.
    for edge in (1.5, 2.5, 3.5, 4.5):
        axes.axvline(edge, color="#d8dde0", linewidth=0.5, zorder=0)
        axes.axhline(edge, color="#d8dde0", linewidth=0.5, zorder=0)
    _draw_quadrants(axes, threshold, cell_in, band)
    for number, (member, (x, y)) in enumerate(zip(groups, positions, strict=True), 1):
        fill = colours[member.quadrant]
        axes.scatter(
            [x], [y], s=MARKER_PT**2, color=fill, edgecolors="white", linewidths=0.8, zorder=3
        )
        axes.text(
            x,
            y,
            str(number),
            ha="center",
            va="center_baseline",
            fontsize=_NUMBER_FONT,
            color=_number_colour(fill),
            zorder=4,
            gid=f"stakeholder-marker-{number}",
        )
    if key_columns:
        _draw_key(figure, key_columns, key_left_pt, (foot_in * 72) + key_pt, column_pt, gap_pt)

    rows = [
        [m.group.name, str(m.interest), str(m.influence), m.quadrant.value, str(n)]
        for n, m in enumerate(groups, 1)
    ]
    counts = {q.value: sum(m.quadrant is q for m in groups) for q, _c in _QUADRANTS}
    summary = "; ".join(f"{n} to {q}" for q, n in counts.items() if n)
    plural = "" if len(groups) == 1 else "s"
    return Chart(
        "Stakeholder map",
        svg_markup(figure),
        f"Scatter of {len(groups)} stakeholder group{plural} by interest and influence, each "
        f"a numbered marker named in the key below the plot"
        + (f": {summary}." if summary else "."),
        ["group", "interest", "influence", "quadrant", "number on chart"],
        rows,
    )


def timeline_chart(programme: Programme) -> Chart:
    """Draw the dated activities as bars (or points) by date, with milestones as lines."""
    dated = [a for a in programme.activities if a.date is not None]
    dated.sort(key=lambda a: (a.date or dt.date.min, a.id))
    # Titles are wrapped, never cut: "Pre-consultation engagement event one (h" told nobody.
    titles = ["\n".join(textwrap.wrap(a.title, 34)) or a.title for a in dated]
    lines = sum(t.count("\n") + 1 for t in titles)
    figure, axes = plt.subplots(figsize=(7.0, 0.3 * max(lines, 3) + 0.2 * len(dated) + 1.4))
    kinds = sorted({a.kind.value for a in dated})
    colour = {k: OKABE_ITO[i % 8] for i, k in enumerate(kinds)}
    rows = []
    for index, activity in enumerate(dated):
        start = activity.date
        assert start is not None
        end = activity.end_date or start
        width = (end - start).days + 1
        axes.barh(
            index,
            width,
            left=day_number(start),
            height=0.6,
            color=colour[activity.kind.value],
            label=activity.kind.value.replace("_", " "),
        )
        rows.append(
            [
                activity.title,
                activity.kind.value,
                start.isoformat(),
                end.isoformat() if end != start else "",
                activity.venue or "",
            ]
        )
    for milestone in programme.milestones:
        if milestone.date is not None:
            axes.axvline(
                day_number(milestone.date),
                color="#425563",
                linestyle=":",
                linewidth=0.8,
            )
    axes.set_yticks(range(len(dated)), titles, fontsize=8)
    axes.invert_yaxis()
    axes.xaxis_date()
    low, high = axes.get_xlim()
    if high - low < 14:
        # A one-day workshop would otherwise get hourly ticks that all read the same date.
        middle = (low + high) / 2
        axes.set_xlim(middle - 7, middle + 7)
        axes.xaxis.set_major_locator(mdates.DayLocator(interval=2))  # type: ignore[no-untyped-call]
    formatter = mdates.DateFormatter("%d %b %Y")  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_formatter(formatter)
    figure.autofmt_xdate()
    handles, labels = axes.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    if unique:
        # Above the plot, so the legend never hides a bar.
        axes.legend(
            unique.values(),
            unique.keys(),
            fontsize=8,
            loc="lower left",
            bbox_to_anchor=(0.0, 1.02),
            ncols=min(len(unique), 4),
            frameon=False,
        )
    span = ""
    if dated:
        first, last = dated[0].date, max((a.end_date or a.date) for a in dated if a.date)
        span = f" from {first} to {last}"
    undated = len(programme.activities) - len(dated)
    return Chart(
        "Engagement timeline",
        svg_markup(figure),
        f"Timeline of {len(dated)} dated {'activity' if len(dated) == 1 else 'activities'}"
        f"{span}; dotted lines mark dated milestones."
        + (
            f" {undated} {'activity has' if undated == 1 else 'activities have'} no date and "
            f"{'is' if undated == 1 else 'are'} listed in the plan table."
            if undated
            else ""
        ),
        ["activity", "kind", "start", "end", "venue"],
        rows,
    )


def views_by_group_chart(result: QuestionResult, labels: dict[str, str] | None = None) -> Chart:
    """Draw each group's answers as a 100% stacked bar (the split of views by group)."""
    names = labels or {}
    tab = result.by_group
    totals = tab.totals()
    groups = [g for g in tab.groups if totals[g] > 0]
    figure, axes = plt.subplots(figsize=(7.0, 0.55 * max(len(groups), 2) + 1.0))
    lefts = [0.0] * len(groups)
    rows = []
    for j, answer in enumerate(tab.answers):
        values = []
        for group in groups:
            n = tab.counts[tab.groups.index(group)][j]
            values.append(100.0 * n / totals[group])
        axes.barh(
            range(len(groups)),
            values,
            left=lefts,
            color=OKABE_ITO[j % 8],
            label=names.get(answer, answer),
            height=0.6,
        )
        lefts = [a + b for a, b in zip(lefts, values, strict=True)]
    for group in groups:
        row = tab.counts[tab.groups.index(group)]
        rows.append(
            [names.get(group, group), str(totals[group])]
            + [f"{n} ({100.0 * n / totals[group]:.0f}%)" for n in row]
        )
    axes.set_yticks(range(len(groups)), [names.get(g, g)[:36] for g in groups], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel("% of the group's answers")
    axes.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=3)
    leading = []
    for group in groups:
        row = tab.counts[tab.groups.index(group)]
        top = max(range(len(row)), key=lambda k: row[k])
        answer = tab.answers[top]
        leading.append(
            f"{names.get(group, group)}: most chose {names.get(answer, answer)} "
            f"({100.0 * row[top] / totals[group]:.0f}% of {totals[group]})"
        )
    return Chart(
        f"Views by group: {result.text}",
        svg_markup(figure),
        "Stacked bars of each group's answers. " + "; ".join(leading) + ".",
        ["group", "answers"] + [names.get(a, a) for a in tab.answers],
        rows,
    )
