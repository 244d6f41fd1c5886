"""The command line: validate, show, new, schema and examples."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from caseforchange.cli.main import app
from tests.conftest import replace_in

runner = CliRunner()


def test_validate_valid_folder(small_folder: Path) -> None:
    result = runner.invoke(app, ["validate", str(small_folder)])
    assert result.exit_code == 0, result.output
    assert "valid" in result.stdout and "3 organisations" in result.stdout


def test_validate_prints_one_located_line_per_problem_and_exits_2(small_folder: Path) -> None:
    replace_in(small_folder / "programme.yaml", "form: in-house", "form: charity")
    replace_in(small_folder / "scores.csv", "chair,5", "chair,15")
    result = runner.invoke(app, ["validate", str(small_folder)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{small_folder / 'programme.yaml'}:20: options[0].form:")
    assert lines[1].startswith(f"{small_folder / 'scores.csv'}:4: scores[2].value: 15 is outside")
    assert "Traceback" not in result.output


def test_validate_missing_path(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "no such file or folder" in result.stderr


def test_show_prints_tables(small_folder: Path) -> None:
    result = runner.invoke(app, ["show", str(small_folder)], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    for text in (
        "Organisations",
        "Services",
        "£1,000,000",
        "25.5",
        "Options",
        "Criteria",
        "Panels",
        "Open event",
        "Launch of consultation",
        "ILLUSTRATIVE DATA",
    ):
        assert text in result.stdout, text


def test_new_scaffold_is_valid_and_commented(tmp_path: Path) -> None:
    target = tmp_path / "my programme"
    result = runner.invoke(app, ["new", str(target), "--framework", "east-of-england-2007"])
    assert result.exit_code == 0, result.output
    text = (target / "programme.yaml").read_text()
    assert text.count("\n#") >= 10
    assert "id: my-programme" in text
    assert runner.invoke(app, ["validate", str(target)]).exit_code == 0


def test_new_unknown_framework_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["new", str(tmp_path / "x"), "--framework", "nope"])
    assert result.exit_code == 2
    assert "unknown framework 'nope'" in result.stderr
    assert not (tmp_path / "x").exists()


def test_schema_is_json_schema_of_programme() -> None:
    result = runner.invoke(app, ["schema"])
    schema = json.loads(result.stdout)
    assert schema["title"] == "Programme"
    assert {"id", "framework", "options"} <= set(schema["properties"])


def test_examples_list_and_copy(tmp_path: Path) -> None:
    listed = runner.invoke(app, ["examples", "list"], env={"COLUMNS": "200"})
    assert listed.exit_code == 0, listed.output
    for example_id in ("hertfordshire-2007", "shropshire-telford-2010", "plymouth-2010"):
        assert example_id in listed.stdout
    target = tmp_path / "copy"
    copied = runner.invoke(app, ["examples", "copy", "plymouth-2010", str(target)])
    assert copied.exit_code == 0, copied.output
    assert (target / "programme.yaml").exists() and (target / "flow.yaml").exists()
    assert runner.invoke(app, ["validate", str(target)]).exit_code == 0
    again = runner.invoke(app, ["examples", "copy", "plymouth-2010", str(target)])
    assert again.exit_code == 2 and "not empty" in again.stderr


def test_examples_copy_unknown_id(tmp_path: Path) -> None:
    result = runner.invoke(app, ["examples", "copy", "nowhere-1999", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "unknown example 'nowhere-1999'" in result.stderr
