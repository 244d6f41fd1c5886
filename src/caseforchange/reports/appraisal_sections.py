"""Report sections drawn from the appraisal: recommendation, scores, results, uncertainty."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from caseforchange.appraisal.result import AppraisalResult
from caseforchange.domain.criteria import Criterion
from caseforchange.domain.programme import Programme
from caseforchange.reports import charts
from caseforchange.reports.blocks import (
    Block,
    Bullets,
    Cell,
    ColumnFormat,
    Figure,
    Paragraph,
    Section,
    Table,
    formats,
    join_names,
    total_text,
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
    """Display names for option and criterion ids.

    A criterion whose name repeats (two groups each with "Patient focused") is prefixed by its
    group: "Quality: Patient focused".
    """

    def __init__(self, programme: Programme, result: AppraisalResult) -> None:
        self.options = {o.id: o.name for o in programme.options}
        self.criteria = dict(result.criterion_names)
        parents: dict[str, str] = {}

        def walk(criteria: list[Criterion], parent: str | None) -> None:
            for c in criteria:
                self.criteria.setdefault(c.id, c.name)
                if parent is not None:
                    parents[c.id] = parent
                walk(c.children, c.name)

        walk(programme.framework.criteria, None)
        counts = Counter(self.criteria.values())
        for cid, name in list(self.criteria.items()):
            if counts[name] > 1 and cid in parents:
                self.criteria[cid] = f"{parents[cid]}: {name}"

    def option(self, option_id: str) -> str:
        """Return an option's name (its id when unnamed)."""
        return self.options.get(option_id, option_id)

    def criterion(self, criterion_id: str) -> str:
        """Return a criterion's name, group-prefixed where names repeat (its id when unnamed)."""
        return self.criteria.get(criterion_id, criterion_id)


def top_group(result: AppraisalResult) -> list[str]:
    """Return the options sharing first place (one option when there is no tie)."""
    return _top(result)


def _top(result: AppraisalResult) -> list[str]:
    first = result.ranking[0]
    for group in result.ties:
        if first in group:
            return group
    return [first]


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


def weights_statement(programme: Programme, result: AppraisalResult) -> str:
    """Return how the weights were set, saying "equal" only where the weights are equal."""
    weighting = programme.framework.weighting
    method = weighting.method.value.replace("_", " ")
    text = f"Weighting method: {method}"
    text += f"; set by {weighting.set_by}" if weighting.set_by else ""
    text += f" ({weighting.date})" if weighting.date else ""
    text += "."
    leaves = [result.weights[c] for c in result.criteria]
    equal = bool(leaves) and max(leaves) - min(leaves) < 1e-9
    if method == "equal" and not equal:
        text += (
            " Criteria are weighted equally within each group, but the groups hold different "
            "numbers of criteria, so the criteria's shares of the total are not equal "
            f"(from {total_text(min(leaves))} to {total_text(max(leaves))})."
        )
    elif equal:
        text += f" Every criterion carries the same weight, {total_text(leaves[0])}."
    if weighting.note:
        text += f" {weighting.note}"
    return text


def criteria_table(programme: Programme, result: AppraisalResult) -> Table:
    """Return the criteria with their local and global weights (names indented by group)."""
    rows = criteria_rows(
        programme.framework.criteria, result.weighting.local, result.weighting.global_
    )
    return Table(
        "Criteria: weight within their group and share of the total",
        ["criterion", "kind", "weight in group", "share of total"],
        [[r[0], r[2], r[3], r[4]] for r in rows],
        ["text", "text", "dec3", "dec3"],
        sheet="Weights",
    )


def ranking_table(programme: Programme, result: AppraisalResult, names: Names) -> Table:
    """Return the ranking (ties share a rank) with each option's total, overall and by panel."""
    panel_names = {p.id: p.name for p in programme.panels}
    columns = ["rank", "option", "weighted total"]
    columns += [f"{panel_names.get(p.panel, p.panel)} panel" for p in result.panels]
    rows: list[list[Cell]] = [
        [
            result.ranks[o],
            names.option(o),
            result.totals[o],
            *[p.totals.get(o) for p in result.panels],
        ]
        for o in result.ranking
    ]
    return Table(
        "Ranking (ties share a rank), overall and by panel",
        columns,
        rows,
        formats("int", "text", ("dec3", len(columns) - 2)),
        sheet="Totals",
    )


def totals_chart(result: AppraisalResult, names: Names) -> Figure:
    """Return the stacked bars of each option's weighted total by criterion."""
    options = result.options
    crit = result.criteria
    return charts.stacked_bars(
        "Weighted totals, stacked by criterion",
        [names.option(o) for o in options],
        [names.criterion(c) for c in crit],
        [[result.contributions[o][c] for c in crit] for o in options],
        [result.totals[o] for o in options],
    )


def robustness_sentence(result: AppraisalResult, names: Names) -> str:
    """Return in one plain sentence how sure the first place is, from the SMAA samples."""
    smaa = result.smaa
    top = _top(result)[0]
    share = float(smaa.rank_acceptability[smaa.options.index(top), 0])
    what = "weights and scores" if smaa.scores_uncertain else "weights"
    if share >= 1.0:
        how_often = f"in all {smaa.samples:,} samples"
    else:
        # Never round a near-certain share up to "100%" when some samples disagree.
        shown = f"{100 * share:.1f}" if share >= 0.995 else f"{100 * share:.0f}"
        how_often = f"in {shown}% of {smaa.samples:,} samples"
    return (
        f"{names.option(top)} comes first {how_often} of possible {what}: the result is "
        f"{confidence_words(share)}."
    )


def reversal_sentence(result: AppraisalResult, names: Names) -> str:
    """Return what single change of one criterion's weight would put another option first."""
    reversal = smallest_reversal(result)
    if reversal is None:
        return (
            "No change to any one criterion's weight (with the others rescaled in proportion) "
            "puts another option first."
        )
    direction = "raising" if reversal.new_weight > reversal.weight else "lowering"
    return (
        f"The smallest single change that would put another option first is {direction} the "
        f"weight of '{names.criterion(reversal.criterion)}' from "
        f"{total_text(reversal.weight)} to {total_text(reversal.new_weight)} (others rescaled "
        f"in proportion), which would put {names.option(reversal.new_top)} first."
    )


def appraisal_section(programme: Programme, result: AppraisalResult, names: Names) -> Section:
    """Return the main body's appraisal: weights, scores, result, and how sure it is."""
    options = result.options
    crit = result.criteria
    blocks: list[Block] = [
        Paragraph(
            f"Framework: {programme.framework.name}."
            + (f" Source: {programme.framework.source}." if programme.framework.source else "")
            + " "
            + weights_statement(programme, result)
        ),
        criteria_table(programme, result),
        Paragraph(
            "Scores are shown as values from 0 (worst) to 1 (best) after each criterion's scale "
            "or value function; members' scores are combined within each panel by "
            f"{programme.appraisal.aggregation.value.replace('_', ' ')}, and panels by their "
            "weights. Every score and its rationale is in the appendix."
        ),
        charts.heatmap(
            "Combined scores (all panels)",
            [names.option(o) for o in options],
            [names.criterion(c) for c in crit],
            [[result.values[o][c] for c in crit] for o in options],
        ),
        totals_chart(result, names),
        ranking_table(programme, result, names),
    ]
    check = result.crosscheck
    methods = list(check.ranks)
    agree = "agree" if check.agree else "do not all agree"
    blocks.append(
        Paragraph(
            f"Cross-check: ranked by {join_names(methods)} (pymcdm), the methods {agree} on "
            "the top option."
            + (f" {check.note}" if check.note else "")
            + " The ranks under each method are in the uncertainty appendix."
        )
    )
    blocks.append(
        Paragraph(
            "How sure is this? "
            + robustness_sentence(result, names)
            + " "
            + reversal_sentence(result, names)
            + " The full uncertainty analysis is in the appendix."
        )
    )
    return Section("appraisal", "The appraisal: weights, scores and result", blocks)


def scores_appendix(programme: Programme, result: AppraisalResult, names: Names) -> Section:
    """Return every score as entered, with its rationale, by criterion and option (names)."""
    panel_names = {p.id: p.name for p in programme.panels}
    member_names = {m.id: m.name for p in programme.panels for m in p.members}
    order = {c: i for i, c in enumerate(result.criteria)}
    option_order = {o.id: i for i, o in enumerate(programme.options)}
    ordered = sorted(
        programme.scores,
        key=lambda s: (order.get(s.criterion, len(order)), option_order.get(s.option, 0)),
    )
    rows: list[list[Cell]] = [
        [
            names.criterion(s.criterion),
            names.option(s.option),
            panel_names.get(s.panel or "", s.panel or ""),
            member_names.get(s.member or "", s.member or ""),
            s.value,
            s.low,
            s.high,
            s.rationale or "",
        ]
        for s in ordered
    ]
    columns = ["criterion", "option", "panel", "member", "score", "low", "high", "rationale"]
    kinds: list[ColumnFormat] = ["text", "text", "text", "text", "dec1", "dec1", "dec1", "text"]
    # A column no score fills (no member scores, no ranges) says nothing: leave it out.
    keep = [i for i in range(len(columns)) if i < 2 or any(r[i] not in ("", None) for r in rows)]
    columns = [columns[i] for i in keep]
    kinds = [kinds[i] for i in keep]
    rows = [[r[i] for i in keep] for r in rows]
    return Section(
        "scores",
        "Every score and its rationale",
        [
            Paragraph(
                "Each score as the panels entered it, on the criterion's own scale, with the "
                "lowest and highest score given where the scorer was unsure."
            ),
            Table(
                "Scores with their rationale",
                columns,
                rows,
                kinds,
                sheet="Scores",
                wide=True,
            ),
        ],
        part="appendix",
    )


def _panel_values(result: AppraisalResult, panel: str) -> list[list[float | None]] | None:
    found = next((p for p in result.panels if p.panel == panel), None)
    if found is None or not found.values:
        return None
    return [[found.values[o].get(c) for c in result.criteria] for o in result.options]


def uncertainty_appendix(programme: Programme, result: AppraisalResult, names: Names) -> Section:
    """Return the uncertainty analysis in full: sensitivity, SMAA, method check, panels."""
    blocks: list[Block] = []
    smaa = result.smaa
    info = WEIGHT_INFO.get(result.weight_information, result.weight_information)
    blocks.append(
        Paragraph(
            f"Stochastic multicriteria acceptability analysis (SMAA-2): {smaa.samples:,} samples "
            f"of {info}"
            + (", with the uncertain scores sampled too" if smaa.scores_uncertain else "")
            + f" (seed {smaa.seed}). "
            + robustness_sentence(result, names)
        )
    )
    blocks.append(
        charts.rank_acceptability(
            "SMAA rank acceptability: how often each option takes each rank",
            [names.option(o) for o in smaa.options],
            [list(map(float, row)) for row in smaa.rank_acceptability],
        )
    )
    rows: list[list[Cell]] = [
        [
            names.option(option),
            float(smaa.rank_acceptability[i, 0]),
            float(1.96 * smaa.rank_acceptability_se[i, 0]),
            float(smaa.confidence[i]),
            float(smaa.holistic[i]),
        ]
        for i, option in enumerate(smaa.options)
    ]
    blocks.append(
        Table(
            f"SMAA-2 indices ({smaa.samples:,} samples, seed {smaa.seed})",
            [
                "option",
                "first-rank acceptability",
                "± (95%)",
                "confidence factor",
                "holistic acceptability",
            ],
            rows,
            ["text", "pct", "pct", "dec2", "dec3"],
            sheet="SMAA",
        )
    )
    leaves = [c for c in result.sensitivity.criteria if c.is_leaf]
    if leaves:
        blocks.append(Paragraph("One criterion at a time: " + reversal_sentence(result, names)))
        blocks.append(
            charts.tornado(
                f"Weight range within which {names.option(leaves[0].top)} stays first"
                if len(_top(result)) == 1
                else "Weight range within which the first option stays first (a tie: "
                + join_names([names.option(o) for o in _top(result)])
                + ")",
                [names.criterion(c.criterion) for c in leaves],
                [c.weight for c in leaves],
                [c.top_interval[0] for c in leaves],
                [c.top_interval[1] for c in leaves],
            )
        )
    changes: list[list[Cell]] = [
        [
            names.criterion(c.criterion),
            c.weight,
            change.weight,
            names.option(change.overtaker),
            names.option(change.overtaken),
        ]
        for c in result.sensitivity.criteria
        for change in c.rank_changes
    ]
    if changes:
        blocks.append(
            Table(
                "Weights at which ranks change (one criterion at a time)",
                ["criterion", "current weight", "weight at change", "rises above", "option passed"],
                changes,
                ["text", "dec3", "dec3", "text", "text"],
                sheet="Sensitivity",
            )
        )
    central: list[list[Cell]] = []
    for i, option in enumerate(smaa.options):
        row = smaa.central_weights[i]
        if not np.isnan(row).all():
            central.append([names.option(option), *map(float, row)])
    if central:
        blocks.append(
            Table(
                "Central weights: the typical weights that make each option first",
                ["option", *[names.criterion(c) for c in smaa.criteria]],
                central,
                formats("text", ("dec3", len(smaa.criteria))),
                sheet="Central weights",
                wide=len(smaa.criteria) > 6,
            )
        )
    check = result.crosscheck
    methods = list(check.ranks)
    blocks.append(
        Table(
            "Method cross-check: rank of each option under each method (pymcdm)",
            ["option", *methods],
            [[names.option(o), *[check.ranks[m][o] for m in methods]] for o in result.options],
            formats("text", ("int", len(methods))),
            sheet="Cross-check",
        )
    )
    panel_names = {p.id: p.name for p in programme.panels}
    for panel in result.panels:
        values = _panel_values(result, panel.panel)
        if values is not None:
            blocks.append(
                charts.heatmap(
                    f"Scores of the {panel_names.get(panel.panel, panel.panel)} panel",
                    [names.option(o) for o in result.options],
                    [names.criterion(c) for c in result.criteria],
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
    if result.warnings:
        blocks.append(Bullets(list(result.warnings), lead="Points the analysis raised:"))
    return Section("uncertainty", "Uncertainty analysis in full", blocks, part="appendix")
