"""Single-record rules of the domain model."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from caseforchange.domain.consultation import YouSaidWeDid
from caseforchange.domain.criteria import Criterion, Scale, ValueFunction
from caseforchange.domain.engagement import Activity
from caseforchange.domain.panels import Distribution, Score
from caseforchange.domain.programme import Provenance


def test_score_needs_value_or_full_range() -> None:
    with pytest.raises(ValidationError, match="give a value, or both low and high"):
        Score(option="a", criterion="c")
    with pytest.raises(ValidationError, match="needs both low and high"):
        Score(option="a", criterion="c", value=3, low=2)
    with pytest.raises(ValidationError, match=r"low .* greater than high"):
        Score(option="a", criterion="c", low=5, high=2)


def test_score_kind() -> None:
    assert Score(option="a", criterion="c", value=3).kind is Distribution.POINT
    assert Score(option="a", criterion="c", low=2, high=4).kind is Distribution.UNIFORM


def test_scale_points_inside_range() -> None:
    with pytest.raises(ValidationError, match="outside"):
        Scale(id="s", name="S", min=0, max=5, points=[{"value": 6, "label": "too high"}])


def test_value_function_domain_increasing_and_values_in_unit_interval() -> None:
    with pytest.raises(ValidationError, match="strictly increasing"):
        ValueFunction(unit="£", points=[(10, 1), (5, 0)])
    with pytest.raises(ValidationError, match="between 0 and 1"):
        ValueFunction(unit="£", points=[(0, 0), (5, 2)])


def test_hurdle_cannot_have_children() -> None:
    child = Criterion(id="c", name="C", scale="0-10")
    with pytest.raises(ValidationError, match="hurdle"):
        Criterion(id="h", name="H", hurdle=True, children=[child])


def test_activity_dates_and_times_ordered() -> None:
    with pytest.raises(ValidationError, match="before date"):
        Activity(id="a", kind="event", title="T", date="2010-10-11", end_date="2010-10-01")
    with pytest.raises(ValidationError, match="not after start_time"):
        Activity(
            id="a", kind="event", title="T", date="2010-10-11", start_time="13:00", end_time="09:00"
        )


def test_illustrative_needs_a_note() -> None:
    with pytest.raises(ValidationError, match="needs a note"):
        Provenance(illustrative=True)


def test_unknown_field_is_an_error() -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        Score(option="a", criterion="c", value=1, vaule=2)  # type: ignore[call-arg]


def test_you_said_we_did_names_an_issue_or_says_it() -> None:
    assert YouSaidWeDid(issue="i1", response="Done").said is None
    assert YouSaidWeDid(said="Keep us in the NHS", response="We did").issue is None
    with pytest.raises(ValidationError, match="give either issue"):
        YouSaidWeDid(response="Nothing to answer")
    with pytest.raises(ValidationError, match="give either issue"):
        YouSaidWeDid(issue="i1", said="Both", response="Ambiguous")
