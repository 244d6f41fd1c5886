"""The programme: one reconfiguration decision and everything recorded about it."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import (
    Field,
    NonNegativeFloat,
    PositiveInt,
    ValidationInfo,
    field_validator,
    model_validator,
)

from caseforchange.domain.assurance import Assurance
from caseforchange.domain.base import Id, Model, Text
from caseforchange.domain.board import Board
from caseforchange.domain.criteria import CriteriaFramework
from caseforchange.domain.engagement import (
    Activity,
    DatePrecision,
    Milestone,
    StakeholderGroup,
    check_precision,
)
from caseforchange.domain.equality import Equality
from caseforchange.domain.finance import Finance
from caseforchange.domain.market import Competition, Market
from caseforchange.domain.options import Option
from caseforchange.domain.organisations import Organisation
from caseforchange.domain.panels import Panel, Score
from caseforchange.domain.risks import RiskRegister
from caseforchange.domain.services import DependencyRule, Service
from caseforchange.domain.workforce import Workforce


class Provenance(Model):
    """Where the programme's facts come from, and whether its numbers are illustrative."""

    sources: list[Text] = Field(default_factory=list)
    illustrative: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _note_when_illustrative(self) -> Provenance:
        if self.illustrative and not self.note:
            raise ValueError("illustrative data needs a note saying what is illustrative")
        return self


class Aggregation(StrEnum):
    """How members' scores are combined within a panel."""

    MEAN = "mean"
    MEDIAN = "median"
    GEOMETRIC_MEAN = "geometric_mean"


class WeightInformation(StrEnum):
    """What SMAA assumes about the weights."""

    EXACT = "exact"
    NONE = "none"
    RANKING = "ranking"
    INTERVALS = "intervals"


class AppraisalSettings(Model):
    """Choices for running the appraisal: aggregation, sampling and weight information."""

    aggregation: Aggregation = Aggregation.MEAN
    samples: PositiveInt = 10_000
    seed: int = 2010
    weight_information: WeightInformation = WeightInformation.NONE
    weight_intervals: dict[Id, tuple[NonNegativeFloat, NonNegativeFloat]] = Field(
        default_factory=dict
    )


class Timetable(Model):
    """The programme's start and end."""

    start: dt.date | None = None
    end: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Timetable:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class Programme(Model):
    """One decision about who runs a community's health services."""

    id: Id
    title: Text
    commissioner: Id
    scope: Text
    decision_date: dt.date | None = None
    decision_date_precision: DatePrecision = DatePrecision.DAY
    decision: str | None = None
    """What the paper asks for, e.g. 'to agree the preferred options to put to the SHA'."""
    decision_body: str | None = None
    """Who the paper goes to (the Board unless stated), e.g. an Executive or key partners."""

    @field_validator("decision_date_precision")
    @classmethod
    def _decision_precise(cls, value: DatePrecision, info: ValidationInfo) -> DatePrecision:
        return check_precision(value, info, "decision_date")

    timetable: Timetable = Field(default_factory=Timetable)
    characteristics: list[Text] = Field(default_factory=list)
    provenance: Provenance = Field(default_factory=Provenance)
    organisations: list[Organisation] = Field(default_factory=list)
    services: list[Service] = Field(default_factory=list)
    dependencies: list[DependencyRule] = Field(default_factory=list)
    options: list[Option] = Field(default_factory=list)
    framework: CriteriaFramework
    panels: list[Panel] = Field(default_factory=list)
    appraisal: AppraisalSettings = Field(default_factory=AppraisalSettings)
    stakeholders: list[StakeholderGroup] = Field(default_factory=list)
    activities: list[Activity] = Field(default_factory=list)
    milestones: list[Milestone] = Field(default_factory=list)
    scores: list[Score] = Field(default_factory=list)
    # The decision file: optional parts a Board needs beside the scores (docs/decision.md).
    finance: Finance | None = None
    workforce: Workforce | None = None
    risks: RiskRegister | None = None
    equality: Equality | None = None
    assurance: Assurance | None = None
    market: Market | None = None
    competition: Competition | None = None
    board: Board = Field(default_factory=Board)
