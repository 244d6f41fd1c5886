"""A Dask cluster as a chunk map: connect, send the shared data once, run chunks in order.

The engines split their work into pure chunk functions (see :mod:`caseforchange.chunks`);
:class:`DaskMap` runs them on a Dask ``distributed`` cluster. What every chunk needs (the
resolved flow systems, the decision matrix, the fitted text model) is scattered to the workers
once; each chunk then sends only its item (a replication number, a chunk's weight vectors and
seed, a chunk of answer texts). Results come back in the items' order, so the engine adds them
up exactly as it does locally. Every chunk runs with BLAS held to one thread, as locally, so
the same arithmetic is done in the same order.

``cluster_map`` is what the command line uses: no address (no ``--cluster`` and no
``CASEFORCHANGE_CLUSTER``) means local work as before; an address that cannot be reached, a
cluster whose workers cannot run this version of caseforchange, or a cluster lost during the
run, ends with a located message (:class:`~caseforchange.domain.problems.InvalidInput`).
"""

from __future__ import annotations

import os
import socket
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from threadpoolctl import threadpool_limits

from caseforchange import __version__
from caseforchange.chunks import ChunkMap
from caseforchange.domain.problems import InvalidInput, Problem

if TYPE_CHECKING:
    from distributed import Client, Future

#: The setting that gives the scheduler's address when ``--cluster`` is not used.
CLUSTER_SETTING = "CASEFORCHANGE_CLUSTER"
#: Seconds to wait for the scheduler to answer before saying it cannot be reached.
CONNECT_TIMEOUT = 10.0

S = TypeVar("S")
A = TypeVar("A")
R = TypeVar("R")


def cluster_address(option: str | None) -> tuple[str | None, str]:
    """Return the scheduler address to use and where it was given, for error messages.

    ``--cluster`` ("command line") wins over the ``CASEFORCHANGE_CLUSTER`` setting
    ("environment"); an empty value means none (local work). Never raises.
    """
    if option is not None and option.strip():
        return option.strip(), "command line"
    setting = os.environ.get(CLUSTER_SETTING, "").strip()
    if setting:
        return setting, "environment"
    return None, "command line"


def _problem(where: str, message: str) -> InvalidInput:
    field = "--cluster" if where == "command line" else CLUSTER_SETTING
    return InvalidInput([Problem((field,), message, where)])


def run_limited(fn: Callable[[S, A], R], shared: S, item: A) -> R:
    """Run ``fn(shared, item)`` on a worker with BLAS held to one thread; return its result.

    One thread, as in a local run, so matrix products add up in the same order.
    """
    with threadpool_limits(limits=1, user_api="blas"):
        return fn(shared, item)


def caseforchange_version() -> str:
    """Return the version of caseforchange a worker runs (sent to each worker at connect)."""
    return __version__


class DaskMap:
    """Runs chunk functions on a Dask client's workers and yields results in the items' order.

    At most ``window`` chunks are in flight at once (default: four per worker thread, at least
    16), so a long generator of chunks is never held whole and results arrive as they finish.
    """

    def __init__(self, client: Client, window: int | None = None) -> None:
        self.client = client
        self.window = window

    def _window(self) -> int:
        if self.window is not None:
            return max(1, self.window)
        threads = int(sum(self.client.nthreads().values()))
        return max(16, 4 * threads)

    def __call__(self, fn: Callable[[S, A], R], shared: S, items: Iterable[A]) -> Iterator[R]:
        """Yield ``fn(shared, item)`` for each item, computed on the cluster, in order.

        Raises whatever ``fn`` raises on a worker, and Dask's errors when the cluster fails.
        """
        [handle] = self.client.scatter([shared], broadcast=True, hash=False)
        pending: deque[Future] = deque()
        window = self._window()
        try:
            for item in items:
                if len(pending) >= window:
                    yield pending.popleft().result()
                pending.append(self.client.submit(run_limited, fn, handle, item, pure=False))
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
            handle.release()


def _check_address(address: str, timeout: float) -> None:
    """Raise unless ``address`` is well formed and, over TCP or TLS, something answers there.

    Checked before a Dask client exists: a client that never connected takes a long time to
    give up when it is garbage-collected.

    Raises:
        ValueError: a malformed address or an unknown scheme.
        OSError: nothing answers at the host and port within ``timeout`` seconds.
    """
    from distributed.comm import parse_address
    from distributed.comm.addressing import parse_host_port
    from distributed.comm.registry import get_backend

    scheme, location = parse_address(address)
    get_backend(scheme)
    if scheme in ("tcp", "tls"):
        host, port = parse_host_port(location)
        socket.create_connection((host, port), timeout=timeout).close()


def connect(address: str, where: str, timeout: float | None = None) -> Client:
    """Return a client of the Dask scheduler at ``address``, checked to run this version.

    ``timeout`` defaults to :data:`CONNECT_TIMEOUT` seconds.

    Raises:
        InvalidInput: the address is malformed or cannot be reached within ``timeout``
            seconds, the cluster has no workers, or its workers cannot import caseforchange
            or run another version of it; located at ``--cluster`` or the setting.
        ModuleNotFoundError: the ``cluster`` extra (Dask distributed) is not installed.
    """
    from distributed import Client

    timeout = CONNECT_TIMEOUT if timeout is None else timeout
    try:
        _check_address(address, timeout)
        client = Client(address, timeout=timeout, set_as_default=False)
    except Exception as error:  # malformed addresses, refused connections and time-outs alike
        raise _problem(
            where,
            f"cannot reach a Dask scheduler at {address!r} within {timeout:g} s "
            f"({type(error).__name__}: {error})",
        ) from None
    try:
        client.wait_for_workers(1, timeout=timeout)
        versions: dict[str, Any] = client.run(caseforchange_version)
    except Exception as error:  # no workers, or workers that cannot unpickle our functions
        client.close()
        raise _problem(
            where,
            f"the cluster at {address!r} has no worker that can run caseforchange "
            f"{__version__} ({type(error).__name__}: {error}); install the same version of "
            "caseforchange with its 'cluster' extra on every worker",
        ) from None
    wrong = sorted(f"{w} has {v}" for w, v in versions.items() if v != __version__)
    if wrong:
        client.close()
        raise _problem(
            where,
            f"workers run another version of caseforchange than this one ({__version__}): "
            + ", ".join(wrong),
        )
    return client


@contextmanager
def cluster_map(option: str | None) -> Iterator[ChunkMap | None]:
    """Yield a chunk map on the cluster named by ``--cluster`` or the setting, or None.

    None means there is no address: the caller works locally, as without the extra. The client
    is closed when the block ends.

    Raises:
        InvalidInput: the cluster cannot be reached or used (see :func:`connect`), or it failed
            during the run (a worker lost, the scheduler gone).
        ModuleNotFoundError: an address was given but Dask distributed is not installed.
    """
    address, where = cluster_address(option)
    if address is None:
        yield None
        return
    client = connect(address, where)
    try:
        yield DaskMap(client)
    except (OSError, TimeoutError) as error:
        raise _problem(
            where,
            f"the cluster at {address!r} failed during the run ({type(error).__name__}: "
            f"{error}); nothing was written",
        ) from None
    except Exception as error:
        if type(error).__module__.startswith("distributed"):  # KilledWorker, CancelledError
            raise _problem(
                where,
                f"the cluster at {address!r} failed during the run ({type(error).__name__}: "
                f"{error}); nothing was written",
            ) from None
        raise
    finally:
        client.close()
