"""Charts of flow metrics and simulation results, as chart records (SVG, text, data table).

Nothing here writes a file: each function returns a :class:`caseforchange.chartstyle.Chart`
that the command line saves and the web shows inline. Colours are the Okabe-Ito palette, which
stays distinguishable with the common forms of colour blindness; lines also differ in style so
that the charts read in greyscale.
"""

from __future__ import annotations

import math
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from caseforchange.chartstyle import OKABE_ITO, Chart, svg_markup
from caseforchange.flow.metrics import FlowMetrics
from caseforchange.flow.runner import RunResult
from caseforchange.flow.statistics import Interval
from caseforchange.flow.sweep import SweepResult

#: Okabe-Ito colours (black last, for a baseline or a marker).
PALETTE = OKABE_ITO
STYLES = ("-", "--", "-.", ":")

ILLUSTRATIVE = "ILLUSTRATIVE NUMBERS"

#: Figures in the scenario comparison chart: key and title.
COMPARED = (
    ("wait_mean", "mean wait to first contact (days)"),
    ("wait_p92", "92nd centile wait (days)"),
    ("handoffs_per_patient", "hand-offs per patient"),
    ("admissions_per_1000", "admissions per 1000 referrals"),
)


def _svg(fig: Figure, illustrative: bool) -> str:
    if illustrative:
        fig.text(0.99, 0.01, ILLUSTRATIVE, ha="right", va="bottom", fontsize=8, color="#555555")
    fig.tight_layout()
    return svg_markup(fig)


def _num(x: float, decimals: int = 2) -> str:
    return "" if math.isnan(x) else f"{x:.{decimals}f}"


def _iv(iv: Interval, decimals: int = 2) -> list[str]:
    return [_num(iv.mean, decimals), _num(iv.low, decimals), _num(iv.high, decimals)]


def demand_chart(metrics: FlowMetrics) -> Chart:
    """Return weekly referrals, in total and by team, as a chart record."""
    fig, ax = plt.subplots(figsize=(9, 4))
    weeks: list[Any] = sorted(metrics.demand_by_week)
    ax.plot(weeks, [metrics.demand_by_week[w] for w in weeks], color=PALETTE[7], label="all")
    teams = sorted(metrics.demand_by_week_team.items())
    for i, (team, series) in enumerate(teams):
        ax.plot(
            weeks,
            [series.get(w, 0) for w in weeks],
            color=PALETTE[i % 7],
            linestyle=STYLES[(i // 7) % 4],
            label=team,
            linewidth=1,
        )
    ax.set_title("Referrals per week")
    ax.set_ylabel("referrals")
    ax.legend(fontsize=7, ncol=3)
    rows = [
        [str(w), str(metrics.demand_by_week[w]), *(str(s.get(w, 0)) for _, s in teams)]
        for w in weeks
    ]
    return Chart(
        title="Referrals per week",
        svg=_svg(fig, False),
        alt=f"Referrals per week from {weeks[0] if weeks else '-'} to "
        f"{weeks[-1] if weeks else '-'}, in total and for {len(teams)} teams.",
        columns=["week", "all", *(t for t, _ in teams)],
        rows=rows,
    )


def caseload_chart(metrics: FlowMetrics) -> Chart:
    """Return each team's open caseload at the end of each week as a chart record."""
    fig, ax = plt.subplots(figsize=(9, 4))
    teams = sorted(metrics.caseload_by_week.items())
    all_weeks: set[Any] = set()
    for i, (team, series) in enumerate(teams):
        weeks: list[Any] = sorted(series)
        all_weeks.update(weeks)
        ax.plot(
            weeks,
            [series[w] for w in weeks],
            color=PALETTE[i % 7],
            linestyle=STYLES[(i // 7) % 4],
            label=team,
        )
    ax.set_title("Open caseload at the end of each week")
    ax.set_ylabel("patients")
    ax.legend(fontsize=7, ncol=3)
    rows = [[str(w), *(str(s.get(w, "")) for _, s in teams)] for w in sorted(all_weeks)]
    return Chart(
        title="Open caseload at the end of each week",
        svg=_svg(fig, False),
        alt=f"Open caseload at the end of each week for {len(teams)} teams.",
        columns=["week", *(t for t, _ in teams)],
        rows=rows,
    )


def comparison_chart(result: RunResult) -> Chart:
    """Return waits, hand-offs and admissions per scenario with 95% intervals (a chart record)."""
    fig, axes = plt.subplots(1, len(COMPARED), figsize=(12, 4))
    names = [s.scenario for s in result.scenarios]
    for ax, (key, title) in zip(axes, COMPARED, strict=True):
        ivs = [s.metrics[key] for s in result.scenarios]
        means = [iv.mean for iv in ivs]
        errs = [
            [0 if math.isnan(iv.low) else iv.mean - iv.low for iv in ivs],
            [0 if math.isnan(iv.high) else iv.high - iv.mean for iv in ivs],
        ]
        ax.bar(
            range(len(names)),
            means,
            yerr=errs,
            color=[PALETTE[i % 7] for i in range(len(names))],
            capsize=4,
        )
        ax.set_xticks(range(len(names)), names, rotation=30, ha="right", fontsize=8)
        ax.set_title(title, fontsize=9)
    fig.suptitle(f"Scenarios compared ({result.replications} replications, 95% CI)")
    rows = [
        [s.scenario, title, *_iv(s.metrics[key])]
        for key, title in COMPARED
        for s in result.scenarios
    ]
    return Chart(
        title="Scenarios compared",
        svg=_svg(fig, result.illustrative),
        alt=f"Mean waits, hand-offs and admissions for {len(names)} scenarios with 95% "
        "confidence intervals.",
        columns=["scenario", "figure", "mean", "95% CI low", "95% CI high"],
        rows=rows,
    )


def queue_chart(result: RunResult) -> Chart:
    """Return the mean number of patients in the system over time per scenario (a chart record)."""
    fig, ax = plt.subplots(figsize=(9, 4))
    table: list[list[str]] = []
    for i, s in enumerate(result.scenarios):
        series = s.series["in_system"]
        width = result.horizon_days / len(series)
        days = [(k + 0.5) * width for k in range(len(series))]
        ax.plot(days, series, color=PALETTE[i % 7], linestyle=STYLES[i % 4], label=s.scenario)
        table.extend(
            [s.scenario, f"{d:.1f}", f"{v:.2f}"] for d, v in zip(days, series, strict=True)
        )
        if s.warmup_days:
            ax.axvline(s.warmup_days, color=PALETTE[i % 7], linestyle=":", linewidth=1)
    ax.set_xlabel("day (dotted: end of each scenario's warm-up)")
    ax.set_ylabel("patients waiting or in care")
    ax.set_title("Patients in the system (mean over replications)")
    ax.legend(fontsize=8)
    return Chart(
        title="Patients in the system",
        svg=_svg(fig, result.illustrative),
        alt=f"Mean number of patients in the system over {result.horizon_days:g} days for "
        f"{len(result.scenarios)} scenarios.",
        columns=["scenario", "day", "patients"],
        rows=table,
    )


def warmup_chart(result: RunResult) -> Chart | None:
    """Return the pilot series and MSER-5 statistic per scenario, or None with no pilot runs."""
    chosen = [s for s in result.scenarios if s.warmup is not None]
    if not chosen:
        return None
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 6))
    table: list[list[str]] = []
    for i, s in enumerate(chosen):
        assert s.warmup is not None
        series = s.pilot_series
        width = result.horizon_days / len(series) if series else 1.0
        top.plot(
            [(k + 0.5) * width for k in range(len(series))],
            series,
            color=PALETTE[i % 7],
            linestyle=STYLES[i % 4],
            label=f"{s.scenario} (warm-up {s.warmup_days:.0f} days)",
        )
        top.axvline(s.warmup_days, color=PALETTE[i % 7], linestyle="--", linewidth=1)
        stat = s.warmup.statistic
        bottom.plot(range(len(stat)), stat, color=PALETTE[i % 7], marker=".", label=s.scenario)
        table.append(
            [
                s.scenario,
                f"{s.warmup_days:.1f}",
                str(s.warmup.batches_dropped),
                "yes" if s.warmup.at_limit else "no",
            ]
        )
    top.set_title("Pilot runs: patients in the system, and each scenario's warm-up")
    top.legend(fontsize=7)
    bottom.set_xlabel("batches of 5 points dropped")
    bottom.set_title("MSER-5 statistic (minimum chosen)")
    return Chart(
        title="Warm-up (MSER-5)",
        svg=_svg(fig, result.illustrative),
        alt="Pilot series of patients in the system and the MSER-5 statistic for each "
        "scenario, with the warm-up chosen.",
        columns=["scenario", "warm-up (days)", "batches dropped", "ran out of run"],
        rows=table,
    )


def calibration_chart(rows: list[tuple[str, float, float]], title: str) -> Chart:
    """Return observed against simulated values, one point per row (a chart record)."""
    fig, ax = plt.subplots(figsize=(6, 6))
    xs = [r[1] for r in rows]
    ys = [r[2] for r in rows]
    top = max([*xs, *ys, 1.0]) * 1.1
    ax.plot([0, top], [0, top], color=PALETTE[7], linestyle=":")
    ax.scatter(xs, ys, color=PALETTE[0])
    for name, x, y in rows:
        ax.annotate(name, (x, y), fontsize=6)
    ax.set_xlabel("observed")
    ax.set_ylabel("simulated")
    ax.set_title(title)
    return Chart(
        title=title,
        svg=_svg(fig, True),
        alt=f"{title}: {len(rows)} figures, observed against simulated.",
        columns=["figure", "observed", "simulated"],
        rows=[[n, _num(x), _num(y)] for n, x, y in rows],
    )


def tradeoff_chart(result: SweepResult) -> Chart:
    """Return a sweep's trade-off: 18-week performance against cost, a line per demand growth.

    The horizontal axis is the cost per year when the model has unit costs, otherwise the
    staff scale; each point has its 95% interval on both axes where there is one.
    """
    costed = "cost_per_year" in result.measures
    fig, ax = plt.subplots(figsize=(8, 5))
    growths = sorted({p.demand_growth_per_year for p in result.points})
    table: list[list[str]] = []
    for i, growth in enumerate(growths):
        points = sorted(
            (p for p in result.points if p.demand_growth_per_year == growth),
            key=lambda p: p.staff_scale,
        )
        xs: list[float] = []
        ys: list[float] = []
        for p in points:
            y = result.metric(p, "within_18_weeks") or Interval(math.nan, math.nan, math.nan, 0)
            x = (
                result.metric(p, "cost_per_year") or Interval(math.nan, math.nan, math.nan, 0)
                if costed
                else Interval(p.staff_scale, math.nan, math.nan, 0)
            )
            unit = 1e6 if costed else 1.0
            xs.append(x.mean / unit)
            ys.append(y.mean)
            ax.errorbar(
                [x.mean / unit],
                [y.mean],
                xerr=None
                if math.isnan(x.low)
                else [[(x.mean - x.low) / unit], [(x.high - x.mean) / unit]],
                yerr=None if math.isnan(y.low) else [[y.mean - y.low], [y.high - y.mean]],
                color=PALETTE[i % 7],
                capsize=3,
                linewidth=1,
            )
            if i == 0:  # the staff levels are the same on every line: label them once
                ax.annotate(
                    f"staff x{p.staff_scale:g}",
                    (x.mean / unit, y.mean),
                    fontsize=7,
                    xytext=(4, -10),
                    textcoords="offset points",
                )
            table.append(
                [
                    p.scenario,
                    f"{p.staff_scale:g}",
                    f"{growth:g}",
                    *(_iv(x, 0) if costed else [f"{p.staff_scale:g}", "", ""]),
                    *_iv(y, 3),
                ]
            )
        ax.plot(
            xs,
            ys,
            color=PALETTE[i % 7],
            linestyle=STYLES[i % 4],
            marker="os^D"[i % 4],
            label=f"demand growth {growth:+.1%} a year",
        )
    ax.set_xlabel("cost per year (£ million)" if costed else "staff (x the base scenario)")
    ax.set_ylabel("share seen within 18 weeks")
    title = f"Staff against 18-week performance (sweep of {result.base!r})"
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    x_name = "cost per year" if costed else "staff scale"
    return Chart(
        title=title,
        svg=_svg(fig, result.run.illustrative),
        alt=f"Share seen within 18 weeks against {x_name} for {len(result.points)} points: "
        f"{len(growths)} demand growths, each over "
        f"{len({p.staff_scale for p in result.points})} staff levels, with 95% intervals "
        f"({result.run.replications} replications each).",
        columns=[
            "scenario",
            "staff scale",
            "demand growth",
            f"{x_name}",
            f"{x_name} low",
            f"{x_name} high",
            "within 18 weeks",
            "low",
            "high",
        ],
        rows=table,
    )


def cost_chart(result: RunResult) -> Chart | None:
    """Return each scenario's cost per year with its 95% interval, or None without costs."""
    costed = [s for s in result.scenarios if "cost_per_year" in s.metrics]
    if not costed:
        return None
    fig, ax = plt.subplots(figsize=(7, 4))
    ivs = [s.metrics["cost_per_year"] for s in costed]
    millions = [iv.mean / 1e6 for iv in ivs]
    errs = [
        [0 if math.isnan(iv.low) else (iv.mean - iv.low) / 1e6 for iv in ivs],
        [0 if math.isnan(iv.high) else (iv.high - iv.mean) / 1e6 for iv in ivs],
    ]
    names = [s.scenario for s in costed]
    ax.bar(
        range(len(names)),
        millions,
        yerr=errs,
        color=[PALETTE[i % 7] for i in range(len(names))],
        capsize=4,
    )
    ax.set_xticks(range(len(names)), names, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("£ million a year")
    ax.set_title(f"Cost per year by scenario ({result.replications} replications, 95% CI)")
    rows = [
        [s.scenario, *_iv(s.metrics["cost_per_year"], 0), *_iv(s.metrics["cost_per_referral"], 2)]
        for s in costed
    ]
    return Chart(
        title="Cost per year by scenario",
        svg=_svg(fig, result.illustrative),
        alt=f"Simulated cost per year of {len(names)} scenarios in pounds, with 95% "
        "confidence intervals.",
        columns=[
            "scenario",
            "cost per year (£)",
            "95% CI low",
            "95% CI high",
            "cost per referral (£)",
            "95% CI low",
            "95% CI high",
        ],
        rows=rows,
    )
