"""AHP pairwise comparisons as a form: the groups compared, Saaty's scale, judgements <-> matrix.

A group's comparison matrix (``framework.weighting.ahp[group]``) has one row and column per
weighted sibling, in tree order; the form asks only for the upper triangle (each pair once,
in either direction) and fills the diagonal and reciprocals itself, so what is saved is always
a well-formed matrix and only the consistency of the judgements is left to check.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from caseforchange.appraisal.weights import ROOT, framework_weights
from caseforchange.domain.criteria import CriteriaFramework, Weighting, WeightingMethod
from caseforchange.domain.problems import InvalidInput, Problem

#: Saaty's verbal scale: how much more important one criterion is than another (2, 4, 6 and
#: 8 lie between the odd ones; Saaty calls 2 "weak or slight").
INTENSITY: dict[int, str] = {
    2: "slightly",
    3: "moderately",
    4: "moderately to strongly",
    5: "strongly",
    6: "strongly to very strongly",
    7: "very strongly",
    8: "very strongly to extremely",
    9: "extremely",
}

#: Every judgement on Saaty's 1-9 scale, as the form sends it, and the matrix entry it means.
SCALE: dict[str, float] = {
    **{str(n): float(n) for n in range(9, 0, -1)},
    **{f"1/{n}": 1.0 / n for n in range(2, 10)},
}

# A stored entry within 2% of a scale value is that value (1/3 saved as 0.333), as the engine
# allows for reciprocals.
_TOLERANCE = 0.02


@dataclass(frozen=True)
class Group:
    """Criteria compared with each other: the top level (``root``) or one parent's children."""

    key: str
    name: str
    members: tuple[tuple[str, str], ...]  # (id, name), in the order of the matrix rows


def comparison_groups(framework: CriteriaFramework) -> list[Group]:
    """Return the groups that need a comparison matrix (two or more weighted members).

    Which siblings share a matrix is the engine's rule (hurdles, and groups whose every leaf is
    a hurdle, take no part); it is read from the engine's equal weights, which need no matrix,
    so the rule is not written twice.
    """
    equal = framework.model_copy(update={"weighting": Weighting(method=WeightingMethod.EQUAL)})
    try:
        weights = framework_weights(equal)
    except InvalidInput:
        return []  # no scored criteria: nothing to compare
    names = {c.id: c.name for c in framework.walk()}
    members: dict[str, list[str]] = {}
    for cid in weights.local:  # depth first, in tree order
        members.setdefault(weights.parents.get(cid, ROOT), []).append(cid)
    return [
        Group(
            key,
            "Top-level criteria" if key == ROOT else names[key],
            tuple((cid, names[cid]) for cid in ids),
        )
        for key, ids in members.items()
        if len(ids) > 1
    ]


def pair_name(i: int, j: int) -> str:
    """Return the form field of the judgement between members ``i`` and ``j`` (either order)."""
    return f"pair-{min(i, j)}-{max(i, j)}"


def pairs(n: int) -> list[tuple[int, int]]:
    """Return every pair (i, j) with i < j of ``n`` members, in reading order."""
    return [(i, j) for i in range(n) for j in range(i + 1, n)]


def choices(first: str, second: str) -> list[tuple[str, str]]:
    """Return the judgements between two criteria as (form value, what it says).

    They run from ``first`` extremely more important to ``second`` extremely more important.

    Each names only the criterion that matters more: the field's label names both, and a
    shorter option is not cut off in a narrow select.
    """
    ahead = [(str(n), f"{first} is {INTENSITY[n]} more important ({n})") for n in range(9, 1, -1)]
    behind = [
        (f"1/{n}", f"{second} is {INTENSITY[n]} more important (1/{n})") for n in range(2, 10)
    ]
    return [*ahead, ("1", "Both are equally important (1)"), *behind]


def judgement_text(entry: float) -> str:
    """Return the form value of a matrix entry: a scale value when it is one, else the number."""
    for text, value in SCALE.items():
        if abs(entry / value - 1.0) <= _TOLERANCE:
            return text
    return f"{entry:g}"


def fits(matrix: Any, n: int) -> bool:
    """True when ``matrix`` is an n x n list of positive numbers (a matrix for n members)."""
    if not isinstance(matrix, list) or len(matrix) != n:
        return False
    return all(
        isinstance(row, list)
        and len(row) == n
        and all(isinstance(x, int | float) and x > 0 for x in row)
        for row in matrix
    )


def judgements(matrix: Sequence[Sequence[float]]) -> dict[str, str]:
    """Return the form value of each pair's judgement in a stored matrix (its upper triangle)."""
    return {pair_name(i, j): judgement_text(matrix[i][j]) for i, j in pairs(len(matrix))}


def read_judgements(
    post: Mapping[str, str], n: int, kept: Mapping[str, str]
) -> tuple[list[list[float]] | None, list[Problem]]:
    """Return the comparison matrix a form describes, or None with a problem per bad pair.

    A judgement is a value on Saaty's scale ("5", "1/3"), or the stored entry shown unchanged
    (``kept``: a matrix imported from a file may hold numbers off the scale, such as 2.5).

    Returns:
        The matrix (ones on the diagonal, reciprocals below), and problems whose path is the
        pair's form field.
    """
    matrix = [[1.0] * n for _ in range(n)]
    problems: list[Problem] = []
    for i, j in pairs(n):
        name = pair_name(i, j)
        text = post.get(name, "").strip()
        if not text:
            problems.append(Problem((name,), "choose which matters more, and by how much"))
            continue
        value = SCALE.get(text)
        if value is None and text == kept.get(name):
            value = float(text)
        if value is None:
            problems.append(
                Problem(
                    (name,),
                    f"'{text}' is not on Saaty's scale: choose a judgement from the list "
                    "(1 to 9, or 1/2 to 1/9)",
                )
            )
            continue
        matrix[i][j], matrix[j][i] = value, 1.0 / value
    return (None if problems else matrix), problems


def swap_members(weighting: dict[str, Any], group: str, i: int, j: int) -> None:
    """Swap members ``i`` and ``j`` of a group's stored matrix (rows and columns), in place.

    Called when two criteria change places in the tree, so each judgement stays with the
    criteria it is about. A matrix too small for the indices is left alone.
    """
    matrix = (weighting.get("ahp") or {}).get(group)
    if not isinstance(matrix, list) or max(i, j) >= len(matrix):
        return
    order = list(range(len(matrix)))
    order[i], order[j] = j, i
    weighting["ahp"][group] = [[matrix[r][c] for c in order] for r in order]
