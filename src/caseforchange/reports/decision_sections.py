"""The decision file in full, for the Board paper's appendix.

Finance, workforce, risks, equality, assurance, competition, market review and the peer
picture, each with every figure the engines give. The main body carries one short summary of
each part (reports/decision_summary.py) and this appendix the detail the summary leaves out.
"""

from __future__ import annotations

from dataclasses import replace

from caseforchange.appraisal.result import AppraisalResult
from caseforchange.catalogue.reference import decision_catalogue
from caseforchange.chartstyle import Chart
from caseforchange.decision import charts
from caseforchange.decision.view import DecisionFile, decision_file
from caseforchange.domain.consultation import Engagement
from caseforchange.domain.equality import CHARACTERISTIC_LABELS, Characteristic
from caseforchange.domain.programme import Programme
from caseforchange.reports.blocks import (
    Block,
    Bullets,
    Cell,
    Figure,
    Paragraph,
    Section,
    Table,
    formats,
)

#: What the report says above every part whose numbers are illustrative.
ILLUSTRATIVE = "Illustrative figures: {note}"
#: The title of the appendix that holds the decision file in full (the body points to it).
APPENDIX_TITLE = "The decision file in full"


def figure(chart: Chart, width: float = 1.0) -> Figure:
    """Return a decision chart as a report figure taking ``width`` of the text width in print."""
    return chart if width == 1.0 else replace(chart, width=width)


def decision_view(
    programme: Programme,
    result: AppraisalResult | None = None,
    engagement: Engagement | None = None,
) -> DecisionFile:
    """Return the programme's decision file, with appraised values and the leading option.

    ``result`` gives appraised values (value for money) and the leading option (peer picture);
    ``engagement`` lets assurance items about "you said, we did" be decided.
    """
    values = dict(result.totals) if result is not None else None
    recommended = result.ranking[0] if result is not None and result.ranking else None
    return decision_file(programme, decision_catalogue(), values, recommended, engagement)


def illustrative_note(d: DecisionFile, part: str) -> list[Block]:
    """Return the call-out saying a part's figures are illustrative (empty when they are not)."""
    section = getattr(d.programme, part, None)
    note = getattr(section, "note", None) if getattr(section, "illustrative", False) else None
    if note is None and d.programme.provenance.illustrative and section is not None:
        note = d.programme.provenance.note
    return [Paragraph(ILLUSTRATIVE.format(note=note), emphasis=True)] if note else []


def checklist_name(checklist: str) -> str:
    """Return an assurance checklist's name (its id when the catalogue does not hold it)."""
    found = decision_catalogue().checklists.get(checklist)
    return found.name if found else checklist


def _sub(key: str, title: str, blocks: list[Block]) -> Section:
    return Section(key, title, blocks, part="appendix", level=3)


def finance_section(d: DecisionFile) -> Section | None:
    """Return finance in full: method, costs by year and by kind, transition, sensitivity.

    The main body shows net present cost, equivalent annual cost, transition costs and
    affordability by option with the value-for-money chart; this section holds the rest.
    """
    f = d.finance
    if f is None:
        return None
    names = d.names()
    labels = f.year_labels()
    blocks: list[Block] = illustrative_note(d, "finance")
    blocks.append(
        Paragraph(
            f"Costs are discounted at {100 * f.rate:.1f}% a year (the HM Treasury Green Book rate"
            f" unless the file sets another) over {f.years} years from {labels[0]}; the first"
            " year is not discounted. Net cost is costs, transition costs and capital less"
            " income and savings; affordability compares net revenue cost with the"
            " commissioner's envelope each year (capital is funded separately)."
        )
    )
    by_year: list[list[Cell]] = [[names.get(c.option, c.option), *c.revenue] for c in f.options]
    by_year.append(["Commissioner's envelope", *f.envelope])
    blocks.append(
        Table(
            "Net revenue cost by year, against the commissioner's envelope",
            ["option", *labels],
            by_year,
            formats("text", ("gbp", len(labels))),
            sheet="Finance by year",
        )
    )
    kinds = list(f.options[0].totals_by_kind) if f.options else []
    blocks.append(
        Table(
            "Totals over the period by kind (undiscounted)",
            ["option", *kinds],
            [[names.get(c.option, c.option), *c.totals_by_kind.values()] for c in f.options],
            formats("text", ("gbp", len(kinds))),
            sheet="Finance by kind",
        )
    )
    categories = list(f.options[0].transition_by_category) if f.options else []
    blocks.append(
        Table(
            "One-off transition costs by category",
            ["option", *categories],
            [
                [names.get(c.option, c.option), *c.transition_by_category.values()]
                for c in f.options
            ],
            formats("text", ("gbp", len(categories))),
            sheet="Transition costs",
        )
    )
    illustrative = d.illustrative("finance")
    if any(e is not None for e in f.envelope) and f.options:
        blocks.append(
            figure(
                charts.affordability_chart(f, names, illustrative=illustrative, titled=False), 0.85
            )
        )
    for option, (base, bars) in d.tornados.items():
        name = names.get(option, option)
        blocks.append(
            figure(
                charts.cost_tornado_chart(
                    name, base, bars, illustrative=illustrative, titled=False, option_id=option
                ),
                0.7,
            )
        )
    return _sub("decision-finance", "Finance by option", blocks)


def workforce_section(d: DecisionFile) -> Section | None:
    """Return every staff move by option, with TUPE and NHS Pension Scheme access."""
    if not d.workforce:
        return None
    names = d.names()
    services = {s.id: s.name for s in d.programme.services}
    blocks: list[Block] = illustrative_note(d, "workforce")
    blocks.append(
        Table(
            "Moves by service, with TUPE and NHS Pension Scheme access",
            [
                "option",
                "service",
                "destination",
                "WTE",
                "headcount",
                "TUPE",
                "NHS pension",
                "basis",
            ],
            [
                [
                    names.get(s.option, s.option),
                    services.get(m.move.service, m.move.service),
                    names.get(m.move.destination, m.move.destination),
                    m.move.wte,
                    m.move.headcount,
                    m.tupe.value.value,
                    m.nhs_pension.value.value,
                    m.nhs_pension.basis,
                ]
                for s in d.workforce
                for m in s.moves
            ],
            ["text", "text", "text", "dec1", "int", "text", "text", "text"],
            sheet="Staff moves",
            wide=True,
        )
    )
    return _sub("decision-workforce", "Workforce: every staff move", blocks)


def risk_section(d: DecisionFile) -> Section | None:
    """Return the whole risk register, highest score after mitigation first."""
    if d.programme.risks is None:
        return None
    names = d.names()
    register = sorted(d.risks, key=lambda s: (-s.current, -s.score))
    blocks: list[Block] = illustrative_note(d, "risks")
    blocks.append(
        Table(
            "Risk register (highest score after mitigation first, where assessed)",
            [
                "risk",
                "option",
                "category",
                "L×I",
                "grade",
                "after mitigation",
                "owner",
                "mitigation",
            ],
            [
                [
                    s.risk.title,
                    names.get(s.risk.option, s.risk.option) if s.risk.option else "programme-wide",
                    s.risk.category.value,
                    f"{s.risk.likelihood}×{s.risk.impact} = {s.score}",
                    s.grade,
                    None
                    if s.residual is None
                    else f"{s.risk.residual_likelihood}×{s.risk.residual_impact} = "
                    f"{s.residual} ({s.residual_grade})",
                    s.risk.owner,
                    s.risk.mitigation,
                ]
                for s in register
            ],
            sheet="Risk register",
        )
    )
    return _sub("decision-risks", "Risk register", blocks)


def equality_section(d: DecisionFile) -> Section | None:
    """Return the equality impact of every option on every characteristic."""
    eq = d.programme.equality
    if eq is None:
        return None
    names = d.names()
    blocks: list[Block] = illustrative_note(d, "equality")
    blocks.append(
        Table(
            "Impact by protected characteristic (Equality Act 2010) and on health inequalities",
            ["characteristic", *[names.get(s.option, s.option) for s in d.equality]],
            [
                [CHARACTERISTIC_LABELS[c], *[s.impacts[c.value] for s in d.equality]]
                for c in Characteristic
            ],
            sheet="Equality",
        )
    )
    blocks.append(
        Table(
            "Findings: evidence and mitigation",
            ["option", "characteristic", "impact", "evidence", "mitigation"],
            [
                [
                    names.get(o.option, o.option),
                    CHARACTERISTIC_LABELS[f.characteristic],
                    f.impact.value,
                    f.evidence,
                    f.mitigation,
                ]
                for o in eq.options
                for f in o.findings
            ],
            sheet="Equality findings",
        )
    )
    return _sub("decision-equality", "Equality impact by characteristic", blocks)


def assurance_section(d: DecisionFile) -> Section | None:
    """Return every assurance item with its status, why, owner and date."""
    if d.programme.assurance is None:
        return None
    catalogue = decision_catalogue().checklists
    blocks: list[Block] = illustrative_note(d, "assurance")
    blocks.append(
        Table(
            "Every assurance item",
            ["checklist", "item", "status", "why", "owner", "date"],
            [
                [
                    checklist_name(s.checklist),
                    s.item.text,
                    s.status.value.replace("_", " ")
                    + (" (decided from the data)" if s.decided else ""),
                    "; ".join(s.reasons) or None,
                    s.owner,
                    f"{s.date.day} {s.date:%B %Y}" if s.date else None,
                ]
                for s in d.assurance
            ],
            sheet="Assurance items",
        )
    )
    notes = [c.note for cid in d.readiness.counts if (c := catalogue.get(cid)) and c.note]
    if notes:
        blocks.append(Paragraph("About the checklists: " + " ".join(notes)))
    return _sub("decision-assurance", "Assurance: every item", blocks)


def competition_section(d: DecisionFile) -> Section:
    """Return the dated competition checks in full: the merger test and vertical integration."""
    rules = decision_catalogue().competition
    names = d.names()
    blocks: list[Block] = illustrative_note(d, "competition")
    blocks.append(
        Paragraph(
            f"{rules.merger.name}: from {rules.merger.applies_from:%B %Y}, a review on the "
            f"{rules.merger.basis} (threshold £{rules.merger.threshold_gbp / 1e6:,.0f}m). "
            f"Source: {rules.merger.source}."
        )
    )
    blocks.append(
        Table(
            "Merger test by option",
            ["option", "result", "why"],
            [
                [names.get(m.option, m.option), m.status.value.replace("_", " "), m.reason]
                for m in d.mergers
            ],
            sheet="Competition",
        )
    )
    if d.vertical:
        blocks.append(
            Bullets(
                [f"{names.get(v.option, v.option)}: {v.reason}. {v.question}" for v in d.vertical]
            )
        )
    blocks.append(Bullets([f"{c.name}: {c.summary} (source: {c.source})" for c in rules.context]))
    return _sub("decision-competition", "Competition checks", blocks)


def market_section(d: DecisionFile) -> Section | None:
    """Return the commissioner's market review of every service line."""
    m = d.programme.market
    if m is None or d.market is None:
        return None
    services = {s.id: s.name for s in d.programme.services}
    blocks: list[Block] = illustrative_note(d, "market")
    blocks.append(
        Table(
            "Market review by service line",
            ["service", "contestability", "route", "potential providers", "rationale"],
            [
                [
                    services.get(r.service, r.service),
                    r.contestability.value,
                    r.route.value.replace("_", " "),
                    "; ".join(r.potential_providers) or None,
                    r.rationale,
                ]
                for r in m.reviews
            ],
            sheet="Market review",
        )
    )
    return _sub("decision-market", "Market review", blocks)


def peers_section(d: DecisionFile) -> Section:
    """Return the survey of what other provider arms chose (seed 003), and the dated facts."""
    peers = decision_catalogue().peers
    shares: list[list[Cell]] = [[s.label, s.percent / 100] for s in peers.shares]
    shares.append(["other or not reported", d.peers.other_percent / 100])
    blocks: list[Block] = [
        Table(
            f"{peers.survey_title}: intentions of {peers.respondents} provider arms"
            f" ({peers.survey_date:%B %Y})",
            ["intention", "share"],
            shares,
            ["text", "pct"],
            sheet="Peer picture",
        ),
        Paragraph(
            "Their top priorities: "
            + "; ".join(peers.priorities)
            + f". Source: {peers.survey_source}."
        ),
        Bullets([f"{f.title} ({f.date:%B %Y}): {f.summary}" for f in peers.facts]),
    ]
    return _sub("decision-peers", "What other provider arms chose", blocks)


def decision_sections(
    programme: Programme,
    result: AppraisalResult | None = None,
    engagement: Engagement | None = None,
) -> list[Section]:
    """Return the decision file's full sections, one per part present, in reading order.

    Each is an appendix subsection (level 3); :func:`decision_appendix` puts them under one
    appendix heading.
    """
    return decision_parts(decision_view(programme, result, engagement))


def decision_parts(d: DecisionFile) -> list[Section]:
    """Return the full section of each part the decision file holds, in reading order."""
    found = [
        finance_section(d),
        workforce_section(d),
        risk_section(d),
        equality_section(d),
        assurance_section(d),
        competition_section(d),
        market_section(d),
        peers_section(d),
    ]
    return [s for s in found if s is not None]


def decision_appendix(d: DecisionFile) -> list[Section]:
    """Return the appendix 'The decision file in full': its heading, then one part each."""
    intro = Paragraph(
        "The main body gives a one-minute summary of each part of the decision file; this "
        "appendix holds the detail behind those summaries, part by part."
    )
    return [Section("decision-file", APPENDIX_TITLE, [intro], part="appendix"), *decision_parts(d)]


def front_sheet_flags(
    programme: Programme,
    result: AppraisalResult | None = None,
    engagement: Engagement | None = None,
) -> list[str]:
    """Return what the Board must see before anything else from the decision file.

    That is every assurance item found not met (with why), and every competition check that
    calls for a referral to the Co-operation and Competition Panel for the recommended option.
    Returns an empty list when the programme records no assurance and no check applies.
    """
    if programme.assurance is None:
        return []
    d = decision_view(programme, result, engagement)
    flags: list[str] = []
    for s in d.readiness.outstanding:
        if s.status.value != "not_met":
            continue
        name = checklist_name(s.checklist)
        why = "; ".join(s.reasons)
        flags.append(f"Assurance not met ({name}): {s.item.text}" + (f" — {why}" if why else ""))
    return flags
