"""Engagement data kept beside the programme in ``engagement.yaml``.

Settings for the plan checks, workshops (tables, participants by role and organisation,
outputs), questionnaires, ballots and the "you said, we did" record. Participants are named by
role and organisation only: example data never holds private names.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import Field, NonNegativeInt, PositiveInt, field_validator, model_validator

from caseforchange.domain.base import Id, Model, Text

#: The three workshop questions used at the Leicester event (our wording).
DEFAULT_QUESTIONS: tuple[str, ...] = (
    "What are the advantages of the proposed option, and how does it meet the criteria?",
    "What issues or disadvantages could the proposed option bring?",
    "What variations or mitigations would address those issues?",
)


class Period(Model):
    """A named span of dates, both ends included (e.g. a pre-election period)."""

    name: Text
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class EngagementSettings(Model):
    """Thresholds and calendars the plan checks use."""

    minimum_consultation_weeks: PositiveInt = 12
    pre_election_periods: list[Period] = Field(default_factory=list)
    #: Milestones that need an update letter; ``None`` means every milestone does.
    letter_milestones: list[Id] | None = None


class Role(StrEnum):
    """What a person does at a workshop table."""

    FACILITATOR = "facilitator"
    SCRIBE = "scribe"
    PARTICIPANT = "participant"


class Participant(Model):
    """A workshop attendee, identified by a label such as "Participant 3, UHL", never by name."""

    id: Id
    role: Role = Role.PARTICIPANT
    organisation: Id
    label: str | None = None
    #: A further attribute to mix across tables, e.g. "clinician", "manager", "GP".
    profession: str | None = None
    #: The table the person sat at when the workshop ran, if recorded.
    table: Id | None = None


class OutputKind(StrEnum):
    """The three kinds of workshop output, one per workshop question."""

    ADVANTAGE = "advantage"
    ISSUE = "issue"
    MITIGATION = "mitigation"


class WorkshopOutput(Model):
    """One point captured by a table's scribe."""

    id: Id
    kind: OutputKind
    text: Text
    table: Id | None = None
    category: Id | None = None
    option: Id | None = None
    #: For a mitigation: the id of the issue it answers.
    responds_to: Id | None = None

    @model_validator(mode="after")
    def _responds_only_for_mitigations(self) -> WorkshopOutput:
        if self.responds_to is not None and self.kind is not OutputKind.MITIGATION:
            raise ValueError("only a mitigation can respond to an issue")
        return self


class Category(Model):
    """A category for coding workshop outputs, when not taken from the criteria framework."""

    id: Id
    name: Text


class Workshop(Model):
    """A stakeholder workshop: its tables, who came, the questions and what was said."""

    id: Id
    title: Text
    date: dt.date | None = None
    activity: Id | None = None
    tables: list[Id] = Field(min_length=1)
    questions: list[Text] = Field(default_factory=lambda: list(DEFAULT_QUESTIONS))
    #: Categories for coding outputs; empty means the programme framework's criteria.
    categories: list[Category] = Field(default_factory=list)
    #: Bodies that attended but are not programme organisations (e.g. an independent consultant).
    other_organisations: list[Category] = Field(default_factory=list)
    participants: list[Participant] = Field(default_factory=list)
    keep_apart: list[tuple[Id, Id]] = Field(default_factory=list)
    keep_together: list[tuple[Id, Id]] = Field(default_factory=list)
    outputs: list[WorkshopOutput] = Field(default_factory=list)
    illustrative: bool = False
    note: str | None = None


class QuestionType(StrEnum):
    """How a questionnaire item is answered."""

    CLOSED = "closed"
    OPEN = "open"
    MULTI_SELECT = "multi_select"
    DEMOGRAPHIC = "demographic"


class Question(Model):
    """One item of a questionnaire; closed and multi-select items list their options."""

    id: Id
    text: Text
    type: QuestionType
    options: list[Text] = Field(default_factory=list)

    @field_validator("options", mode="before")
    @classmethod
    def _no_yaml_booleans(cls, value: Any) -> Any:
        if isinstance(value, list) and any(isinstance(v, bool) for v in value):
            raise ValueError(
                "an option was read as true/false: YAML treats Yes, No, On and Off as "
                'booleans, so put such options in quotes ("Yes")'
            )
        return value

    @model_validator(mode="after")
    def _options_when_closed(self) -> Question:
        needs = self.type in (QuestionType.CLOSED, QuestionType.MULTI_SELECT)
        if needs and len(self.options) < 2:
            raise ValueError(f"a {self.type.value} question needs at least two options")
        if self.type is QuestionType.OPEN and self.options:
            raise ValueError("an open question has no options")
        if len(set(self.options)) != len(self.options):
            raise ValueError("options are repeated")
        return self


class Questionnaire(Model):
    """A written-consultation questionnaire."""

    id: Id
    title: Text
    activity: Id | None = None
    questions: list[Question] = Field(min_length=1)

    def question(self, question_id: str) -> Question | None:
        """Return the question with this id, or None."""
        return next((q for q in self.questions if q.id == question_id), None)


class BallotChoice(Model):
    """One answer on a ballot paper, optionally tied to a programme option."""

    id: Id
    label: Text
    option: Id | None = None


class BallotResult(Model):
    """The votes of one stakeholder group, by choice id."""

    group: Id
    counts: dict[Id, NonNegativeInt]


class Ballot(Model):
    """A ballot or a closed question whose results are recorded as counts per group."""

    id: Id
    title: Text
    question: Text
    activity: Id | None = None
    choices: list[BallotChoice] = Field(min_length=2)
    results: list[BallotResult] = Field(default_factory=list)
    illustrative: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Ballot:
        ids = [c.id for c in self.choices]
        if len(set(ids)) != len(ids):
            raise ValueError("choice ids are repeated")
        if self.illustrative and not self.note:
            raise ValueError("illustrative results need a note saying what is illustrative")
        return self


class YouSaidWeDid(Model):
    """The programme's recorded answer to an issue raised (a workshop output or free text).

    Give either ``issue`` (a workshop output id) or ``said`` (what people said, in words),
    optionally with the ``activity`` where they said it and the ``option`` the answer led to.
    """

    issue: Id | None = None
    said: str | None = None
    activity: Id | None = None
    option: Id | None = None
    response: Text
    status: str | None = None

    @model_validator(mode="after")
    def _one_issue(self) -> YouSaidWeDid:
        if (self.issue is None) == (self.said is None or not self.said.strip()):
            raise ValueError("give either issue (a workshop output id) or said (free text)")
        return self


class Engagement(Model):
    """Everything in ``engagement.yaml``."""

    settings: EngagementSettings = Field(default_factory=EngagementSettings)
    workshops: list[Workshop] = Field(default_factory=list)
    questionnaires: list[Questionnaire] = Field(default_factory=list)
    ballots: list[Ballot] = Field(default_factory=list)
    you_said_we_did: list[YouSaidWeDid] = Field(default_factory=list)

    def workshop(self, workshop_id: str) -> Workshop | None:
        """Return the workshop with this id, or None."""
        return next((w for w in self.workshops if w.id == workshop_id), None)

    def questionnaire(self, questionnaire_id: str) -> Questionnaire | None:
        """Return the questionnaire with this id, or None."""
        return next((q for q in self.questionnaires if q.id == questionnaire_id), None)
