"""Weighted totals, contributions and ranks with ties made explicit."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Totals closer than this are a tie: far below any difference a panel could mean.
TIE_TOLERANCE = 1e-9


def weighted_totals(values: npt.ArrayLike, weights: npt.ArrayLike) -> FloatArray:
    """Return each option's weighted sum of values (``values @ weights``).

    Raises:
        ValueError: when the number of weights differs from the number of criteria.
    """
    v = np.asarray(values, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if v.ndim != 2 or w.shape != (v.shape[1],):
        raise ValueError(f"need one weight per criterion ({v.shape[-1]}), got {w.shape}")
    return v @ w


def contributions(values: npt.ArrayLike, weights: npt.ArrayLike) -> FloatArray:
    """Return each option's contribution from each criterion (value times weight).

    Each row sums to the option's weighted total.
    """
    v = np.asarray(values, dtype=np.float64)
    return v * np.asarray(weights, dtype=np.float64)[None, :]


def competition_ranks(totals: npt.ArrayLike, tolerance: float = TIE_TOLERANCE) -> IntArray:
    """Return ranks (1 = best) where tied options share the better rank ("1, 2, 2, 4")."""
    t = np.asarray(totals, dtype=np.float64)
    better = t[None, :] > t[:, None] + tolerance
    return np.asarray(better.sum(axis=1) + 1, dtype=np.int64)


def ranking(totals: npt.ArrayLike, tolerance: float = TIE_TOLERANCE) -> list[int]:
    """Return option indices best first; tied options keep their input order."""
    ranks = competition_ranks(totals, tolerance)
    return sorted(range(len(ranks)), key=lambda i: (int(ranks[i]), i))


def tie_groups(totals: npt.ArrayLike, tolerance: float = TIE_TOLERANCE) -> list[list[int]]:
    """Return the groups of two or more options sharing a rank, best group first."""
    ranks = competition_ranks(totals, tolerance)
    groups: dict[int, list[int]] = {}
    for i in ranking(totals, tolerance):
        groups.setdefault(int(ranks[i]), []).append(i)
    return [g for _, g in sorted(groups.items()) if len(g) > 1]
