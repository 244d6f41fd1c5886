"""Weight samplers against exact distributions; tolerances come from standard errors."""

from __future__ import annotations

import numpy as np
import pytest

from caseforchange.appraisal.matrix import DecisionMatrix
from caseforchange.appraisal.sampling import (
    HitAndRun,
    OrderedSimplex,
    RejectionSimplex,
    ScoreSampler,
    UniformSimplex,
    feasible_sampler,
    interval_constraints,
    order_constraints,
    uniform_bits,
)
from caseforchange.appraisal.values import ValueMap
from caseforchange.domain.panels import Distribution
from caseforchange.domain.problems import InvalidInput


def _within(estimate: np.ndarray, exact: np.ndarray, se: np.ndarray, k: float = 4.0) -> None:
    assert np.all(np.abs(estimate - exact) <= k * se), (estimate, exact, se)


def test_uniform_simplex_moments() -> None:
    m, n = 5, 200_000
    w = UniformSimplex(m).draw(np.random.default_rng(1), n)
    assert np.allclose(w.sum(axis=1), 1.0)
    # Dirichlet(1,...,1): E[w] = 1/m, Var[w] = (m-1) / (m^2 (m+1)).
    se = np.sqrt((m - 1) / (m**2 * (m + 1)) / n)
    _within(w.mean(axis=0), np.full(m, 1 / m), np.full(m, se))


def test_full_ranking_mean_is_the_rank_order_centroid() -> None:
    # The centroid of {w1 >= w2 >= w3} on the simplex is the ROC vector (11, 5, 2) / 18.
    n = 200_000
    w = OrderedSimplex(3, [[[0], [1], [2]]]).draw(np.random.default_rng(2), n)
    assert np.all(w[:, 0] >= w[:, 1]) and np.all(w[:, 1] >= w[:, 2])
    _within(w.mean(axis=0), np.array([11, 5, 2]) / 18, w.std(axis=0) / np.sqrt(n))


def test_partial_ranking_with_a_tier() -> None:
    # {w0, w1} >= w2, w3 free: the region is symmetric in w0, w1.
    w = OrderedSimplex(4, [[[0, 1], [2]]]).draw(np.random.default_rng(3), 100_000)
    assert np.all(np.minimum(w[:, 0], w[:, 1]) >= w[:, 2])
    assert abs(w[:, 0].mean() - w[:, 1].mean()) < 4 * np.hypot(
        w[:, 0].std(), w[:, 1].std()
    ) / np.sqrt(len(w))


def _chain_se(sampler: HitAndRun, w: np.ndarray) -> np.ndarray:
    # Chains are independent; rows cycle through the chains, so each chain's mean is one draw.
    per_chain = w.reshape(-1, sampler.chains, w.shape[1]).mean(axis=0)
    return np.asarray(per_chain.std(axis=0, ddof=1) / np.sqrt(sampler.chains))


def test_hit_and_run_with_a_ranking_matches_the_centroid() -> None:
    a, b = order_constraints([[0], [1], [2]], [1, 2, 3], 3)
    sampler = HitAndRun(3, a, b, chains=200)
    w = sampler.draw(np.random.default_rng(4), 40_000)
    assert np.all(w @ a.T <= 1e-9)
    _within(w.mean(axis=0), np.array([11, 5, 2]) / 18, _chain_se(sampler, w))


def test_hit_and_run_interval_matches_exact_conditional_mean() -> None:
    # On the 3-simplex w0 has density 2 (1 - x); given w0 <= 0.5,
    # E[w0] = int_0^.5 x (1 - x) dx / int_0^.5 (1 - x) dx = (1/8 - 1/24) / (3/8) = 2/9.
    a, b = interval_constraints([[0]], [(0.0, 0.5)], 3)
    sampler = HitAndRun(3, a, b, chains=200)
    w = sampler.draw(np.random.default_rng(5), 40_000)
    assert w[:, 0].max() <= 0.5 + 1e-9
    _within(w[:, :1].mean(axis=0), np.array([2 / 9]), _chain_se(sampler, w)[:1])


def test_hit_and_run_mixes_in_twenty_dimensions() -> None:
    # Loose intervals leave the simplex whole: w0 ~ Beta(1, 19), so P(w0 > 0.1) = 0.9^19.
    a, b = interval_constraints([[0]], [(0.0, 1.0)], 20)
    sampler = HitAndRun(20, a, b, chains=500, burn_in=2000, thinning=40)
    w = sampler.draw(np.random.default_rng(6), 50_000)
    share = (w[:, 0] > 0.1).astype(float)[:, None]
    _within(share.mean(axis=0), np.array([0.9**19]), _chain_se(sampler, share))


def test_loose_constraints_use_exact_rejection_and_tight_ones_hit_and_run() -> None:
    loose = interval_constraints([[0]], [(0.0, 0.5)], 3)
    sampler = feasible_sampler(3, *loose, ("x",), "intervals")
    assert isinstance(sampler, RejectionSimplex)
    w = sampler.draw(np.random.default_rng(8), 100_000)
    _within(w[:, :1].mean(axis=0), np.array([2 / 9]), w[:, :1].std(axis=0) / np.sqrt(len(w)))
    tight = interval_constraints([[j] for j in range(10)], [(0.05, 0.08)] * 10, 20)
    assert isinstance(feasible_sampler(20, *tight, ("x",), "intervals"), HitAndRun)


def test_infeasible_intervals_are_refused() -> None:
    a, b = interval_constraints([[0], [1]], [(0.6, 0.9), (0.6, 0.9)], 3)
    with pytest.raises(InvalidInput) as error:
        feasible_sampler(3, a, b, ("appraisal", "weight_intervals"), "the weight intervals")
    assert "no weight vector" in error.value.problems[0].message


def test_score_distributions_have_their_exact_means() -> None:
    low, high = np.zeros((1, 3)), np.ones((1, 3))
    mode = np.array([[0.5, 0.9, 0.2]])
    matrix = DecisionMatrix.from_ranges(low, high, mode, Distribution.TRIANGULAR)
    matrix.kind[0, 2] = 3  # beta (PERT): mean (low + 4 mode + high) / 6
    cube = np.empty((100_000, 1, 3), dtype=np.float32)
    ScoreSampler(matrix).draw(np.random.default_rng(7), cube)
    draws = cube[:, 0, :].astype(np.float64)
    exact = np.array([0.5, (0 + 0.9 + 1) / 3, (0 + 4 * 0.2 + 1) / 6])
    _within(draws.mean(axis=0), exact, draws.std(axis=0) / np.sqrt(len(draws)))
    assert draws.min() >= 0 and draws.max() <= 1


def test_uniform_bits_are_uniform_on_one_to_two_and_repeatable() -> None:
    out = np.empty((100_000, 3), dtype=np.float32)
    uniform_bits(np.random.default_rng(5), out)
    assert out.min() >= 1.0 and out.max() < 2.0
    # U(1, 2): mean 1.5, variance 1/12.
    _within(out.mean(axis=0), np.full(3, 1.5), np.full(3, np.sqrt(1 / 12 / 100_000)))
    _within(out.var(axis=0), np.full(3, 1 / 12), np.full(3, 0.0012))
    again = np.empty_like(out)
    uniform_bits(np.random.default_rng(5), again)
    assert np.array_equal(out, again)


def test_a_range_past_the_end_of_a_value_function_is_clamped() -> None:
    # Value 1 up to 100, falling to 0 at 200; raw scores uniform on 50..150. Half the draws
    # lie on the flat part (value 1), half fall from 1 to 0.5 (mean 0.75): mean 0.875, and
    # P(value > 0.9) = P(raw < 110) = 0.6. A cell inside one piece (120..180) stays linear.
    f = ValueMap("wait", (100.0, 200.0), (1.0, 0.0))
    matrix = DecisionMatrix.from_ranges([[50.0], [120.0]], [[150.0], [180.0]], criteria=["wait"])
    matrix.maps = [f]
    sampler = ScoreSampler(matrix)
    assert sampler.nonlinear == [0]
    cube = np.empty((200_000, 2, 1), dtype=np.float32)
    sampler.draw(np.random.default_rng(3), cube)
    a, b = cube[:, 0, 0].astype(np.float64), cube[:, 1, 0].astype(np.float64)
    se = np.sqrt(0.25 / len(a))
    _within(np.array([a.mean(), np.mean(a > 0.9)]), np.array([0.875, 0.6]), np.array([se, se]))
    assert a.max() <= 1.0 and a.min() >= 0.5 - 1e-6
    assert b.min() >= 0.2 - 1e-6 and b.max() <= 0.8 + 1e-6
    _within(np.array([b.mean()]), np.array([0.5]), np.array([b.std() / np.sqrt(len(b))]))


def test_a_range_inside_one_piece_of_a_value_function_is_sampled_as_a_line() -> None:
    f = ValueMap("wait", (0.0, 100.0, 200.0), (0.0, 0.8, 1.0))
    matrix = DecisionMatrix.from_ranges([[10.0]], [[90.0]], criteria=["wait"])
    matrix.maps = [f]
    sampler = ScoreSampler(matrix)
    assert sampler.nonlinear == []
    cube = np.empty((100_000, 1, 1), dtype=np.float32)
    sampler.draw(np.random.default_rng(8), cube)
    # 0.008 per unit: uniform on 0.08..0.72, mean 0.4.
    assert cube.min() >= 0.08 - 1e-6 and cube.max() <= 0.72 + 1e-6
    _within(np.array([cube.mean()]), np.array([0.4]), np.array([cube.std() / np.sqrt(1e5)]))
