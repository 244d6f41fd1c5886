"""The decision matrix: short-listed options by scored criteria, as 0..1 values with ranges.

Built from a programme's scores after panel aggregation. Point values feed the weighted sum;
the ranges (low, mode, high and a distribution per cell) feed SMAA's score sampling.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from caseforchange.appraisal.panels import (
    CellScores,
    Disagreement,
    combine_panels,
    disagreement,
    group_scores,
    panel_weights,
)
from caseforchange.appraisal.values import ValueMap, value_map
from caseforchange.appraisal.weights import criterion_paths, scored_leaves
from caseforchange.domain.criteria import Scale
from caseforchange.domain.panels import Distribution, Score
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.domain.programme import Programme

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int8]

#: Integer codes of the distributions, used in vectorised sampling.
KIND_CODE: dict[Distribution, int] = {
    Distribution.POINT: 0,
    Distribution.UNIFORM: 1,
    Distribution.TRIANGULAR: 2,
    Distribution.BETA: 3,
}


def _identity_maps(criteria: Sequence[str]) -> list[ValueMap]:
    return [ValueMap(c, (0.0, 1.0), (0.0, 1.0)) for c in criteria]


@dataclass
class DecisionMatrix:
    """Options (rows) by criteria (columns).

    ``values`` are the point values on 0..1. ``low``/``mode``/``high`` are the raw-score ranges
    (in each criterion's own units) and ``kind`` the distribution code per cell
    (:data:`KIND_CODE`); ``maps[j]`` turns criterion j's raw scores into values.
    """

    options: list[str]
    criteria: list[str]
    values: FloatArray
    low: FloatArray
    mode: FloatArray
    high: FloatArray
    kind: IntArray
    maps: list[ValueMap]

    @property
    def uncertain(self) -> bool:
        """True when at least one score is a range rather than a point."""
        return bool(np.any(self.kind != 0))

    @classmethod
    def from_values(
        cls,
        values: npt.ArrayLike,
        options: Sequence[str] | None = None,
        criteria: Sequence[str] | None = None,
    ) -> DecisionMatrix:
        """Return a matrix of known 0..1 values with no uncertainty (for notebooks and tests).

        Raises:
            ValueError: when ``values`` is not a 2-D array matching the names.
        """
        v = np.array(values, dtype=np.float64)
        if v.ndim != 2:
            raise ValueError("values must be a 2-D array: options by criteria")
        opts = list(options) if options is not None else [f"o{i + 1}" for i in range(v.shape[0])]
        crit = list(criteria) if criteria is not None else [f"c{j + 1}" for j in range(v.shape[1])]
        if (len(opts), len(crit)) != v.shape:
            raise ValueError("names do not match the shape of values")
        return cls(
            opts,
            crit,
            v,
            v.copy(),
            v.copy(),
            v.copy(),
            np.zeros(v.shape, np.int8),
            _identity_maps(crit),
        )

    @classmethod
    def from_ranges(
        cls,
        low: npt.ArrayLike,
        high: npt.ArrayLike,
        mode: npt.ArrayLike | None = None,
        distribution: Distribution = Distribution.UNIFORM,
        options: Sequence[str] | None = None,
        criteria: Sequence[str] | None = None,
    ) -> DecisionMatrix:
        """Return a matrix of 0..1 value ranges, all with one distribution (notebooks, tests).

        The point value is ``mode`` when given, else the midpoint.

        Raises:
            ValueError: when shapes differ or ``low > high`` somewhere.
        """
        lo = np.array(low, dtype=np.float64)
        hi = np.array(high, dtype=np.float64)
        mid = (lo + hi) / 2 if mode is None else np.array(mode, dtype=np.float64)
        if lo.shape != hi.shape or mid.shape != lo.shape or lo.ndim != 2:
            raise ValueError("low, high and mode must be 2-D arrays of one shape")
        if np.any(lo > hi) or np.any(mid < lo) or np.any(mid > hi):
            raise ValueError("need low <= mode <= high in every cell")
        matrix = cls.from_values(mid, options, criteria)
        matrix.low, matrix.high, matrix.mode = lo, hi, mid
        code = KIND_CODE[distribution]
        matrix.kind = np.where(hi > lo, code, 0).astype(np.int8)
        return matrix


@dataclass
class Scoring:
    """The decision matrix of a programme with what panels contributed to it.

    ``panel_values[p]`` is panel p's own 0..1 value matrix (NaN where p gave no score);
    ``sources[(option, criterion)]`` is the number of scores behind each cell.
    """

    matrix: DecisionMatrix
    panel_values: dict[str, FloatArray]
    panel_weights: dict[str, float]
    disagreement: Disagreement
    sources: dict[tuple[str, str], int] = field(default_factory=dict)


def _check_against_scale(index: int, score: Score, scale: Scale) -> list[Problem]:
    who = f" by member '{score.member}'" if score.member else ""
    who += f" of panel '{score.panel}'" if score.panel else ""
    problems = []
    for name in ("value", "low", "high"):
        raw = getattr(score, name)
        if raw is not None and not scale.contains(raw):
            problems.append(
                Problem(
                    ("scores", index, name),
                    f"{name} {raw:g} for option '{score.option}' on criterion '{score.criterion}'"
                    f"{who} lies outside scale '{scale.id}' ({scale.min:g}..{scale.max:g})",
                )
            )
    return problems


def build_matrix(
    programme: Programme, scales: Mapping[str, Scale], options: Sequence[str] | None = None
) -> Scoring:
    """Return the decision matrix of ``options`` (default: all) over the scored leaf criteria.

    Raises:
        InvalidInput: listing every missing score (naming the option and criterion, or the
            criterion when nobody scored it), every score outside its scale (naming the option,
            criterion and member), criteria with no usable scale, and panel problems.
    """
    framework = programme.framework
    paths = criterion_paths(framework)
    leaves = scored_leaves(framework)
    option_ids = list(options) if options is not None else [o.id for o in programme.options]
    option_path = {o.id: ("options", i) for i, o in enumerate(programme.options)}
    problems: list[Problem] = []

    maps: list[ValueMap] = []
    for leaf in leaves:
        found = value_map(leaf, scales, paths[leaf.id])
        if isinstance(found, Problem):
            problems.append(found)
        else:
            maps.append(found)
    if problems:
        raise InvalidInput(problems)
    map_of = {m.criterion: m for m in maps}

    for index, score in enumerate(programme.scores):
        known = map_of.get(score.criterion)
        if known is not None and known.scale is not None and score.option in option_ids:
            problems.extend(_check_against_scale(index, score, known.scale))
    weights = panel_weights(programme.panels, programme.scores)
    cells = group_scores(programme.scores, programme.panels)
    if problems:
        raise InvalidInput(problems)

    method = programme.appraisal.aggregation
    n, m = len(option_ids), len(leaves)
    values = np.zeros((n, m))
    low, mode, high = np.zeros((n, m)), np.zeros((n, m)), np.zeros((n, m))
    kind = np.zeros((n, m), dtype=np.int8)
    panel_values: dict[str, FloatArray] = {p: np.full((n, m), np.nan) for p in weights}
    sources: dict[tuple[str, str], int] = {}

    for j, leaf in enumerate(leaves):
        column_missing = [o for o in option_ids if (o, leaf.id) not in cells]
        if len(column_missing) == n and n > 1:
            problems.append(
                Problem(
                    paths[leaf.id],
                    f"criterion '{leaf.id}' ({leaf.name}) has no scores for any option "
                    f"({', '.join(option_ids)}); score it or remove it",
                )
            )
            continue
        for i, option in enumerate(option_ids):
            cell: CellScores | None = cells.get((option, leaf.id))
            by_panel = {p: cell.panel_estimate(p, method) for p in cell.panels()} if cell else {}
            combined = combine_panels(by_panel, weights)
            if combined is None:
                scored_by = (
                    f" (only by zero-weight panels {', '.join(by_panel)})" if by_panel else ""
                )
                problems.append(
                    Problem(
                        option_path.get(option, ("scores",)),
                        f"option '{option}' has no score on criterion '{leaf.id}' ({leaf.name})"
                        f"{scored_by}; a missing score is never taken as zero",
                    )
                )
                continue
            for p, estimate in by_panel.items():
                panel_values[p][i, j] = maps[j](estimate.value)
            sources[(option, leaf.id)] = (
                len(cell.agreed) + sum(len(v) for v in cell.members.values()) if cell else 0
            )
            values[i, j] = maps[j](combined.value)
            low[i, j], mode[i, j], high[i, j] = combined.low, combined.value, combined.high
            kind[i, j] = KIND_CODE[combined.kind]
    if problems:
        raise InvalidInput(problems)

    relevant = {k: c for k, c in cells.items() if k[0] in option_ids}
    divided = disagreement(relevant, {m_.criterion: m_ for m_ in maps}, method)
    matrix = DecisionMatrix(option_ids, [c.id for c in leaves], values, low, mode, high, kind, maps)
    return Scoring(matrix, panel_values, weights, divided, sources)
