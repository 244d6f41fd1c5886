"""The one pydantic-error converter: plain English that names the value and what is allowed."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from caseforchange.domain.problems import Problem
from caseforchange.io.validation import problems_from_validation


class Kind(StrEnum):
    """Two choices, as the domain's enumerations are written."""

    ADULTS = "adults"
    CHILDREN = "children"


class Team(BaseModel):
    """A small model with one field per kind of rule the domain uses."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field("x", max_length=5)
    staff: int = Field(1, ge=0)
    sd: float = Field(1.0, gt=0)
    weeks: int = Field(1, le=52)
    share: float = Field(0.5, lt=1)
    mean: float = Field(1.0, allow_inf_nan=False)
    route: Literal["direct", "triage"] = "direct"
    kind: Kind = Kind.ADULTS
    open: bool = True
    start: dt.date = dt.date(2020, 1, 1)
    code: str = "a"

    @field_validator("code")
    @classmethod
    def _lower(cls, value: str) -> str:
        if value != value.lower():
            raise ValueError("the code must be lower case")
        return value


def messages(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Return (field, message) for each problem validating ``data`` as a team."""
    try:
        Team.model_validate(data)
    except ValidationError as error:
        problems = problems_from_validation(error, data)
        return [(p.field(), p.message) for p in problems]
    raise AssertionError("the data was valid")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"staff": "lots"}, ("staff", "'lots' is not a whole number")),
        ({"staff": 2.5}, ("staff", "2.5 is not a whole number")),
        ({"sd": "wide"}, ("sd", "'wide' is not a number")),
        ({"staff": -3}, ("staff", "-3 is too small: it must be 0 or more")),
        # A number typed in a web form arrives as text; it still reads as the number.
        ({"staff": "-3"}, ("staff", "-3 is too small: it must be 0 or more")),
        ({"sd": 0}, ("sd", "0 is too small: it must be more than 0")),
        ({"weeks": 53}, ("weeks", "53 is too large: it must be 52 or less")),
        ({"share": 1.5}, ("share", "1.5 is too large: it must be less than 1")),
        ({"mean": float("inf")}, ("mean", "inf is not a finite number")),
        (
            {"route": "walk-in"},
            ("route", "'walk-in' is not one of the choices: 'direct' or 'triage'"),
        ),
        ({"kind": "kids"}, ("kind", "'kids' is not one of the choices: 'adults' or 'children'")),
        ({"open": "maybe"}, ("open", "'maybe' is not yes or no (write true or false)")),
        ({"start": "2020-13-01"}, ("start", "'2020-13-01' is not a date (write it as YYYY-MM-DD)")),
        ({"name": "abcdefg"}, ("name", "is 7 characters long: at most 5 are allowed")),
        (
            {"colour": "red"},
            ("colour", "is not a field that belongs here: check its spelling or remove it"),
        ),
        ({"staff": None}, ("staff", "has no value: one is required")),
        # A validator's own message is kept as written, with the value given.
        ({"code": "ABC"}, ("code", "the code must be lower case (got 'ABC')")),
    ],
)
def test_each_common_error_reads_as_plain_english(
    data: dict[str, Any], expected: tuple[str, str]
) -> None:
    assert messages(data) == [expected]


class Holder(BaseModel):
    """A model with a required field."""

    team: Team
    count: int


def test_a_missing_field_is_named_and_its_nested_path_kept() -> None:
    data: dict[str, Any] = {"team": {"staff": "x"}}
    try:
        Holder.model_validate(data)
    except ValidationError as error:
        problems = problems_from_validation(error, data)
    assert problems == [
        Problem(("team", "staff"), "'x' is not a whole number"),
        Problem(("count",), "is missing: a value is required"),
    ]


def test_long_values_are_shortened_in_the_message() -> None:
    (field, message), *_ = messages({"staff": "9" * 30 + "x" * 500})
    assert field == "staff" and message.endswith("is not a whole number")
    assert len(message) < 200
