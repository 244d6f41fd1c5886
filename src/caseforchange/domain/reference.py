"""Reference data the decision file is checked against: checklists, competition rules, peers.

These records describe the built-in catalogue (``catalogue/*.yaml``); every one names its
source and, where it matters, the date from which it applied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from pydantic import Field, NonNegativeFloat

from caseforchange.domain.base import Id, Model, Text
from caseforchange.domain.organisations import OrganisationalForm, Tristate


class DataRule(StrEnum):
    """Assurance rules the engine can decide from the programme's own data."""

    CONSULTATION_LENGTH = "consultation_length"
    RESPONSES_ANALYSED = "responses_analysed"
    YOU_SAID_WE_DID = "you_said_we_did"


class ChecklistItem(Model):
    """One test or criterion on a checklist, with its source and any rules that decide it."""

    id: Id
    text: Text
    source: Text
    rules: list[DataRule] = Field(default_factory=list)


class Checklist(Model):
    """A built-in assurance checklist."""

    id: Id
    name: Text
    source: Text
    date: dt.date | None = None
    note: str | None = None
    items: list[ChecklistItem] = Field(min_length=1)


class MergerRule(Model):
    """A merger review test on the combined turnover of the bodies that would merge."""

    id: Id
    name: Text
    applies_from: dt.date
    threshold_gbp: NonNegativeFloat
    basis: Text
    source: Text


class ContextRule(Model):
    """A competition rule or principle shown as context, with the question it asks."""

    id: Id
    name: Text
    applies_from: dt.date | None = None
    summary: Text
    question: str | None = None
    source: Text


class CompetitionRules(Model):
    """The competition catalogue: the merger test, the vertical-integration question, context."""

    merger: MergerRule
    vertical_integration: ContextRule
    context: list[ContextRule] = Field(default_factory=list)


class Share(Model):
    """One answer's share of a survey."""

    label: Text
    percent: NonNegativeFloat
    forms: list[Id] = Field(default_factory=list)


class PeerFact(Model):
    """A dated fact about what other provider arms or the centre did, with its source."""

    id: Id
    title: Text
    date: dt.date
    summary: Text
    source: Text
    figures: dict[str, float] = Field(default_factory=dict)


class PeerPicture(Model):
    """The peer picture: the 2009 survey of provider arms and related national facts."""

    survey_title: Text
    survey_date: dt.date
    respondents: int
    survey_source: Text
    shares: list[Share]
    priorities: list[Text]
    facts: list[PeerFact] = Field(default_factory=list)


class TupeRule(Model):
    """Whether staff transfer rules apply when services move to a form, and why."""

    form: Id
    tupe: Tristate
    note: Text
    source: Text


@dataclass(frozen=True)
class DecisionCatalogue:
    """The reference data the decision engines need, passed in so the engines stay pure."""

    forms: Mapping[str, OrganisationalForm]
    tupe: Mapping[str, TupeRule]
    checklists: Mapping[str, Checklist]
    competition: CompetitionRules
    peers: PeerPicture
