"""Running statistics whose memory does not grow with the number of observations.

A simulation can see millions of patients; keeping every wait would make memory grow with the
horizon. These accumulators keep a fixed amount of state instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from scipy import stats as _scipy_stats


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

    __slots__ = ("counts", "floor", "gamma", "log_gamma", "max_value", "total")

    def __init__(
        self, relative_error: float = 0.005, floor: float = 1e-4, ceiling: float = 1e5
    ) -> None:
        self.gamma = (1 + relative_error) / (1 - relative_error)
        self.log_gamma = math.log(self.gamma)
        self.floor = floor
        bins = math.ceil(math.log(ceiling / floor) / self.log_gamma) + 2
        self.counts = [0] * bins
        self.total = 0
        self.max_value = 0.0

    def add(self, x: float) -> None:
        """Add one observation; returns nothing."""
        self.total += 1
        if x <= self.floor:
            self.counts[0] += 1
            return
        if x > self.max_value:
            self.max_value = x
        i = math.ceil(math.log(x / self.floor) / self.log_gamma)
        last = len(self.counts) - 1
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


class TimeAverage:
    """Time-weighted average of a level that changes at event times (queue length, caseload)."""

    __slots__ = ("area", "last_time", "level", "start")

    def __init__(self, start: float = 0.0, level: float = 0.0) -> None:
        self.start = start
        self.last_time = start
        self.level = level
        self.area = 0.0

    def set(self, time: float, level: float) -> None:
        """Record that the level changed to ``level`` at ``time``; returns nothing."""
        self.area += self.level * (time - self.last_time)
        self.last_time = time
        self.level = level

    def reset(self, time: float) -> None:
        """Forget the past: average from ``time`` on (used at the end of warm-up)."""
        self.area = 0.0
        self.start = time
        self.last_time = time

    def mean(self, time: float) -> float:
        """Return the average level from the start to ``time`` (0 over an empty interval)."""
        span = time - self.start
        if span <= 0:
            return 0.0
        return (self.area + self.level * (time - self.last_time)) / span


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


def confidence_interval(values: list[float], level: float = 0.95) -> Interval:
    """Return the mean of ``values`` with a Student-t confidence interval.

    NaN values (e.g. a quantile of no patients) are left out. With one value the interval is
    that value; with none, all NaN.
    """
    xs = [v for v in values if not math.isnan(v)]
    n = len(xs)
    if n == 0:
        return Interval(math.nan, math.nan, math.nan, 0)
    mean = math.fsum(xs) / n
    if n == 1:
        return Interval(mean, mean, mean, 1)
    var = math.fsum((x - mean) ** 2 for x in xs) / (n - 1)
    t = float(_scipy_stats.t.ppf(0.5 + level / 2, n - 1))
    half = t * math.sqrt(var / n)
    return Interval(mean, mean - half, mean + half, n)


@dataclass
class SeriesBuckets:
    """Time-averaged levels in a fixed number of equal buckets over the horizon."""

    horizon: float
    points: int
    areas: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.areas:
            self.areas = [0.0] * self.points

    def add_segment(self, t0: float, t1: float, level: float) -> None:
        """Spread ``level`` held over ``[t0, t1)`` into the buckets it covers; returns nothing."""
        if level == 0 or t1 <= t0:
            return
        width = self.horizon / self.points
        i = int(t0 / width)
        while t0 < t1 and i < self.points:
            edge = (i + 1) * width
            end = t1 if t1 < edge else edge
            self.areas[i] += level * (end - t0)
            t0 = end
            i += 1

    def averages(self) -> list[float]:
        """Return the average level in each bucket."""
        width = self.horizon / self.points
        return [a / width for a in self.areas]
