"""What the command line prints: user text as written, capped error lists, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from caseforchange.cli.errors import plain, report_problems, user_errors
from caseforchange.cli.main import app
from caseforchange.domain.problems import InvalidInput, Problem
from tests.conftest import replace_in

runner = CliRunner()


def test_line_100_is_not_an_emoji(capsys: pytest.CaptureFixture[str]) -> None:
    report_problems([Problem(("scores", 98), "bad [red]value[/red]", "scores.csv:100")])
    assert capsys.readouterr().err == "scores.csv:100: scores[98]: bad [red]value[/red]\n"


def test_at_most_max_errors_are_printed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEFORCHANGE_MAX_ERRORS", "3")
    report_problems([Problem((), f"problem {i}", f"f.csv:{i}") for i in range(10)])
    lines = capsys.readouterr().err.splitlines()
    assert lines[:3] == ["f.csv:0: (file): problem 0", "f.csv:1: (file): problem 1", lines[2]]
    assert lines[3].startswith("... and 7 more problems") and len(lines) == 4


def test_plain_escapes_markup_and_shows_control_characters() -> None:
    from rich.console import Console

    shown = plain("[bold]x[/bold] \x1b[31m :100:")
    console = Console(record=True, emoji=False, width=200)
    console.print(shown)
    assert console.export_text().rstrip("\n") == "[bold]x[/bold] \\x1b[31m :100:"


def test_interrupt_and_os_errors_are_messages() -> None:
    with pytest.raises(typer.Exit) as stopped, user_errors():
        raise KeyboardInterrupt
    assert stopped.value.exit_code == 130
    with pytest.raises(typer.Exit) as stopped, user_errors():
        raise OSError(28, "No space left on device", "out/report.html")
    assert stopped.value.exit_code == 2
    with pytest.raises(typer.Exit) as stopped, user_errors():
        raise InvalidInput([Problem((), "x", "a.yaml:1")])
    assert stopped.value.exit_code == 2


def test_show_prints_markup_and_emoji_codes_as_written(small_folder: Path) -> None:
    replace_in(
        small_folder / "programme.yaml",
        "title: A small programme",
        'title: "[red]Loud[/red] :100: programme"',
    )
    result = runner.invoke(app, ["show", str(small_folder)])
    assert result.exit_code == 0, result.output
    assert "[red]Loud[/red] :100: programme" in result.stdout


def test_escape_sequence_in_yaml_is_refused_by_line(small_folder: Path) -> None:
    replace_in(small_folder / "programme.yaml", "scope: Two", 'scope: "\\e]8;;x\\aTwo"')
    result = runner.invoke(app, ["show", str(small_folder)])
    assert result.exit_code == 2
    assert "\x1b" not in result.output
    assert result.stderr.startswith(f"{small_folder / 'programme.yaml'}:")


def test_report_errors_are_located_like_appraise(small_folder: Path, tmp_path: Path) -> None:
    # The small programme leaves two criteria unscored: appraise and report say where.
    result = runner.invoke(app, ["report", str(small_folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{small_folder / 'programme.yaml'}:36: ")
    assert not (tmp_path / "out").exists()
