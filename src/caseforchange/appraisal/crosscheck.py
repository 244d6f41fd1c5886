"""Method cross-check: the same decision matrix through established MCDA methods from pymcdm.

TOPSIS, PROMETHEE II (usual preference function) and VIKOR (v = 0.5) rank the options on the
0..1 values and global weights used by the weighted sum. Values are already oriented so that
more is better, so every criterion is a benefit criterion. Criteria on which every option has
the same value cannot separate options and make some methods divide by zero; they are left out
(and listed), with the remaining weights renormalised.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from pymcdm.helpers import rankdata
from pymcdm.methods import PROMETHEE_II, TOPSIS, VIKOR

from caseforchange.appraisal.totals import competition_ranks

#: The methods compared, in report order.
METHODS = ("weighted sum", "TOPSIS", "PROMETHEE II", "VIKOR")


@dataclass
class CrossCheck:
    """Ranks of each option by each method (1 = best; ties share the better rank).

    ``ranks[method][option]``; ``scores[method][option]`` is the method's own preference score
    (for VIKOR lower is better). ``agree`` is True when every method puts the same option first.
    """

    ranks: dict[str, dict[str, int]]
    scores: dict[str, dict[str, float]]
    dropped_criteria: list[str] = field(default_factory=list)
    agree: bool = True
    note: str | None = None


def _competition(preferences: npt.NDArray[np.float64], higher_is_better: bool) -> list[int]:
    # pymcdm averages tied ranks; report the shared better rank like the rest of the appraisal.
    average = rankdata(preferences, reverse=higher_is_better)
    return [int(r) for r in competition_ranks(-np.asarray(average, dtype=np.float64))]


def cross_check(
    values: npt.ArrayLike, weights: npt.ArrayLike, options: Sequence[str], criteria: Sequence[str]
) -> CrossCheck:
    """Return the ranks of the options by weighted sum, TOPSIS, PROMETHEE II and VIKOR.

    With fewer than two options, or no criterion that separates them, only the weighted sum is
    reported and ``note`` says why.
    """
    v = np.asarray(values, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    totals = v @ w
    ranks = {
        "weighted sum": dict(zip(options, (int(r) for r in competition_ranks(totals)), strict=True))
    }
    scores = {"weighted sum": {o: float(t) for o, t in zip(options, totals, strict=True)}}
    varies = (v.max(axis=0) - v.min(axis=0) > 1e-12) & (w > 0)
    dropped = [c for c, keep in zip(criteria, varies, strict=True) if not keep]
    if len(options) < 2 or not varies.any():
        return CrossCheck(
            ranks, scores, dropped, True, "fewer than two options or no criterion separates them"
        )
    matrix = v[:, varies]
    kept_weights = w[varies] / w[varies].sum()
    types = np.ones(matrix.shape[1])
    note: str | None = None
    for name, method, higher in (
        ("TOPSIS", TOPSIS(), True),
        ("PROMETHEE II", PROMETHEE_II("usual"), True),
        ("VIKOR", VIKOR(), False),
    ):
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            # pymcdm warns about dominant options; dominance is a finding, not an error here.
            warnings.simplefilter("ignore", UserWarning)
            preferences = np.asarray(method(matrix, kept_weights, types), dtype=np.float64)
        if not np.isfinite(preferences).all():
            note = f"{name} could not separate the options (its scores are undefined)"
            continue
        ranks[name] = dict(zip(options, _competition(preferences, higher), strict=True))
        scores[name] = {o: float(p) for o, p in zip(options, preferences, strict=True)}
    firsts = {frozenset(o for o, r in by_option.items() if r == 1) for by_option in ranks.values()}
    return CrossCheck(ranks, scores, dropped, len(firsts) == 1, note)
