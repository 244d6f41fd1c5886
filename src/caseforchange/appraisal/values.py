"""Scores to values: scales with labelled points, and value functions for measured criteria.

Every scored criterion maps what the panel wrote (a point on a scale, or a measure such as £ or
a percentage) onto a common 0..1 value, so that weights can add criteria together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from caseforchange.domain.criteria import Criterion, Direction, Scale, ValueFunction
from caseforchange.domain.problems import Path, Problem

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ValueMap:
    """How one criterion turns raw scores into 0..1 values.

    ``xs``/``vs`` are the points of a piecewise-linear map (two points for a scale), clamped
    outside. ``scale`` is set for scale criteria, so raw scores can be checked against it.
    """

    criterion: str
    xs: tuple[float, ...]
    vs: tuple[float, ...]
    scale: Scale | None = None
    unit: str | None = None

    @property
    def affine(self) -> bool:
        """True when the map is a single straight line (every scale criterion)."""
        return len(self.xs) == 2

    def __call__(self, raw: float) -> float:
        """Return the 0..1 value of one raw score."""
        return float(np.interp(raw, self.xs, self.vs))

    def apply(self, raw: FloatArray) -> FloatArray:
        """Return the 0..1 values of an array of raw scores (same shape)."""
        return np.interp(raw, self.xs, self.vs)


def scale_value(raw: float, scale: Scale, direction: Direction = Direction.MAXIMISE) -> float:
    """Return ``(raw - min) / (max - min)``, reversed when the criterion is minimised.

    Raises:
        ValueError: when ``raw`` lies outside the scale.
    """
    if not scale.contains(raw):
        raise ValueError(f"{raw} lies outside scale {scale.id} ({scale.min:g}..{scale.max:g})")
    value = (raw - scale.min) / (scale.max - scale.min)
    return 1.0 - value if direction is Direction.MINIMISE else value


def value_function_value(measure: float, function: ValueFunction) -> float:
    """Return the value of a measure under a piecewise-linear value function (clamped)."""
    xs = [x for x, _ in function.points]
    vs = [v for _, v in function.points]
    return float(np.interp(measure, xs, vs))


def linear_value_function(
    worst: float, best: float, unit: str, *, increasing: bool | None = None
) -> ValueFunction:
    """Return the straight-line value function that gives 0 at ``worst`` and 1 at ``best``.

    ``best`` may be below ``worst`` (e.g. cost in £: less is better). ``increasing`` is derived
    from the two ends and exists only to let callers assert it.

    Raises:
        ValueError: when ``worst == best`` or ``increasing`` contradicts the ends.
    """
    if worst == best:
        raise ValueError("a value function needs two different measures")
    if increasing is not None and increasing != (best > worst):
        raise ValueError("best and worst contradict the stated direction")
    points = [(worst, 0.0), (best, 1.0)] if best > worst else [(best, 1.0), (worst, 0.0)]
    return ValueFunction(unit=unit, points=points)


def scale_label(scale: Scale, raw: float) -> str | None:
    """Return the label of the scale point at ``raw``, or None when the point has no label."""
    for point in scale.points:
        if abs(point.value - raw) < 1e-9:
            return point.label
    return None


def value_map(
    criterion: Criterion, scales: Mapping[str, Scale], path: Path = ()
) -> ValueMap | Problem:
    """Return the criterion's map from raw scores to 0..1 values, or the problem preventing it.

    A value function wins over a scale (its direction is in its points); a scale maps linearly
    and is reversed when the criterion is minimised.
    """
    if criterion.value_function is not None:
        function = criterion.value_function
        return ValueMap(
            criterion.id,
            tuple(x for x, _ in function.points),
            tuple(v for _, v in function.points),
            unit=function.unit,
        )
    if criterion.scale is None:
        return Problem(
            (*path, "scale"),
            f"criterion '{criterion.id}' ({criterion.name}) has neither a scale nor a value "
            "function, so its scores cannot be turned into values",
        )
    scale = scales.get(criterion.scale)
    if scale is None:
        known = ", ".join(sorted(scales)) or "none"
        return Problem(
            (*path, "scale"),
            f"criterion '{criterion.id}' ({criterion.name}) uses unknown scale "
            f"'{criterion.scale}' (known: {known})",
        )
    ends = (0.0, 1.0) if criterion.direction is Direction.MAXIMISE else (1.0, 0.0)
    return ValueMap(criterion.id, (scale.min, scale.max), ends, scale=scale)
