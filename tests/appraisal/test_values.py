"""Scales and value functions turn raw scores into 0..1 values."""

from __future__ import annotations

import numpy as np
import pytest

from caseforchange.appraisal.values import (
    linear_value_function,
    scale_label,
    scale_value,
    value_function_value,
    value_map,
)
from caseforchange.domain.criteria import Criterion, Direction, Scale, ValueFunction

SCALE = Scale(
    id="1-5",
    name="One to five",
    min=1,
    max=5,
    points=[{"value": 1, "label": "poor"}, {"value": 5, "label": "excellent"}],  # type: ignore[list-item]
)


def test_scale_value_is_linear_and_reversed_when_minimised() -> None:
    assert scale_value(2, SCALE) == pytest.approx(0.25)
    assert scale_value(2, SCALE, Direction.MINIMISE) == pytest.approx(0.75)


def test_score_outside_the_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="outside scale 1-5"):
        scale_value(6, SCALE)


def test_labels_of_scale_points() -> None:
    assert scale_label(SCALE, 5) == "excellent"
    assert scale_label(SCALE, 3) is None


def test_piecewise_value_function_for_18_week_performance() -> None:
    f = ValueFunction(unit="% within 18 weeks", points=[(50, 0), (92, 0.8), (100, 1)])
    # Between 92 and 100: 0.8 + (96 - 92) / 8 * 0.2 = 0.9; clamped outside.
    assert value_function_value(96, f) == pytest.approx(0.9)
    assert value_function_value(71, f) == pytest.approx(0.4)
    assert value_function_value(30, f) == 0.0


def test_decreasing_linear_value_function_for_cost() -> None:
    f = linear_value_function(worst=12e6, best=10e6, unit="£")
    assert value_function_value(11.5e6, f) == pytest.approx(0.25)
    with pytest.raises(ValueError):
        linear_value_function(worst=1, best=2, unit="£", increasing=False)


def test_value_map_of_criteria() -> None:
    cost = Criterion(id="cost", name="Cost", scale="1-5", direction=Direction.MINIMISE)
    found = value_map(cost, {"1-5": SCALE})
    assert not isinstance(found, type(None))
    assert found(5) == pytest.approx(0.0)  # type: ignore[operator]
    assert np.allclose(found.apply(np.array([1.0, 3.0])), [1.0, 0.5])  # type: ignore[union-attr]
    unknown = value_map(Criterion(id="x", name="X", scale="nope"), {"1-5": SCALE})
    assert "unknown scale 'nope'" in unknown.message  # type: ignore[union-attr]
