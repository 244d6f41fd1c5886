"""The risk register: programme-wide and per-option risks on 1-5 likelihood and impact scales."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, model_validator

from caseforchange.domain.base import Id, Illustrated, Model, Text

#: A point on the 1-5 likelihood or impact scale.
Rating = Annotated[int, Field(ge=1, le=5)]


class RiskCategory(StrEnum):
    """What a risk threatens."""

    QUALITY = "quality"
    FINANCE = "finance"
    WORKFORCE = "workforce"
    LEGAL = "legal"
    REPUTATION = "reputation"
    DELIVERY = "delivery"
    PARTNERSHIP = "partnership"
    COMPETITION = "competition"


class Risk(Model):
    """One risk: its scores before and after mitigation, its owner and its mitigation.

    ``option`` is None for a programme-wide risk.
    """

    id: Id
    title: Text
    category: RiskCategory
    likelihood: Rating
    impact: Rating
    owner: Text
    option: Id | None = None
    mitigation: str | None = None
    residual_likelihood: Rating | None = None
    residual_impact: Rating | None = None
    description: str | None = None

    @model_validator(mode="after")
    def _residual_pair(self) -> Risk:
        if (self.residual_likelihood is None) != (self.residual_impact is None):
            raise ValueError("give both residual_likelihood and residual_impact, or neither")
        return self


class RiskRegister(Illustrated):
    """The programme's risks, programme-wide and per option."""

    risks: list[Risk] = Field(default_factory=list)
