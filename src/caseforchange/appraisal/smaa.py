"""SMAA-2: stochastic multicriteria acceptability analysis (Lahdelma and Salminen, 2001).

For each sample a weight vector is drawn (see :mod:`caseforchange.appraisal.sampling`) and, if
any score is uncertain, a decision matrix; options are ranked by their weighted sums.

- Rank acceptability ``b[i, r]``: the share of samples in which option i takes rank r + 1.
- Central weights: the mean weight vector over the samples in which option i ranks first.
- Confidence factor: the share of freshly drawn score samples in which option i ranks first
  when every option is judged at i's central weights (1 or 0 when scores are exact).
- Holistic acceptability: ``sum_r alpha_r b[i, r]`` with meta-weights ``alpha`` (default: the
  rank-order centroid of the ranks, scaled so ``alpha_1 = 1``).

Options whose utilities are equal share the better rank, so a column of ``rank_acceptability``
may sum to more than one when options are identical; with continuous uncertainty such ties have
probability zero. Equal means equal in float64 up to a relative :data:`TIE_RTOL` (rounding, not
closeness): sampled scores are summed in float32 for speed, and any sample in which two
utilities come within float32 rounding of each other is summed again in float64 before its
ranks are decided, so rounding never makes a tie nor breaks one.

Standard errors: with independent weight samples, binomial for shares and sample variance over
N for means. Hit-and-run samples are correlated along each chain, so there the rank and holistic
acceptabilities' standard errors come from the spread between the independent chains' own
estimates (the chain-means method), which does not assume independence within a chain; central
weights' errors still treat samples as independent.

Samples are processed in chunks (default at most about 4 MB of sampled scores each, which
stays in cache), so memory does not grow with the sample count. BLAS is held to one thread while
the sampler runs: the chunks already run on ``workers`` threads, and BLAS threads on top of them
oversubscribe the cores. The random streams for weights, scores and confidence are spawned
from one seed, so the same seed gives the same result. Each chunk is a pure function
(:func:`tally_chunk`, :func:`count_chunk`) that a chunk map may run elsewhere, on a cluster for
instance; chunk boundaries never depend on the workers, so the result is the same to the bit.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal, TypeVar

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits

from caseforchange.appraisal.matrix import DecisionMatrix
from caseforchange.appraisal.sampling import HitAndRun, ScoreSampler, WeightSampler
from caseforchange.chunks import ChunkMap
from caseforchange.domain.problems import InvalidInput, Problem

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Progress = Callable[[int, int], None]
MetaWeights = Literal["centroid", "linear", "inverse"]

#: Largest number of sampled score cells held at once per worker (float32: 4 MB).
CELL_BUDGET = 1 << 20
#: Default number of samples per chunk.
DEFAULT_CHUNK = 50_000
#: Utilities tie when they differ by at most this share of the sample's largest |utility|
#: (float64 rounding over a few dozen terms is below 1e-14).
TIE_RTOL = 1e-12
#: Margin over the worst-case float32 rounding of a weighted sum of sampled deviations.
_ROUNDING_MARGIN = 4.0
#: Default cap on the score samples drawn for confidence factors (standard error <= 0.0016).
CONFIDENCE_SAMPLES = 100_000


@dataclass
class SmaaResult:
    """SMAA-2 indices with their standard errors, and how they were produced.

    Arrays are indexed by option (rows, in ``options`` order) and then rank or criterion.
    ``central_weights`` rows are NaN for options that never rank first.
    """

    options: list[str]
    criteria: list[str]
    samples: int
    seed: int
    sampler: dict[str, object]
    rank_acceptability: FloatArray
    rank_acceptability_se: FloatArray
    central_weights: FloatArray
    central_weights_se: FloatArray
    confidence: FloatArray
    confidence_se: FloatArray
    confidence_samples: int
    holistic: FloatArray
    holistic_se: FloatArray
    meta_weights: FloatArray
    scores_uncertain: bool
    chunk_size: int


def meta_weights(n: int, kind: MetaWeights = "centroid") -> FloatArray:
    """Return SMAA-2 meta-weights for ranks 1..n, with ``alpha_1 = 1`` and decreasing.

    ``centroid``: rank-order centroid scaled to 1 at rank 1; ``linear``: ``(n - r) / (n - 1)``;
    ``inverse``: ``1 / r``.

    Raises:
        ValueError: for an unknown kind or ``n < 1``.
    """
    if n < 1:
        raise ValueError("need at least one rank")
    r = np.arange(1, n + 1, dtype=np.float64)
    if kind == "centroid":
        tail = np.cumsum((1.0 / r)[::-1])[::-1]
        return np.asarray(tail / tail[0], dtype=np.float64)
    if kind == "linear":
        return np.ones(1) if n == 1 else (n - r) / (n - 1)
    if kind == "inverse":
        return 1.0 / r
    raise ValueError(f"unknown meta-weights {kind!r}")


def ranks_with_ties(
    utilities: FloatArray, relative: float = TIE_RTOL
) -> tuple[IntArray, IntArray, bool]:
    """Return the options in rank order per row, their ranks, and whether any row has a tie.

    ``order[k, p]`` is the option at position p of sample k, and ``rank[k, p]`` its rank: p, or
    the rank of the first of a run of options whose float64 utilities differ by at most
    ``relative`` times the row's largest absolute utility.
    """
    order = np.argsort(-utilities, axis=1)
    ordered = np.take_along_axis(utilities, order, axis=1)
    scale = np.maximum(np.abs(ordered[:, 0]), np.abs(ordered[:, -1]))
    tied = (ordered[:, :-1] - ordered[:, 1:]) <= relative * scale[:, None]
    return _ranks(order, tied)


def _ranks(order: IntArray, tied: npt.NDArray[np.bool_]) -> tuple[IntArray, IntArray, bool]:
    k, n = order.shape
    position = np.broadcast_to(np.arange(n, dtype=np.int64), (k, n))
    if not tied.any():
        return order, position, False
    gap = np.ones((k, n), dtype=bool)
    gap[:, 1:] = ~tied
    start = np.maximum.accumulate(np.where(gap, position, 0), axis=1)
    return order, start, True


def sampled_ranks(
    approximate: FloatArray,
    deviations: npt.NDArray[np.float32],
    weights: FloatArray,
    base_t: FloatArray,
    rounding: float,
) -> tuple[IntArray, IntArray, bool]:
    """Return :func:`ranks_with_ties` of sampled utilities summed partly in float32.

    ``approximate`` holds ``deviations . weights`` summed in float32 plus ``weights @ base_t``
    in float64, each within ``rounding`` of the float64 sum. Rows where two utilities come
    within twice that of each other are summed again in float64 and ranked from those sums;
    elsewhere the float32 order is already the true one and there is no tie.
    """
    order = np.argsort(-approximate, axis=1)
    ordered = np.take_along_axis(approximate, order, axis=1)
    close = np.flatnonzero(((ordered[:, :-1] - ordered[:, 1:]) <= 2 * rounding).any(axis=1))
    n = order.shape[1]
    position = np.broadcast_to(np.arange(n, dtype=np.int64), order.shape)
    if close.size == 0:
        return order, position, False
    exact = np.einsum("kij,kj->ki", deviations[close].astype(np.float64), weights[close]) + (
        weights[close] @ base_t
    )
    sub_order, sub_rank, sub_tied = ranks_with_ties(exact)
    order[close] = sub_order
    if not sub_tied:
        return order, position, False
    rank = position.copy()
    rank[close] = sub_rank
    return order, rank, True


def rounding_bound(criteria: int, deviation_bound: float) -> float:
    """Return a bound on the float32 rounding of a weighted sum of ``criteria`` deviations.

    Summing m products of float32 numbers, each at most ``deviation_bound`` in size, with
    weights that add up to one, errs by at most about ``(m + 2) * eps32 * deviation_bound``;
    the bound returned has a margin of :data:`_ROUNDING_MARGIN` on that.
    """
    eps32 = float(np.finfo(np.float32).eps)
    return _ROUNDING_MARGIN * (criteria + 2) * eps32 * deviation_bound


def check_samples(samples: int) -> None:
    """Raise when the sample count is not a positive whole number.

    Raises:
        InvalidInput: naming ``appraisal.samples`` and the value given.
    """
    if isinstance(samples, bool) or not isinstance(samples, int) or samples <= 0:
        raise InvalidInput(
            [
                Problem(
                    ("appraisal", "samples"),
                    f"the number of samples must be 1 or more (got {samples})",
                )
            ]
        )


def _chunk_sizes(samples: int, size: int) -> list[int]:
    return [min(size, samples - start) for start in range(0, samples, size)]


def _default_chunk(samples: int, n: int, m: int, uncertain: bool, chunk: int | None) -> int:
    size = chunk if chunk is not None else DEFAULT_CHUNK
    if uncertain:
        size = min(size, max(1, CELL_BUDGET // max(n * m, 1)))
    return max(1, min(size, samples))


T = TypeVar("T")


def _pipeline(jobs: Iterable[Callable[[int], T]], workers: int) -> Iterator[T]:
    """Run jobs on ``workers`` threads, at most ``workers`` at once, yielding results in order.

    Each job receives a slot number in ``0..workers-1``; no two running jobs share a slot, so a
    slot can own a reusable buffer. NumPy releases the GIL in random generation and array
    arithmetic, so threads use both cores of a small machine.
    """
    if workers <= 1:
        for job in jobs:
            yield job(0)
        return
    with ThreadPoolExecutor(workers) as pool:
        pending: deque[Future[T]] = deque()
        for number, job in enumerate(jobs):
            if len(pending) >= workers:
                yield pending.popleft().result()
            pending.append(pool.submit(job, number % workers))
        while pending:
            yield pending.popleft().result()


@dataclass
class ChunkTally:
    """What one chunk of samples adds to the totals: counts and weight sums (added in order)."""

    rank_counts: IntArray
    first_counts: IntArray
    weight_sums: FloatArray
    weight_squares: FloatArray
    samples: int
    #: Rank counts per hit-and-run chain (chains x n x n), or None for independent samples.
    chain_counts: IntArray | None = None


@dataclass(frozen=True)
class SmaaShared:
    """What every chunk of a SMAA run needs; sent to each worker once.

    ``values_t`` is the exact matrix transposed; ``scores`` samples uncertain scores (None when
    they are exact), ``base_t`` its base values transposed and ``rounding`` its float32 bound;
    ``chains`` is the hit-and-run chain count (0 for independent samples).
    """

    n: int
    values_t: FloatArray
    scores: ScoreSampler | None
    base_t: FloatArray
    rounding: float
    chains: int


@dataclass(frozen=True)
class SampleChunk:
    """One chunk of samples: its weight vectors, its own score stream and its first index."""

    weights: FloatArray
    seed: np.random.SeedSequence
    start: int


def tally_chunk(
    shared: SmaaShared, chunk: SampleChunk, buffer: npt.NDArray[np.float32] | None = None
) -> ChunkTally:
    """Rank the options in every sample of a chunk and return the chunk's counts and sums.

    A pure function of its arguments: the chunk's scores are drawn from its own stream, so the
    chunk gives the same tally in any process. ``buffer`` (k x options x criteria, float32) is
    reused for the sampled scores when given.
    """
    n, w, start = shared.n, chunk.weights, chunk.start
    k = len(w)
    scores = shared.scores
    if scores is not None:
        sampled = buffer if buffer is not None else np.empty((k, *scores.shape), dtype=np.float32)
        scores.draw_deviations(np.random.Generator(np.random.PCG64(chunk.seed)), sampled)
        approximate = np.einsum("kij,kj->ki", sampled, w.astype(np.float32)) + (w @ shared.base_t)
        order, rank, tied = sampled_ranks(approximate, sampled, w, shared.base_t, shared.rounding)
    else:
        order, rank, tied = ranks_with_ties(np.asarray(w @ shared.values_t))
    first = np.zeros((k, n))
    if tied:
        counts = np.bincount((order * n + rank).ravel(), minlength=n * n).reshape(n, n)
        np.put_along_axis(first, order, (rank == 0).astype(np.float64), axis=1)
    else:
        counts = np.empty((n, n), dtype=np.int64)
        for p in range(n):
            counts[:, p] = np.bincount(order[:, p], minlength=n)
        first[np.arange(k), order[:, 0]] = 1.0
    by_chain = None
    chains = shared.chains
    if chains:
        chain = ((start + np.arange(k)) % chains)[:, None]
        cells = (chain * n + order) * n + rank
        by_chain = np.bincount(cells.ravel(), minlength=chains * n * n).reshape(chains, n, n)
    return ChunkTally(
        counts,
        first.sum(axis=0).astype(np.int64),
        first.T @ w,
        first.T @ (w * w),
        k,
        by_chain,
    )


def chain_means_se(chain_counts: FloatArray, chain_samples: IntArray) -> FloatArray:
    """Return the standard error of each overall share from independent chains' counts.

    ``chain_counts[c, ...]`` counts events in chain c's ``chain_samples[c]`` samples; the
    overall share is ``sum_c counts / N``. Its variance is estimated as a ratio estimator over
    the C chains: ``C / (C - 1) * sum_c (counts_c - share * n_c)^2 / N^2``. With equal chain
    lengths this is the variance of the chains' own shares divided by C.

    Raises:
        ValueError: with fewer than two chains, or no samples at all.
    """
    chains = len(chain_samples)
    total = int(chain_samples.sum())
    if chains < 2 or total == 0:
        raise ValueError("the chain-means standard error needs two or more chains with samples")
    share = chain_counts.sum(axis=0) / total
    lengths = chain_samples.reshape((chains,) + (1,) * (chain_counts.ndim - 1))
    residual = chain_counts - share[None, ...] * lengths
    variance = chains / (chains - 1) * (residual**2).sum(axis=0) / total**2
    return np.asarray(np.sqrt(variance), dtype=np.float64)


def smaa2(
    matrix: DecisionMatrix,
    weights: WeightSampler,
    samples: int,
    seed: int,
    *,
    progress: Progress | None = None,
    chunk_size: int | None = None,
    confidence_samples: int | None = None,
    meta: MetaWeights = "centroid",
    workers: int | None = None,
    chunk_map: ChunkMap | None = None,
) -> SmaaResult:
    """Run SMAA-2 on a decision matrix and return its indices with standard errors.

    ``progress(done, total)`` is called after each chunk, from the calling thread.
    ``confidence_samples`` defaults to ``samples``, at most
    :data:`CONFIDENCE_SAMPLES`. ``workers`` threads (default: up to 2) share
    the chunks; the result does not depend on their number, because every chunk has its own
    random stream spawned from ``seed`` and results are added up in chunk order. With
    ``chunk_map`` (a cluster, say) the same chunks run there instead: weight vectors are still
    drawn here, from the one weight stream, and sent with their chunk; each chunk's scores are
    drawn on the worker from the chunk's own stream; the result is the same.

    Raises:
        InvalidInput: when ``samples`` is not positive or the weights do not match the criteria.
    """
    check_samples(samples)
    n, m = matrix.values.shape
    if weights.dimension != m:
        raise InvalidInput(
            [Problem(("framework",), f"{weights.dimension} weights for {m} criteria")]
        )
    conf_samples = (
        min(samples, CONFIDENCE_SAMPLES) if confidence_samples is None else confidence_samples
    )
    check_samples(conf_samples)
    threads = max(1, workers if workers is not None else min(2, os.cpu_count() or 1))
    uncertain = matrix.uncertain
    size = _default_chunk(samples, n, m, uncertain, chunk_size)
    sizes = _chunk_sizes(samples, size)
    total_work = samples + (conf_samples if uncertain else 0)
    weight_seq, score_seq, confidence_seq = np.random.SeedSequence(seed).spawn(3)
    weight_rng = np.random.Generator(np.random.PCG64(weight_seq))
    score_seqs = score_seq.spawn(len(sizes))
    values_t = np.ascontiguousarray(matrix.values.T)
    scores = ScoreSampler(matrix) if uncertain else None
    cubes = [np.empty((size, n, m), dtype=np.float32) for _ in range(threads)] if uncertain else []
    base_t = np.ascontiguousarray(scores.base.T) if scores is not None else values_t
    rounding = rounding_bound(m, scores.bound) if scores is not None else 0.0
    # Hit-and-run hands out kept states step by step, all chains at a time, so the sample with
    # overall index g comes from chain g mod chains.
    chains = weights.chains if isinstance(weights, HitAndRun) and weights.chains > 1 else 0

    shared = SmaaShared(n, values_t, scores, base_t, rounding, chains)

    def chunks() -> Iterator[SampleChunk]:
        start = 0
        for k, seq in zip(sizes, score_seqs, strict=True):
            yield SampleChunk(weights.draw(weight_rng, k), seq, start)
            start += k

    parts: Iterator[ChunkTally]
    if chunk_map is not None:
        parts = chunk_map(tally_chunk, shared, chunks())
    else:
        jobs = (
            lambda slot, c=c: tally_chunk(
                shared, c, cubes[slot][: len(c.weights)] if cubes else None
            )
            for c in chunks()
        )
        parts = _pipeline(jobs, threads)

    rank_counts = np.zeros((n, n), dtype=np.int64)
    first_counts = np.zeros(n, dtype=np.int64)
    weight_sums = np.zeros((n, m))
    weight_squares = np.zeros((n, m))
    chain_counts = np.zeros((chains, n, n), dtype=np.int64)
    done = 0
    # The limit is process-wide (BLAS has one thread pool), so it covers the worker threads'
    # numeric work. Overlapping runs in one process may leave BLAS at one thread afterwards,
    # which only costs speed in large single-threaded BLAS calls elsewhere.
    with threadpool_limits(limits=1, user_api="blas"):
        for part in parts:
            rank_counts += part.rank_counts
            if part.chain_counts is not None:
                chain_counts += part.chain_counts
            first_counts += part.first_counts
            weight_sums += part.weight_sums
            weight_squares += part.weight_squares
            done += part.samples
            if progress is not None:
                progress(done, total_work)

    acceptability = rank_counts / samples
    acceptability_se = np.sqrt(acceptability * (1 - acceptability) / samples)
    alpha = meta_weights(n, meta)
    holistic = acceptability @ alpha
    holistic_se = np.sqrt(np.maximum(acceptability @ (alpha**2) - holistic**2, 0.0) / samples)
    if chains and samples >= 2 * chains:
        lengths = np.bincount(np.arange(samples) % chains, minlength=chains)
        acceptability_se = chain_means_se(chain_counts.astype(np.float64), lengths)
        # Holistic acceptability is linear in the counts, so its chain-level counts are too.
        holistic_se = chain_means_se(chain_counts.astype(np.float64) @ alpha, lengths)
    with np.errstate(invalid="ignore", divide="ignore"):
        central = weight_sums / first_counts[:, None]
        variance = np.maximum(weight_squares / first_counts[:, None] - central**2, 0.0)
        central_se = np.sqrt(variance / first_counts[:, None])
    central[first_counts == 0] = np.nan
    central_se[first_counts == 0] = np.nan

    def confidence_progress(done: int) -> None:
        if progress is not None:
            progress(samples + done, total_work)

    with threadpool_limits(limits=1, user_api="blas"):
        confidence, used = _confidence(
            matrix,
            central,
            first_counts,
            scores,
            _chunk_sizes(conf_samples, size),
            confidence_seq,
            cubes,
            rounding,
            threads,
            confidence_progress,
            chunk_map,
        )
    confidence_se = np.sqrt(confidence * (1 - confidence) / used) if used else np.zeros(n)

    return SmaaResult(
        matrix.options,
        matrix.criteria,
        samples,
        seed,
        weights.describe(),
        acceptability,
        acceptability_se,
        central,
        central_se,
        confidence,
        confidence_se,
        used,
        holistic,
        holistic_se,
        alpha,
        uncertain,
        size,
    )


@dataclass(frozen=True)
class ConfidenceShared:
    """What every chunk of the confidence factors needs; sent to each worker once.

    ``winners`` are the options that ranked first at least once, ``central_t`` their central
    weights (criteria x winners) and ``base`` each option's base utility at each winner's
    central weights (options x winners).
    """

    scores: ScoreSampler
    winners: IntArray
    central_t: FloatArray
    base: FloatArray
    rounding: float


def count_chunk(
    shared: ConfidenceShared,
    chunk: tuple[int, np.random.SeedSequence],
    buffer: npt.NDArray[np.float32] | None = None,
) -> tuple[IntArray, int]:
    """Return, for ``chunk = (k, seed)``, how often each winner is best at its central weights.

    Draws k score samples from the chunk's own stream (into ``buffer`` when given) and returns
    the win counts by winner and k. A pure function of its arguments.
    """
    k, seq = chunk
    scores, winners = shared.scores, shared.winners
    n = scores.shape[0]
    columns = np.arange(winners.size)
    sampled = buffer if buffer is not None else np.empty((k, *scores.shape), dtype=np.float32)
    scores.draw_deviations(np.random.Generator(np.random.PCG64(seq)), sampled)
    # One matrix product judges every option at every winner's central weights.
    flat = sampled.reshape(k * n, -1)
    central_t32 = shared.central_t.astype(np.float32)
    utilities = (flat @ central_t32).reshape(k, n, winners.size) + shared.base[None]
    own = utilities[:, winners, columns]
    rivals = utilities.copy()
    rivals[:, winners, columns] = -np.inf
    margin = own - rivals.max(axis=1)
    wins = margin > 0
    # Within float32 rounding of the best rival: sum those samples again in float64.
    close = np.flatnonzero((np.abs(margin) <= 2 * shared.rounding).any(axis=1))
    if close.size:
        exact = sampled[close].astype(np.float64).reshape(-1, flat.shape[1]) @ shared.central_t
        exact = exact.reshape(close.size, n, winners.size) + shared.base[None]
        wins[close] = _wins(exact, winners, columns)
    return wins.sum(axis=0).astype(np.int64), k


def _confidence(
    matrix: DecisionMatrix,
    central: FloatArray,
    first_counts: IntArray,
    scores: ScoreSampler | None,
    sizes: list[int],
    seed: np.random.SeedSequence,
    cubes: list[npt.NDArray[np.float32]],
    rounding: float,
    threads: int,
    progress: Callable[[int], None],
    chunk_map: ChunkMap | None = None,
) -> tuple[FloatArray, int]:
    n = len(matrix.options)
    confidence = np.zeros(n)
    winners = np.flatnonzero(first_counts > 0)
    if winners.size == 0:
        return confidence, 0
    central_t = np.ascontiguousarray(central[winners].T)
    columns = np.arange(winners.size)
    if scores is None:
        confidence[winners] = _wins(matrix.values @ central_t, winners, columns)
        return confidence, 0
    # Each winner's base utilities at its own central weights: options x winners.
    shared = ConfidenceShared(scores, winners, central_t, scores.base @ central_t, rounding)
    items = list(zip(sizes, seed.spawn(len(sizes)), strict=True))
    parts: Iterator[tuple[IntArray, int]]
    if chunk_map is not None:
        parts = chunk_map(count_chunk, shared, items)
    else:
        jobs = (
            lambda slot, item=item: count_chunk(shared, item, cubes[slot][: item[0]])
            for item in items
        )
        parts = _pipeline(jobs, threads)
    counts = np.zeros(winners.size, dtype=np.int64)
    done = 0
    for part, k in parts:
        counts += part
        done += k
        progress(done)
    total = sum(sizes)
    confidence[winners] = counts / total
    return confidence, total


def _wins(utilities: FloatArray, winners: IntArray, columns: IntArray) -> npt.NDArray[np.bool_]:
    """Return whether each winner is best (ties count) among the options at its own weights.

    ``utilities`` has options on its second-to-last axis and winners on its last; equal means
    equal up to :data:`TIE_RTOL` of the largest absolute utility.
    """
    best = utilities.max(axis=-2)
    scale = np.abs(utilities).max(axis=-2)
    own = utilities[..., winners, columns]
    return np.asarray(own >= best - TIE_RTOL * scale)
