"""The Board meeting: dates by day or by month, resolutions, and located errors."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from caseforchange.domain.board import Board, Resolution, Verb


def test_a_month_is_shown_as_a_month() -> None:
    board = Board(meeting="NHS Plymouth Board", date="2010-10")
    assert board.by_month
    assert board.date_label() == "October 2010"
    assert board.first_day() == dt.date(2010, 10, 1)


def test_a_day_is_shown_as_a_day() -> None:
    board = Board(date=dt.date(2007, 9, 16))
    assert not board.by_month
    assert board.date_label() == "16 September 2007"
    assert Board().date_label() is None


@pytest.mark.parametrize("text", ["2010-13", "October 2010", "2010-02-30"])
def test_a_date_that_is_neither_day_nor_month_is_an_error(text: str) -> None:
    with pytest.raises(ValidationError, match="date"):
        Board(date=text)


def test_a_resolution_reads_from_one_line_and_back() -> None:
    resolution = Resolution.model_validate("Approve: the preferred option")
    assert resolution.verb is Verb.APPROVE and resolution.text == "the preferred option"
    assert resolution.as_line() == "approve: the preferred option"


def test_a_resolution_needs_a_known_verb() -> None:
    with pytest.raises(ValidationError):
        Resolution.model_validate("ratify: the plan")
    with pytest.raises(ValidationError, match=r"approve: \.\.\."):
        Resolution.model_validate("the plan")
