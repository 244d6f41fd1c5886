"""Workforce by option: staff moving by service and destination, TUPE, pensions, staff side."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, NonNegativeFloat, NonNegativeInt, model_validator

from caseforchange.domain.base import Id, Illustrated, Model
from caseforchange.domain.organisations import Tristate


class StaffConsultation(StrEnum):
    """How far formal consultation with staff-side representatives has gone."""

    NOT_STARTED = "not_started"
    PLANNED = "planned"
    UNDER_WAY = "under_way"
    CONCLUDED = "concluded"


class StaffMove(Model):
    """Staff of one service moving to one destination under an option.

    ``tupe`` and ``nhs_pension`` are derived from the destination's organisational form; a
    value given here overrides the derivation and needs a reason.
    """

    service: Id
    destination: Id
    wte: NonNegativeFloat
    headcount: NonNegativeInt
    tupe: Tristate | None = None
    tupe_reason: str | None = None
    nhs_pension: Tristate | None = None
    pension_reason: str | None = None

    @model_validator(mode="after")
    def _reasons(self) -> StaffMove:
        if self.tupe is not None and not self.tupe_reason:
            raise ValueError("an overridden tupe needs a tupe_reason")
        if self.nhs_pension is not None and not self.pension_reason:
            raise ValueError("an overridden nhs_pension needs a pension_reason")
        return self


class OptionWorkforce(Model):
    """The staff moves of one option and where consultation with the staff side stands."""

    option: Id
    moves: list[StaffMove] = Field(default_factory=list)
    staff_consultation: StaffConsultation = StaffConsultation.NOT_STARTED
    consultation_note: str | None = None


class Workforce(Illustrated):
    """Workforce by option."""

    options: list[OptionWorkforce] = Field(default_factory=list)
