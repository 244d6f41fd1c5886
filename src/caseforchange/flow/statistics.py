"""Running statistics whose memory does not grow with the number of observations.

A simulation can see millions of patients; keeping every wait would make memory grow with the
horizon. These accumulators keep a fixed amount of state instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from math import ceil as _ceil
from math import log as _log
from statistics import NormalDist


class Welford:
    """Count, mean and variance by Welford's update, stable for long runs."""

    __slots__ = ("count", "m2", "mean")

    def __init__(self) -> None:
        self.count = 0
        self.mean = 0.0
        self.m2 = 0.0

    def add(self, x: float) -> None:
        """Add one observation; returns nothing."""
        self.count += 1
        delta = x - self.mean
        self.mean += delta / self.count
        self.m2 += delta * (x - self.mean)

    def variance(self) -> float:
        """Return the sample variance (0 with fewer than two observations)."""
        return self.m2 / (self.count - 1) if self.count > 1 else 0.0


class QuantileSketch:
    """Quantiles with bounded relative error from log-spaced bins (fixed memory).

    A value ``x > floor`` falls in bin ``ceil(log(x / floor) / log(gamma))``; values at or below
    ``floor`` (including the many zero waits) share bin 0. Any quantile is then known to within
    ``relative_error`` of its true value, whatever the number of observations. Exact counts
    above fixed thresholds (such as 18 weeks) are kept separately by the caller.
    """

    __slots__ = ("counts", "floor", "gamma", "last", "log_gamma", "max_value", "total")

    def __init__(
        self, relative_error: float = 0.005, floor: float = 1e-4, ceiling: float = 1e5
    ) -> None:
        self.gamma = (1 + relative_error) / (1 - relative_error)
        self.log_gamma = math.log(self.gamma)
        self.floor = floor
        bins = math.ceil(math.log(ceiling / floor) / self.log_gamma) + 2
        self.counts = [0] * bins
        self.last = bins - 1
        self.total = 0
        self.max_value = 0.0

    def add(self, x: float) -> None:
        """Add one observation; returns nothing."""
        self.total += 1
        floor = self.floor
        if x <= floor:
            self.counts[0] += 1
            return
        if x > self.max_value:
            self.max_value = x
        i = _ceil(_log(x / floor) / self.log_gamma)
        last = self.last
        self.counts[i if i < last else last] += 1

    def quantile(self, q: float) -> float:
        """Return the ``q``-quantile (0..1), or NaN when empty.

        The value returned is the midpoint (in log scale) of the bin holding the observation of
        rank ``ceil(q * n)`` (the nearest-rank definition).
        """
        if self.total == 0:
            return math.nan
        rank = max(1, math.ceil(q * self.total))
        seen = 0
        for i, c in enumerate(self.counts):
            seen += c
            if seen >= rank:
                if i == 0:
                    return 0.0
                upper = self.floor * self.gamma**i
                return min(2 * upper / (1 + self.gamma), self.max_value)
        return self.max_value

    def merge(self, other: QuantileSketch) -> None:
        """Add another sketch with the same bins into this one; returns nothing."""
        for i, c in enumerate(other.counts):
            self.counts[i] += c
        self.total += other.total
        self.max_value = max(self.max_value, other.max_value)


@dataclass(frozen=True)
class Interval:
    """A mean over replications with its 95% confidence interval (Student t)."""

    mean: float
    low: float
    high: float
    n: int

    @property
    def half_width(self) -> float:
        """Return half the width of the interval."""
        return (self.high - self.low) / 2

    def as_dict(self) -> dict[str, float | int]:
        """Return a JSON-ready mapping."""
        return {"mean": self.mean, "low": self.low, "high": self.high, "n": self.n}


def confidence_interval(
    values: list[float], level: float = 0.95, floor: float | None = None
) -> Interval:
    """Return the mean of ``values`` with a Student-t confidence interval.

    NaN values (e.g. a quantile of no patients) are left out. With one value the interval is
    that value; with none, all NaN. ``floor`` (0 for a figure that cannot be negative) stops
    the lower end going below what is possible.
    """
    xs = [v for v in values if not math.isnan(v)]
    n = len(xs)
    if n == 0:
        return Interval(math.nan, math.nan, math.nan, 0)
    mean = math.fsum(xs) / n
    if n == 1:
        return Interval(mean, mean, mean, 1)
    var = math.fsum((x - mean) ** 2 for x in xs) / (n - 1)
    half = t_quantile(level, n - 1) * math.sqrt(var / n)
    low = mean - half
    if floor is not None and low < floor:
        low = floor
    return Interval(mean, low, mean + half, n)


def _t_central(t: float, df: int) -> float:
    """Return P(|T| <= t) for Student's t with ``df`` degrees of freedom (exact finite series).

    Abramowitz and Stegun 26.7.3-4: with theta = atan(t / sqrt(df)), a sum of ``df // 2``
    powers of cos(theta).
    """
    theta = math.atan(t / math.sqrt(df))
    c2 = math.cos(theta) ** 2
    s = math.sin(theta)
    if df % 2 == 1:
        if df == 1:
            return 2 * theta / math.pi
        term = math.cos(theta)
        total = term
        for k in range(3, df - 1, 2):  # (2*4*..*(k-1)) / (1*3*..*k) cos^k
            term *= c2 * (k - 1) / k
            total += term
        return 2 / math.pi * (theta + s * total)
    term = 1.0
    total = 1.0
    for k in range(2, df - 1, 2):  # (1*3*..*(k-1)) / (2*4*..*k) cos^k
        term *= c2 * (k - 1) / k
        total += term
    return s * total


def t_quantile(level: float, df: int) -> float:
    """Return the two-sided Student-t critical value: P(|T| <= value) = ``level``.

    Exact (bisection on the finite series) up to 2000 degrees of freedom, then the normal
    quantile with two Cornish-Fisher terms (relative error below 1e-9). SciPy is not used
    so that importing the engine stays cheap.

    Raises:
        ValueError: when ``level`` is not strictly between 0 and 1 or ``df`` is below 1.
    """
    if not 0 < level < 1 or df < 1:
        raise ValueError("need 0 < level < 1 and df >= 1")
    z = NormalDist().inv_cdf(0.5 + level / 2)
    if df > 2000:
        return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
    low, high = 0.0, 1.0
    while _t_central(high, df) < level:
        high *= 2
    for _ in range(200):
        mid = (low + high) / 2
        if _t_central(mid, df) < level:
            low = mid
        else:
            high = mid
        if high - low < 1e-12 * high:
            break
    return (low + high) / 2
