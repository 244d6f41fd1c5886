"""Running statistics against direct computation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseforchange.flow.statistics import (
    QuantileSketch,
    TimeAverage,
    Welford,
    confidence_interval,
)


@given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=200))
@settings(max_examples=50)
def test_welford_matches_numpy(xs: list[float]) -> None:
    w = Welford()
    for x in xs:
        w.add(x)
    assert w.mean == pytest.approx(float(np.mean(xs)), rel=1e-9, abs=1e-6)
    assert w.variance() == pytest.approx(float(np.var(xs, ddof=1)), rel=1e-6, abs=1e-3)


def test_sketch_quantiles_within_relative_error() -> None:
    rng = np.random.default_rng(1)
    xs = rng.exponential(3.0, 20000)
    sketch = QuantileSketch(relative_error=0.005)
    for x in xs:
        sketch.add(float(x))
    for q in (0.5, 0.92, 0.99):
        exact = float(np.sort(xs)[int(np.ceil(q * len(xs))) - 1])
        assert sketch.quantile(q) == pytest.approx(exact, rel=0.011)


def test_sketch_counts_zero_waits() -> None:
    sketch = QuantileSketch()
    for x in (0.0, 0.0, 0.0, 5.0):
        sketch.add(x)
    assert sketch.quantile(0.5) == 0.0
    assert sketch.quantile(1.0) == pytest.approx(5.0, rel=0.01)


def test_time_average() -> None:
    t = TimeAverage()
    t.set(2.0, 4.0)  # level 0 for 2 days, then 4
    assert t.mean(4.0) == pytest.approx(2.0)
    t.reset(4.0)
    assert t.mean(6.0) == pytest.approx(4.0)


def test_confidence_interval_uses_student_t() -> None:
    iv = confidence_interval([1.0, 2.0, 3.0])
    assert iv.mean == 2.0
    assert iv.half_width == pytest.approx(4.302653 * 1.0 / 3**0.5, rel=1e-5)
