"""Criteria weights: direct points, swing, rank-order centroid, AHP, and the hierarchy.

Weights in a criteria tree are local: each group of siblings shares its parent's weight. A leaf's
global weight is the product of the normalised local weights on the way down from the root.
Hurdles are pass/fail tests, not weighted, and take no share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from caseforchange.appraisal.ahp import AhpResult, ahp_group_weights
from caseforchange.domain.criteria import CriteriaFramework, Criterion, WeightingMethod
from caseforchange.domain.problems import InvalidInput, Path, Problem

#: The key of the top level of the tree in ``Weighting.ahp``.
ROOT = "root"


def normalise(points: Sequence[float], names: Sequence[str], path: Path = ()) -> tuple[float, ...]:
    """Return ``points`` divided by their sum, so the weights add up to 1.

    Raises:
        InvalidInput: when a point is negative or not finite, or the points sum to zero; the
            message names the criteria.
    """
    bad = [n for n, p in zip(names, points, strict=True) if not (p >= 0 and p < float("inf"))]
    if bad:
        raise InvalidInput([Problem(path, f"weights must be zero or positive: {', '.join(bad)}")])
    total = float(sum(points))
    if total <= 0:
        raise InvalidInput(
            [
                Problem(
                    path,
                    f"the weights of {', '.join(names)} sum to zero; give at least one a "
                    "positive weight",
                )
            ]
        )
    return tuple(float(p) / total for p in points)


def direct_weights(
    points: Sequence[float], names: Sequence[str], path: Path = ()
) -> tuple[float, ...]:
    """Return weights from points allocated directly (e.g. 100 points shared out), normalised.

    Raises:
        InvalidInput: when the points are negative or sum to zero.
    """
    return normalise(points, names, path)


def swing_weights(
    swings: Sequence[float], names: Sequence[str], path: Path = ()
) -> tuple[float, ...]:
    """Return weights from swing weighting, normalised to sum to 1.

    Each swing is the value of moving that criterion from worst to best, rated against the most
    valued swing (conventionally 100). Only the ratios matter, so the top need not be exactly 100.

    Raises:
        InvalidInput: when a swing is negative or all swings are zero.
    """
    return normalise(swings, names, path)


def rank_order_centroid(ranks: Sequence[int]) -> tuple[float, ...]:
    """Return rank-order-centroid weights: ``w_k = (1/n) * sum(1/i for i in k..n)``.

    ``ranks`` gives each criterion's rank (1 = most important). Tied criteria share the average
    of the centroid weights of the positions they occupy, so ``[1, 1, 3]`` and ``[1, 1, 2]`` give
    the same result.

    Raises:
        ValueError: when ``ranks`` is empty or a rank is below 1.
    """
    n = len(ranks)
    if n == 0:
        raise ValueError("rank-order centroid needs at least one criterion")
    if min(ranks) < 1:
        raise ValueError("ranks start at 1")
    centroid = [sum(1.0 / i for i in range(k, n + 1)) / n for k in range(1, n + 1)]
    order = sorted(range(n), key=lambda i: ranks[i])
    weights = [0.0] * n
    position = 0
    while position < n:
        end = position
        while end + 1 < n and ranks[order[end + 1]] == ranks[order[position]]:
            end += 1
        shared = sum(centroid[position : end + 1]) / (end - position + 1)
        for k in range(position, end + 1):
            weights[order[k]] = shared
        position = end + 1
    return tuple(weights)


def criterion_paths(framework: CriteriaFramework) -> dict[str, Path]:
    """Return the field path of every criterion by id.

    For example ``("framework", "criteria", 1, "children", 0)``.
    """
    paths: dict[str, Path] = {}

    def visit(criteria: Sequence[Criterion], prefix: Path) -> None:
        for index, criterion in enumerate(criteria):
            here = (*prefix, index)
            paths[criterion.id] = here
            visit(criterion.children, (*here, "children"))

    visit(framework.criteria, ("framework", "criteria"))
    return paths


def scored_leaves(framework: CriteriaFramework) -> list[Criterion]:
    """Return the leaf criteria that are scored and weighted (hurdles excluded), in file order."""
    return [c for c in framework.leaves() if not c.hurdle]


def _weighted_children(criteria: Sequence[Criterion]) -> list[Criterion]:
    # A group whose every leaf is a hurdle adds nothing to the weighted sum.
    return [
        c
        for c in criteria
        if not c.hurdle and any(not leaf.hurdle for leaf in c.walk() if leaf.is_leaf)
    ]


@dataclass
class FrameworkWeights:
    """The weights of a criteria tree.

    ``leaves`` are the scored leaf ids in file order and ``leaf_weights`` their global weights
    (summing to 1). ``local`` and ``global_`` hold every weighted node's local and global weight;
    ``members`` gives, for every weighted node, the indices of its leaves in ``leaves``.
    """

    method: WeightingMethod
    leaves: list[str]
    leaf_weights: tuple[float, ...]
    local: dict[str, float]
    global_: dict[str, float]
    members: dict[str, tuple[int, ...]]
    parents: dict[str, str]
    ahp: dict[str, AhpResult] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def framework_weights(framework: CriteriaFramework) -> FrameworkWeights:
    """Return the local and global weights of every weighted criterion in the framework.

    Each sibling group is weighted by ``framework.weighting.method``: direct and swing normalise
    the ``weight`` points (all missing means equal); rank-order centroid uses ``rank``; AHP uses
    the comparison matrix under the parent's id (``"root"`` for the top level); equal shares
    evenly.

    Raises:
        InvalidInput: when a group has some weights but not all, weights sum to zero, ranks or an
            AHP matrix are missing, or an AHP matrix is malformed or too inconsistent.
    """
    weighting = framework.weighting
    method = weighting.method
    paths = criterion_paths(framework)
    leaves = scored_leaves(framework)
    leaf_index = {c.id: i for i, c in enumerate(leaves)}
    local: dict[str, float] = {}
    global_: dict[str, float] = {}
    members: dict[str, tuple[int, ...]] = {}
    parents: dict[str, str] = {}
    ahp: dict[str, AhpResult] = {}
    warnings: list[str] = []
    problems: list[Problem] = []

    if not leaves:
        raise InvalidInput(
            [
                Problem(
                    ("framework", "criteria"), "the framework has no scored criteria (only hurdles)"
                )
            ]
        )

    def group_weights(group: str, children: list[Criterion]) -> tuple[float, ...]:
        names = [c.id for c in children]
        if len(children) == 1:
            return (1.0,)
        group_path: Path = (
            ("framework", "criteria") if group == ROOT else (*paths[group], "children")
        )
        if method in (WeightingMethod.DIRECT, WeightingMethod.SWING):
            given = [c.weight for c in children]
            if all(w is None for w in given):
                return tuple(1.0 / len(children) for _ in children)
            missing = [c.id for c in children if c.weight is None]
            if missing:
                raise InvalidInput(
                    [
                        Problem(
                            (*paths[m], "weight"),
                            f"criterion '{m}' has no weight but its siblings in '{group}' do; "
                            "give every sibling a weight, or none",
                        )
                        for m in missing
                    ]
                )
            points = [float(w) for w in given if w is not None]
            if method is WeightingMethod.SWING:
                return swing_weights(points, names, group_path)
            return direct_weights(points, names, group_path)
        if method is WeightingMethod.RANK_ORDER_CENTROID:
            missing = [c.id for c in children if c.rank is None]
            if missing:
                raise InvalidInput(
                    [
                        Problem(
                            (*paths[m], "rank"),
                            f"criterion '{m}' in '{group}' needs a rank for rank-order "
                            "centroid weights",
                        )
                        for m in missing
                    ]
                )
            return rank_order_centroid([c.rank for c in children if c.rank is not None])
        if method is WeightingMethod.AHP:
            matrix = weighting.ahp.get(group)
            if matrix is None:
                raise InvalidInput(
                    [
                        Problem(
                            ("framework", "weighting", "ahp"),
                            f"no AHP comparison matrix for '{group}' (over {', '.join(names)})",
                        )
                    ]
                )
            result = ahp_group_weights(
                matrix,
                names,
                ("framework", "weighting", "ahp", group),
                group=group,
                accept_inconsistency=weighting.accept_inconsistency,
            )
            ahp[group] = result
            if not result.consistent:
                warnings.append(
                    f"AHP comparisons for '{group}' are inconsistent (CR "
                    f"{result.consistency_ratio:.3f} > 0.1), accepted by the framework"
                )
            return result.weights
        return tuple(1.0 / len(children) for _ in children)

    def visit(group: str, children: list[Criterion], parent_weight: float) -> None:
        weighted = _weighted_children(children)
        if not weighted:
            return
        try:
            shares = group_weights(group, weighted)
        except InvalidInput as error:
            problems.extend(error.problems)
            return
        for child, share in zip(weighted, shares, strict=True):
            local[child.id] = share
            global_[child.id] = parent_weight * share
            if group != ROOT:
                parents[child.id] = group
            members[child.id] = tuple(
                leaf_index[c.id] for c in child.walk() if c.is_leaf and c.id in leaf_index
            )
            visit(child.id, child.children, parent_weight * share)

    visit(ROOT, list(framework.criteria), 1.0)
    if problems:
        raise InvalidInput(problems)
    leaf_weights = tuple(global_.get(c.id, 0.0) for c in leaves)
    if sum(leaf_weights) <= 0:
        raise InvalidInput(
            [Problem(("framework", "criteria"), "every scored criterion has weight zero")]
        )
    return FrameworkWeights(
        method,
        [c.id for c in leaves],
        leaf_weights,
        local,
        global_,
        members,
        parents,
        ahp,
        warnings,
    )
