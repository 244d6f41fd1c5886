"""Report sections drawn from the appraisal: recommendation, scores, results, uncertainty."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from caseforchange.appraisal.result import AppraisalResult
from caseforchange.domain.programme import Programme
from caseforchange.reports import charts
from caseforchange.reports.blocks import (
    Block,
    Bullets,
    Cell,
    Paragraph,
    Section,
    Table,
    formats,
)
from caseforchange.reports.programme_sections import criteria_rows


@dataclass(frozen=True)
class Reversal:
    """The smallest one-criterion weight change that puts another option first."""

    criterion: str
    weight: float
    new_weight: float
    new_top: str

    @property
    def change(self) -> float:
        """The absolute change of weight needed."""
        return abs(self.new_weight - self.weight)


def smallest_reversal(result: AppraisalResult) -> Reversal | None:
    """Return the smallest single-criterion weight change that changes the top option.

    Returns None when no change of one criterion's weight within 0..1 can do it.
    """
    best: Reversal | None = None
    for item in result.sensitivity.criteria:
        low, high = item.top_interval
        candidates = []
        if item.below is not None:
            candidates.append(Reversal(item.criterion, item.weight, low, item.below))
        if item.above is not None:
            candidates.append(Reversal(item.criterion, item.weight, high, item.above))
        for candidate in candidates:
            if best is None or candidate.change < best.change:
                best = candidate
    return best


def confidence_words(share: float) -> str:
    """Return plain words for a first-rank acceptability."""
    if share >= 0.9:
        return "very robust"
    if share >= 0.7:
        return "fairly robust"
    if share >= 0.5:
        return "contested"
    return "not robust"


WEIGHT_INFO = {
    "none": "every possible set of weights, with no preference assumed",
    "exact": "the weights as set",
    "ranking": "every set of weights that keeps the criteria in their ranked order",
    "intervals": "every set of weights within the intervals the programme gives",
}


class Names:
    """Display names for option and criterion ids."""

    def __init__(self, programme: Programme, result: AppraisalResult) -> None:
        self.options = {o.id: o.name for o in programme.options}
        self.criteria = dict(result.criterion_names)

    def option(self, option_id: str) -> str:
        """Return an option's name (its id when unnamed)."""
        return self.options.get(option_id, option_id)

    def criterion(self, criterion_id: str) -> str:
        """Return a criterion's name (its id when unnamed)."""
        return self.criteria.get(criterion_id, criterion_id)


def _top(result: AppraisalResult) -> list[str]:
    first = result.ranking[0]
    for group in result.ties:
        if first in group:
            return group
    return [first]


def summary(programme: Programme, result: AppraisalResult, names: Names) -> Section:
    """Return the summary: recommendation, confidence, what would change it, illustrative label."""
    blocks: list[Block] = []
    if programme.provenance.illustrative:
        blocks.append(
            Paragraph(
                "Illustrative data: these results rest on example scores, not a real panel's; "
                "the note at the top of the report says which figures are illustrative.",
                emphasis=True,
            )
        )
    top = _top(result)
    totals = result.totals
    if len(top) > 1:
        tied = " and ".join(names.option(o) for o in top)
        blocks.append(
            Paragraph(
                f"No single option leads: {tied} tie on a weighted total of {totals[top[0]]:.3f} "
                "(out of 1). The Board should decide between them on the evidence below."
            )
        )
    else:
        leader = top[0]
        runner = result.ranking[1] if len(result.ranking) > 1 else None
        text = (
            f"Recommendation: {names.option(leader)}. It ranks first with a weighted total of "
            f"{totals[leader]:.3f} out of 1"
        )
        if runner is not None:
            text += f", ahead of {names.option(runner)} ({totals[runner]:.3f})"
        blocks.append(Paragraph(text + ".", emphasis=True))
    smaa = result.smaa
    index = smaa.options.index(top[0])
    share = float(smaa.rank_acceptability[index, 0])
    se = float(smaa.rank_acceptability_se[index, 0])
    conf = float(smaa.confidence[index])
    info = WEIGHT_INFO.get(result.weight_information, result.weight_information)
    blocks.append(
        Paragraph(
            f"How sure is this? Across {smaa.samples:,} samples of {info}"
            + (", with the uncertain scores sampled too" if smaa.scores_uncertain else "")
            + f", {names.option(top[0])} comes first in {100 * share:.1f}% of them "
            f"(± {100 * 1.96 * se:.1f} points, 95% interval): the result is "
            f"{confidence_words(share)}. Its confidence factor is {conf:.2f}: at its central "
            f"weights it wins in {100 * conf:.0f}% of score samples. (Seed {smaa.seed}.)"
        )
    )
    reversal = smallest_reversal(result)
    if reversal is None:
        blocks.append(
            Paragraph(
                "What would change it? No change to any one criterion's weight (with the others "
                "rescaled in proportion) puts another option first."
            )
        )
    else:
        direction = "raising" if reversal.new_weight > reversal.weight else "lowering"
        blocks.append(
            Paragraph(
                f"What would change it? The smallest single change is {direction} the weight of "
                f"'{names.criterion(reversal.criterion)}' from {reversal.weight:.3f} to "
                f"{reversal.new_weight:.3f} (others rescaled in proportion), which would put "
                f"{names.option(reversal.new_top)} first."
            )
        )
    if result.warnings:
        blocks.append(Paragraph("Points the Board should note:"))
        blocks.append(Bullets(list(result.warnings)))
    return Section("summary", "Summary and recommendation", blocks)


def shortlisting(result: AppraisalResult, names: Names) -> list[Block]:
    """Return the short-listing table (each option kept or dropped, with its reason)."""
    rows: list[list[Cell]] = [
        [names.option(d.option), "kept" if d.kept else "dropped", d.reason]
        for d in result.screening.decisions
    ]
    hurdles = [names.criterion(h) for h in result.screening.hurdles]
    blocks: list[Block] = []
    if hurdles:
        blocks.append(
            Paragraph("Hurdles (pass/fail) used to cut the long list: " + "; ".join(hurdles) + ".")
        )
    blocks.append(
        Table(
            "Short-listing: each option kept or dropped, and why",
            ["option", "decision", "reason"],
            rows,
            sheet="Shortlisting",
        )
    )
    blocks.append(
        Paragraph("The short list: " + ", ".join(names.option(o) for o in result.options) + ".")
    )
    return blocks


def criteria_table(programme: Programme, result: AppraisalResult) -> Section:
    """Return the criteria and weights section, with the method and who set the weights."""
    weighting = programme.framework.weighting
    local = result.weighting.local
    global_ = result.weighting.global_
    blocks: list[Block] = [
        Paragraph(
            f"Framework: {programme.framework.name}."
            + (f" Source: {programme.framework.source}." if programme.framework.source else "")
        ),
        Paragraph(
            f"Weighting method: {weighting.method.value.replace('_', ' ')}"
            + (f"; set by {weighting.set_by}" if weighting.set_by else "")
            + (f" ({weighting.date})" if weighting.date else "")
            + (f". {weighting.note}" if weighting.note else ".")
        ),
    ]
    rows = criteria_rows(programme.framework.criteria, local, global_)
    blocks.append(
        Table(
            "Criteria: local weights (within their group) and global weights (share of the total)",
            ["criterion", "id", "kind", "local weight", "global weight"],
            rows,
            ["text", "text", "text", "dec3", "dec3"],
            sheet="Weights",
        )
    )
    for parent, ahp in result.weighting.ahp.items():
        blocks.append(
            Paragraph(
                f"AHP comparisons under '{parent}': consistency ratio {ahp.consistency_ratio:.3f}."
            )
        )
    return Section("criteria", "Criteria and weights", blocks)


def scores(programme: Programme, result: AppraisalResult, names: Names) -> Section:
    """Return the scores section: heat maps per panel and combined, and where panels disagree."""
    options = result.options
    crit = result.criteria
    labels = [names.criterion(c) for c in crit]
    option_labels = [names.option(o) for o in options]
    blocks: list[Block] = [
        Paragraph(
            "Scores are shown as values from 0 (worst) to 1 (best) after each criterion's scale "
            "or value function; members' scores are combined within each panel by "
            f"{programme.appraisal.aggregation.value.replace('_', ' ')}, and panels by their"
            " weights."
        )
    ]
    combined = [[result.values[o][c] for c in crit] for o in options]
    heat = charts.heatmap("Combined scores (all panels)", option_labels, labels, combined)
    blocks.append(heat)
    panel_names = {p.id: p.name for p in programme.panels}
    for panel in result.panels:
        values = _panel_values(result, panel.panel)
        if values is None:
            continue
        blocks.append(
            charts.heatmap(
                f"Scores of the {panel_names.get(panel.panel, panel.panel)} panel",
                option_labels,
                labels,
                values,
            )
        )
    divisive = result.disagreement.most_divisive[:8]
    if divisive:
        blocks.append(
            Table(
                "Where the panels disagree most (spread of panel values, 0-1)",
                ["option", "criterion", "spread", "IQR", "panel values"],
                [
                    [
                        names.option(d.option),
                        names.criterion(d.criterion),
                        d.spread,
                        d.iqr,
                        "; ".join(
                            f"{panel_names.get(k, k)} {v:.2f}" for k, v in d.panel_values.items()
                        ),
                    ]
                    for d in divisive
                ],
                ["text", "text", "dec2", "dec2", "text"],
                sheet="Disagreement",
            )
        )
    return Section("scores", "Scores", blocks)


def _panel_values(result: AppraisalResult, panel: str) -> list[list[float | None]] | None:
    found = next((p for p in result.panels if p.panel == panel), None)
    if found is None or not found.values:
        return None
    return [[found.values[o].get(c) for c in result.criteria] for o in result.options]


def results(programme: Programme, result: AppraisalResult, names: Names) -> Section:
    """Return the results: stacked totals by criterion, the ranking and the method cross-check."""
    options = result.options
    crit = result.criteria
    blocks: list[Block] = [
        charts.stacked_bars(
            "Weighted totals, stacked by criterion",
            [names.option(o) for o in options],
            [names.criterion(c) for c in crit],
            [[result.contributions[o][c] for c in crit] for o in options],
        )
    ]
    panel_names = {p.id: p.name for p in programme.panels}
    columns = ["rank", "option", "weighted total"]
    columns += [f"{panel_names.get(p.panel, p.panel)} panel" for p in result.panels]
    rank_rows: list[list[Cell]] = [
        [
            result.ranks[o],
            names.option(o),
            result.totals[o],
            *[p.totals.get(o) for p in result.panels],
        ]
        for o in result.ranking
    ]
    blocks.append(
        Table(
            "Ranking (ties share a rank), overall and by panel",
            columns,
            rank_rows,
            formats("int", "text", ("dec3", len(columns) - 2)),
            sheet="Totals",
        )
    )
    check = result.crosscheck
    methods = list(check.ranks)
    blocks.append(
        Table(
            "Method cross-check: rank of each option under each method (pymcdm)",
            ["option", *methods],
            [[names.option(o), *[check.ranks[m][o] for m in methods]] for o in options],
            formats("text", ("int", len(methods))),
            sheet="Cross-check",
        )
    )
    note = (
        "The methods agree on the top option."
        if check.agree
        else "The methods do not all agree on the top option."
    )
    blocks.append(Paragraph(note + (f" {check.note}" if check.note else "")))
    return Section("results", "Results", blocks)


def uncertainty(result: AppraisalResult, names: Names) -> Section:
    """Return the uncertainty section: tornado, SMAA rank acceptability, central weights."""
    blocks: list[Block] = []
    leaves = [c for c in result.sensitivity.criteria if c.is_leaf]
    if leaves:
        blocks.append(
            charts.tornado(
                f"Weight range within which {names.option(leaves[0].top)} stays first",
                [names.criterion(c.criterion) for c in leaves],
                [c.weight for c in leaves],
                [c.top_interval[0] for c in leaves],
                [c.top_interval[1] for c in leaves],
            )
        )
        changes: list[list[Cell]] = []
        for c in result.sensitivity.criteria:
            for change in c.rank_changes:
                changes.append(
                    [
                        names.criterion(c.criterion),
                        c.weight,
                        change.weight,
                        names.option(change.overtaker),
                        names.option(change.overtaken),
                    ]
                )
        if changes:
            blocks.append(
                Table(
                    "Weights at which ranks change (one criterion at a time)",
                    [
                        "criterion",
                        "current weight",
                        "weight at change",
                        "rises above",
                        "option passed",
                    ],
                    changes,
                    ["text", "dec3", "dec3", "text", "text"],
                    sheet="Sensitivity",
                )
            )
    smaa = result.smaa
    labels = [names.option(o) for o in smaa.options]
    blocks.append(
        charts.rank_acceptability(
            "SMAA rank acceptability: how often each option takes each rank",
            labels,
            [list(map(float, row)) for row in smaa.rank_acceptability],
        )
    )
    rows: list[list[Cell]] = []
    for i, option in enumerate(smaa.options):
        rows.append(
            [
                names.option(option),
                float(smaa.rank_acceptability[i, 0]),
                float(smaa.rank_acceptability_se[i, 0]),
                float(smaa.confidence[i]),
                float(smaa.holistic[i]),
            ]
        )
    blocks.append(
        Table(
            f"SMAA-2 indices ({smaa.samples:,} samples, seed {smaa.seed})",
            [
                "option",
                "first-rank acceptability",
                "standard error",
                "confidence factor",
                "holistic acceptability",
            ],
            rows,
            ["text", "pct", "pct", "dec2", "dec3"],
            sheet="SMAA",
        )
    )
    central: list[list[Cell]] = []
    for i, option in enumerate(smaa.options):
        row = smaa.central_weights[i]
        if np.isnan(row).all():
            continue
        central.append([names.option(option), *map(float, row)])
    if central:
        blocks.append(
            Table(
                "Central weights: the typical weights that make each option first",
                ["option", *[names.criterion(c) for c in smaa.criteria]],
                central,
                formats("text", ("dec3", len(smaa.criteria))),
                sheet="Central weights",
            )
        )
    return Section("uncertainty", "Uncertainty", blocks)
