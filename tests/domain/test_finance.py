"""Finance lines: transition costs need a category, amounts are positive, notes say why."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from caseforchange.domain.finance import GREEN_BOOK_RATE, CostAssumption, Finance, FinanceLine


def test_transition_needs_a_category_and_only_transition_has_one() -> None:
    with pytest.raises(ValidationError, match="needs a category"):
        FinanceLine(kind="transition", label="x", amounts_gbp=[1])
    with pytest.raises(ValidationError, match="only transition costs"):
        FinanceLine(kind="cost", label="x", amounts_gbp=[1], category="it")
    with pytest.raises(ValidationError, match="amounts are positive"):
        FinanceLine(kind="saving", label="x", amounts_gbp=[-5])


def test_defaults_and_illustrative_note() -> None:
    assert Finance().discount_rate == GREEN_BOOK_RATE == 0.035
    with pytest.raises(ValidationError, match="needs a note"):
        Finance(illustrative=True)
    with pytest.raises(ValidationError, match="below low"):
        CostAssumption(id="a", name="A", low=1.2, high=0.9)


def test_a_high_below_low_is_located_at_high() -> None:
    with pytest.raises(ValidationError) as error:
        CostAssumption(id="a", name="A", low=1.2, high=0.9)
    assert [e["loc"] for e in error.value.errors()] == [("high",)]
    assert CostAssumption(id="a", name="A", low=1.0, high=1.0).high == 1.0
