"""One-way weight sensitivity: how far a criterion's weight can move before the ranking changes.

When one criterion's weight is set to ``x`` and every other weight is rescaled proportionally so
the weights still sum to 1, each option's total is a straight line in ``x``:
``T_i(x) = B_i + x (A_i - B_i)``, where ``A_i`` is the option's value on that criterion (for a
group, its sub-criteria in their fixed proportions) and ``B_i`` its weighted value on all the
others. The top option stays on top while its line is highest, an interval of ``x``; ranks
change where two lines cross.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from caseforchange.appraisal.totals import TIE_TOLERANCE, ranking

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class RankChange:
    """At ``weight``, ``overtaker`` draws level with and then passes ``overtaken`` as it rises."""

    weight: float
    overtaker: str
    overtaken: str


@dataclass
class CriterionSensitivity:
    """Sensitivity of the ranking to one criterion's weight.

    ``top_interval`` is the range of the weight within which ``top`` stays first (ties
    allowed); ``below``/``above`` name the option that leads just outside it (None when the
    interval reaches 0 or 1). ``rank_changes`` are every crossing in 0..1, lowest weight first;
    ``stable`` gives, per option, the weight range around the current weight in which its rank
    does not change.
    """

    criterion: str
    weight: float
    is_leaf: bool
    top: str
    top_interval: tuple[float, float]
    below: str | None
    above: str | None
    rank_changes: list[RankChange] = field(default_factory=list)
    stable: dict[str, tuple[float, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class TornadoBar:
    """One bar of a tornado chart: the top option's lead at a lower and a higher weight.

    ``margin`` is the top option's total minus the best other option's total (negative when it
    no longer leads).
    """

    criterion: str
    weight: float
    weight_low: float
    weight_high: float
    margin_low: float
    margin_high: float
    total_low: float
    total_high: float


@dataclass
class Sensitivity:
    """Per-criterion sensitivity and tornado chart data (widest bar first)."""

    criteria: list[CriterionSensitivity]
    tornado: list[TornadoBar]
    swing: float


def _lines(
    values: FloatArray, weights: FloatArray, members: Sequence[int], inner: Mapping[int, float]
) -> tuple[FloatArray, FloatArray] | None:
    inside = np.zeros(len(weights), dtype=bool)
    inside[list(members)] = True
    own = float(weights[inside].sum())
    rest = 1.0 - own
    if rest <= 1e-12:
        return None
    shares = np.zeros(len(weights))
    if own > 0:
        shares[inside] = weights[inside] / own
    else:
        for j in members:
            shares[j] = inner.get(j, 1.0 / len(members))
    a = values @ shares
    others = np.where(inside, 0.0, weights) / rest
    b = values @ others
    return a, b


def criterion_sensitivity(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    options: Sequence[str],
    criterion: str,
    members: Sequence[int],
    *,
    inner: Mapping[int, float] | None = None,
    is_leaf: bool = True,
) -> CriterionSensitivity | None:
    """Return the sensitivity of the ranking to the weight of one criterion (or group).

    ``members`` are the criterion's columns in ``values``; ``inner`` their shares within the
    criterion, used when its current weight is zero. Returns None when the criterion holds all
    the weight, so there is nothing to trade it against.
    """
    v = np.asarray(values, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    lines = _lines(v, w, members, inner or {})
    if lines is None:
        return None
    a, b = lines
    slope = a - b
    current = float(w[list(members)].sum())
    totals_now = b + current * slope
    order = ranking(totals_now)
    top = order[0]
    lo, hi = 0.0, 1.0
    below: str | None = None
    above: str | None = None
    for i in range(len(options)):
        if i == top:
            continue
        gap0 = b[top] - b[i]
        gap_slope = slope[top] - slope[i]
        if abs(gap_slope) < 1e-15:
            continue
        cross = -gap0 / gap_slope
        if gap_slope > 0 and cross > lo:
            lo, below = min(cross, current), options[i]
        elif gap_slope < 0 and cross < hi:
            hi, above = max(cross, current), options[i]
    changes: list[RankChange] = []
    stable = {o: (0.0, 1.0) for o in options}
    for i in range(len(options)):
        for k in range(i + 1, len(options)):
            d_slope = slope[i] - slope[k]
            if abs(d_slope) < 1e-15:
                continue
            x = (b[k] - b[i]) / d_slope
            if not 0.0 < x < 1.0 or abs(x - current) < TIE_TOLERANCE:
                continue
            riser, faller = (i, k) if d_slope > 0 else (k, i)
            changes.append(RankChange(float(x), options[riser], options[faller]))
            for j in (i, k):
                low, high = stable[options[j]]
                if x < current:
                    stable[options[j]] = (max(low, float(x)), high)
                else:
                    stable[options[j]] = (low, min(high, float(x)))
    changes.sort(key=lambda c: c.weight)
    return CriterionSensitivity(
        criterion,
        current,
        is_leaf,
        options[top],
        (float(lo), float(hi)),
        below,
        above,
        changes,
        stable,
    )


def tornado_bar(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    criterion: str,
    members: Sequence[int],
    top: int,
    swing: float,
) -> TornadoBar | None:
    """Return the top option's lead when the criterion's weight is ``(1 -/+ swing)`` times its own.

    Returns None when the criterion holds all the weight.
    """
    v = np.asarray(values, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    lines = _lines(v, w, members, {})
    if lines is None:
        return None
    a, b = lines
    current = float(w[list(members)].sum())
    low, high = current * (1 - swing), min(1.0, current * (1 + swing))

    def lead(x: float) -> tuple[float, float]:
        totals = b + x * (a - b)
        others = np.delete(totals, top)
        best_other = float(others.max()) if others.size else float("-inf")
        return float(totals[top] - best_other), float(totals[top])

    margin_low, total_low = lead(low)
    margin_high, total_high = lead(high)
    return TornadoBar(criterion, current, low, high, margin_low, margin_high, total_low, total_high)


def weight_sensitivity(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    options: Sequence[str],
    criteria: Mapping[str, Sequence[int]],
    *,
    leaves: Sequence[str] = (),
    inner: Mapping[str, Mapping[int, float]] | None = None,
    swing: float = 0.5,
) -> Sensitivity:
    """Return one-way sensitivity for every criterion in ``criteria`` and tornado chart data.

    ``criteria`` maps each criterion (leaf or group) to its columns in ``values``; ``leaves``
    names the leaf criteria; ``swing`` is the relative weight change of the tornado bars.
    """
    results: list[CriterionSensitivity] = []
    bars: list[TornadoBar] = []
    totals = np.asarray(values, dtype=np.float64) @ np.asarray(weights, dtype=np.float64)
    top = ranking(totals)[0]
    for name, members in criteria.items():
        found = criterion_sensitivity(
            values,
            weights,
            options,
            name,
            members,
            inner=(inner or {}).get(name),
            is_leaf=name in leaves,
        )
        if found is not None:
            results.append(found)
        if len(options) > 1:
            bar = tornado_bar(values, weights, name, members, top, swing)
            if bar is not None:
                bars.append(bar)
    bars.sort(key=lambda bar: -abs(bar.margin_high - bar.margin_low))
    return Sensitivity(results, bars, swing)
