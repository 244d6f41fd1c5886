"""Scales and value functions turn raw scores into 0..1 values."""

from __future__ import annotations

import numpy as np
import pytest

from caseforchange.appraisal.values import ValueMap, scale_label, value_map
from caseforchange.domain.criteria import Criterion, Direction, Scale, ValueFunction

SCALE = Scale(
    id="1-5",
    name="One to five",
    min=1,
    max=5,
    points=[{"value": 1, "label": "poor"}, {"value": 5, "label": "excellent"}],  # type: ignore[list-item]
)


def _map(criterion: Criterion) -> ValueMap:
    found = value_map(criterion, {"1-5": SCALE})
    assert isinstance(found, ValueMap)
    return found


def test_scale_value_is_linear_and_reversed_when_minimised() -> None:
    assert _map(Criterion(id="q", name="Q", scale="1-5"))(2) == pytest.approx(0.25)
    minimised = Criterion(id="c", name="C", scale="1-5", direction=Direction.MINIMISE)
    assert _map(minimised)(2) == pytest.approx(0.75)


def test_labels_of_scale_points() -> None:
    assert scale_label(SCALE, 5) == "excellent"
    assert scale_label(SCALE, 3) is None


def test_piecewise_value_function_for_18_week_performance() -> None:
    f = ValueFunction(unit="% within 18 weeks", points=[(50, 0), (92, 0.8), (100, 1)])
    value = _map(Criterion(id="rtt", name="RTT", value_function=f))
    # Between 92 and 100: 0.8 + (96 - 92) / 8 * 0.2 = 0.9; clamped outside.
    assert value(96) == pytest.approx(0.9)
    assert value(71) == pytest.approx(0.4)
    assert value(30) == 0.0
    assert value(120) == 1.0


def test_decreasing_value_function_for_cost() -> None:
    # Less is better: 10 m£ is worth 1, 12 m£ is worth 0.
    f = ValueFunction(unit="£", points=[(10e6, 1.0), (12e6, 0.0)])
    assert _map(Criterion(id="cost", name="Cost", value_function=f))(11.5e6) == pytest.approx(0.25)


def test_value_map_of_criteria() -> None:
    cost = Criterion(id="cost", name="Cost", scale="1-5", direction=Direction.MINIMISE)
    found = value_map(cost, {"1-5": SCALE})
    assert not isinstance(found, type(None))
    assert found(5) == pytest.approx(0.0)  # type: ignore[operator]
    assert np.allclose(found.apply(np.array([1.0, 3.0])), [1.0, 0.5])  # type: ignore[union-attr]
    unknown = value_map(Criterion(id="x", name="X", scale="nope"), {"1-5": SCALE})
    assert "unknown scale 'nope'" in unknown.message  # type: ignore[union-attr]
