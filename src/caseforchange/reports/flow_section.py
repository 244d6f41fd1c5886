"""The report section on patient flow: scenarios compared, from the SimPy model's replications."""

from __future__ import annotations

import math
from collections.abc import Sequence

from caseforchange.flow.runner import RunResult
from caseforchange.flow.scoring import SuggestedScore
from caseforchange.reports import charts
from caseforchange.reports.blocks import Block, Cell, Paragraph, Section, Table, formats

#: The figures shown per scenario, with how each is labelled and formatted.
METRICS: tuple[tuple[str, str], ...] = (
    ("wait_median", "median wait (days)"),
    ("wait_p92", "92nd centile wait (days)"),
    ("within_18_weeks", "seen within 18 weeks"),
    ("breaches_18_weeks", "18-week breaches"),
    ("handoffs_per_patient", "hand-offs per patient"),
    ("admissions_per_1000", "admissions per 1,000 referrals"),
    ("utilisation", "staff utilisation"),
)


def flow_section(result: RunResult, suggestions: Sequence[SuggestedScore]) -> Section:
    """Return the patient-flow section: method, scenario comparison, chart, suggested scores."""
    blocks: list[Block] = []
    if result.illustrative:
        blocks.append(
            Paragraph(f"Illustrative model: {result.note or 'the numbers are made up'}", True)
        )
    blocks.append(
        Paragraph(
            f"A discrete-event model of referrals through the single point of access to the "
            f"teams, run for {result.horizon_days:,.0f} days after a warm-up of "
            f"{result.warmup_days:,.0f} days ({result.warmup_method}), {result.replications} "
            f"replications per scenario with common random numbers (seed {result.seed}). "
            "Figures are means with 95% confidence intervals."
        )
    )
    present = [(k, label) for k, label in METRICS if k in result.scenarios[0].metrics]
    rows: list[list[Cell]] = []
    for key, label in present:
        for scenario in result.scenarios:
            iv = scenario.metrics[key]
            values = [None if math.isnan(v) else v for v in (iv.mean, iv.low, iv.high)]
            rows.append([label, scenario.label or scenario.scenario, *values])
    blocks.append(
        Table(
            "Scenarios compared: mean and 95% confidence interval of each measure (shares as "
            "fractions of 1)",
            ["measure", "scenario", "mean", "95% low", "95% high"],
            rows,
            formats("text", "text", ("dec2", 3)),
            sheet="Flow scenarios",
        )
    )
    if "wait_p92" in result.scenarios[0].metrics:
        blocks.append(
            charts.interval_bars(
                "92nd centile wait to first contact by scenario (days, 95% CI)",
                [s.label or s.scenario for s in result.scenarios],
                [
                    (
                        s.metrics["wait_p92"].mean,
                        s.metrics["wait_p92"].low,
                        s.metrics["wait_p92"].high,
                    )
                    for s in result.scenarios
                ],
                "days",
            )
        )
    if suggestions:
        blocks.append(
            Table(
                "Suggested scores for efficiency criteria — derived from the model, not a "
                "panel's judgement",
                ["criterion", "scenario", "model figure", "suggested score", "95% range"],
                [
                    [
                        s.label,
                        s.scenario,
                        f"{s.metric} = {s.value:,.3f}",
                        s.score,
                        f"{s.score_low:.1f} – {s.score_high:.1f}",
                    ]
                    for s in suggestions
                ],
                ["text", "text", "text", "dec1", "text"],
                sheet="Flow suggested scores",
            )
        )
    return Section("flow", "Patient-flow modelling", blocks, part="appendix")
