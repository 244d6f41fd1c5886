"""Scoring panels, their members, and the scores they give."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, NonNegativeFloat, model_validator

from caseforchange.domain.base import Id, Model, Text


class Member(Model):
    """A panel member, named by role (example data names no private people)."""

    id: Id
    name: Text
    organisation: Id | None = None
    role: str | None = None


class Panel(Model):
    """A stakeholder group that scores the options."""

    id: Id
    name: Text
    group: Id | None = None
    weight: NonNegativeFloat = 1.0
    members: list[Member] = Field(default_factory=list)


class Distribution(StrEnum):
    """How an uncertain score is spread between its low and high values."""

    POINT = "point"
    UNIFORM = "uniform"
    TRIANGULAR = "triangular"
    BETA = "beta"


class Score(Model):
    """One score: an option on a criterion, by a panel or one of its members."""

    option: Id
    criterion: Id
    panel: Id | None = None
    member: Id | None = None
    value: float | None = None
    low: float | None = None
    high: float | None = None
    distribution: Distribution | None = None
    rationale: str | None = None

    @model_validator(mode="after")
    def _value_or_range(self) -> Score:
        if self.value is None and (self.low is None or self.high is None):
            raise ValueError("give a value, or both low and high")
        if (self.low is None) != (self.high is None):
            raise ValueError("a range needs both low and high")
        if self.low is not None and self.high is not None:
            if self.low > self.high:
                raise ValueError(f"low ({self.low}) is greater than high ({self.high})")
            if self.value is not None and not self.low <= self.value <= self.high:
                raise ValueError(f"value {self.value} lies outside low..high")
        if self.distribution in (Distribution.TRIANGULAR, Distribution.BETA) and self.value is None:
            raise ValueError(f"a {self.distribution.value} score needs a value (its mode)")
        return self

    @property
    def kind(self) -> Distribution:
        """The effective distribution: point when no range is given, uniform by default."""
        if self.low is None:
            return Distribution.POINT
        return self.distribution or Distribution.UNIFORM
