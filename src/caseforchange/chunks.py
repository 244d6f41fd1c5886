"""Chunked work: how an engine hands pure chunk functions to this process or to a cluster.

An engine that can split its work (replications of a flow model, SMAA samples, free-text
proposals) writes each piece as a top-level function ``fn(shared, item)``: ``shared`` is what
every piece needs (the resolved systems, a decision matrix, a fitted model) and ``item`` says
which piece (a replication number, a chunk of samples with its own seed). The engine then calls
a :class:`ChunkMap` on the pieces. :func:`local_map` runs them here, one after another;
``caseforchange.cluster`` provides one that runs them on a Dask cluster. Either way the results
come back **in the order of the items**, and the engine adds them up in that order, so how many
workers ran them never changes a figure. Engines import nothing from the cluster adapter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, TypeVar

S = TypeVar("S")
A = TypeVar("A")
R = TypeVar("R")


class ChunkMap(Protocol):
    """Runs ``fn(shared, item)`` for every item and yields the results in the items' order."""

    def __call__(self, fn: Callable[[S, A], R], shared: S, items: Iterable[A]) -> Iterator[R]:
        """Yield ``fn(shared, item)`` for each item, in order (see the class docstring)."""
        ...


def local_map(fn: Callable[[S, A], R], shared: S, items: Iterable[A]) -> Iterator[R]:
    """Yield ``fn(shared, item)`` for each item, in order, in this process.

    Items are taken from ``items`` one at a time, so a generator of chunks is never held whole.
    Raises whatever ``fn`` raises.
    """
    for item in items:
        yield fn(shared, item)
