"""``caseforchange appraise`` on a small programme folder."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from caseforchange.cli.appraise import register
from tests.conftest import replace_in

COMPLETE_SCORES = """\
option,criterion,panel,member,value,low,high,distribution,rationale
stay,gate,board,,1,,,,meets the test
vertical,gate,board,,1,,,,meets the test
stay,outcomes,board,chair,5,,,,
stay,outcomes,board,nurse,7,,,,
vertical,outcomes,staff,,6,4,8,triangular,uncertain
stay,access,board,,6,,,,
vertical,access,board,,7,,,,
stay,cost,board,,4,,,,
vertical,cost,board,,3,,,,
"""


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def main() -> None:
        """Keep ``appraise`` as a named sub-command."""

    return app


def test_appraise_prints_tables_and_writes_json(small_folder: Path, tmp_path: Path) -> None:
    (small_folder / "scores.csv").write_text(COMPLETE_SCORES, encoding="utf-8")
    out = tmp_path / "result.json"
    result = CliRunner().invoke(
        _app(),
        ["appraise", str(small_folder), "--samples", "2000", "--seed", "3", "--json", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "SMAA-2" in result.output and "cross-check" in result.output
    data = json.loads(out.read_text())
    assert data["smaa"]["seed"] == 3 and data["smaa"]["samples"] == 2000
    assert data["options"] == ["stay", "vertical"]
    assert len(data["provenance"]["files"]["scores.csv"]) == 64
    # Outcomes: board mean 6 (weight 2) and staff 6 (weight 1) -> 0.6 for both options.
    assert data["values"]["stay"]["outcomes"] == data["values"]["vertical"]["outcomes"]


def test_missing_scores_are_located_without_traceback(small_folder: Path) -> None:
    result = CliRunner().invoke(_app(), ["appraise", str(small_folder), "--samples", "100"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    # Nobody scored access or cost in the fixture; each is named once, with its line.
    assert "criterion 'access' (Access) has no scores for any option" in result.output
    assert "criterion 'cost' (Cost) has no scores for any option" in result.output
    assert "programme.yaml:" in result.output


def test_zero_samples_is_a_user_error(small_folder: Path) -> None:
    (small_folder / "scores.csv").write_text(COMPLETE_SCORES, encoding="utf-8")
    result = CliRunner().invoke(_app(), ["appraise", str(small_folder), "--samples", "0"])
    assert result.exit_code == 2
    assert "appraisal.samples: the number of samples must be 1 or more (got 0)" in result.output


def test_zero_weights_name_the_criteria(small_folder: Path) -> None:
    (small_folder / "scores.csv").write_text(COMPLETE_SCORES, encoding="utf-8")
    replace_in(small_folder / "programme.yaml", "weight: 3\n", "weight: 0\n")
    replace_in(
        small_folder / "programme.yaml", 'scale: "1-5", weight: 1', 'scale: "1-5", weight: 0'
    )
    result = CliRunner().invoke(_app(), ["appraise", str(small_folder), "--samples", "10"])
    assert result.exit_code == 2
    assert "programme.yaml:" in result.output and "sum to zero" in result.output
