"""Scores to values: scales with labelled points, and value functions for measured criteria.

Every scored criterion maps what the panel wrote (a point on a scale, or a measure such as £ or
a percentage) onto a common 0..1 value, so that weights can add criteria together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from caseforchange.domain.criteria import Criterion, Direction, Scale
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

    def __call__(self, raw: float) -> float:
        """Return the 0..1 value of one raw score."""
        return float(np.interp(raw, self.xs, self.vs))

    def apply(self, raw: FloatArray) -> FloatArray:
        """Return the 0..1 values of an array of raw scores (same shape)."""
        return np.interp(raw, self.xs, self.vs)


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
