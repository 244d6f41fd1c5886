"""Market review of service lines and the referral facts the competition checks need."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, NonNegativeFloat

from caseforchange.domain.base import Id, Illustrated, Model, Text


class Contestability(StrEnum):
    """How far other providers could offer a service line."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    NONE = "none"


class ProcurementRoute(StrEnum):
    """How the commissioner proposes to secure a service line."""

    COMPETITIVE_TENDER = "competitive_tender"
    COMPETITIVE_DIALOGUE = "competitive_dialogue"
    TRANSFER = "transfer"


class MarketReview(Model):
    """The commissioner's view of the market for one service line."""

    service: Id
    potential_providers: list[Text] = Field(default_factory=list)
    contestability: Contestability
    route: ProcurementRoute
    rationale: Text


class Market(Illustrated):
    """The commissioner's market picture: a review per service line."""

    reviews: list[MarketReview] = Field(default_factory=list)


class Referral(Model):
    """A service whose staff refer patients to an organisation (for the vertical check)."""

    service: Id
    refers_to: list[Id] = Field(min_length=1)


class Turnover(Model):
    """An organisation's annual turnover for the merger test, with its year and source.

    It takes precedence over the organisation's own ``turnover_gbp``; 0 marks a new body.
    """

    organisation: Id
    turnover_gbp: NonNegativeFloat
    year: str | None = None
    source: str | None = None


class Competition(Illustrated):
    """Facts the competition checks need: who refers to whom, and turnovers with sources."""

    referrals: list[Referral] = Field(default_factory=list)
    turnovers: list[Turnover] = Field(default_factory=list)
