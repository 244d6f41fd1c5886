"""The programme: one reconfiguration decision and everything recorded about it."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field, NonNegativeFloat, PositiveInt, model_validator

from caseforchange.domain.base import Id, Model, Text
from caseforchange.domain.board import Board
from caseforchange.domain.criteria import CriteriaFramework
from caseforchange.domain.engagement import Activity, Milestone, StakeholderGroup
from caseforchange.domain.options import Option
from caseforchange.domain.organisations import Organisation
from caseforchange.domain.panels import Panel, Score
from caseforchange.domain.services import DependencyRule, Service


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
    board: Board = Field(default_factory=Board)
