"""Stakeholders, engagement activities and milestones."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum

from pydantic import Field, NonNegativeInt, ValidationInfo, field_validator, model_validator

from caseforchange.domain.base import Id, Model, Text


class StakeholderGroup(Model):
    """A group whose views the programme seeks, with its interest and influence (1-5)."""

    id: Id
    name: Text
    kind: str | None = None
    organisation: Id | None = None
    interest: int | None = Field(default=None, ge=1, le=5)
    influence: int | None = Field(default=None, ge=1, le=5)
    size: NonNegativeInt | None = None


class DatePrecision(StrEnum):
    """How much of a date the source gives: the day, or only the month."""

    DAY = "day"
    MONTH = "month"
    """Only the month is known; the date is stored as the first of that month."""


def check_precision(precision: DatePrecision, info: ValidationInfo, field: str) -> DatePrecision:
    """Return ``precision`` when it fits the date in ``field`` validated before it.

    Raises:
        ValueError: a month precision without a date, or with a date that is not the 1st.
    """
    date = info.data.get(field)
    if precision is DatePrecision.MONTH:
        if date is None:
            raise ValueError("'month' given without a date")
        if date.day != 1:
            raise ValueError(f"a date known only to the month is written as the 1st, not {date}")
    return precision


def format_date(
    date: dt.date, precision: DatePrecision = DatePrecision.DAY, *, short: bool = False
) -> str:
    """Return the date as people write it: '16 September 2007', or 'October 2010' by month.

    ``short`` gives table style: '16 Sep 2007' or 'Oct 2010'.
    """
    month = "%b %Y" if short else "%B %Y"
    if precision is DatePrecision.MONTH:
        return date.strftime(month)
    return f"{date:%d} {date.strftime(month)}" if short else f"{date.day} {date.strftime(month)}"


class ActivityKind(StrEnum):
    """The kinds of engagement activity the sources describe."""

    EVENT = "event"
    FOCUS_GROUP = "focus_group"
    BALLOT = "ballot"
    BRIEFING = "briefing"
    UPDATE_LETTER = "update_letter"
    WRITTEN_CONSULTATION = "written_consultation"
    DROP_IN = "drop_in"
    BOARD_SESSION = "board_session"
    WORKSHOP = "workshop"
    PRESENTATION = "presentation"
    NEWSLETTER = "newsletter"


class Activity(Model):
    """An engagement activity: when, where, for whom."""

    id: Id
    kind: ActivityKind
    title: Text
    date: dt.date | None = None
    date_precision: DatePrecision = DatePrecision.DAY
    end_date: dt.date | None = None

    @field_validator("date_precision")
    @classmethod
    def _precise(cls, value: DatePrecision, info: ValidationInfo) -> DatePrecision:
        return check_precision(value, info, "date")

    start_time: dt.time | None = None
    end_time: dt.time | None = None
    venue: str | None = None
    audience: list[Id] = Field(default_factory=list)
    capacity: NonNegativeInt | None = None
    milestone: Id | None = None
    notes: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Activity:
        if self.end_date is not None:
            if self.date is None:
                raise ValueError("end_date given without date")
            if self.end_date < self.date:
                raise ValueError(f"end_date {self.end_date} is before date {self.date}")
        same_day = self.end_date is None or self.end_date == self.date
        if self.start_time and self.end_time and self.end_time <= self.start_time and same_day:
            raise ValueError(f"end_time {self.end_time} is not after start_time")
        return self


class Milestone(Model):
    """A decision point or event in the programme's timetable."""

    id: Id
    name: Text
    date: dt.date | None = None
    date_precision: DatePrecision = DatePrecision.DAY
    description: str | None = None
    achieved: bool = False
    """True when the source records the milestone as already passed (next steps leave it out)."""

    @field_validator("date_precision")
    @classmethod
    def _precise(cls, value: DatePrecision, info: ValidationInfo) -> DatePrecision:
        return check_precision(value, info, "date")


_MONTHS = "january february march april may june july august september october november december"
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}
#: A time the source gives by month, season or year at the start of a milestone's description:
#: "March 2010", "Early spring 2010", "End of 2010".
_WHEN = re.compile(
    r"^((?:early |late |mid-|end of |the end of )?"
    r"(?:(" + "|".join(_MONTHS.split()) + "|" + "|".join(_SEASONS) + r") )?(\d{4}))\b",
    re.IGNORECASE,
)


def when_given(milestone: Milestone) -> tuple[str, dt.date | None]:
    """Return a milestone's time at the precision the source gives, and a day to order it by.

    A dated milestone reads '12 May 2010' (or 'May 2010' when its date_precision is month); an
    undated one whose description starts with a month, season or year ('March 2010 (day not
    given)') reads 'March 2010' and is ordered at the start of that month (a year alone: its
    end). Otherwise ('date not given', None).
    """
    if milestone.date is not None:
        return format_date(milestone.date, milestone.date_precision), milestone.date
    found = _WHEN.match(milestone.description or "")
    if found is None:
        return "date not given", None
    text, word, year = found.group(1), (found.group(2) or "").lower(), int(found.group(3))
    if word in _SEASONS:
        month = _SEASONS[word]
    elif word:
        month = _MONTHS.split().index(word) + 1
    else:
        month = 12
    return text[0].upper() + text[1:], dt.date(year, month, 1)
