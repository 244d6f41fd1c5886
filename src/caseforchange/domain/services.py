"""Community service lines and the rules that tie them together."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, NonNegativeFloat

from caseforchange.domain.base import Id, Model, Text


class ClientGroup(StrEnum):
    """Who a service is for."""

    CHILDREN = "children"
    ADULTS = "adults"
    ALL = "all"


class Tier(StrEnum):
    """Whether a service is offered to everyone or to people with specialist needs."""

    UNIVERSAL = "universal"
    SPECIALIST = "specialist"


class Service(Model):
    """A community service line."""

    id: Id
    name: Text
    client_group: ClientGroup
    tier: Tier
    budget_gbp: NonNegativeFloat | None = None
    staff_wte: NonNegativeFloat | None = None
    current_provider: Id | None = None
    """Who runs the service now; None for a new function that no one provides yet."""
    localities: list[Text] = Field(default_factory=list)
    description: str | None = None


class DependencyKind(StrEnum):
    """How services depend on each other when they are sent to destinations."""

    KEEP_TOGETHER = "keep_together"
    """The services must all go to the same destination."""
    DO_NOT_SPLIT = "do_not_split"
    """Each listed service must go to exactly one destination, not be divided."""
    PREFER_SAME_DESTINATION = "prefer_same_destination"
    """A soft preference: the services should go to the same destination."""


class DependencyRule(Model):
    """A rule about which services go where together, and why."""

    id: Id
    kind: DependencyKind
    services: list[Id] = Field(min_length=1)
    reason: Text
    raised_by: str | None = None
