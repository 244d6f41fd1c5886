"""Finance by option: recurrent and one-off cash flows by year, the envelope, the discount rate.

Amounts are in pounds at today's prices, one per financial year starting at ``first_year``
(year 0, undiscounted). Costs, transition costs and capital are outflows; income and savings
reduce the net cost. Cost assumptions scale the lines that name them, for the tornado chart.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, NonNegativeFloat, ValidationInfo, field_validator, model_validator

from caseforchange.domain.base import Id, Illustrated, Model, Text

#: The HM Treasury Green Book's real discount rate for the first 30 years.
GREEN_BOOK_RATE = 0.035


class FlowKind(StrEnum):
    """What a finance line is: a recurrent flow, a one-off transition cost, saving or capital."""

    INCOME = "income"
    COST = "cost"
    TRANSITION = "transition"
    SAVING = "saving"
    CAPITAL = "capital"


class TransitionCategory(StrEnum):
    """The categories of one-off transition cost."""

    LEGAL = "legal"
    IT = "it"
    ESTATES = "estates"
    HR = "hr"
    PROGRAMME = "programme"


#: Flows that reduce the net cost rather than add to it.
CREDIT_KINDS = frozenset({FlowKind.INCOME, FlowKind.SAVING})


class CostAssumption(Model):
    """An uncertain assumption that scales the lines naming it by a low and a high factor."""

    id: Id
    name: Text
    low: NonNegativeFloat
    high: NonNegativeFloat
    note: str | None = None

    @field_validator("high")
    @classmethod
    def _ordered(cls, high: float, info: ValidationInfo) -> float:
        # A field validator, so the problem is located at ``high`` (file line, form field).
        low = info.data.get("low")
        if low is not None and high < low:
            raise ValueError(f"high ({high:g}) is below low ({low:g})")
        return high


class FinanceLine(Model):
    """One line of an option's cash flows: an amount per year from the first year."""

    kind: FlowKind
    label: Text
    amounts_gbp: list[float] = Field(min_length=1)
    category: TransitionCategory | None = None
    assumption: Id | None = None

    @model_validator(mode="after")
    def _category(self) -> FinanceLine:
        if self.kind is FlowKind.TRANSITION and self.category is None:
            raise ValueError(
                "a transition cost needs a category (legal, it, estates, hr, programme)"
            )
        if self.kind is not FlowKind.TRANSITION and self.category is not None:
            raise ValueError("only transition costs have a category")
        if any(a < 0 for a in self.amounts_gbp):
            raise ValueError("amounts are positive; the kind says whether they add or reduce cost")
        return self


class OptionFinance(Model):
    """The cash flows of one option.

    ``flow_scenario`` names the scenario of the programme's ``flow.yaml`` that models this
    option's services; its simulated cost a year is then shown beside the option's recurrent
    costs (``caseforchange decision --flow-costs``).
    """

    option: Id
    lines: list[FinanceLine] = Field(default_factory=list)
    note: str | None = None
    flow_scenario: Id | None = None


class Finance(Illustrated):
    """Finance by option, the commissioner's envelope, and the discount rate."""

    first_year: int = Field(default=2011, ge=1990, le=2100)
    discount_rate: float = Field(default=GREEN_BOOK_RATE, ge=0.0, lt=1.0)
    envelope_gbp: list[NonNegativeFloat] = Field(default_factory=list)
    assumptions: list[CostAssumption] = Field(default_factory=list)
    options: list[OptionFinance] = Field(default_factory=list)
