"""Engagement charts as SVG strings, each with a text alternative and its data table.

matplotlib with the Agg backend (no display needed) and the Okabe-Ito palette, which stays
distinguishable under the common colour-vision deficiencies.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from caseforchange.chartstyle import OKABE_ITO, day_number
from caseforchange.domain.programme import Programme
from caseforchange.engagement.stakeholders import MappedGroup
from caseforchange.engagement.statistics import QuestionResult


@dataclass
class Chart:
    """A chart: its SVG, a text alternative, and the data it shows as a table."""

    title: str
    svg: str
    alt: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "caseforchange"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    text = buffer.getvalue()
    # Drop the XML prolog and DOCTYPE so the SVG can sit inline in HTML.
    start = text.find("<svg")
    return text[start:] if start >= 0 else text


def stakeholder_map_chart(mapped: list[MappedGroup], threshold: int = 3) -> Chart:
    """Plot each group's interest (x) against influence (y), with the quadrant lines."""
    figure, axes = plt.subplots(figsize=(6.4, 5.2))
    placed: dict[tuple[int, int], int] = {}
    for index, item in enumerate(mapped):
        spot = (item.interest, item.influence)
        nudge = placed.get(spot, 0)
        placed[spot] = nudge + 1
        # Groups on the same point are spread vertically so every label stays readable.
        y = item.influence + 0.0 - 0.18 * nudge
        axes.scatter([item.interest], [y], color=OKABE_ITO[index % 8], s=30, zorder=3)
        axes.annotate(
            item.group.name[:34],
            (item.interest, y),
            xytext=(5, 0),
            textcoords="offset points",
            fontsize=7,
            va="center",
        )
    line = threshold - 0.5
    axes.axvline(line, color="#768692", linewidth=0.8)
    axes.axhline(line, color="#768692", linewidth=0.8)
    axes.set_xlim(0.5, 6.5)
    axes.set_ylim(-0.5, 5.5)
    axes.set_xticks(range(1, 6))
    axes.set_yticks(range(1, 6))
    axes.set_xlabel("Interest (1-5)")
    axes.set_ylabel("Influence (1-5)")
    for x, y, text in (
        (6.4, 5.4, "manage closely"),
        (0.6, 5.4, "keep satisfied"),
        (6.4, -0.4, "keep informed"),
        (0.6, -0.4, "monitor"),
    ):
        axes.text(x, y, text, ha="right" if x > 3 else "left", fontsize=8, color="#425563")
    rows = [[m.group.name, str(m.interest), str(m.influence), m.quadrant.value] for m in mapped]
    counts: dict[str, int] = {}
    for m in mapped:
        counts[m.quadrant.value] = counts.get(m.quadrant.value, 0) + 1
    summary = "; ".join(f"{n} to {q}" for q, n in counts.items())
    return Chart(
        "Stakeholder map",
        _svg(figure),
        f"Scatter of {len(mapped)} stakeholder groups by interest and influence: {summary}.",
        ["group", "interest", "influence", "quadrant"],
        rows,
    )


def timeline_chart(programme: Programme) -> Chart:
    """Draw the dated activities as bars (or points) by date, with milestones as lines."""
    dated = [a for a in programme.activities if a.date is not None]
    dated.sort(key=lambda a: (a.date or dt.date.min, a.id))
    figure, axes = plt.subplots(figsize=(7.0, 0.35 * max(len(dated), 3) + 1.2))
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
            label=activity.kind.value,
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
    axes.set_yticks(range(len(dated)), [a.title[:40] for a in dated], fontsize=7)
    axes.invert_yaxis()
    axes.xaxis_date()
    formatter = mdates.DateFormatter("%d %b %Y")  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_formatter(formatter)
    figure.autofmt_xdate()
    handles, labels = axes.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    if unique:
        axes.legend(unique.values(), unique.keys(), fontsize=7, loc="best")
    span = ""
    if dated:
        first, last = dated[0].date, max((a.end_date or a.date) for a in dated if a.date)
        span = f" from {first} to {last}"
    undated = len(programme.activities) - len(dated)
    return Chart(
        "Engagement timeline",
        _svg(figure),
        f"Timeline of {len(dated)} dated activities{span}; dotted lines mark dated milestones."
        + (
            f" {undated} activities have no date and are listed in the plan table."
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
        _svg(figure),
        "Stacked bars of each group's answers. " + "; ".join(leading) + ".",
        ["group", "answers"] + [names.get(a, a) for a in tab.answers],
        rows,
    )
