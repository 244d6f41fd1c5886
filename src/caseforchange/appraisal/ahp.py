"""Analytic Hierarchy Process: weights from a pairwise comparison matrix, with consistency.

Weights are the normalised principal eigenvector; the consistency index is
``CI = (lambda_max - n) / (n - 1)`` and the consistency ratio ``CR = CI / RI(n)`` with Saaty's
random index. Saaty's rule of thumb treats ``CR > 0.1`` as too inconsistent to use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from caseforchange.domain.problems import InvalidInput, Path, Problem

#: Saaty's random consistency index by matrix size (Saaty, The Analytic Hierarchy Process, 1980).
RANDOM_INDEX: dict[int, float] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
}

#: Saaty's threshold above which a comparison matrix is too inconsistent to use.
CR_LIMIT = 0.1

# Users type 1/3 as 0.33 or 0.333; a reciprocal within 2% is what they meant.
_RECIPROCAL_TOLERANCE = 0.02


@dataclass(frozen=True)
class AhpResult:
    """Weights of one comparison matrix and how consistent the judgements were."""

    weights: tuple[float, ...]
    lambda_max: float
    consistency_index: float
    random_index: float
    consistency_ratio: float

    @property
    def consistent(self) -> bool:
        """True when the consistency ratio is within Saaty's 0.1."""
        return self.consistency_ratio <= CR_LIMIT


def check_matrix(
    matrix: Sequence[Sequence[float]], names: Sequence[str], path: Path
) -> list[Problem]:
    """Return the problems with a pairwise comparison matrix over ``names`` (empty when fine).

    A valid matrix is square with one row per criterion, has positive entries, ones on the
    diagonal and reciprocal pairs (``a[j][i] == 1 / a[i][j]``).
    """
    n = len(names)
    listed = ", ".join(names)
    if len(matrix) != n or any(len(row) != n for row in matrix):
        return [
            Problem(
                path,
                f"the comparison matrix must be {n}x{n}, one row and column for each of {listed}",
            )
        ]
    problems: list[Problem] = []
    for i in range(n):
        for j in range(n):
            a = matrix[i][j]
            if not (a > 0 and np.isfinite(a)):
                problems.append(
                    Problem(
                        (*path, i, j),
                        f"comparison of '{names[i]}' with '{names[j]}' must be positive (got {a})",
                    )
                )
    if problems:
        return problems
    for i in range(n):
        if abs(matrix[i][i] - 1.0) > 1e-9:
            problems.append(Problem((*path, i, i), f"'{names[i]}' compared with itself must be 1"))
        for j in range(i + 1, n):
            product = matrix[i][j] * matrix[j][i]
            if abs(product - 1.0) > _RECIPROCAL_TOLERANCE:
                problems.append(
                    Problem(
                        (*path, j, i),
                        f"comparison of '{names[j]}' with '{names[i]}' ({matrix[j][i]:g}) must be "
                        f"the reciprocal of '{names[i]}' with '{names[j]}' ({matrix[i][j]:g})",
                    )
                )
    return problems


def ahp_weights(matrix: Sequence[Sequence[float]]) -> AhpResult:
    """Return the principal-eigenvector weights and consistency ratio of a comparison matrix.

    Raises:
        ValueError: when the matrix is not square, has non-positive entries, or is larger
            than Saaty's random index table (10 criteria).
    """
    a = np.asarray(matrix, dtype=np.float64)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise ValueError("an AHP comparison matrix must be square")
    if np.any(a <= 0):
        raise ValueError("AHP comparisons must be positive")
    n = a.shape[0]
    if n not in RANDOM_INDEX:
        raise ValueError(f"AHP supports at most {max(RANDOM_INDEX)} criteria per group (got {n})")
    eigenvalues, eigenvectors = np.linalg.eig(a)
    # Perron-Frobenius: a positive matrix has a real dominant eigenvalue with a positive vector.
    k = int(np.argmax(eigenvalues.real))
    lambda_max = float(eigenvalues[k].real)
    vector = np.abs(eigenvectors[:, k].real)
    weights = vector / vector.sum()
    ci = (lambda_max - n) / (n - 1) if n > 2 else 0.0
    ri = RANDOM_INDEX[n]
    cr = ci / ri if ri > 0 else 0.0
    return AhpResult(tuple(float(w) for w in weights), lambda_max, ci, ri, max(cr, 0.0))


def ahp_group_weights(
    matrix: Sequence[Sequence[float]],
    names: Sequence[str],
    path: Path,
    *,
    group: str,
    accept_inconsistency: bool,
) -> AhpResult:
    """Check a group's comparison matrix and return its AHP weights.

    Raises:
        InvalidInput: when the matrix is malformed, or its consistency ratio exceeds 0.1 and
            the framework does not accept inconsistency; messages name the group.
    """
    problems = check_matrix(matrix, names, path)
    if problems:
        raise InvalidInput(problems)
    try:
        result = ahp_weights(matrix)
    except ValueError as error:
        raise InvalidInput([Problem(path, f"AHP for '{group}': {error}")]) from None
    if not result.consistent and not accept_inconsistency:
        raise InvalidInput(
            [
                Problem(
                    path,
                    f"the AHP comparisons for '{group}' are inconsistent: consistency ratio "
                    f"{result.consistency_ratio:.3f} exceeds {CR_LIMIT} (lambda_max "
                    f"{result.lambda_max:.3f}); revise the comparisons or set "
                    "weighting.accept_inconsistency: true",
                )
            ]
        )
    return result
