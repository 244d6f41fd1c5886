"""Samplers for SMAA: weight vectors under what is known about the weights, and uncertain scores.

Weights (all exact, every vector sums to 1):

- :class:`UniformSimplex`: no preference information. Uniform on the simplex, drawn as
  normalised standard exponentials (a Dirichlet(1, ..., 1) draw).
- :class:`OrderedSimplex`: rankings of criteria, given as weak orders over disjoint sets of
  criteria (e.g. ``w3 >= w1 >= w4`` or tiers such as ``{w1, w2} >= w5``). The uniform
  distribution on the simplex is exchangeable, so sorting the drawn values of the ranked
  criteria into rank order (and shuffling within a tier) maps each ordering region onto the
  required one with equal volume: the result is exactly uniform on the constrained region,
  with no rejection. A full ranking of all criteria is the special case the literature calls
  "sample the simplex and sort".
- :class:`RejectionSimplex`: any other linear constraints ``A w <= b`` (weight intervals,
  rankings of groups of criteria) when a pilot run shows that at least 5% of uniform draws
  meet them: draws from the simplex, keeping those that meet the constraints. Exact.
- :class:`HitAndRun`: the same constraints when they cut the simplex down too far for
  rejection (which, with many criteria, is the usual case). A Markov chain whose stationary
  distribution is uniform on the polytope; ``chains`` independent chains run side by side as one
  NumPy array. Each chain starts at the Chebyshev centre (the centre of the largest ball inside
  the region), discards ``burn_in`` steps, then keeps one state every ``thinning`` steps.
  Defaults for m criteria: 200 chains, ``burn_in = 10 m^2``, ``thinning = m^2``. Hit-and-run
  needs of the order of m^2 steps to forget where it was: measured on 20 criteria, the lag-one
  autocorrelation of a weight between kept states is 0.77 with thinning 2m and 0.19 with m^2.
  Kept states are still correlated along a chain, so :func:`~caseforchange.appraisal.smaa.smaa2`
  takes the acceptabilities' standard errors from the spread between the independent chains
  (sample ``g`` comes from chain ``g mod chains``); the tests check the sampler's marginals
  against exact distributions the same way.

Scores: :class:`ScoreSampler` draws each uncertain cell independently from its distribution
(uniform on [low, high]; triangular with mode; beta in the PERT form
``alpha = 1 + 4 (mode - low) / (high - low)``, ``beta = 1 + 4 (high - mode) / (high - low)``,
whose mean is ``(low + 4 mode + high) / 6``) and maps the draw through the criterion's value
function.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt
from scipy.optimize import linprog

from caseforchange.appraisal.matrix import KIND_CODE, DecisionMatrix
from caseforchange.appraisal.weights import FrameworkWeights
from caseforchange.domain.criteria import CriteriaFramework, Criterion
from caseforchange.domain.panels import Distribution
from caseforchange.domain.problems import InvalidInput, Path, Problem
from caseforchange.domain.programme import AppraisalSettings, WeightInformation

FloatArray = npt.NDArray[np.float64]


class WeightSampler(Protocol):
    """Anything that draws weight vectors: ``draw`` returns a (count, dimension) array."""

    @property
    def dimension(self) -> int:
        """The number of criteria."""
        ...

    def draw(self, rng: np.random.Generator, count: int) -> FloatArray:
        """Return ``count`` weight vectors as rows that each sum to 1."""
        ...

    def describe(self) -> dict[str, object]:
        """Return the method and its settings, for the result's record."""
        ...


@dataclass
class FixedWeights:
    """Always the same weights: SMAA then explores only the uncertainty in the scores."""

    weights: tuple[float, ...]

    @property
    def dimension(self) -> int:
        """The number of criteria."""
        return len(self.weights)

    def draw(self, rng: np.random.Generator, count: int) -> FloatArray:
        """Return ``count`` copies of the weights."""
        return np.tile(np.asarray(self.weights, dtype=np.float64), (count, 1))

    def describe(self) -> dict[str, object]:
        """Return the method name."""
        return {"method": "exact weights"}


@dataclass
class UniformSimplex:
    """Uniform on all weight vectors (no preference information)."""

    m: int

    @property
    def dimension(self) -> int:
        """The number of criteria."""
        return self.m

    def draw(self, rng: np.random.Generator, count: int) -> FloatArray:
        """Return ``count`` weight vectors uniform on the simplex (normalised exponentials)."""
        w = rng.standard_exponential((count, self.m))
        w /= w.sum(axis=1, keepdims=True)
        return w

    def describe(self) -> dict[str, object]:
        """Return the method name."""
        return {"method": "uniform on the simplex (Dirichlet(1) via normalised exponentials)"}


@dataclass
class OrderedSimplex:
    """Uniform on the weight vectors that respect one or more rankings of criteria.

    ``orders`` holds weak orders over disjoint criteria; each weak order is a list of tiers (lists
    of criterion indices), most important tier first.
    """

    m: int
    orders: list[list[list[int]]]

    def __post_init__(self) -> None:
        used = [i for order in self.orders for tier in order for i in tier]
        if len(used) != len(set(used)) or any(not 0 <= i < self.m for i in used):
            raise ValueError("rankings must use distinct criterion indices within range")

    @property
    def dimension(self) -> int:
        """The number of criteria."""
        return self.m

    def draw(self, rng: np.random.Generator, count: int) -> FloatArray:
        """Return ``count`` weight vectors uniform on the ranked region of the simplex."""
        w = UniformSimplex(self.m).draw(rng, count)
        for order in self.orders:
            index = [i for tier in order for i in tier]
            w[:, index] = -np.sort(-w[:, index], axis=1)
            for tier in order:
                if len(tier) > 1:
                    w[:, tier] = rng.permuted(w[:, tier], axis=1)
        return w

    def describe(self) -> dict[str, object]:
        """Return the method name and the rankings."""
        return {"method": "uniform on the simplex, sorted into rank order", "rankings": self.orders}


def chebyshev_centre(a: FloatArray, b: FloatArray, m: int) -> tuple[FloatArray, float]:
    """Return the centre and radius of the largest ball in ``{w >= 0, sum w = 1, A w <= b}``.

    Distances are measured within the plane ``sum w = 1``, where the chain moves.

    Raises:
        ValueError: when the region is empty or has no interior.
    """
    g = np.vstack([-np.eye(m), a]) if a.size else -np.eye(m)
    h = np.concatenate([np.zeros(m), b]) if b.size else np.zeros(m)
    projected = g - g.mean(axis=1, keepdims=True)
    norms = np.linalg.norm(projected, axis=1)
    c = np.zeros(m + 1)
    c[-1] = -1.0
    a_ub = np.hstack([g, norms[:, None]])
    a_eq = np.concatenate([np.ones(m), [0.0]])[None, :]
    bounds = [(None, None)] * m + [(0.0, None)]
    solved = linprog(c, A_ub=a_ub, b_ub=h, A_eq=a_eq, b_eq=[1.0], bounds=bounds, method="highs")
    if solved.status != 0:
        raise ValueError("no weight vector satisfies the constraints")
    radius = float(solved.x[-1])
    if radius <= 1e-9:
        raise ValueError("the constraints leave no room for the weights to vary")
    return np.asarray(solved.x[:m], dtype=np.float64), radius


@dataclass
class HitAndRun:
    """Uniform on ``{w >= 0, sum w = 1, A w <= b}`` by hit-and-run with parallel chains."""

    m: int
    a: FloatArray
    b: FloatArray
    chains: int = 200
    burn_in: int | None = None
    thinning: int | None = None
    _state: FloatArray | None = field(default=None, repr=False)
    _driver: np.random.Generator | None = field(default=None, repr=False)
    _spare: FloatArray = field(default_factory=lambda: np.zeros((0, 0)), repr=False)
    _g: FloatArray = field(init=False, repr=False)
    _h: FloatArray = field(init=False, repr=False)
    _start: FloatArray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        a = np.asarray(self.a, dtype=np.float64).reshape(-1, self.m)
        b = np.asarray(self.b, dtype=np.float64).reshape(-1)
        self.a, self.b = a, b
        self._g = np.vstack([-np.eye(self.m), a])
        self._h = np.concatenate([np.zeros(self.m), b])
        self._start, _ = chebyshev_centre(a, b, self.m)
        if self.burn_in is None:
            self.burn_in = 10 * self.m**2
        if self.thinning is None:
            self.thinning = max(10, self.m**2)

    @property
    def dimension(self) -> int:
        """The number of criteria."""
        return self.m

    def _step(self, rng: np.random.Generator, x: FloatArray) -> FloatArray:
        d = rng.standard_normal(x.shape)
        d -= d.mean(axis=1, keepdims=True)
        d /= np.linalg.norm(d, axis=1, keepdims=True)
        # w >= 0 needs no matrix product: along x + t d, coordinate j reaches 0 at t = -x_j/d_j.
        t0 = np.divide(-x, d, out=np.zeros_like(x), where=d != 0)
        upper = np.where(d < 0, t0, np.inf).min(axis=1)
        lower = np.where(d > 0, t0, -np.inf).max(axis=1)
        if self.b.size:
            ad = d @ self.a.T
            slack = np.maximum(self.b[None, :] - x @ self.a.T, 0.0)
            ta = np.divide(slack, ad, out=np.zeros_like(slack), where=ad != 0)
            upper = np.minimum(upper, np.where(ad > 0, ta, np.inf).min(axis=1))
            lower = np.maximum(lower, np.where(ad < 0, ta, -np.inf).max(axis=1))
        t = lower + rng.random(len(x)) * (upper - lower)
        x = x + t[:, None] * d
        # Keep the chain on the simplex despite rounding drift.
        np.maximum(x, 0.0, out=x)
        x /= x.sum(axis=1, keepdims=True)
        return x

    def draw(self, rng: np.random.Generator, count: int) -> FloatArray:
        """Return ``count`` weight vectors, continuing the chains from the previous call.

        The chains belong to the generator that drives them: a call with another generator
        (such as a new SMAA run) starts fresh chains from the Chebyshev centre, so a reused
        sampler gives the same draws for the same seed.
        """
        if rng is not self._driver:
            self._driver, self._state = rng, None
            self._spare = np.zeros((0, 0))
        if self._state is None:
            x = np.tile(self._start, (self.chains, 1))
            for _ in range(int(self.burn_in or 0)):
                x = self._step(rng, x)
            self._state = x
        kept = [self._spare] if self._spare.size else []
        have = len(self._spare) if self._spare.size else 0
        x = self._state
        while have < count:
            for _ in range(int(self.thinning or 1)):
                x = self._step(rng, x)
            kept.append(x.copy())
            have += len(x)
        self._state = x
        stacked = np.vstack(kept)
        self._spare = stacked[count:]
        return stacked[:count]

    def describe(self) -> dict[str, object]:
        """Return the method with its chains, burn-in and thinning."""
        return {
            "method": "hit-and-run on the constrained simplex",
            "chains": self.chains,
            "burn_in": self.burn_in,
            "thinning": self.thinning,
            "start": "Chebyshev centre",
            "constraints": len(self.b),
        }


def interval_constraints(
    members: Sequence[Sequence[int]], intervals: Sequence[tuple[float, float]], m: int
) -> tuple[FloatArray, FloatArray]:
    """Return ``A, b`` such that ``lo <= sum(w[members]) <= hi`` for each interval."""
    rows: list[FloatArray] = []
    bounds: list[float] = []
    for leaves, (lo, hi) in zip(members, intervals, strict=True):
        row = np.zeros(m)
        row[list(leaves)] = 1.0
        rows.extend([-row, row])
        bounds.extend([-lo, hi])
    return np.array(rows).reshape(-1, m), np.array(bounds)


def order_constraints(
    members: Sequence[Sequence[int]], ranks: Sequence[int], m: int
) -> tuple[FloatArray, FloatArray]:
    """Return ``A, b`` such that a group with a better (smaller) rank weighs at least as much.

    Only consecutive distinct ranks are constrained; the rest follow by transitivity.
    """
    rows: list[FloatArray] = []
    levels = sorted(set(ranks))
    for better, worse in itertools.pairwise(levels):
        for i, rank_i in enumerate(ranks):
            for k, rank_k in enumerate(ranks):
                if rank_i == better and rank_k == worse:
                    row = np.zeros(m)
                    row[list(members[k])] += 1.0
                    row[list(members[i])] -= 1.0
                    rows.append(row)
    return np.array(rows).reshape(-1, m), np.zeros(len(rows))


@dataclass
class RejectionSimplex:
    """Uniform on ``{w >= 0, sum w = 1, A w <= b}`` by keeping the uniform draws that fit.

    Exact; only efficient when a fair share of the simplex meets the constraints.
    """

    m: int
    a: FloatArray
    b: FloatArray
    acceptance: float

    @property
    def dimension(self) -> int:
        """The number of criteria."""
        return self.m

    def draw(self, rng: np.random.Generator, count: int) -> FloatArray:
        """Return ``count`` weight vectors that meet the constraints."""
        kept: list[FloatArray] = []
        have = 0
        while have < count:
            batch = int((count - have) / max(self.acceptance, 1e-3) * 1.2) + 64
            w = UniformSimplex(self.m).draw(rng, batch)
            w = w[np.all(w @ self.a.T <= self.b[None, :], axis=1)]
            kept.append(w)
            have += len(w)
        return np.vstack(kept)[:count]

    def describe(self) -> dict[str, object]:
        """Return the method with the pilot's acceptance rate."""
        return {
            "method": "uniform on the simplex, keeping draws that meet the constraints",
            "pilot_acceptance": round(self.acceptance, 4),
            "constraints": len(self.b),
        }


#: Smallest pilot acceptance rate at which exact rejection is used instead of hit-and-run.
REJECTION_FROM = 0.05
#: Uniform draws in the pilot run that measures the acceptance rate.
PILOT_DRAWS = 20_000


def feasible_sampler(
    m: int, a: FloatArray, b: FloatArray, path: Path, what: str, *, seed: int = 0
) -> WeightSampler:
    """Return a sampler that is uniform on the weights meeting ``A w <= b``.

    That is an exact rejection sampler when the constraints keep at least 5% of the simplex,
    else a hit-and-run sampler.

    Raises:
        InvalidInput: when no weight vector meets the constraints, or they fix the weights.
    """
    try:
        chebyshev_centre(a, b, m)
    except ValueError as error:
        raise InvalidInput([Problem(path, f"{what}: {error}")]) from None
    pilot = UniformSimplex(m).draw(np.random.default_rng(seed), PILOT_DRAWS)
    acceptance = float(np.mean(np.all(pilot @ a.T <= b[None, :], axis=1)))
    if acceptance >= REJECTION_FROM:
        return RejectionSimplex(m, a, b, acceptance)
    return HitAndRun(m, a, b)


class ScoreSampler:
    """Draws decision matrices of 0..1 values from the uncertain scores of a matrix.

    A column whose value map is a straight line over every cell's range (no point of the map
    lies strictly inside a range) is sampled as ``base + scale * u`` with ``u`` drawn on the
    range; any other column draws the raw score on its range and maps it through the
    criterion's clamped piecewise-linear value function, so a range that runs past the end of
    a value function spends the right share of its draws on the flat part.
    """

    def __init__(self, matrix: DecisionMatrix) -> None:
        """Prepare the per-cell offsets and scales; see the class docstring."""
        n, m = matrix.values.shape
        self.shape = (n, m)
        kind = matrix.kind.reshape(-1)
        low = matrix.low.reshape(-1)
        high = matrix.high.reshape(-1)
        mode = matrix.mode.reshape(-1)
        width = np.where(high > low, high - low, 1.0)
        position = np.clip((mode - low) / width, 0.0, 1.0)
        self.triangular = np.flatnonzero(kind == KIND_CODE[Distribution.TRIANGULAR])
        self.tri_mode = position[self.triangular]
        self.beta = np.flatnonzero(kind == KIND_CODE[Distribution.BETA])
        self.beta_a = 1.0 + 4.0 * position[self.beta]
        self.beta_b = 1.0 + 4.0 * (1.0 - position[self.beta])
        self.nonlinear = [j for j, f in enumerate(matrix.maps) if _bends_inside(f.xs, matrix, j)]
        offset = np.empty((n, m))
        scale = np.empty((n, m))
        for j, f in enumerate(matrix.maps):
            offset[:, j] = f.apply(matrix.low[:, j])
            scale[:, j] = f.apply(matrix.high[:, j]) - offset[:, j]
        point = matrix.kind == 0
        offset[point] = matrix.values[point]
        scale[point] = 0.0
        for j in self.nonlinear:
            # Point cells of a nonlinear column pass through the map like the others.
            offset[:, j], scale[:, j] = 0.0, 1.0
        #: Uniform, straight-line cells only: the draw ``v`` on [1, 2) is used as it comes, and
        #: ``base`` absorbs the shift (``offset + scale * (v - 1) = (offset - scale) + scale v``).
        self.plain = not (self.triangular.size or self.beta.size or self.nonlinear)
        self.offset = offset
        self.scale = scale
        self.scale32 = scale.astype(np.float32)
        self.base = offset - scale if self.plain else offset
        self.base32 = self.base.astype(np.float32)
        #: The largest absolute deviation a draw can produce (for rounding bounds).
        self.bound = float(
            max(
                np.abs(scale).max(initial=0.0) * (2.0 if self.plain else 1.0),
                1.0 if self.nonlinear else 0.0,
            )
        )
        self.matrix = matrix

    def draw_deviations(self, rng: np.random.Generator, out: npt.NDArray[np.float32]) -> None:
        """Fill ``out`` (shape (k, options, criteria), C-contiguous) with values minus ``base``.

        Adding ``base`` afterwards gives the sampled values; callers that only need weighted
        sums can add ``weights @ base.T`` instead and save a pass over the array.
        """
        k = out.shape[0]
        uniform_bits(rng, out)
        if not self.plain:
            out -= 1.0
        flat = out.reshape(k, -1)
        if self.triangular.size:
            u = flat[:, self.triangular]
            c = self.tri_mode
            flat[:, self.triangular] = np.where(
                u < c, np.sqrt(u * c), 1.0 - np.sqrt((1.0 - u) * (1.0 - c))
            )
        if self.beta.size:
            flat[:, self.beta] = rng.beta(self.beta_a, self.beta_b, size=(k, self.beta.size))
        for j in self.nonlinear:
            f = self.matrix.maps[j]
            low = self.matrix.low[:, j]
            spread = self.matrix.high[:, j] - low
            out[:, :, j] = f.apply(low[None, :] + spread[None, :] * out[:, :, j])
        out *= self.scale32

    def draw(self, rng: np.random.Generator, out: npt.NDArray[np.float32]) -> None:
        """Fill ``out`` (shape (k, options, criteria)) with sampled 0..1 values."""
        self.draw_deviations(rng, out)
        out += self.base32


def _bends_inside(xs: Sequence[float], matrix: DecisionMatrix, j: int) -> bool:
    """Return True when a point of column j's value map lies strictly inside a cell's range.

    Outside its end points a map is flat (clamped), so its first and last points count too.
    """
    points = np.asarray(xs, dtype=np.float64)[None, :]
    low = matrix.low[:, j][:, None]
    high = matrix.high[:, j][:, None]
    return bool(np.any((points > low) & (points < high)))


def uniform_bits(rng: np.random.Generator, out: npt.NDArray[np.float32]) -> None:
    """Fill ``out`` (C-contiguous float32) with independent uniform draws on [1, 2).

    Each 64-bit output of the generator gives two draws: 23 random bits each, placed in the
    mantissa of a float32 whose exponent fixes it in [1, 2). This is about twice as fast as
    ``Generator.random(dtype=float32)``; the same generator state gives the same draws.
    """
    count = out.size
    raw = rng.bit_generator.random_raw((count + 1) // 2)
    bits = np.asarray(raw, dtype=np.uint64).view(np.uint32)[:count]
    target = out.reshape(-1).view(np.uint32)
    np.right_shift(bits, 9, out=target)
    np.bitwise_or(target, np.uint32(0x3F800000), out=target)


def sampler_for(
    framework: CriteriaFramework,
    settings: AppraisalSettings,
    weights: FrameworkWeights,
) -> WeightSampler:
    """Return the weight sampler for the programme's ``appraisal.weight_information``.

    ``exact``: the elicited weights; ``none``: uniform on the simplex; ``ranking``: the
    criteria's ``rank`` among their siblings (a lower rank weighs at least as much; equal ranks
    are unordered); ``intervals``: ``weight_intervals`` bound each named criterion's global
    weight (a fraction of 1). Rankings among leaf siblings use the exact sorting sampler;
    rankings of groups and intervals use hit-and-run.

    Raises:
        InvalidInput: when the ranking or intervals are missing, name unknown criteria, are out
            of 0..1, or leave no weight vector that meets them.
    """
    m = len(weights.leaves)
    info = settings.weight_information
    if info is WeightInformation.EXACT:
        return FixedWeights(weights.leaf_weights)
    if info is WeightInformation.NONE:
        return UniformSimplex(m)
    if info is WeightInformation.RANKING:
        return _ranking_sampler(framework, weights)
    return _interval_sampler(settings, weights)


def _ranking_sampler(framework: CriteriaFramework, weights: FrameworkWeights) -> WeightSampler:
    m = len(weights.leaves)
    groups: dict[str, list[Criterion]] = {}
    for criterion in framework.walk():
        if criterion.id in weights.members and criterion.rank is not None:
            groups.setdefault(weights.parents.get(criterion.id, "root"), []).append(criterion)
    groups = {g: c for g, c in groups.items() if len({x.rank for x in c}) > 1}
    if not groups:
        raise InvalidInput(
            [
                Problem(
                    ("appraisal", "weight_information"),
                    "weight information is 'ranking' but no two sibling criteria have different "
                    "ranks; give criteria a rank (1 = most important)",
                )
            ]
        )
    leaf_only = all(all(c.is_leaf for c in members) for members in groups.values())
    if leaf_only:
        orders = []
        for members in groups.values():
            tiers: dict[int, list[int]] = {}
            for c in members:
                assert c.rank is not None
                tiers.setdefault(c.rank, []).append(weights.members[c.id][0])
            orders.append([tiers[r] for r in sorted(tiers)])
        return OrderedSimplex(m, orders)
    rows, bounds = [], []
    for members in groups.values():
        a, b = order_constraints(
            [weights.members[c.id] for c in members], [int(c.rank or 0) for c in members], m
        )
        rows.append(a)
        bounds.append(b)
    return feasible_sampler(
        m,
        np.vstack(rows),
        np.concatenate(bounds),
        ("appraisal", "weight_information"),
        "the criteria ranking",
    )


def _interval_sampler(settings: AppraisalSettings, weights: FrameworkWeights) -> WeightSampler:
    m = len(weights.leaves)
    intervals = settings.weight_intervals
    problems: list[Problem] = []
    if not intervals:
        problems.append(
            Problem(
                ("appraisal", "weight_intervals"),
                "weight information is 'intervals' but no weight_intervals are given",
            )
        )
    members, bounds = [], []
    for criterion, (lo, hi) in intervals.items():
        path: Path = ("appraisal", "weight_intervals", criterion)
        if criterion not in weights.members:
            problems.append(
                Problem(path, f"'{criterion}' is not a weighted criterion of the framework")
            )
        elif not lo <= hi <= 1.0:
            problems.append(
                Problem(
                    path,
                    f"the weight interval of criterion '{criterion}' must satisfy "
                    f"0 <= low <= high <= 1 (a fraction of the total weight); got {lo:g}..{hi:g}",
                )
            )
        else:
            members.append(weights.members[criterion])
            bounds.append((lo, hi))
    if problems:
        raise InvalidInput(problems)
    a, b = interval_constraints(members, bounds, m)
    return feasible_sampler(m, a, b, ("appraisal", "weight_intervals"), "the weight intervals")
