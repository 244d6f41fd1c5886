"""MSER-5 finds an obvious initial transient and does not invent one."""

from __future__ import annotations

import numpy as np
import pytest

from caseforchange.flow.warmup import mser5


def test_mser5_cuts_an_initial_transient() -> None:
    rng = np.random.default_rng(0)
    series = [float(x) for x in 10 + rng.normal(0, 0.5, 200)]
    series[:40] = [10 * k / 40 for k in range(40)]  # climbs from empty for 40 points
    w = mser5(series, slice_days=1.0)
    assert 30 <= w.days <= 60
    assert not w.at_limit


def test_mser5_on_a_stationary_series_keeps_almost_everything() -> None:
    rng = np.random.default_rng(1)
    w = mser5([float(x) for x in rng.normal(5, 1, 200)], slice_days=2.0)
    assert w.days <= 40


def test_mser5_needs_two_batches() -> None:
    with pytest.raises(ValueError):
        mser5([1.0] * 9, 1.0)
