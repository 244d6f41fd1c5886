"""``--cluster`` on the long commands: a bad address is a located error, exit 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from caseforchange.cli.main import app
from caseforchange.cluster import executor
from caseforchange.examples import example_path

runner = CliRunner()
ENV = {"COLUMNS": "160"}
BAD = "tcp://127.0.0.1:9"
PLYMOUTH = example_path("plymouth-2010")
TEXT = example_path("shropshire-telford-2010") / "text"


@pytest.fixture(autouse=True)
def _quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(executor, "CONNECT_TIMEOUT", 1.0)
    monkeypatch.delenv(executor.CLUSTER_SETTING, raising=False)


def _refused(result: Result, where: str) -> None:
    assert result.exit_code == 2, result.output
    assert f"{where}: --cluster: cannot reach a Dask scheduler at '{BAD}'" in result.stderr
    assert "Traceback" not in result.output


def test_flow_run_with_an_unreachable_cluster(tmp_path: Path) -> None:
    out = tmp_path / "run.json"
    result = runner.invoke(
        app, ["flow", "run", str(PLYMOUTH), "--cluster", BAD, "--json", str(out)], env=ENV
    )
    _refused(result, "command line")
    assert not out.exists()


def test_flow_sweep_with_the_setting_naming_an_unreachable_cluster(tmp_path: Path) -> None:
    out = tmp_path / "sweep.csv"
    result = runner.invoke(
        app,
        ["flow", "sweep", str(PLYMOUTH), str(PLYMOUTH / "sweep.yaml"), "--csv", str(out)],
        env={**ENV, executor.CLUSTER_SETTING: BAD},
    )
    assert result.exit_code == 2, result.output
    assert "environment: CASEFORCHANGE_CLUSTER: cannot reach" in result.stderr
    assert not list(tmp_path.iterdir())


def test_appraise_with_an_unreachable_cluster(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    result = runner.invoke(
        app, ["appraise", str(PLYMOUTH), "--cluster", BAD, "--json", str(out)], env=ENV
    )
    _refused(result, "command line")
    assert not out.exists()


def test_text_code_with_an_unreachable_cluster(tmp_path: Path) -> None:
    out = tmp_path / "proposals.csv"
    args = [
        "text",
        "code",
        str(TEXT / "comments-answers.csv"),
        "--codebook",
        str(TEXT / "comments-codebook.yaml"),
        "--codings",
        str(TEXT / "comments-codings.csv"),
        "--proposals",
        str(out),
    ]
    _refused(runner.invoke(app, [*args, "--cluster", BAD], env=ENV), "command line")
    assert not out.exists()
    both = runner.invoke(app, [*args, "--cluster", BAD, "--embeddings"], env=ENV)
    assert both.exit_code == 2
    assert "command line: --embeddings: sentence embeddings are not sent" in both.stderr


def test_without_the_extra_the_command_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real = builtins.__import__

    def no_dask(name: str, *args: object, **kwargs: object) -> object:
        if name.split(".")[0] == "distributed":
            raise ModuleNotFoundError(f"No module named '{name}'", name=name)
        return real(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_dask)
    result = runner.invoke(app, ["appraise", str(PLYMOUTH), "--cluster", BAD], env=ENV)
    assert result.exit_code == 2
    assert "pip install 'caseforchange[cluster]'" in result.stderr


def test_flow_sweep_on_a_local_cluster_writes_the_local_table(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text(
        "base: integrated\nstaff_scale: [0.9, 1.1]\nreplications: 2\n"
        "measures: [within_18_weeks, cost_per_year]\n"
    )
    args = ["flow", "sweep", str(PLYMOUTH), str(sweep), "--seed", "7"]
    local = runner.invoke(app, [*args, "--csv", str(tmp_path / "local.csv")], env=ENV)
    assert local.exit_code == 0, local.output
    with executor.local_cluster(2) as address:
        remote = runner.invoke(
            app, [*args, "--csv", str(tmp_path / "remote.csv"), "--cluster", address], env=ENV
        )
    assert remote.exit_code == 0, remote.output
    assert f"running on the Dask cluster at {address}" in remote.output
    table = (tmp_path / "local.csv").read_bytes()
    assert table.count(b"\n") == 1 + 2 * 2  # the header, then 2 points x 2 measures
    assert (tmp_path / "remote.csv").read_bytes() == table
