"""A Dask cluster as a chunk map: connect, send the shared data once, run chunks in batches.

The engines split their work into pure chunk functions (see :mod:`caseforchange.chunks`);
:class:`DaskMap` runs them on a Dask ``distributed`` cluster. What every chunk needs (the
resolved flow systems, the decision matrix, the fitted text model) is scattered to the workers
once; each task then sends only its items (replication numbers, a chunk's weight vectors and
seed, a chunk of answer texts), several at a time so that Dask's cost per task is shared.
Results come back in the items' order, so the engine adds them up exactly as it does locally.
Every chunk runs with BLAS held to one thread, as locally, so the same arithmetic is done in
the same order.

``cluster_map`` is what the command line uses: no address (no ``--cluster`` and no
``CASEFORCHANGE_CLUSTER``) means local work as before; an address that cannot be reached, a
cluster whose workers cannot run this version of caseforchange, or a cluster lost during the
run, ends with a located message (:class:`~caseforchange.domain.problems.InvalidInput`).
"""

from __future__ import annotations

import logging
import os
import socket
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from contextlib import contextmanager
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

from threadpoolctl import ThreadpoolController

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


#: Items of one task are at most this many: batching spreads Dask's cost per task (a few
#: milliseconds on the worker and as much again on the scheduler and this machine) over several
#: items; in batches of eight a replication or a chunk of answers pays well under 1% for it.
MAX_BATCH = 8
#: Batches aim at this many per worker thread among the items still to send, so they shrink
#: towards the end and no worker is left with a long batch while the others wait.
BATCHES_PER_THREAD = 4

#: Dask settings that switch off what a batch run has no use for, set where a cluster is made
#: (:func:`local_cluster`; docs/cluster.md gives them for workers started elsewhere). They
#: change nothing in the results, only what the worker processes do besides the work.
LIGHT_SETTINGS: dict[str, object] = {
    # The statistical profiler samples the running task's stack every 10 ms, taking the
    # interpreter lock from the simulation; it only feeds the dashboard.
    "distributed.worker.profile.enabled": False,
    # Polls the interpreter lock every millisecond when gilknocker is installed.
    "distributed.admin.system-monitor.gil.enabled": False,
    # Every process wakes every 20 ms to check its event loop is not blocked (for warnings).
    "distributed.admin.tick.interval": "500ms",
    # CPU, memory, network and disk figures for the dashboard, twice a second in every process.
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.admin.system-monitor.disk": False,
    # A chunk's memory is steady: a worker is still paused or restarted past its limits, within
    # a second instead of a tenth.
    "distributed.worker.memory.monitor-interval": "1s",
    # Tasks wait at the scheduler until a worker is free (Dask's queuing), so there is little
    # to steal: looking once a second instead of ten times is enough.
    "distributed.scheduler.work-stealing-interval": "1s",
}

_blas: tuple[int, ThreadpoolController] | None = None


def _blas_controller() -> ThreadpoolController:
    """Return a controller of the BLAS libraries loaded in this process, made once.

    Making one inspects every loaded library (milliseconds, as long as a short chunk), so it is
    kept; it is made again when modules were imported since, which is how a library that
    brings its own BLAS (SciPy, say) gets loaded.
    """
    global _blas
    loaded = len(sys.modules)
    if _blas is None or _blas[0] != loaded:
        _blas = (loaded, ThreadpoolController())
    return _blas[1]


def run_batch(fn: Callable[[S, A], R], shared: S, items: Sequence[A]) -> list[R]:
    """Run ``fn(shared, item)`` for each item, in order, with BLAS held to one thread.

    Returns the results in the items' order. One thread, as in a local run, so matrix
    products add up in the same order. Raises whatever ``fn`` raises.
    """
    with _blas_controller().limit(limits=1, user_api="blas"):
        return [fn(shared, item) for item in items]


def batch_size(remaining: int, threads: int) -> int:
    """Return how many of ``remaining`` items the next task takes, on ``threads`` threads.

    Guided self-scheduling: ``remaining`` over :data:`BATCHES_PER_THREAD` batches per thread,
    rounded up, between 1 and :data:`MAX_BATCH`. Large batches while there is much left
    (little cost per item), single items at the end (no worker waits for a long last batch).
    """
    share = -(-remaining // (BATCHES_PER_THREAD * max(1, threads)))
    return max(1, min(MAX_BATCH, share))


def _batches(items: Iterable[A], batch: int | None, threads: int) -> Iterator[list[A]]:
    """Yield consecutive batches of ``items`` (see :class:`DaskMap` for their sizes)."""
    if batch is None and not isinstance(items, Sized):
        batch = 1  # a generator of chunks (SMAA's): already large, and never held whole
    if batch is not None:
        size = max(1, batch)
        iterator = iter(items)
        while chunk := list(islice(iterator, size)):
            yield chunk
        return
    pool = list(items)
    start = 0
    while start < len(pool):
        end = start + batch_size(len(pool) - start, threads)
        yield pool[start:end]
        start = end


class DaskMap:
    """Runs chunk functions on a Dask client's workers and yields results in the items' order.

    Items go to the workers in batches, one task each (:func:`run_batch`): with ``batch`` None
    (the default) a list of items is cut by :func:`batch_size` (up to eight items a task,
    single items at the end) and a generator one item a task; an integer ``batch`` puts that
    many items in every task. Batching changes no figure: every item is still
    ``fn(shared, item)``, and the results come back in the items' order.

    At most ``window`` tasks are in flight at once (default: four per worker thread, at least
    16), so a long generator of chunks is never held whole and results arrive as they finish.
    """

    def __init__(self, client: Client, window: int | None = None, batch: int | None = None) -> None:
        self.client = client
        self.window = window
        self.batch = batch

    def __call__(self, fn: Callable[[S, A], R], shared: S, items: Iterable[A]) -> Iterator[R]:
        """Yield ``fn(shared, item)`` for each item, computed on the cluster, in order.

        Raises whatever ``fn`` raises on a worker, and Dask's errors when the cluster fails.
        """
        threads = int(sum(self.client.nthreads().values()))
        window = max(1, self.window) if self.window is not None else max(16, 4 * threads)
        [handle] = self.client.scatter([shared], broadcast=True, hash=False)
        pending: deque[Future] = deque()
        try:
            for chunk in _batches(items, self.batch, threads):
                if len(pending) >= window:
                    yield from pending.popleft().result()
                pending.append(self.client.submit(run_batch, fn, handle, chunk, pure=False))
            while pending:
                yield from pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
            handle.release()


def caseforchange_version() -> str:
    """Return the version of caseforchange a worker runs (sent to each worker at connect)."""
    return __version__


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
def local_cluster(workers: int) -> Iterator[str]:
    """Start a Dask cluster of ``workers`` processes on this machine; yield its address.

    One thread per worker process (the simulation holds the interpreter lock), no dashboards,
    :data:`LIGHT_SETTINGS`, Dask's log lines silenced. The scheduler runs in this process.
    For benchmarks and tests, and to try ``--cluster`` on one machine. The cluster stops when
    the block ends.

    Raises:
        ModuleNotFoundError: the ``cluster`` extra (Dask distributed) is not installed.
    """
    import dask
    from distributed import LocalCluster

    with (
        dask.config.set(LIGHT_SETTINGS),
        LocalCluster(
            n_workers=workers,
            processes=True,
            threads_per_worker=1,
            # Its small HTTP server (health checks) on a free port, the dashboard off.
            dashboard_address=":0",
            scheduler_kwargs={"dashboard": False},
            silence_logs=logging.CRITICAL,  # stopping under load logs missed heartbeats
        ) as cluster,
    ):
        yield cluster.scheduler_address


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
