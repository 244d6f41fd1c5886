"""The report command: formats that need an optional extra are refused up front."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from caseforchange.cli.main import app
from caseforchange.reports import render

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
