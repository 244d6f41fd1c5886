"""Running statistics against direct computation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseforchange.flow.statistics import (
    QuantileSketch,
    Welford,
    confidence_interval,
    t_quantile,
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


def test_confidence_interval_uses_student_t() -> None:
    iv = confidence_interval([1.0, 2.0, 3.0])
    assert iv.mean == 2.0
    assert iv.half_width == pytest.approx(4.302653 * 1.0 / 3**0.5, rel=1e-5)


@pytest.mark.parametrize("df", [1, 2, 3, 4, 7, 30, 120, 2500])
@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_t_quantile_matches_scipy(df: int, level: float) -> None:
    from scipy import stats

    assert t_quantile(level, df) == pytest.approx(stats.t.ppf(0.5 + level / 2, df), rel=1e-8)


def test_interval_floor_keeps_a_nonnegative_figure_at_or_above_zero() -> None:
    iv = confidence_interval([0.0, 0.0, 3.0], floor=0.0)
    assert iv.low == 0.0
    assert iv.mean == 1.0
    assert iv.high == pytest.approx(1.0 + 4.302653 * 3**0.5 / 3**0.5, rel=1e-5)


def test_engine_import_does_not_load_scipy_stats() -> None:
    import subprocess
    import sys

    code = (
        "import sys, caseforchange.flow.runner, caseforchange.flow.system;"
        "print('scipy.stats' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
