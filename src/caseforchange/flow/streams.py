"""Random-number streams: one per purpose, so that scenarios share them (common random numbers).

Seed scheme: the run's seed makes a :class:`numpy.random.SeedSequence`; replication ``r`` uses
the ``r``-th child of ``SeedSequence(seed).spawn(...)``; inside a replication, each purpose (the
times of one arrival stream, the service times of one team, ...) gets a grandchild whose spawn
key ends with a CRC-32 of the purpose's name. A stream therefore depends only on the seed, the
replication number and the name, never on which other teams or scenarios exist, so two
scenarios that both have a team called ``north`` draw its service times from the same numbers.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable

import numpy as np

from caseforchange.flow.model import (
    Distribution,
    Exponential,
    Fixed,
    GammaDuration,
    LogNormal,
    Triangular,
)

#: Numbers drawn from NumPy at a time; drawing in blocks is far cheaper than one by one.
BLOCK = 2048

Draw = Callable[[np.random.Generator, int], "np.ndarray[tuple[int], np.dtype[np.float64]]"]


class Streams:
    """The random generators of one replication, made on demand by purpose name."""

    def __init__(self, seed: int, replication: int) -> None:
        child = np.random.SeedSequence(seed).spawn(replication + 1)[replication]
        self.seed = seed
        self.replication = replication
        self._child = child

    def rng(self, purpose: str) -> np.random.Generator:
        """Return the generator for ``purpose``; the same name always gives the same numbers."""
        key = zlib.crc32(purpose.encode("utf-8"))
        seq = np.random.SeedSequence(self._child.entropy, spawn_key=(*self._child.spawn_key, key))
        return np.random.Generator(np.random.PCG64(seq))


class Stream:
    """Values drawn in blocks and handed out one at a time."""

    __slots__ = ("_buf", "_draw", "_rng")

    def __init__(self, rng: np.random.Generator, draw: Draw) -> None:
        self._rng = rng
        self._draw = draw
        self._buf: list[float] = []

    def next(self) -> float:
        """Return the next value of the stream."""
        buf = self._buf
        if buf:
            return buf.pop()
        self._buf = self._draw(self._rng, BLOCK).tolist()[::-1]
        return self._buf.pop()


def uniform_stream(rng: np.random.Generator) -> Stream:
    """Return a stream of uniform numbers on [0, 1)."""
    return Stream(rng, lambda g, n: g.random(n))


def duration_stream(rng: np.random.Generator, dist: Distribution | None) -> Stream:
    """Return a stream of durations from ``dist`` (``None``: unit-mean exponential)."""
    draw: Draw
    if dist is None:
        draw = lambda g, n: g.standard_exponential(n)  # noqa: E731
    elif isinstance(dist, Exponential):
        mean = dist.mean
        draw = lambda g, n: g.exponential(mean, n)  # noqa: E731
    elif isinstance(dist, Fixed):
        value = dist.value
        draw = lambda g, n: np.full(n, value)  # noqa: E731
    elif isinstance(dist, LogNormal):
        sigma2 = math.log(1 + (dist.sd / dist.mean) ** 2)
        mu = math.log(dist.mean) - sigma2 / 2
        sigma = math.sqrt(sigma2)
        draw = lambda g, n: g.lognormal(mu, sigma, n)  # noqa: E731
    elif isinstance(dist, GammaDuration):
        shape = 1 / dist.cv**2
        scale = dist.mean * dist.cv**2
        draw = lambda g, n: g.gamma(shape, scale, n)  # noqa: E731
    elif isinstance(dist, Triangular):
        low, mode, high = dist.low, dist.mode, dist.high
        if high <= low:
            draw = lambda g, n: np.full(n, low)  # noqa: E731
        else:
            draw = lambda g, n: g.triangular(low, mode, high, n)  # noqa: E731
    else:  # pragma: no cover - the union above is exhaustive
        raise TypeError(f"unknown distribution {dist!r}")
    return Stream(rng, draw)


Inverse = Callable[[float], float]


def inverse_cdf(dist: Distribution) -> Inverse:
    """Return the function taking a uniform u in [0, 1) to the duration of quantile u.

    Used with each patient's own numbers, so that a patient keeps the same quantile of episode
    length in every scenario (common random numbers per patient). Exact for every kind; the
    gamma quantile uses SciPy, imported only when a model has a gamma duration.
    """
    if isinstance(dist, Exponential):
        mean = dist.mean
        log = math.log
        return lambda u: -mean * log(1.0 - u)
    if isinstance(dist, Fixed):
        value = dist.value
        return lambda u: value
    if isinstance(dist, LogNormal):
        from statistics import NormalDist

        sigma2 = math.log(1 + (dist.sd / dist.mean) ** 2)
        mu = math.log(dist.mean) - sigma2 / 2
        sigma = math.sqrt(sigma2)
        inv = NormalDist().inv_cdf
        exp = math.exp
        return lambda u: exp(mu + sigma * inv(min(max(u, 1e-300), 1 - 1e-16)))
    if isinstance(dist, GammaDuration):
        from scipy.special import gammaincinv

        shape = 1 / dist.cv**2
        scale = dist.mean * dist.cv**2
        return lambda u: float(gammaincinv(shape, u)) * scale
    if isinstance(dist, Triangular):
        low, mode, high = dist.low, dist.mode, dist.high
        if high <= low:
            return lambda u: low
        cut = (mode - low) / (high - low)
        span = high - low
        sqrt = math.sqrt

        def triangular(u: float) -> float:
            if u < cut:
                return low + sqrt(u * span * (mode - low))
            return high - sqrt((1 - u) * span * (high - mode))

        return triangular
    raise TypeError(f"unknown distribution {dist!r}")  # pragma: no cover
