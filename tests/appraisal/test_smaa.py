"""SMAA-2 against closed-form results; tolerances are four of the result's standard errors."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from caseforchange.appraisal.matrix import DecisionMatrix, build_matrix
from caseforchange.appraisal.sampling import FixedWeights, HitAndRun, UniformSimplex
from caseforchange.appraisal.smaa import chain_means_se, meta_weights, ranks_with_ties, smaa2
from caseforchange.catalogue.scales import builtin_scales
from caseforchange.domain.panels import Distribution
from caseforchange.domain.problems import InvalidInput
from tests.appraisal.helpers import programme

K = 4.0


def test_three_criteria_simplex_volume() -> None:
    # Value differences (2, -1, -1)/2: A first iff w1 > 1/3, probability (1 - 1/3)^2 = 4/9.
    matrix = DecisionMatrix.from_values([[1, 0, 0], [0, 0.5, 0.5]], ["A", "B"])
    r = smaa2(matrix, UniformSimplex(3), 200_000, seed=11)
    p = r.rank_acceptability[0, 0]
    assert abs(p - 4 / 9) <= K * r.rank_acceptability_se[0, 0]
    assert r.rank_acceptability_se[0, 0] == pytest.approx(np.sqrt(p * (1 - p) / 200_000))
    assert r.rank_acceptability[1, 0] == pytest.approx(1 - p)
    assert r.seed == 11 and r.samples == 200_000


def test_two_criteria_acceptability_and_central_weights() -> None:
    # Differences (0.6, -0.4): A first iff w1 > 0.4, so b = 0.6; given that, w1 ~ U(0.4, 1)
    # with mean 0.7; B's central weight has w1 ~ U(0, 0.4), mean 0.2.
    matrix = DecisionMatrix.from_values([[1.0, 0.0], [0.4, 0.4]], ["A", "B"])
    r = smaa2(matrix, UniformSimplex(2), 200_000, seed=3)
    assert abs(r.rank_acceptability[0, 0] - 0.6) <= K * r.rank_acceptability_se[0, 0]
    se = r.central_weights_se
    assert abs(r.central_weights[0, 0] - 0.7) <= K * se[0, 0]
    assert abs(r.central_weights[1, 0] - 0.2) <= K * se[1, 0]
    # Standard deviation of U(0.4, 1) is 0.6 / sqrt(12).
    assert se[0, 0] == pytest.approx(0.6 / np.sqrt(12) / np.sqrt(0.6 * 200_000), rel=0.02)
    # Exact scores: each option wins at its own central weights.
    assert r.confidence.tolist() == [1.0, 1.0]
    # Holistic with centroid meta-weights for 2 ranks (1, 1/3).
    expected = r.rank_acceptability[:, 0] + r.rank_acceptability[:, 1] / 3
    assert r.holistic == pytest.approx(expected)


def test_uncertain_scores_closed_forms() -> None:
    # One criterion: A ~ U(0, 1) against B = 0.3 wins with probability 0.7.
    matrix = DecisionMatrix.from_ranges([[0.0], [0.3]], [[1.0], [0.3]], options=["A", "B"])
    r = smaa2(matrix, UniformSimplex(1), 100_000, seed=5)
    assert abs(r.rank_acceptability[0, 0] - 0.7) <= K * r.rank_acceptability_se[0, 0]
    assert abs(r.confidence[0] - 0.7) <= K * r.confidence_se[0]
    assert r.scores_uncertain


@pytest.mark.parametrize(
    ("distribution", "mode", "exact"),
    [
        (Distribution.TRIANGULAR, 1.0, 1 - 0.5**2),  # CDF x^2 when the mode is at the top
        (Distribution.BETA, 0.5, float(stats.beta(3, 3).sf(0.5))),  # PERT: Beta(3, 3)
    ],
)
def test_shaped_uncertainty(distribution: Distribution, mode: float, exact: float) -> None:
    matrix = DecisionMatrix.from_ranges(
        [[0.0], [0.5]], [[1.0], [0.5]], [[mode], [0.5]], distribution, ["A", "B"]
    )
    r = smaa2(matrix, FixedWeights((1.0,)), 100_000, seed=9)
    assert abs(r.rank_acceptability[0, 0] - exact) <= K * r.rank_acceptability_se[0, 0]


def test_identical_options_tie_explicitly() -> None:
    matrix = DecisionMatrix.from_values([[0.5, 0.5], [0.5, 0.5], [0.1, 0.2]])
    r = smaa2(matrix, UniformSimplex(2), 10_000, seed=1)
    assert r.rank_acceptability[:2, 0].tolist() == [1.0, 1.0]
    assert r.rank_acceptability[2, 2] == 1.0


def test_same_seed_same_result_whatever_the_chunks_and_threads() -> None:
    matrix = DecisionMatrix.from_ranges(
        np.random.default_rng(0).random((4, 3)) * 0.5, np.full((4, 3), 0.9)
    )
    one = smaa2(matrix, UniformSimplex(3), 30_000, seed=7, workers=1, chunk_size=4_000)
    two = smaa2(matrix, UniformSimplex(3), 30_000, seed=7, workers=2, chunk_size=4_000)
    assert np.array_equal(one.rank_acceptability, two.rank_acceptability)
    assert np.allclose(one.central_weights, two.central_weights, rtol=0, atol=1e-12)
    other = smaa2(matrix, UniformSimplex(3), 30_000, seed=8, chunk_size=4_000)
    assert not np.array_equal(one.rank_acceptability, other.rank_acceptability)


@pytest.mark.parametrize("samples", [0, -5])
def test_sample_count_must_be_positive(samples: int) -> None:
    with pytest.raises(InvalidInput) as error:
        smaa2(DecisionMatrix.from_values([[1.0]]), UniformSimplex(1), samples, seed=1)
    assert error.value.problems[0].path == ("appraisal", "samples")
    assert str(samples) in error.value.problems[0].message


def test_meta_weights() -> None:
    # Centroid for 3 ranks: (11, 5, 2)/18 scaled so the first is 1.
    assert meta_weights(3).tolist() == pytest.approx([1, 5 / 11, 2 / 11])
    assert meta_weights(3, "linear").tolist() == pytest.approx([1, 0.5, 0])
    assert meta_weights(3, "inverse").tolist() == pytest.approx([1, 0.5, 1 / 3])


def test_chain_means_standard_error_by_hand() -> None:
    # Two chains of 4 samples with 1 and 3 events: shares 0.25 and 0.75, overall 0.5; the
    # variance of the chains' shares is 0.125, over 2 chains 0.0625, so the error is 0.25.
    counts = np.array([[1.0], [3.0]])
    assert chain_means_se(counts, np.array([4, 4])) == pytest.approx([0.25])
    with pytest.raises(ValueError, match="two or more chains"):
        chain_means_se(np.array([[1.0]]), np.array([4]))


def test_hit_and_run_errors_match_the_spread_between_runs() -> None:
    # Unthinned hit-and-run on the simplex: states along a chain are correlated, so the
    # binomial error understates how much the estimate moves from seed to seed. The
    # chain-means error must match the spread actually seen over 100 seeds (A wins with
    # probability 4/9, as in the first test).
    matrix = DecisionMatrix.from_values([[1, 0, 0], [0, 0.5, 0.5]], ["A", "B"])
    estimates, errors, binomial = [], [], []
    for seed in range(100):
        sampler = HitAndRun(3, np.zeros((0, 3)), np.zeros(0), chains=20, burn_in=50, thinning=1)
        r = smaa2(matrix, sampler, 2_000, seed=seed)
        p = r.rank_acceptability[0, 0]
        estimates.append(p)
        errors.append(r.rank_acceptability_se[0, 0])
        binomial.append(np.sqrt(p * (1 - p) / 2_000))
        assert r.holistic_se[0] == pytest.approx(r.rank_acceptability_se[0, 0] * 2 / 3)
    spread = float(np.std(estimates, ddof=1))
    assert abs(np.mean(estimates) - 4 / 9) <= K * spread / np.sqrt(100)
    assert 0.8 <= np.mean(errors) / spread <= 1.25
    assert spread / np.mean(binomial) >= 1.3  # the independent-sample error would be too small


@pytest.mark.parametrize(
    "points",
    [[[100, 1], [200, 0]], [[100, 1], [150, 0.5], [200, 0]]],
    ids=["two points", "three points on the same line"],
)
def test_a_range_through_a_value_function_follows_its_clamping(points: list[list[float]]) -> None:
    # Value 1 up to 100, falling to 0 at 200. Option a is scored uniformly on 50..150, option b
    # at 110 (value 0.9). a beats b when its value exceeds 0.9, i.e. when its raw score is
    # below 110: probability (110 - 50) / (150 - 50) = 0.6. (Mapping only the ends, 1 and 0.5,
    # and drawing between them would give 0.2.)
    criterion = {"id": "wait", "name": "Wait", "value_function": {"unit": "days", "points": points}}
    p = programme(
        [criterion],
        [
            {"option": "a", "criterion": "wait", "value": 100, "low": 50, "high": 150},
            {"option": "b", "criterion": "wait", "value": 110},
        ],
    )
    matrix = build_matrix(p, builtin_scales()).matrix
    r = smaa2(matrix, FixedWeights((1.0,)), 100_000, seed=4)
    assert abs(r.rank_acceptability[0, 0] - 0.6) <= K * r.rank_acceptability_se[0, 0]
    assert abs(r.confidence[0] - 0.6) <= K * r.confidence_se[0]


def test_rank_acceptabilities_add_up_to_one_when_nothing_ties() -> None:
    # Ten options with overlapping ranges on twenty criteria: close calls are frequent but a
    # tie has probability zero, so every rank is taken by exactly one option per sample.
    rng = np.random.default_rng(16)
    low = rng.uniform(0.3, 0.5, (10, 20))
    matrix = DecisionMatrix.from_ranges(low, low + rng.uniform(0.01, 0.2, (10, 20)))
    r = smaa2(matrix, UniformSimplex(20), 200_000, seed=16)
    assert r.rank_acceptability.sum(axis=0) == pytest.approx(np.ones(10), rel=0, abs=1e-12)
    assert r.rank_acceptability.sum(axis=1) == pytest.approx(np.ones(10), rel=0, abs=1e-12)


def test_equal_sampled_totals_still_tie() -> None:
    # Options a and b have the same total, 0.4, from different point scores at equal weights
    # (summed in floating point in different orders); c is uncertain on 0..1 on every
    # criterion, so it ranks first when the mean of three U(0, 1) exceeds 0.4. a and b always
    # share a rank: first or second together, never split.
    low = [[0.1, 0.3, 0.8], [0.8, 0.3, 0.1], [0.0, 0.0, 0.0]]
    high = [[0.1, 0.3, 0.8], [0.8, 0.3, 0.1], [1.0, 1.0, 1.0]]
    matrix = DecisionMatrix.from_ranges(low, high, options=["a", "b", "c"])
    r = smaa2(matrix, FixedWeights((1 / 3, 1 / 3, 1 / 3)), 50_000, seed=2)
    assert r.rank_acceptability[0].tolist() == r.rank_acceptability[1].tolist()
    assert r.rank_acceptability[0, 0] + r.rank_acceptability[0, 1] == 1.0
    assert r.rank_acceptability[0, 2] == 0.0
    # Sum of three U(0, 1) below 1.2: Irwin-Hall CDF (x^3 - 3 (x - 1)^3) / 6 = 0.284.
    above = 1 - (1.2**3 - 3 * 0.2**3) / 6
    assert abs(r.rank_acceptability[2, 0] - above) <= K * r.rank_acceptability_se[2, 0]
    assert r.rank_acceptability[0, 0] == pytest.approx(1 - r.rank_acceptability[2, 0])


def test_ranks_with_ties_are_relative_to_the_size_of_the_utilities() -> None:
    # 1e-10 apart is a real difference at 0.5 but rounding at 1e6 (relative 1e-16).
    order, rank, tied = ranks_with_ties(np.array([[0.5, 0.5 + 1e-10], [1e6, 1e6 * (1 + 1e-16)]]))
    assert order[0].tolist() == [1, 0] and rank[0].tolist() == [0, 1]
    assert tied and rank[1].tolist() == [0, 0]


def test_a_reused_hit_and_run_sampler_repeats_its_results() -> None:
    matrix = DecisionMatrix.from_values([[1, 0, 0], [0, 0.5, 0.5]], ["A", "B"])
    sampler = HitAndRun(3, np.zeros((0, 3)), np.zeros(0), chains=20, burn_in=50, thinning=2)
    first = smaa2(matrix, sampler, 5_000, seed=12)
    again = smaa2(matrix, sampler, 5_000, seed=12)
    fresh = smaa2(
        matrix,
        HitAndRun(3, np.zeros((0, 3)), np.zeros(0), chains=20, burn_in=50, thinning=2),
        5_000,
        seed=12,
    )
    assert np.array_equal(first.rank_acceptability, again.rank_acceptability)
    assert np.array_equal(first.rank_acceptability, fresh.rank_acceptability)


def _counting_map(calls: list[int]):  # type: ignore[no-untyped-def]
    def chunk_map(fn, shared, items):  # type: ignore[no-untyped-def]
        for item in items:
            calls.append(1)
            yield fn(shared, item)

    return chunk_map


@pytest.mark.parametrize("uncertain", [False, True])
def test_a_chunk_map_gives_the_threaded_result_to_the_bit(uncertain: bool) -> None:
    # The chunks a cluster would run, run one by one here: every array must be byte-identical
    # to the default (threaded) run, including the float sums of the central weights.
    if uncertain:
        matrix = DecisionMatrix.from_ranges(
            [[0.0, 0.2, 0.1], [0.3, 0.1, 0.4], [0.2, 0.2, 0.2]],
            [[1.0, 0.6, 0.5], [0.3, 0.9, 0.8], [0.7, 0.2, 0.9]],
            options=["A", "B", "C"],
        )
    else:
        matrix = DecisionMatrix.from_values([[1, 0, 0.2], [0, 0.5, 0.5], [0.4, 0.4, 0.1]])
    calls: list[int] = []
    local = smaa2(matrix, UniformSimplex(3), 30_000, seed=21, chunk_size=4_000, workers=2)
    mapped = smaa2(
        matrix, UniformSimplex(3), 30_000, seed=21, chunk_size=4_000, chunk_map=_counting_map(calls)
    )
    assert len(calls) == (16 if uncertain else 8)  # 8 sampling chunks (+ 8 for confidence)
    for name in ("rank_acceptability", "central_weights", "confidence", "holistic"):
        assert getattr(local, name).tobytes() == getattr(mapped, name).tobytes(), name


def test_a_chunk_map_keeps_hit_and_run_chain_errors() -> None:
    matrix = DecisionMatrix.from_values([[1, 0, 0], [0, 0.5, 0.5]], ["A", "B"])

    def sampler() -> HitAndRun:
        return HitAndRun(3, np.zeros((0, 3)), np.zeros(0), chains=20, burn_in=50, thinning=2)

    local = smaa2(matrix, sampler(), 5_000, seed=12, chunk_size=1_000)
    mapped = smaa2(matrix, sampler(), 5_000, seed=12, chunk_size=1_000, chunk_map=_counting_map([]))
    assert local.rank_acceptability_se.tobytes() == mapped.rank_acceptability_se.tobytes()
