"""The Board meeting a case for change goes to: when, who writes it, what it is asked to do."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from enum import StrEnum
from typing import Any

from pydantic import Field, field_validator, model_validator

from caseforchange.domain.base import Model, Text

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class Verb(StrEnum):
    """What the Board is asked to do with a resolution."""

    APPROVE = "approve"
    NOTE = "note"
    ENDORSE = "endorse"


class Resolution(Model):
    """One thing the Board is asked to do: ``approve``, ``note`` or ``endorse`` some text.

    Also written as one line, ``"approve: the preferred option"`` (the workbook's form).
    """

    verb: Verb
    text: Text

    @model_validator(mode="before")
    @classmethod
    def _from_line(cls, data: Any) -> Any:
        if isinstance(data, str):
            verb, sep, text = data.partition(":")
            if not sep:
                raise ValueError(
                    "write a resolution as 'approve: ...', 'note: ...' or 'endorse: ...'"
                )
            return {"verb": verb.strip().lower(), "text": text.strip()}
        return data

    def as_line(self) -> str:
        """Return the resolution as one line, ``verb: text``."""
        return f"{self.verb.value}: {self.text}"


class Board(Model):
    """The meeting the paper goes to. ``date`` is a day (2010-10-05) or a month (2010-10)."""

    meeting: Text | None = None
    date: str | None = None
    author: Text | None = None
    resolutions: list[Resolution] = Field(default_factory=list)
    conditions: list[Text] = Field(default_factory=list)

    @field_validator("date", mode="before")
    @classmethod
    def _date_text(cls, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return None
            month = _MONTH.match(text)
            if month:
                if not 1 <= int(month.group(2)) <= 12:
                    raise ValueError(f"{text!r} is not a month: write YYYY-MM")
                return text
            try:
                return dt.date.fromisoformat(text).isoformat()
            except ValueError:
                raise ValueError(
                    f"{text!r} is not a date: write a day (YYYY-MM-DD) or a month (YYYY-MM)"
                ) from None
        return value

    @property
    def by_month(self) -> bool:
        """True when the meeting's date is known only to the month."""
        return self.date is not None and _MONTH.match(self.date) is not None

    def first_day(self) -> dt.date | None:
        """Return the meeting's day, or the first day of its month when only the month is known."""
        if self.date is None:
            return None
        if self.by_month:
            return dt.date.fromisoformat(self.date + "-01")
        return dt.date.fromisoformat(self.date)

    def date_label(self) -> str | None:
        """Return the date as people write it: '12 May 2010', or 'October 2010' for a month."""
        day = self.first_day()
        if day is None:
            return None
        if self.by_month:
            return f"{calendar.month_name[day.month]} {day.year}"
        return f"{day.day} {day:%B %Y}"
