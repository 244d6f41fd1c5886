"""The export-xlsx and import-xlsx commands."""

from __future__ import annotations

from pathlib import Path

import typer
from openpyxl import load_workbook
from typer.testing import CliRunner

from caseforchange.cli.workbook import register
from caseforchange.io.folder import load_programme

runner = CliRunner()


def make_app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def test_export_then_import_gives_the_same_programme(small_folder: Path, tmp_path: Path) -> None:
    app = make_app()
    book = tmp_path / "small.xlsx"
    result = runner.invoke(app, ["export-xlsx", str(small_folder), str(book)])
    assert result.exit_code == 0, result.output
    assert book.exists()
    result = runner.invoke(app, ["import-xlsx", str(book), str(tmp_path / "back")])
    assert result.exit_code == 0, result.output
    back = load_programme(tmp_path / "back").programme
    assert back == load_programme(small_folder).programme
    # A workbook is also accepted as the source of an export.
    result = runner.invoke(app, ["export-xlsx", str(book), str(tmp_path / "again.xlsx")])
    assert result.exit_code == 0, result.output


def test_bad_workbook_exits_2_with_located_lines_and_writes_nothing(
    small_folder: Path, tmp_path: Path
) -> None:
    app = make_app()
    book = tmp_path / "small.xlsx"
    assert runner.invoke(app, ["export-xlsx", str(small_folder), str(book)]).exit_code == 0
    edited = load_workbook(book)
    edited["Scores"]["E4"] = 11
    edited["Services"]["E2"] = "lots"
    edited.save(book)
    target = tmp_path / "out"
    result = runner.invoke(app, ["import-xlsx", str(book), str(target)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{book}:Services!E2: services[0].budget_gbp:")
    assert "Traceback" not in result.output
    assert not target.exists()


def test_import_refuses_a_non_empty_folder_without_a_programme(
    small_folder: Path, tmp_path: Path
) -> None:
    app = make_app()
    book = tmp_path / "small.xlsx"
    assert runner.invoke(app, ["export-xlsx", str(small_folder), str(book)]).exit_code == 0
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["import-xlsx", str(book), str(target)])
    assert result.exit_code == 2
    assert "use --force" in result.stderr
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
    result = runner.invoke(app, ["import-xlsx", str(book), str(target), "--force"])
    assert result.exit_code == 0, result.output
    assert (target / "programme.yaml").exists() and (target / "notes.txt").exists()


def test_import_replaces_an_existing_programme_folder(small_folder: Path, tmp_path: Path) -> None:
    app = make_app()
    book = tmp_path / "small.xlsx"
    assert runner.invoke(app, ["export-xlsx", str(small_folder), str(book)]).exit_code == 0
    result = runner.invoke(app, ["import-xlsx", str(book), str(small_folder)])
    assert result.exit_code == 0, result.output


def test_export_needs_an_xlsx_name_and_a_valid_programme(
    small_folder: Path, tmp_path: Path
) -> None:
    app = make_app()
    result = runner.invoke(app, ["export-xlsx", str(small_folder), str(tmp_path / "out.xls")])
    assert result.exit_code == 2
    assert "must end in .xlsx" in result.stderr
    (small_folder / "programme.yaml").write_text("id: [", encoding="utf-8")
    result = runner.invoke(app, ["export-xlsx", str(small_folder), str(tmp_path / "out.xlsx")])
    assert result.exit_code == 2
    assert not (tmp_path / "out.xlsx").exists()
