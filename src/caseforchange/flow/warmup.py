"""Choosing the warm-up period with MSER-5.

A simulation starts empty, so its first weeks look better than the steady state. MSER-5
(White 1997; Hoad, Robinson and Davies 2010) picks the truncation point that minimises the
marginal standard error of what is left:

1. take the series of the number of patients in the system, averaged over pilot replications
   and over equal slices of the horizon;
2. group it into batches of five slices and average each batch, giving ``z_1 .. z_m``;
3. for each ``d`` from 0 to ``m // 2`` compute
   ``MSER(d) = sum_{j > d} (z_j - mean(z_{d+1..m}))^2 / (m - d)^2``;
4. the warm-up is the ``d`` with the smallest value, times five slices.

Only the first half is searched, because a minimum found late in the run says the run is too
short to judge, not that it warms up late; the result then says so (``at_limit``).
"""

from __future__ import annotations

from dataclasses import dataclass

BATCH = 5


@dataclass(frozen=True)
class Warmup:
    """A chosen warm-up: its length, and the statistic it was chosen from (to chart)."""

    days: float
    batches_dropped: int
    statistic: list[float]
    at_limit: bool


def mser5(series: list[float], slice_days: float) -> Warmup:
    """Return the MSER-5 warm-up for a series of equal slices each ``slice_days`` long.

    Raises:
        ValueError: when the series is too short to form two batches.
    """
    m = len(series) // BATCH
    if m < 2:
        raise ValueError("MSER-5 needs at least 10 points in the series")
    z = [sum(series[j * BATCH : (j + 1) * BATCH]) / BATCH for j in range(m)]
    stats: list[float] = []
    for d in range(m // 2 + 1):
        rest = z[d:]
        n = len(rest)
        mean = sum(rest) / n
        stats.append(sum((x - mean) ** 2 for x in rest) / n**2)
    best = min(range(len(stats)), key=stats.__getitem__)
    return Warmup(
        days=best * BATCH * slice_days,
        batches_dropped=best,
        statistic=stats,
        at_limit=best == len(stats) - 1,
    )
