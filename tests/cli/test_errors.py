"""How the command line ends on a user's mistake or a missing optional extra."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from caseforchange.cli import errors
from caseforchange.cli.errors import EXIT_INVALID, user_errors
from caseforchange.cli.main import app
from caseforchange.domain.problems import InvalidInput


def test_a_module_of_an_optional_extra_ends_with_the_install_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(typer.Exit) as ended, user_errors():
        raise ModuleNotFoundError("No module named 'weasyprint'", name="weasyprint")
    assert ended.value.exit_code == EXIT_INVALID
    assert "pip install 'caseforchange[reports]'" in capsys.readouterr().err


def test_any_other_missing_module_is_a_broken_installation() -> None:
    with pytest.raises(ModuleNotFoundError), user_errors():
        raise ModuleNotFoundError("No module named 'yaml'", name="yaml")


def test_require_module_names_the_extra_before_anything_is_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(errors, "installed", lambda module: False)
    with pytest.raises(InvalidInput) as refused:
        errors.require_module("docx", "Word letters")
    assert refused.value.problems[0].render() == (
        "command line: --format: Word letters needs the optional 'reports' dependencies (module "
        "'docx' is not installed): pip install 'caseforchange[reports]'"
    )
    errors.require_module("numpy", "anything")  # not an extra's module: nothing to say


def test_the_letters_command_refuses_word_without_the_reports_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(errors, "installed", lambda module: module != "docx")
    out = tmp_path / "letters"
    result = CliRunner().invoke(
        app, ["engagement", "letters", str(tmp_path), "m1", "-o", str(out), "--format", "docx"]
    )
    assert result.exit_code == 2
    assert "pip install 'caseforchange[reports]'" in result.stderr
    assert not out.exists()
