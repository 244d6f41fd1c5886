"""The Dask adapter: a local cluster of two worker processes gives exactly the local results."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from caseforchange.appraisal.matrix import DecisionMatrix
from caseforchange.appraisal.sampling import UniformSimplex
from caseforchange.appraisal.smaa import smaa2
from caseforchange.cluster import executor
from caseforchange.cluster.executor import (
    CLUSTER_SETTING,
    LIGHT_SETTINGS,
    MAX_BATCH,
    DaskMap,
    batch_size,
    cluster_address,
    cluster_map,
    connect,
    local_cluster,
    run_batch,
)
from caseforchange.domain.problems import InvalidInput
from caseforchange.flow.model import FlowModel
from caseforchange.flow.sweep import Sweep, run_sweep, tidy_rows

distributed = pytest.importorskip("distributed")

MODEL = {
    "illustrative": True,
    "arrivals": [{"id": "a", "source": "gp", "per_week": 30, "reasons": {"x": 1}}],
    "teams": [
        {
            "id": "nursing",
            "staff": 4,
            "service": {"kind": "lognormal", "mean": 0.8, "sd": 0.5},
            "after": {"discharge": 0.7, "therapy": 0.3},
        },
        {"id": "therapy", "staff": 2, "service": {"kind": "exponential", "mean": 1}},
    ],
    "triage": [{"to": "nursing"}],
    "run": {"horizon_days": 150, "warmup_days": "auto", "replications": 3, "seed": 5},
}


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with local_cluster(2) as address:
        yield address


def _double(shared: int, item: int) -> int:
    if item < 0:
        raise ValueError(f"negative item {item}")
    return shared * item


def test_the_option_wins_over_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CLUSTER_SETTING, "tcp://setting:8786")
    assert cluster_address(" tcp://option:8786 ") == ("tcp://option:8786", "command line")
    assert cluster_address(None) == ("tcp://setting:8786", "environment")
    monkeypatch.setenv(CLUSTER_SETTING, "  ")
    assert cluster_address(None) == (None, "command line")
    assert cluster_address("") == (None, "command line")


def test_no_address_means_local_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CLUSTER_SETTING, raising=False)
    with cluster_map(None) as chunk_map:
        assert chunk_map is None


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:9", "nonsense://x", "tcp://"])
def test_an_unreachable_or_malformed_address_is_a_located_error(address: str) -> None:
    with pytest.raises(InvalidInput) as error:
        connect(address, "command line", timeout=2)
    problem = error.value.problems[0]
    assert problem.path == ("--cluster",) and problem.location == "command line"
    assert address in problem.message and "cannot reach" in problem.message


def test_a_bad_setting_is_located_at_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CLUSTER_SETTING, "tcp://127.0.0.1:9")
    monkeypatch.setattr(executor, "CONNECT_TIMEOUT", 2.0)
    with pytest.raises(InvalidInput) as error, cluster_map(None):
        pass
    assert error.value.problems[0].location == "environment"
    assert error.value.problems[0].path == (CLUSTER_SETTING,)


def _blas_threads(shared: None, item: int) -> list[int]:
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


def _profiler_enabled() -> bool:
    import dask

    return bool(dask.config.get("distributed.worker.profile.enabled"))


def test_batch_sizes_shrink_to_one_item_at_the_end() -> None:
    # 4 batches per thread among what is left, rounded up, between 1 and MAX_BATCH (8).
    assert MAX_BATCH == 8
    assert batch_size(200, 2) == 8  # 200 / 8 = 25, capped
    assert batch_size(40, 2) == 5
    assert batch_size(41, 2) == 6  # 41 / 8 = 5.1, rounded up
    assert batch_size(3, 2) == 1
    assert batch_size(1, 16) == 1
    assert batch_size(10, 0) == 3  # no threads reported: taken as one


def test_batches_keep_the_items_order_and_sizes() -> None:
    assert list(executor._batches(range(10), 3, 2)) == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    assert list(executor._batches(range(4), 100, 2)) == [[0, 1, 2, 3]]
    # 20 items on one thread: 20/4 -> 5, 15/4 -> 4, 11/4 -> 3, 8/4 -> 2, 6/4 -> 2, then ones.
    guided = list(executor._batches(list(range(20)), None, 1))
    assert [len(b) for b in guided] == [5, 4, 3, 2, 2, 1, 1, 1, 1]
    assert [i for b in guided for i in b] == list(range(20))
    # A generator is never held whole: one item a task.
    assert list(executor._batches((i for i in range(3)), None, 4)) == [[0], [1], [2]]
    assert list(executor._batches([], None, 2)) == []


def test_a_batch_runs_with_blas_on_one_thread_and_keeps_its_controller(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    results = run_batch(_blas_threads, None, [0, 1])
    assert len(results) == 2 and all(set(r) <= {1} for r in results)
    assert executor._blas_controller() is executor._blas_controller()
    first = executor._blas_controller()
    monkeypatch.setitem(sys.modules, "newly_imported", types.ModuleType("newly_imported"))
    assert executor._blas_controller() is not first  # a new import may have loaded a BLAS


def test_the_local_cluster_workers_run_light(scheduler: str) -> None:
    assert LIGHT_SETTINGS["distributed.worker.profile.enabled"] is False
    client = connect(scheduler, "command line")
    try:
        assert set(client.run(_profiler_enabled).values()) == {False}
        assert sorted(client.nthreads().values()) == [1, 1]
    finally:
        client.close()


@pytest.mark.parametrize(("window", "batch"), [(2, None), (2, 1), (1, 3), (None, 4), (3, 50)])
def test_results_come_back_in_order_through_a_small_window(
    scheduler: str, window: int | None, batch: int | None
) -> None:
    client = connect(scheduler, "command line")
    try:
        mapped = DaskMap(client, window=window, batch=batch)
        assert list(mapped(_double, 3, range(11))) == [3 * i for i in range(11)]  # a generator
        assert list(mapped(_double, 3, list(range(11)))) == [3 * i for i in range(11)]
        with pytest.raises(ValueError, match="negative item -1"):
            list(mapped(_double, 3, [1, 2, -1, 4]))
    finally:
        client.close()


def test_workers_on_another_version_are_refused(
    scheduler: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(executor, "__version__", "0.0.0-elsewhere")
    with pytest.raises(InvalidInput) as error:
        connect(scheduler, "command line")
    assert "another version" in error.value.problems[0].message


def test_a_sweep_on_the_cluster_equals_the_local_sweep(scheduler: str) -> None:
    model = FlowModel.model_validate(MODEL)
    sweep = Sweep(staff_scale=[0.75, 1.5], demand_growth_per_year=[0.0, 0.2])
    local = run_sweep(model, sweep)
    with cluster_map(scheduler) as chunk_map:
        assert chunk_map is not None
        remote = run_sweep(model, sweep, chunk_map=chunk_map)
    assert tidy_rows(remote) == tidy_rows(local)  # every float equal, not just close
    assert remote.run.as_dict() == local.run.as_dict()  # warm-ups, series, replications


# 3 points x 3 replications = 9 replications (after 3 x 5 pilot runs for the auto warm-up):
# batches of 1, of 2 (the odd count leaves a last batch of one), of 3 and of all at once.
@pytest.mark.parametrize("batch", [1, 2, 3, 1_000])
def test_a_sweep_in_batches_equals_the_local_sweep(scheduler: str, batch: int) -> None:
    model = FlowModel.model_validate(MODEL)
    sweep = Sweep(staff_scale=[0.75, 1.0, 1.5], replications=3)
    local = run_sweep(model, sweep)
    progress: list[tuple[int, int]] = []
    client = connect(scheduler, "command line")
    try:
        remote = run_sweep(
            model,
            sweep,
            chunk_map=DaskMap(client, batch=batch),
            progress=lambda done, total: progress.append((done, total)),
        )
    finally:
        client.close()
    assert tidy_rows(remote) == tidy_rows(local)
    assert remote.run.as_dict() == local.run.as_dict()
    assert progress[-1] == (9, 9)  # every replication counted, whatever the batches


def test_smaa_on_the_cluster_equals_the_local_run_to_the_bit(scheduler: str) -> None:
    matrix = DecisionMatrix.from_ranges(
        [[0.0, 0.2, 0.1], [0.3, 0.1, 0.4], [0.2, 0.2, 0.2]],
        [[1.0, 0.6, 0.5], [0.3, 0.9, 0.8], [0.7, 0.2, 0.9]],
        options=["A", "B", "C"],
    )
    local = smaa2(matrix, UniformSimplex(3), 40_000, seed=3, chunk_size=5_000)
    progress: list[tuple[int, int]] = []
    with cluster_map(scheduler) as chunk_map:
        remote = smaa2(
            matrix,
            UniformSimplex(3),
            40_000,
            seed=3,
            chunk_size=5_000,
            chunk_map=chunk_map,
            progress=lambda done, total: progress.append((done, total)),
        )
    for name in ("rank_acceptability", "central_weights", "confidence", "holistic"):
        a: Any = getattr(local, name)
        b: Any = getattr(remote, name)
        assert np.asarray(a).tobytes() == np.asarray(b).tobytes(), name
    assert progress[-1] == (80_000, 80_000)  # sampling and confidence, chunk by chunk


def test_text_proposals_on_the_cluster_equal_the_local_ones_to_the_bit(
    scheduler: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from caseforchange.domain.codebook import Codebook, Coding, Theme
    from caseforchange.text import pipeline
    from caseforchange.text.ledger import Response

    book = Codebook(
        question="q", themes=[Theme(id="staff", name="Staff"), Theme(id="wait", name="Waiting")]
    )
    staff = ["the nurses were kind", "a rude receptionist", "caring staff", "friendly doctor"]
    wait = ["we waited hours", "a long queue", "the appointment was late", "slow to be seen"]
    responses = [
        Response(
            f"r{i}", "public", f"{staff[i % 4] if i % 3 else ''} {wait[i % 4] if i % 2 else ''}"
        )
        for i in range(60)
    ]
    codings = {
        r.id: Coding(
            response=r.id,
            themes=[
                t
                for t, words in (("staff", staff), ("wait", wait))
                if any(w in r.text for w in words)
            ],
        )
        for r in responses[:30]
        if r.text.strip()
    }
    monkeypatch.setattr(pipeline, "PROPOSE_CHUNK", 7)
    local = pipeline.analyse(responses, book, codings, seed=2)
    with cluster_map(scheduler) as chunk_map:
        remote = pipeline.analyse(responses, book, codings, seed=2, chunk_map=chunk_map)
    # The model went to the workers with its fold models, which the confidence reads.
    assert local.model is not None and sorted(local.model.folds) == ["staff", "wait"]
    assert len(remote.proposals) > 7
    assert remote.proposals == local.proposals  # confidences included, every float equal
    assert remote.review == local.review


def test_a_cluster_failing_during_the_run_is_a_located_error(scheduler: str) -> None:
    from distributed.comm.core import CommClosedError

    with pytest.raises(InvalidInput) as error, cluster_map(scheduler):
        raise CommClosedError("in <TCP (closed)>: Stream is closed")
    assert "failed during the run" in error.value.problems[0].message
    with pytest.raises(ValueError, match="an engine's own error"), cluster_map(scheduler):
        raise ValueError("an engine's own error")  # passes through unchanged
