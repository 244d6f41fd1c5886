"""Charts of flow metrics and simulation results, as SVG files.

Colours are the Okabe-Ito palette, which stays distinguishable with the common forms of colour
blindness; lines also differ in style so that the charts read in greyscale.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display on servers; must precede pyplot
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from caseforchange.chartstyle import OKABE_ITO
from caseforchange.flow.metrics import FlowMetrics
from caseforchange.flow.runner import RunResult

#: Okabe-Ito colours (black last, for a baseline or a marker).
PALETTE = OKABE_ITO
STYLES = ("-", "--", "-.", ":")

ILLUSTRATIVE = "ILLUSTRATIVE NUMBERS"


def _finish(fig: Figure, path: Path, illustrative: bool) -> Path:
    if illustrative:
        fig.text(0.99, 0.01, ILLUSTRATIVE, ha="right", va="bottom", fontsize=8, color="#555555")
    fig.tight_layout()
    fig.savefig(path, format="svg")
    plt.close(fig)
    return path


def demand_chart(metrics: FlowMetrics, path: Path) -> Path:
    """Write weekly referrals, in total and by source, to ``path``; return the path."""
    fig, ax = plt.subplots(figsize=(9, 4))
    weeks: list[Any] = sorted(metrics.demand_by_week)
    ax.plot(weeks, [metrics.demand_by_week[w] for w in weeks], color=PALETTE[7], label="all")
    for i, (team, series) in enumerate(sorted(metrics.demand_by_week_team.items())):
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
    return _finish(fig, path, False)


def caseload_chart(metrics: FlowMetrics, path: Path) -> Path:
    """Write each team's caseload at the end of each week to ``path``; return the path."""
    fig, ax = plt.subplots(figsize=(9, 4))
    for i, (team, series) in enumerate(sorted(metrics.caseload_by_week.items())):
        weeks: list[Any] = sorted(series)
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
    return _finish(fig, path, False)


def comparison_chart(result: RunResult, path: Path) -> Path:
    """Write waits, hand-offs and admissions per scenario with 95% intervals; return the path."""
    metrics = (
        ("wait_mean", "mean wait to first contact (days)"),
        ("wait_p92", "92nd centile wait (days)"),
        ("handoffs_per_patient", "hand-offs per patient"),
        ("admissions_per_1000", "admissions per 1000 referrals"),
    )
    fig, axes = plt.subplots(1, len(metrics), figsize=(12, 4))
    names = [s.scenario for s in result.scenarios]
    for ax, (key, title) in zip(axes, metrics, strict=True):
        means = [s.metrics[key].mean for s in result.scenarios]
        errs = [
            [
                0 if math.isnan(s.metrics[key].low) else s.metrics[key].mean - s.metrics[key].low
                for s in result.scenarios
            ],
            [
                0 if math.isnan(s.metrics[key].high) else s.metrics[key].high - s.metrics[key].mean
                for s in result.scenarios
            ],
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
    return _finish(fig, path, result.illustrative)


def queue_chart(result: RunResult, path: Path) -> Path:
    """Write the mean number of patients in the system over time per scenario; return the path."""
    fig, ax = plt.subplots(figsize=(9, 4))
    for i, s in enumerate(result.scenarios):
        series = s.series["in_system"]
        width = result.horizon_days / len(series)
        ax.plot(
            [(k + 0.5) * width for k in range(len(series))],
            series,
            color=PALETTE[i % 7],
            linestyle=STYLES[i % 4],
            label=s.scenario,
        )
    ax.axvline(result.warmup_days, color=PALETTE[7], linestyle=":", label="end of warm-up")
    ax.set_xlabel("day")
    ax.set_ylabel("patients waiting or in care")
    ax.set_title("Patients in the system (mean over replications)")
    ax.legend(fontsize=8)
    return _finish(fig, path, result.illustrative)


def warmup_chart(result: RunResult, path: Path) -> Path:
    """Write the pilot series and the MSER-5 statistic with the chosen warm-up; return the path."""
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 6))
    series = result.pilot_series
    if series:
        width = result.horizon_days / len(series)
        top.plot([(k + 0.5) * width for k in range(len(series))], series, color=PALETTE[0])
    top.axvline(result.warmup_days, color=PALETTE[3], linestyle="--", label="warm-up")
    top.set_title(f"Pilot runs: patients in the system; warm-up {result.warmup_days:.0f} days")
    top.legend(fontsize=8)
    if result.warmup is not None:
        stat = result.warmup.statistic
        bottom.plot(range(len(stat)), stat, color=PALETTE[2], marker=".")
        bottom.axvline(result.warmup.batches_dropped, color=PALETTE[3], linestyle="--")
        bottom.set_xlabel("batches of 5 points dropped")
        bottom.set_title("MSER-5 statistic (minimum chosen)")
    return _finish(fig, path, result.illustrative)


def calibration_chart(rows: list[tuple[str, float, float]], path: Path, title: str) -> Path:
    """Write observed against simulated values, one point per row; return the path."""
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
    return _finish(fig, path, True)
