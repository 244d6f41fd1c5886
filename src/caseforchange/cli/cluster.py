"""The ``--cluster`` option the long commands share, and the line that says where work runs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console

from caseforchange.chunks import ChunkMap
from caseforchange.cluster.executor import CLUSTER_SETTING, cluster_address, cluster_map

CLUSTER_HELP = (
    "Run on the Dask cluster whose scheduler is at this address (e.g. tcp://host:8786); "
    f"default: the {CLUSTER_SETTING} setting, else this machine. Needs the 'cluster' extra; "
    "results are the same as a local run (docs/cluster.md)."
)

ClusterOption = Annotated[str | None, typer.Option("--cluster", help=CLUSTER_HELP)]


@contextmanager
def on_cluster(option: str | None, console: Console) -> Iterator[ChunkMap | None]:
    """Yield the chunk map for ``--cluster`` (or the setting), or None to work locally.

    Says on ``console`` which cluster the work runs on.

    Raises:
        InvalidInput: the cluster cannot be reached or used, or failed during the run.
        ModuleNotFoundError: an address was given but the 'cluster' extra is not installed.
    """
    address, _ = cluster_address(option)
    with cluster_map(option) as chunk_map:
        if chunk_map is not None:
            console.print(f"running on the Dask cluster at {address}", markup=False)
        yield chunk_map
