"""Assurance: the status of checklist items, with evidence pointing at parts of the programme."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field, model_validator

from caseforchange.domain.base import Id, Illustrated, Model, Text


class AssuranceStatus(StrEnum):
    """Where an assurance item stands."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    MET = "met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"


class EvidenceKind(StrEnum):
    """What a piece of evidence points at."""

    ACTIVITY = "activity"
    MILESTONE = "milestone"
    OPTION = "option"
    RISK = "risk"
    CONSULTATION_ANALYSIS = "consultation_analysis"
    APPRAISAL = "appraisal"
    DOCUMENT = "document"


#: Evidence kinds whose ``ref`` must name a record of the programme.
CHECKED_EVIDENCE = frozenset(
    {EvidenceKind.ACTIVITY, EvidenceKind.MILESTONE, EvidenceKind.OPTION, EvidenceKind.RISK}
)


class Evidence(Model):
    """A link from an assurance item to the part of the programme that supports it."""

    kind: EvidenceKind
    ref: Text
    note: str | None = None


class AssuranceItem(Model):
    """The recorded status of one catalogue checklist item."""

    checklist: Id
    item: Id
    status: AssuranceStatus = AssuranceStatus.OPEN
    evidence: list[Evidence] = Field(default_factory=list)
    owner: str | None = None
    date: dt.date | None = None
    note: str | None = None


class Assurance(Illustrated):
    """The checklists a programme answers to and the recorded status of their items."""

    checklists: list[Id] = Field(default_factory=list)
    items: list[AssuranceItem] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> Assurance:
        seen = [(i.checklist, i.item) for i in self.items]
        if len(set(seen)) != len(seen):
            raise ValueError("an item is recorded twice for the same checklist")
        return self
