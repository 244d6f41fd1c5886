"""Commands that move a programme between its folder and an Excel workbook."""

from __future__ import annotations

from pathlib import Path

import typer

from caseforchange.cli.errors import handles_user_errors
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.io.atomic import check_file_target, staged_file
from caseforchange.io.folder import PROGRAMME_FILE, write_programme
from caseforchange.io.sources import load_any
from caseforchange.io.workbook import read_workbook, write_workbook


def register(app: typer.Typer) -> None:
    """Add the ``export-xlsx`` and ``import-xlsx`` commands to ``app``."""
    app.command("export-xlsx")(export_xlsx)
    app.command("import-xlsx")(import_xlsx)


@handles_user_errors
def export_xlsx(
    path: Path = typer.Argument(..., help="A programme folder or .xlsx workbook"),
    out: Path = typer.Argument(..., help="The workbook to write (.xlsx)"),
) -> None:
    """Write a programme as an Excel workbook: one sheet per table, drop-downs, a README."""
    if out.suffix.lower() != ".xlsx":
        raise InvalidInput([Problem((), "the workbook's name must end in .xlsx", str(out))])
    check_file_target(out)
    programme = load_any(path).programme
    with staged_file(out) as staged:
        write_workbook(programme, staged)
    typer.echo(f"wrote {out}")


@handles_user_errors
def import_xlsx(
    source: Path = typer.Argument(..., help="The workbook to read (.xlsx)"),
    directory: Path = typer.Argument(..., help="The programme folder to write"),
    force: bool = typer.Option(
        False, "--force", help="Write into a non-empty folder that holds no programme"
    ),
) -> None:
    """Check a workbook and write it as a programme folder (programme.yaml and scores.csv)."""
    if directory.is_file():
        raise InvalidInput([Problem((), "expected a folder, found a file", str(directory))])
    if (
        directory.is_dir()
        and not force
        and not (directory / PROGRAMME_FILE).exists()
        and any(directory.iterdir())
    ):
        # Refuse to mix a programme into an unrelated folder by accident.
        raise InvalidInput(
            [
                Problem(
                    (),
                    "folder is not empty and holds no programme; use --force to write into it",
                    str(directory),
                )
            ]
        )
    loaded = read_workbook(source)
    write_programme(loaded.programme, directory)
    typer.echo(f"wrote {directory}")
