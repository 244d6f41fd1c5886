"""The decision file in the Board paper's main body: a summary of each part, read in a minute.

Value for money, workforce, risks, equality, assurance, and competition with the market and
the peer picture. Each summary shows what a Board member needs to decide; every further figure
is in the appendix the summaries point to (reports/decision_sections.py).
"""

from __future__ import annotations

from caseforchange.catalogue.reference import decision_catalogue
from caseforchange.decision import charts
from caseforchange.decision.competition import MergerCheck, MergerStatus
from caseforchange.decision.finance import OptionCost
from caseforchange.decision.risks import matrix, top_risks
from caseforchange.decision.view import DecisionFile
from caseforchange.domain.equality import CHARACTERISTIC_LABELS, Characteristic, Impact
from caseforchange.domain.organisations import Tristate
from caseforchange.reports.blocks import (
    Block,
    Bullets,
    Cell,
    Paragraph,
    Section,
    Table,
    join_names,
    plural,
)
from caseforchange.reports.decision_sections import (
    APPENDIX_TITLE,
    checklist_name,
    figure,
    illustrative_note,
)

#: Where every summary sends the reader for the rest.
IN_FULL = f"the appendix '{APPENDIX_TITLE}'"
#: How many risks the summary lists (the register in the appendix holds them all).
TOP_RISKS = 5


def _affordable(cost: OptionCost, labels: list[str]) -> str:
    if cost.affordable is None:
        return "no envelope"
    if cost.affordable:
        return "yes"
    return "no: over in " + ", ".join(labels[t] for t in cost.years_short)


def finance_summary(d: DecisionFile) -> Section:
    """Return value for money and affordability: one table by option and the value chart."""
    f = d.finance
    title = "Value for money and affordability"
    if f is None:
        return Section(
            "finance",
            title,
            [
                Paragraph(
                    "The programme file records no costs by option, so value for money and "
                    "affordability cannot be shown; the services' current budgets are in the "
                    "services table."
                )
            ],
        )
    names = d.names()
    labels = f.year_labels()
    blocks: list[Block] = illustrative_note(d, "finance")
    blocks.append(
        Paragraph(
            f"Net present cost is discounted at {100 * f.rate:.1f}% a year over {f.years} years"
            f" from {labels[0]}; an option is affordable when its net revenue cost is within the"
            " commissioner's envelope every year. Costs by year and by kind, transition costs by"
            f" category and each option's cost sensitivity are in {IN_FULL}."
        )
    )
    blocks.append(
        Table(
            "Cost and affordability by option",
            [
                "option",
                "net present cost",
                "equivalent annual cost",
                "transition costs",
                "affordable every year",
            ],
            [
                [
                    names.get(c.option, c.option),
                    c.npc,
                    c.eac,
                    c.totals_by_kind["transition"],
                    _affordable(c, labels),
                ]
                for c in f.options
            ],
            ["text", "gbp", "gbp", "gbp", "text"],
            sheet="Finance",
        )
    )
    if d.value_for_money:
        chart = charts.value_for_money_chart(
            d.value_for_money,
            names,
            illustrative=d.illustrative("finance"),
            titled=False,
            size=(4.0, 2.3),
        )
        blocks.append(figure(chart, 0.8))
        dominated = [p for p in d.value_for_money if p.dominated_by]
        if dominated:
            blocks.append(
                Paragraph(
                    "Dominated (another option scores at least as well for no more cost): "
                    + "; ".join(
                        f"{names.get(p.option, p.option)} by "
                        + join_names([names.get(o, o) for o in p.dominated_by])
                        for p in dominated
                    )
                    + "."
                )
            )
    return Section("finance", title, blocks)


def workforce_summary(d: DecisionFile) -> Section | None:
    """Return the staff each option moves, with TUPE and pension access, as one table."""
    if not d.workforce:
        return None
    names = d.names()
    blocks: list[Block] = illustrative_note(d, "workforce")
    rows: list[list[Cell]] = []
    for s in d.workforce:
        tupe = sum(m.move.headcount for m in s.moves if m.tupe.value is Tristate.YES)
        rows.append(
            [
                names.get(s.option, s.option),
                s.wte,
                s.headcount,
                s.headcount_transferring,
                tupe,
                s.pension_at_risk,
                s.staff_consultation.replace("_", " "),
            ]
        )
    blocks.append(
        Table(
            "Staff by option (headcount unless WTE)",
            [
                "option",
                "WTE",
                "headcount",
                "changing employer",
                "TUPE applies",
                "NHS pension not assured",
                "staff-side consultation",
            ],
            rows,
            ["text", "dec1", "int", "int", "int", "int", "text"],
            sheet="Workforce",
        )
    )
    blocks.append(
        Paragraph(
            "TUPE and NHS Pension Scheme access follow from each destination's organisational "
            f"form unless the file overrides them with a reason; every move is in {IN_FULL}."
        )
    )
    return Section("workforce", "Workforce", blocks)


def risks_summary(d: DecisionFile, analysis: list[str]) -> Section:
    """Return the risks: what the analysis itself shows, the heat map and the top risks.

    ``analysis`` holds the risks the appraisal itself sees (a lead not robust to the weights,
    broken dependency rules, the organisational form's uncertainties).
    """
    blocks: list[Block] = []
    if analysis:
        blocks.append(Bullets(analysis, lead="From the appraisal itself:"))
    if d.programme.risks is not None and d.risks:
        names = d.names()
        register = [s.risk for s in d.risks]
        blocks += illustrative_note(d, "risks")
        blocks.append(
            figure(
                charts.risk_heatmap_chart(
                    matrix(register),
                    title="Risks before mitigation",
                    illustrative=d.illustrative("risks"),
                    titled=False,
                    size=(3.6, 2.6),
                ),
                0.5,
            )
        )
        top = top_risks(register, TOP_RISKS)
        blocks.append(
            Table(
                f"Top {len(top)} of {plural(len(register), 'risk')} (by score after mitigation"
                " where assessed); the whole register, with owners, is in the appendix",
                ["risk", "option", "score", "after mitigation", "mitigation"],
                [
                    [
                        s.risk.title,
                        names.get(s.risk.option, s.risk.option)
                        if s.risk.option
                        else "programme-wide",
                        f"{s.score} ({s.grade})",
                        None if s.residual is None else f"{s.residual} ({s.residual_grade})",
                        s.risk.mitigation,
                    ]
                    for s in top
                ],
            )
        )
    if not blocks:
        blocks.append(Paragraph("The analysis found no specific risks and no register is kept."))
    return Section("risks", "Risks", blocks)


def equality_summary(d: DecisionFile) -> Section:
    """Return the equality impacts the Board must weigh: negative or unknown, with mitigations.

    Without an equality record, return what the Board should ask for before it decides.
    """
    eq = d.programme.equality
    if eq is None:
        groups = ", ".join(g.name for g in d.programme.stakeholders) or "none recorded"
        return Section(
            "equality",
            "Equality and quality impact",
            [
                Paragraph(
                    "This appraisal does not itself assess equality or quality impact. The "
                    "Board should see an equality impact assessment and a quality impact "
                    "assessment of the preferred option before it decides."
                ),
                Paragraph(f"Stakeholder groups engaged: {groups}."),
            ],
        )
    names = d.names()
    blocks: list[Block] = illustrative_note(d, "equality")
    blocks.append(
        Paragraph(
            "Public sector equality duty: "
            + (eq.psed_statement or "no statement of how the duty was considered is recorded.")
        )
    )
    concerns: list[list[Cell]] = [
        [
            names.get(o.option, o.option),
            CHARACTERISTIC_LABELS[f.characteristic],
            f.impact.value,
            f.mitigation or "none recorded",
        ]
        for o in eq.options
        for f in o.findings
        if f.impact in (Impact.NEGATIVE, Impact.UNKNOWN)
    ]
    if concerns:
        blocks.append(
            Table(
                "Impacts assessed as negative or unknown, with their mitigations",
                ["option", "characteristic", "impact", "mitigation"],
                concerns,
            )
        )
    else:
        blocks.append(Paragraph("No impact is assessed as negative or unknown."))
    gaps = [
        f"{names.get(s.option, s.option)}: {len(s.not_assessed)} of {len(Characteristic)} ("
        + ", ".join(CHARACTERISTIC_LABELS[Characteristic(c)].lower() for c in s.not_assessed)
        + ")"
        for s in d.equality
        if s.not_assessed
    ]
    if gaps:
        blocks.append(Bullets(gaps, lead="Not yet assessed (so unknown):"))
    blocks.append(
        Paragraph(f"Every option's impact on every characteristic, with evidence, is in {IN_FULL}.")
    )
    return Section("equality", "Equality impact", blocks)


def assurance_summary(d: DecisionFile) -> Section | None:
    """Return readiness by checklist and the items found not met."""
    if d.programme.assurance is None:
        return None
    blocks: list[Block] = illustrative_note(d, "assurance")
    blocks.append(
        Table(
            "Readiness by checklist (number of items)",
            ["checklist", "met", "not met", "open", "in progress", "not applicable"],
            [
                [
                    checklist_name(cid),
                    n["met"],
                    n["not_met"],
                    n["open"],
                    n["in_progress"],
                    n["not_applicable"],
                ]
                for cid, n in d.readiness.counts.items()
            ],
            ["text", "int", "int", "int", "int", "int"],
            sheet="Assurance",
        )
    )
    failed = [s for s in d.readiness.outstanding if s.status.value == "not_met"]
    if failed:
        blocks.append(
            Table(
                "Items not met",
                ["checklist", "item", "why"],
                [
                    [checklist_name(s.checklist), s.item.text, "; ".join(s.reasons) or None]
                    for s in failed
                ],
            )
        )
    else:
        blocks.append(Paragraph("No item is found not met."))
    blocks.append(Paragraph(f"Every item, with its owner and why it is open, is in {IN_FULL}."))
    return Section("assurance", "Assurance", blocks)


#: How the summary words each merger-test outcome, in the order it lists them.
_MERGER_WORDS: dict[MergerStatus, str] = {
    MergerStatus.REVIEW_REQUIRED: "a review would be required for",
    MergerStatus.BELOW_THRESHOLD: "combined turnover is below the threshold for",
    MergerStatus.NO_MERGER: "no two existing bodies combine under",
    MergerStatus.TURNOVER_UNKNOWN: "a turnover is not recorded, so the test cannot yet be "
    "applied, for",
    MergerStatus.DATE_UNKNOWN: "the decision date is not recorded, so whether the test "
    "applies is not known, for",
    MergerStatus.NOT_IN_FORCE: "the test was not yet in force at the decision for",
}


def _merger_name(check: MergerCheck, names: dict[str, str]) -> str:
    name = names.get(check.option, check.option)
    known = [c.turnover_gbp for c in check.combinations if c.merges and c.turnover_gbp]
    if check.status in (MergerStatus.REVIEW_REQUIRED, MergerStatus.BELOW_THRESHOLD) and known:
        return f"{name} (£{max(known) / 1e6:,.1f}m)"
    return name


def competition_summary(d: DecisionFile) -> Section:
    """Return the competition checks' outcomes, the market review and the peer picture in words."""
    catalogue = decision_catalogue()
    rule = catalogue.competition.merger
    names = d.names()
    blocks: list[Block] = illustrative_note(d, "competition")
    outcomes = [
        f"{words} {join_names([_merger_name(m, names) for m in found])}"
        for status, words in _MERGER_WORDS.items()
        if (found := [m for m in d.mergers if m.status is status])
    ]
    if outcomes:
        blocks.append(
            Paragraph(
                f"{rule.name} (from {rule.applies_from:%B %Y}, on combined turnover above "
                f"£{rule.threshold_gbp / 1e6:,.0f}m): " + "; ".join(outcomes) + "."
            )
        )
    for v in d.vertical:
        name = names.get(v.option, v.option)
        text = f"Vertical integration: {name} would run services that refer patients to it"
        if not v.certain:
            text = (
                f"Vertical integration: {name} may run services that refer patients to it (no"
                " referrals are recorded for its moving services)"
            )
        if v.in_force is False:
            text += "; context only, as the panel began work after this decision."
        else:
            text += "; the panel would ask whether this limits patients' choice."
        blocks.append(Paragraph(text))
    market = d.programme.market
    if market is not None and d.market is not None:
        routes = "; ".join(
            f"{k.replace('_', ' ')}: {len(v)}" for k, v in d.market.by_route.items() if v
        )
        label = " (illustrative)" if d.illustrative("market") else ""
        providers = join_names(d.market.providers)
        blocks.append(
            Paragraph(
                f"Market review{label}: {plural(len(market.reviews), 'service line')} reviewed, "
                f"by procurement route {routes}"
                + (f"; potential providers named: {providers}" if providers else "")
                + "."
            )
        )
    peers = catalogue.peers
    if d.recommended:
        name = names.get(d.recommended, d.recommended)
        share = d.peers.share
        said = (
            f"{share.percent:g}% of them intended {share.label.lower()}, the kind of provider "
            f"{name}, which this appraisal puts first, would be."
            if share
            else f"the survey did not report the form of {name}, which this appraisal puts "
            "first, separately."
        )
        blocks.append(
            Paragraph(
                f"Other provider arms: in the {peers.survey_title} of {peers.respondents} "
                f"provider arms ({peers.survey_date:%B %Y}), {said}"
            )
        )
    blocks.append(
        Paragraph(
            f"The tests' sources and reasons, the market review by service line and the survey "
            f"in full are in {IN_FULL}."
        )
    )
    return Section("competition", "Competition and the market", blocks)


def decision_summaries(d: DecisionFile, analysis: list[str]) -> list[Section]:
    """Return the main body's sections on the decision file, in reading order.

    Value for money, workforce, risks (with ``analysis``, the risks the appraisal itself
    sees), equality, assurance, then competition with the market and the peer picture.
    Workforce and assurance appear only when the programme records them.
    """
    found = [
        finance_summary(d),
        workforce_summary(d),
        risks_summary(d, analysis),
        equality_summary(d),
        assurance_summary(d),
        competition_summary(d),
    ]
    return [s for s in found if s is not None]
