"""Assurance status from data: checklist items, their recorded status, and what data decides.

Items whose catalogue entry names ``rules`` are decided from the programme (and its
engagement file, when given) whenever a written consultation is recorded: a consultation
shorter than the minimum, no analysis of responses, or no "you said, we did" record makes the
item not met. The recorded status stands for every other item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from caseforchange.domain.assurance import AssuranceItem, AssuranceStatus, Evidence, EvidenceKind
from caseforchange.domain.consultation import Engagement
from caseforchange.domain.engagement import ActivityKind
from caseforchange.domain.programme import Programme
from caseforchange.domain.reference import Checklist, ChecklistItem, DataRule
from caseforchange.engagement.plan import consultation_days

#: The order in which decided statuses combine: the worst wins.
_SEVERITY = {AssuranceStatus.NOT_MET: 0, AssuranceStatus.OPEN: 1, AssuranceStatus.MET: 2}


@dataclass(frozen=True)
class Decision:
    """What one data rule found: a status, the reason, and the evidence it rests on."""

    rule: DataRule
    status: AssuranceStatus
    reason: str
    evidence: tuple[Evidence, ...] = ()


@dataclass
class ItemStatus:
    """One checklist item's status, recorded or decided from data, with its evidence."""

    checklist: str
    item: ChecklistItem
    status: AssuranceStatus
    decided: bool
    reasons: list[str]
    evidence: list[Evidence] = field(default_factory=list)
    owner: str | None = None
    date: dt.date | None = None
    recorded: AssuranceStatus | None = None
    """The status a person recorded, kept beside a status decided from data so both show."""


def _written(programme: Programme) -> list[tuple[int, str, int | None]]:
    return [
        (i, a.id, consultation_days(a))
        for i, a in enumerate(programme.activities)
        if a.kind is ActivityKind.WRITTEN_CONSULTATION
    ]


def decide(
    rule: DataRule, programme: Programme, engagement: Engagement | None, minimum_weeks: int
) -> Decision | None:
    """Return what ``rule`` finds in the data, or None when no written consultation is recorded.

    Raises nothing: a rule that cannot tell returns an ``open`` decision with the reason.
    """
    written = _written(programme)
    if not written:
        return None
    links = tuple(Evidence(kind=EvidenceKind.ACTIVITY, ref=aid) for _, aid, _ in written)
    if rule is DataRule.CONSULTATION_LENGTH:
        short = [(aid, d) for _, aid, d in written if d is not None and d < minimum_weeks * 7]
        undated = [aid for _, aid, d in written if d is None]
        if short:
            text = "; ".join(f"{aid} runs {d / 7:.1f} weeks" for aid, d in short)
            return Decision(
                rule,
                AssuranceStatus.NOT_MET,
                f"written consultation shorter than {minimum_weeks} weeks: {text}",
                links,
            )
        if undated:
            return Decision(
                rule,
                AssuranceStatus.OPEN,
                f"written consultation without start and end dates: {', '.join(undated)}",
                links,
            )
        return Decision(
            rule,
            AssuranceStatus.MET,
            f"every written consultation runs {minimum_weeks} weeks or more",
            links,
        )
    if rule is DataRule.RESPONSES_ANALYSED:
        items = programme.assurance.items if programme.assurance else []
        analyses = tuple(
            e for i in items for e in i.evidence if e.kind is EvidenceKind.CONSULTATION_ANALYSIS
        )
        if not analyses:
            return Decision(
                rule, AssuranceStatus.NOT_MET, "no analysis of consultation responses is recorded"
            )
        return Decision(rule, AssuranceStatus.MET, "an analysis of responses is recorded", analyses)
    records = engagement.you_said_we_did if engagement else []
    if not records:
        return Decision(rule, AssuranceStatus.NOT_MET, 'no "you said, we did" record is kept')
    n = len(records)
    said = '1 "you said, we did" response is' if n == 1 else f'{n} "you said, we did" responses are'
    return Decision(rule, AssuranceStatus.MET, f"{said} recorded")


def checklist_status(
    checklist: Checklist,
    programme: Programme,
    engagement: Engagement | None = None,
    minimum_weeks: int | None = None,
) -> list[ItemStatus]:
    """Return every item of ``checklist`` with its status, in catalogue order.

    Recorded items keep their status, evidence, owner and date; decided items take the worst
    of their rules' findings and add the rules' evidence. ``minimum_weeks`` defaults to the
    engagement settings' minimum (12 weeks without an engagement file).
    """
    weeks = minimum_weeks or (engagement.settings.minimum_consultation_weeks if engagement else 12)
    recorded: Mapping[str, AssuranceItem] = {
        i.item: i
        for i in (programme.assurance.items if programme.assurance else [])
        if i.checklist == checklist.id
    }
    out = []
    for item in checklist.items:
        record = recorded.get(item.id)
        status = record.status if record else AssuranceStatus.OPEN
        evidence = list(record.evidence) if record else []
        reasons = [record.note] if record and record.note else []
        found = [d for d in (decide(r, programme, engagement, weeks) for r in item.rules) if d]
        if found:
            status = min((d.status for d in found), key=_SEVERITY.__getitem__)
            reasons = [d.reason for d in found] + reasons
            evidence += [e for d in found for e in d.evidence if e not in evidence]
        out.append(
            ItemStatus(
                checklist.id,
                item,
                status,
                bool(found),
                reasons,
                evidence,
                record.owner if record else None,
                record.date if record else None,
                record.status if record else None,
            )
        )
    return out


@dataclass
class Readiness:
    """How far each checklist has got, and what is still open or not met."""

    counts: dict[str, dict[str, int]]
    outstanding: list[ItemStatus]

    @property
    def ready(self) -> bool:
        """True when nothing is open, in progress or not met."""
        return not self.outstanding


def applicable_checklists(
    programme: Programme, catalogue: Mapping[str, Checklist]
) -> list[Checklist]:
    """Return the checklists the programme answers to: those it names, else every one."""
    named = programme.assurance.checklists if programme.assurance else []
    return [catalogue[c] for c in named if c in catalogue] or list(catalogue.values())


def readiness(statuses: list[ItemStatus]) -> Readiness:
    """Return counts by checklist and status, and the items not yet met or not applicable."""
    counts: dict[str, dict[str, int]] = {}
    for s in statuses:
        row = counts.setdefault(s.checklist, {v.value: 0 for v in AssuranceStatus})
        row[s.status.value] += 1
    done = {AssuranceStatus.MET, AssuranceStatus.NOT_APPLICABLE}
    return Readiness(counts, [s for s in statuses if s.status not in done])
