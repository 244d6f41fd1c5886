"""``caseforchange report``: formats checked up front, rendered, then written; bad input located."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from caseforchange.cli.main import app
from caseforchange.cli.report import register
from caseforchange.reports import render
from tests.cli.test_appraise import COMPLETE_SCORES

runner = CliRunner()


def test_a_format_whose_extra_is_missing_is_refused_before_anything_is_written(
    small_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "installed", lambda module: module != "docx")
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["report", str(small_folder), "-o", str(out), "--format", "html,docx"]
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "command line: --format: the DOCX report needs the optional 'reports' dependencies "
        "(module 'docx' is not installed): pip install 'caseforchange[reports]' "
        "(or choose --format html,pdf,xlsx)"
    )
    assert not out.exists()
    assert "Traceback" not in result.output


def test_the_demo_checks_its_formats_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "installed", lambda module: False)
    result = runner.invoke(app, ["demo", "--out", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and "the PDF report" in lines[0] and "the DOCX report" in lines[1]
    assert all(line.endswith("(or choose --format html,xlsx)") for line in lines)
    assert not (tmp_path / "out").exists()


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def main() -> None:
        """Test app."""

    return app


def test_a_bad_meeting_date_is_located_and_nothing_is_written(
    small_folder: Path, tmp_path: Path
) -> None:
    (small_folder / "scores.csv").write_text(COMPLETE_SCORES, encoding="utf-8")
    with (small_folder / "programme.yaml").open("a", encoding="utf-8") as handle:
        handle.write("board:\n  meeting: PCT Board\n  date: 2010-13\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(_app(), ["report", str(small_folder), "-o", str(out)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "programme.yaml:" in result.output and "board.date" in result.output
    assert not out.exists()


def test_report_writes_the_formats_asked_for(small_folder: Path, tmp_path: Path) -> None:
    (small_folder / "scores.csv").write_text(COMPLETE_SCORES, encoding="utf-8")
    with (small_folder / "programme.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            "board:\n  meeting: PCT Board\n  date: 2010-10\n  resolutions:\n"
            "    - {verb: approve, text: the preferred provider}\n"
        )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        _app(), ["report", str(small_folder), "-o", str(out), "--format", "html,xlsx"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.xlsx"]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Approve the preferred provider" in html
    assert "October 2010" in html
