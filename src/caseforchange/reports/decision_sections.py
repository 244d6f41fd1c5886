"""Report sections of the decision file: finance, workforce, risks, equality, assurance,
competition, market review and the peer picture.

``decision_sections`` returns one section per part the programme holds (competition and the
peer picture always apply); the case-for-change report and the Board paper both call it.
"""

from __future__ import annotations

from caseforchange.appraisal.result import AppraisalResult
from caseforchange.catalogue.reference import decision_catalogue
from caseforchange.chartstyle import Chart
from caseforchange.decision import charts
from caseforchange.decision.risks import matrix, top_risks
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


def figure(chart: Chart) -> Figure:
    """Return a decision chart as a report figure: the one chart record (SVG, PNG, alt, data)."""
    return chart


def _illustrative(d: DecisionFile, part: str) -> list[Block]:
    section = getattr(d.programme, part, None)
    note = getattr(section, "note", None) if getattr(section, "illustrative", False) else None
    if note is None and d.programme.provenance.illustrative and section is not None:
        note = d.programme.provenance.note
    return [Paragraph(ILLUSTRATIVE.format(note=note), emphasis=True)] if note else []


def finance_section(d: DecisionFile) -> Section | None:
    """Return finance by option: NPC, EAC, transition costs, affordability, value for money."""
    f = d.finance
    if f is None:
        return None
    names = d.names()
    labels = f.year_labels()
    blocks: list[Block] = _illustrative(d, "finance")
    blocks.append(
        Paragraph(
            f"Costs are discounted at {100 * f.rate:.1f}% a year (the HM Treasury Green Book rate"
            f" unless the file sets another) over {f.years} years from {labels[0]}; the first"
            " year is not discounted. Net cost is costs, transition costs and capital less"
            " income and savings; affordability compares net revenue cost with the"
            " commissioner's envelope each year (capital is funded separately)."
        )
    )
    rows: list[list[Cell]] = [
        [
            names.get(c.option, c.option),
            c.npc,
            c.eac,
            c.totals_by_kind["transition"],
            {True: "yes", False: "no", None: "no envelope"}[c.affordable],
            ", ".join(labels[t] for t in c.years_short) or None,
        ]
        for c in f.options
    ]
    blocks.append(
        Table(
            "Net present cost and affordability by option",
            [
                "option",
                "net present cost",
                "equivalent annual cost",
                "transition costs",
                "affordable every year",
                "years over the envelope",
            ],
            rows,
            ["text", "gbp", "gbp", "gbp", "text", "text"],
            sheet="Finance",
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
        blocks.append(figure(charts.affordability_chart(f, names, illustrative=illustrative)))
    if d.value_for_money:
        blocks.append(
            figure(
                charts.value_for_money_chart(d.value_for_money, names, illustrative=illustrative)
            )
        )
        dominated = [p for p in d.value_for_money if p.dominated_by]
        if dominated:
            blocks.append(
                Bullets(
                    [
                        f"{names.get(p.option, p.option)} is dominated: "
                        + ", ".join(names.get(o, o) for o in p.dominated_by)
                        + " scores at least as well for no more cost."
                        for p in dominated
                    ]
                )
            )
    if d.recommended in d.tornados:
        base, bars = d.tornados[d.recommended]
        name = names.get(d.recommended, d.recommended)
        blocks.append(
            figure(charts.cost_tornado_chart(name, base, bars, illustrative=illustrative))
        )
    return Section("decision-finance", "Finance by option", blocks)


def workforce_section(d: DecisionFile) -> Section | None:
    """Return staff moving by option, with TUPE and NHS Pension Scheme access."""
    if not d.workforce:
        return None
    names = d.names()
    blocks: list[Block] = _illustrative(d, "workforce")
    blocks.append(
        Table(
            "Staff moving by option",
            [
                "option",
                "WTE",
                "headcount",
                "changing employer",
                "pension access not assured",
                "staff-side consultation",
            ],
            [
                [
                    names.get(s.option, s.option),
                    s.wte,
                    s.headcount,
                    s.headcount_transferring,
                    s.pension_at_risk,
                    s.staff_consultation.replace("_", " "),
                ]
                for s in d.workforce
            ],
            ["text", "dec1", "int", "int", "int", "text"],
            sheet="Workforce",
        )
    )
    blocks.append(
        Table(
            "Moves by service, with TUPE and NHS Pension Scheme access",
            ["option", "service", "destination", "WTE", "TUPE", "NHS pension", "basis"],
            [
                [
                    names.get(s.option, s.option),
                    m.move.service,
                    names.get(m.move.destination, m.move.destination),
                    m.move.wte,
                    m.tupe.value.value,
                    m.nhs_pension.value.value,
                    m.nhs_pension.basis,
                ]
                for s in d.workforce
                for m in s.moves
            ],
            ["text", "text", "text", "dec1", "text", "text", "text"],
            sheet="Staff moves",
        )
    )
    return Section("decision-workforce", "Workforce", blocks)


def risk_section(d: DecisionFile) -> Section | None:
    """Return the risk register: the 5x5 heat map, the top risks and every risk."""
    if d.programme.risks is None:
        return None
    names = d.names()
    register = [s.risk for s in d.risks]
    blocks: list[Block] = _illustrative(d, "risks")
    if register:
        blocks.append(
            figure(
                charts.risk_heatmap_chart(
                    matrix(register),
                    title="Risks before mitigation",
                    illustrative=d.illustrative("risks"),
                )
            )
        )
    blocks.append(
        Table(
            "Top risks (by score after mitigation where assessed)",
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
                    names.get(s.risk.option, "programme-wide")
                    if s.risk.option
                    else "programme-wide",
                    s.risk.category.value,
                    s.score,
                    s.grade,
                    None if s.residual is None else f"{s.residual} ({s.residual_grade})",
                    s.risk.owner,
                    s.risk.mitigation,
                ]
                for s in top_risks(register)
            ],
            ["text", "text", "text", "int", "text", "text", "text", "text"],
            sheet="Risks",
        )
    )
    return Section("decision-risks", "Risk register", blocks)


def equality_section(d: DecisionFile) -> Section | None:
    """Return the equality impact by option and the public sector equality duty statement."""
    eq = d.programme.equality
    if eq is None:
        return None
    names = d.names()
    blocks: list[Block] = _illustrative(d, "equality")
    blocks.append(
        Paragraph(
            "Public sector equality duty: "
            + (eq.psed_statement or "no statement of how the duty was considered is recorded.")
        )
    )
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
    gaps = [
        f"{names.get(s.option, s.option)}: negative impact without a mitigation on "
        + ", ".join(CHARACTERISTIC_LABELS[Characteristic(c)] for c in s.negative_without_mitigation)
        for s in d.equality
        if s.negative_without_mitigation
    ] + [
        f"{names.get(s.option, s.option)}: {len(s.not_assessed)} of 10 not yet assessed"
        for s in d.equality
        if s.not_assessed
    ]
    if gaps:
        blocks.append(Bullets(gaps))
    return Section("decision-equality", "Equality impact", blocks)


def assurance_section(d: DecisionFile) -> Section | None:
    """Return the assurance checklists' readiness and what is still open."""
    if d.programme.assurance is None:
        return None
    catalogue = decision_catalogue().checklists
    blocks: list[Block] = _illustrative(d, "assurance")
    blocks.append(
        Table(
            "Readiness by checklist",
            ["checklist", "met", "not met", "open", "in progress", "not applicable"],
            [
                [
                    catalogue[cid].name if cid in catalogue else cid,
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
    blocks.append(
        Table(
            "Items not yet met",
            ["checklist", "item", "status", "why", "owner"],
            [
                [
                    s.checklist,
                    s.item.text,
                    s.status.value.replace("_", " ")
                    + (" (decided from the data)" if s.decided else ""),
                    "; ".join(s.reasons) or None,
                    s.owner,
                ]
                for s in d.readiness.outstanding
            ],
            sheet="Assurance open",
        )
    )
    notes = [c.note for cid in d.readiness.counts if (c := catalogue.get(cid)) and c.note]
    if notes:
        blocks.append(Paragraph("About the checklists: " + " ".join(notes)))
    return Section("decision-assurance", "Assurance", blocks)


def competition_section(d: DecisionFile) -> Section:
    """Return the dated competition checks: the merger test and vertical integration."""
    rules = decision_catalogue().competition
    names = d.names()
    blocks: list[Block] = _illustrative(d, "competition")
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
    return Section("decision-competition", "Competition", blocks)


def market_section(d: DecisionFile) -> Section | None:
    """Return the commissioner's market review of service lines."""
    m = d.programme.market
    if m is None or d.market is None:
        return None
    services = {s.id: s.name for s in d.programme.services}
    blocks: list[Block] = _illustrative(d, "market")
    routes = {k.replace("_", " "): len(v) for k, v in d.market.by_route.items() if v}
    blocks.append(
        Paragraph(
            "Procurement routes: "
            + "; ".join(f"{k}: {n} service line(s)" for k, n in routes.items())
            + "."
        )
    )
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
    return Section("decision-market", "Market review", blocks)


def peers_section(d: DecisionFile) -> Section:
    """Return what other provider arms chose (seed 003) beside this programme's recommendation."""
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
    ]
    if d.recommended:
        name = d.names().get(d.recommended, d.recommended)
        share = d.peers.share
        blocks.append(
            Paragraph(
                f"This appraisal puts {name} first"
                + (
                    f": {share.label.lower()} was the intention of {share.percent:g}% of the"
                    " provider arms surveyed."
                    if share
                    else "; the survey did not report this form separately."
                )
            )
        )
    blocks.append(Bullets([f"{f.title} ({f.date:%B %Y}): {f.summary}" for f in peers.facts]))
    return Section("decision-peers", "What other provider arms chose", blocks)


def decision_sections(
    programme: Programme,
    result: AppraisalResult | None = None,
    engagement: Engagement | None = None,
) -> list[Section]:
    """Return the decision file's report sections, one per part present, in reading order.

    ``result`` gives appraised values (value for money) and the leading option (peer picture);
    ``engagement`` lets assurance items about "you said, we did" be decided.
    """
    values = dict(result.totals) if result is not None else None
    recommended = result.ranking[0] if result is not None and result.ranking else None
    d = decision_file(programme, decision_catalogue(), values, recommended, engagement)
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
    values = dict(result.totals) if result is not None else None
    recommended = result.ranking[0] if result is not None and result.ranking else None
    d = decision_file(programme, decision_catalogue(), values, recommended, engagement)
    catalogue = decision_catalogue().checklists
    flags: list[str] = []
    for s in d.readiness.outstanding:
        if s.status.value != "not_met":
            continue
        name = catalogue[s.checklist].name if s.checklist in catalogue else s.checklist
        why = "; ".join(s.reasons)
        flags.append(f"Assurance not met ({name}): {s.item.text}" + (f" — {why}" if why else ""))
    return flags
