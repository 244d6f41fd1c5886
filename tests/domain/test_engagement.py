"""Dates known only to the month, and milestones already passed."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from caseforchange.domain.engagement import Activity, DatePrecision, Milestone, format_date


def test_format_date_by_day_and_by_month() -> None:
    day = dt.date(2007, 9, 16)
    assert format_date(day) == "16 September 2007"
    assert format_date(day, short=True) == "16 Sep 2007"
    month = dt.date(2010, 10, 1)
    assert format_date(month, DatePrecision.MONTH) == "October 2010"
    assert format_date(month, DatePrecision.MONTH, short=True) == "Oct 2010"


def test_a_month_date_is_written_as_the_first() -> None:
    ok = Milestone(id="m", name="Board", date=dt.date(2010, 10, 1), date_precision="month")
    assert ok.date_precision is DatePrecision.MONTH and not ok.achieved
    with pytest.raises(ValidationError, match="written as the 1st, not 2010-10-05"):
        Milestone(id="m", name="Board", date=dt.date(2010, 10, 5), date_precision="month")
    with pytest.raises(ValidationError, match="'month' given without a date"):
        Activity(id="a", kind="event", title="Open event", date_precision="month")


def test_the_error_is_on_the_precision_field() -> None:
    with pytest.raises(ValidationError) as caught:
        Activity(id="a", kind="event", title="E", date=dt.date(2007, 6, 3), date_precision="month")
    assert [e["loc"] for e in caught.value.errors()] == [("date_precision",)]
