"""The decision file assembled: every part's engine result, and its documented JSON form.

``decision_file`` runs the engines over a validated programme (with appraised values and the
engagement record when available); ``part_json`` gives one part as plain JSON data for the
command line's ``--json`` and for the web pages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from caseforchange.assurance.status import (
    ItemStatus,
    Readiness,
    applicable_checklists,
    checklist_status,
    readiness,
)
from caseforchange.decision.competition import (
    MergerCheck,
    VerticalFlag,
    merger_check,
    vertical_flags,
)
from caseforchange.decision.equality import OptionEqualitySummary, equality_summary
from caseforchange.decision.finance import (
    FinanceResult,
    TornadoBar,
    ValuePoint,
    appraise_finance,
    tornado,
    value_for_money,
)
from caseforchange.decision.market import MarketPicture, market_picture
from caseforchange.decision.peers import PeerComparison, compare
from caseforchange.decision.risks import ScoredRisk, grade_counts, matrix, score, top_risks
from caseforchange.decision.workforce import OptionStaff, workforce_summary
from caseforchange.domain.consultation import Engagement
from caseforchange.domain.programme import Programme
from caseforchange.domain.reference import DecisionCatalogue as Catalogue
from caseforchange.domain.reference import PeerPicture

#: Identifies the layout of the JSON, so readers can check what they are given.
JSON_FORMAT = "caseforchange.decision/1"
#: The parts a user can ask for, in the order the summary shows them.
PARTS = (
    "finance",
    "workforce",
    "risks",
    "equality",
    "assurance",
    "competition",
    "market",
    "peers",
)


@dataclass
class DecisionFile:
    """Every part's result for one programme; a part absent from the file is None or empty."""

    programme: Programme
    finance: FinanceResult | None
    value_for_money: list[ValuePoint]
    tornados: dict[str, tuple[float, list[TornadoBar]]]
    workforce: list[OptionStaff]
    risks: list[ScoredRisk]
    equality: list[OptionEqualitySummary]
    assurance: list[ItemStatus]
    readiness: Readiness
    mergers: list[MergerCheck]
    vertical: list[VerticalFlag]
    market: MarketPicture | None
    peers: PeerComparison
    recommended: str | None = None
    values: dict[str, float] = field(default_factory=dict)

    def names(self) -> dict[str, str]:
        """Return option and organisation names by id (options win on a clash)."""
        p = self.programme
        return {**{o.id: o.name for o in p.organisations}, **{o.id: o.name for o in p.options}}

    def illustrative(self, part: str) -> bool:
        """Return True when the part (or the whole programme) is marked illustrative."""
        section = getattr(self.programme, part, None)
        flagged = bool(getattr(section, "illustrative", False))
        return flagged or self.programme.provenance.illustrative

    def present(self) -> list[str]:
        """Return the parts the programme file holds (peers and competition always apply)."""
        p = self.programme
        have = {
            "finance": p.finance is not None,
            "workforce": p.workforce is not None,
            "risks": p.risks is not None,
            "equality": p.equality is not None,
            "assurance": p.assurance is not None,
            "competition": True,
            "market": p.market is not None,
            "peers": True,
        }
        return [part for part in PARTS if have[part]]


def decision_file(
    programme: Programme,
    catalogue: Catalogue,
    values: Mapping[str, float] | None = None,
    recommended: str | None = None,
    engagement: Engagement | None = None,
) -> DecisionFile:
    """Return the decision file of ``programme``.

    ``values`` are the appraised values (weighted totals) by option for value for money;
    ``recommended`` is the option the appraisal puts first, for the peer picture.
    """
    p = programme
    finance = appraise_finance(p.finance) if p.finance is not None else None
    points = value_for_money(finance, values) if finance is not None and values else []
    tornados: dict[str, tuple[float, list[TornadoBar]]] = {}
    if p.finance is not None:
        for entry in p.finance.options:
            base, bars = tornado(p.finance, entry.option)
            if bars:
                tornados[entry.option] = (base, bars)
    register = p.risks.risks if p.risks is not None else []
    statuses = [
        s
        for c in applicable_checklists(p, catalogue.checklists)
        for s in checklist_status(c, p, engagement)
    ]
    form = None
    if recommended is not None:
        form = next((o.form for o in p.options if o.id == recommended), None)
    return DecisionFile(
        programme=p,
        finance=finance,
        value_for_money=points,
        tornados=tornados,
        workforce=workforce_summary(p, catalogue.forms, catalogue.tupe),
        risks=[score(r) for r in register],
        equality=equality_summary(p.equality) if p.equality is not None else [],
        assurance=statuses,
        readiness=readiness(statuses),
        mergers=[merger_check(p, o, catalogue.competition) for o in p.options],
        vertical=vertical_flags(p, catalogue.competition),
        market=market_picture(p.market) if p.market is not None else None,
        peers=compare(catalogue.peers, form),
        recommended=recommended,
        values=dict(values or {}),
    )


def _finance_json(d: DecisionFile) -> dict[str, Any]:
    f = d.finance
    if f is None:
        return {"present": False}
    return {
        "present": True,
        "illustrative": d.illustrative("finance"),
        "first_year": f.first_year,
        "years": f.year_labels(),
        "discount_rate": f.rate,
        "envelope_gbp": f.envelope,
        "options": [
            {
                "option": c.option,
                "net_gbp": c.net,
                "revenue_gbp": c.revenue,
                "capital_gbp": c.capital,
                "npc_gbp": c.npc,
                "eac_gbp": c.eac,
                "totals_by_kind_gbp": c.totals_by_kind,
                "transition_by_category_gbp": c.transition_by_category,
                "headroom_gbp": c.headroom,
                "affordable": c.affordable,
                "years_short": [f.year_labels()[t] for t in c.years_short],
            }
            for c in f.options
        ],
        "value_for_money": [
            {
                "option": v.option,
                "value": v.value,
                "npc_gbp": v.npc,
                "dominated_by": list(v.dominated_by),
            }
            for v in d.value_for_money
        ],
        "tornado": {
            option: {
                "npc_gbp": base,
                "bars": [
                    {
                        "assumption": b.assumption,
                        "name": b.name,
                        "low_factor": b.low_factor,
                        "high_factor": b.high_factor,
                        "npc_low_gbp": b.npc_low,
                        "npc_high_gbp": b.npc_high,
                    }
                    for b in bars
                ],
            }
            for option, (base, bars) in d.tornados.items()
        },
    }


def _workforce_json(d: DecisionFile) -> dict[str, Any]:
    return {
        "present": d.programme.workforce is not None,
        "illustrative": d.illustrative("workforce"),
        "options": [
            {
                "option": s.option,
                "wte": s.wte,
                "headcount": s.headcount,
                "headcount_transferring": s.headcount_transferring,
                "headcount_pension_not_assured": s.pension_at_risk,
                "wte_by_destination": s.wte_by_destination,
                "staff_consultation": s.staff_consultation,
                "moves": [
                    {
                        "service": m.move.service,
                        "destination": m.move.destination,
                        "wte": m.move.wte,
                        "headcount": m.move.headcount,
                        "transfer": m.transfer,
                        "tupe": m.tupe.value.value,
                        "tupe_basis": m.tupe.basis,
                        "nhs_pension": m.nhs_pension.value.value,
                        "nhs_pension_basis": m.nhs_pension.basis,
                    }
                    for m in s.moves
                ],
            }
            for s in d.workforce
        ],
    }


def _risks_json(d: DecisionFile) -> dict[str, Any]:
    register = [s.risk for s in d.risks]
    return {
        "present": d.programme.risks is not None,
        "illustrative": d.illustrative("risks"),
        "matrix": matrix(register),
        "residual_matrix": matrix(register, residual=True),
        "grades": grade_counts(register),
        "top": [s.risk.id for s in top_risks(register)],
        "risks": [
            {
                **s.risk.model_dump(mode="json"),
                "score": s.score,
                "grade": s.grade,
                "residual_score": s.residual,
                "residual_grade": s.residual_grade,
            }
            for s in d.risks
        ],
    }


def _equality_json(d: DecisionFile) -> dict[str, Any]:
    eq = d.programme.equality
    return {
        "present": eq is not None,
        "illustrative": d.illustrative("equality"),
        "psed_statement": eq.psed_statement if eq else None,
        "options": [
            {
                "option": s.option,
                "counts": s.counts,
                "impacts": s.impacts,
                "not_assessed": s.not_assessed,
                "negative_without_mitigation": s.negative_without_mitigation,
            }
            for s in d.equality
        ],
    }


def _assurance_json(d: DecisionFile) -> dict[str, Any]:
    return {
        "present": d.programme.assurance is not None,
        "illustrative": d.illustrative("assurance"),
        "ready": d.readiness.ready,
        "counts": d.readiness.counts,
        "items": [
            {
                "checklist": s.checklist,
                "item": s.item.id,
                "text": s.item.text,
                "source": s.item.source,
                "status": s.status.value,
                "decided_from_data": s.decided,
                "recorded_status": s.recorded.value if s.recorded else None,
                "reasons": s.reasons,
                "evidence": [e.model_dump(mode="json", exclude_none=True) for e in s.evidence],
                "owner": s.owner,
                "date": s.date.isoformat() if s.date else None,
            }
            for s in d.assurance
        ],
    }


def _competition_json(d: DecisionFile) -> dict[str, Any]:
    p = d.programme
    return {
        "decision_date": p.decision_date.isoformat() if p.decision_date else None,
        "illustrative": d.illustrative("competition"),
        "mergers": [
            {
                "option": m.option,
                "status": m.status.value,
                "reason": m.reason,
                "combinations": [
                    {
                        "destination": c.destination,
                        "sources": list(c.sources),
                        "bodies": list(c.bodies),
                        "services": list(c.services),
                        "combined_turnover_gbp": c.turnover_gbp,
                    }
                    for c in m.combinations
                ],
            }
            for m in d.mergers
        ],
        "vertical_integration": [
            {
                "option": v.option,
                "destination": v.destination,
                "services": list(v.services),
                "certain": v.certain,
                "reason": v.reason,
                "question": v.question,
                "in_force": v.in_force,
            }
            for v in d.vertical
        ],
    }


def _market_json(d: DecisionFile) -> dict[str, Any]:
    m = d.programme.market
    if m is None or d.market is None:
        return {"present": False}
    return {
        "present": True,
        "illustrative": d.illustrative("market"),
        "by_route": d.market.by_route,
        "by_contestability": d.market.by_contestability,
        "providers": d.market.providers,
        "reviews": [r.model_dump(mode="json") for r in m.reviews],
    }


def _peers_json(d: DecisionFile, peers: PeerPicture) -> dict[str, Any]:
    match = d.peers.share
    return {
        "survey": {
            "title": peers.survey_title,
            "date": peers.survey_date.isoformat(),
            "respondents": peers.respondents,
            "source": peers.survey_source,
            "shares": [s.model_dump(mode="json") for s in peers.shares],
            "priorities": peers.priorities,
        },
        "facts": [f.model_dump(mode="json") for f in peers.facts],
        "recommended_option": d.recommended,
        "recommended_form": d.peers.form,
        "matching_share": match.model_dump(mode="json") if match else None,
    }


def part_json(d: DecisionFile, part: str, catalogue: Catalogue) -> dict[str, Any]:
    """Return one part (or ``summary``: every part) as plain JSON data.

    Raises:
        KeyError: when ``part`` is not ``summary`` or one of :data:`PARTS`.
    """
    builders: dict[str, Callable[[], dict[str, Any]]] = {
        "finance": lambda: _finance_json(d),
        "workforce": lambda: _workforce_json(d),
        "risks": lambda: _risks_json(d),
        "equality": lambda: _equality_json(d),
        "assurance": lambda: _assurance_json(d),
        "competition": lambda: _competition_json(d),
        "market": lambda: _market_json(d),
        "peers": lambda: _peers_json(d, catalogue.peers),
    }
    head = {"format": JSON_FORMAT, "programme": d.programme.id, "part": part}
    if part == "summary":
        return {**head, **{name: build() for name, build in builders.items()}}
    return {**head, part: builders[part]()}
