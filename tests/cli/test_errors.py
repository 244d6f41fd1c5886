"""How the command line ends on a user's mistake or a missing optional extra."""

from __future__ import annotations

import pytest
import typer

from caseforchange.cli.errors import EXIT_INVALID, user_errors


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
