"""Criteria frameworks: trees of weighted criteria, their scales and value functions."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from itertools import pairwise

from pydantic import Field, NonNegativeFloat, PositiveInt, model_validator

from caseforchange.domain.base import Id, Model, Text


class ScalePoint(Model):
    """A labelled point on a scoring scale."""

    value: float
    label: Text


class Scale(Model):
    """A scoring scale: a range with labelled points (e.g. 0-10, 1-5, pass/fail)."""

    id: Id
    name: Text
    min: float
    max: float
    points: list[ScalePoint] = Field(default_factory=list)
    pass_fail: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if self.max <= self.min:
            raise ValueError(f"scale max ({self.max}) must be greater than min ({self.min})")
        for point in self.points:
            if not self.min <= point.value <= self.max:
                raise ValueError(
                    f"point {point.value} ({point.label}) lies outside {self.min}..{self.max}"
                )
        return self

    def contains(self, value: float) -> bool:
        """Return True when ``value`` lies on this scale (inclusive)."""
        return self.min <= value <= self.max


class Direction(StrEnum):
    """Whether more of a measured criterion is better or worse."""

    MAXIMISE = "maximise"
    MINIMISE = "minimise"


class ValueFunction(Model):
    """Maps a measured quantity (e.g. cost in £) onto the 0-1 value scale.

    ``points`` are (measure, value) pairs with value in 0..1, measures strictly increasing;
    linear interpolation between them, clamped outside. Two points make a linear function.
    """

    unit: Text
    points: list[tuple[float, float]] = Field(min_length=2)

    @model_validator(mode="after")
    def _monotone_domain(self) -> ValueFunction:
        xs = [x for x, _ in self.points]
        if any(b <= a for a, b in pairwise(xs)):
            raise ValueError("value function measures must be strictly increasing")
        if any(not 0.0 <= v <= 1.0 for _, v in self.points):
            raise ValueError("value function values must lie between 0 and 1")
        return self


class Criterion(Model):
    """A node of the criteria tree: a scored criterion, a hurdle, or a group of sub-criteria."""

    id: Id
    name: Text
    description: str | None = None
    weight: NonNegativeFloat | None = None
    rank: PositiveInt | None = None
    scale: Id | None = None
    hurdle: bool = False
    direction: Direction = Direction.MAXIMISE
    value_function: ValueFunction | None = None
    children: list[Criterion] = Field(default_factory=list)

    @model_validator(mode="after")
    def _shape(self) -> Criterion:
        if self.hurdle and self.children:
            raise ValueError("a hurdle is a single pass/fail test and cannot have sub-criteria")
        if self.hurdle and self.value_function is not None:
            raise ValueError("a hurdle is pass/fail and cannot have a value function")
        if self.children and (self.scale is not None or self.value_function is not None):
            raise ValueError("a group of criteria is not scored itself: remove scale")
        return self

    def walk(self) -> Iterator[Criterion]:
        """Yield this criterion and all its descendants, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def is_leaf(self) -> bool:
        """True when the criterion is scored directly (it has no sub-criteria)."""
        return not self.children


class WeightingMethod(StrEnum):
    """How the weights of a criteria framework were elicited."""

    DIRECT = "direct"
    SWING = "swing"
    RANK_ORDER_CENTROID = "rank_order_centroid"
    AHP = "ahp"
    EQUAL = "equal"


class Weighting(Model):
    """How weights were set, by whom, and the inputs of the elicitation method."""

    method: WeightingMethod = WeightingMethod.DIRECT
    set_by: str | None = None
    date: str | None = None
    note: str | None = None
    ahp: dict[str, list[list[float]]] = Field(default_factory=dict)
    accept_inconsistency: bool = False


class CriteriaFramework(Model):
    """A tree of criteria with weights, its scales and its source."""

    id: Id
    name: Text
    source: str | None = None
    description: str | None = None
    weighting: Weighting = Field(default_factory=Weighting)
    scales: list[Scale] = Field(default_factory=list)
    criteria: list[Criterion] = Field(min_length=1)

    def walk(self) -> Iterator[Criterion]:
        """Yield every criterion in the tree, depth first, in file order."""
        for criterion in self.criteria:
            yield from criterion.walk()

    def leaves(self) -> list[Criterion]:
        """Return the criteria that are scored directly, in file order."""
        return [c for c in self.walk() if c.is_leaf]

    def scale_by_id(self) -> dict[str, Scale]:
        """Return the framework's scales keyed by id."""
        return {s.id: s for s in self.scales}
