"""``caseforchange report``: the case for change in HTML, PDF, Word and Excel."""

from __future__ import annotations

from pathlib import Path

import typer

from caseforchange.cli.errors import handles_user_errors, make_console, plain
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.extras import install_hint
from caseforchange.io.atomic import check_folder_target, staged_folder
from caseforchange.io.folder import LoadedProgramme
from caseforchange.io.sources import load_any
from caseforchange.reports.case import build_case_for_change
from caseforchange.reports.render import FORMATS, missing_modules, render_all

console = make_console()


def parse_formats(text: str) -> list[str]:
    """Return the formats named in a comma-separated list, once each can be written.

    Raises:
        InvalidInput: when a format is not one of html, pdf, docx, xlsx, or needs an optional
            extra that is not installed (see :func:`check_formats`).
    """
    chosen = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise InvalidInput(
            [Problem(("--format",), f"unknown format {unknown or text!r}; use {','.join(FORMATS)}")]
        )
    check_formats(chosen)
    return chosen


def check_formats(formats: list[str]) -> None:
    """Check that every chosen format can be written with the installed packages.

    Raises:
        InvalidInput: one problem per format whose module is missing, naming the extra to
            install and the formats that need nothing more.
    """
    missing = missing_modules(formats)
    if missing:
        available = ",".join(f for f in FORMATS if f not in missing_modules(FORMATS)) or "none"
        raise InvalidInput(
            [
                Problem(
                    ("--format",),
                    f"{install_hint(module, f'the {fmt.upper()} report')} "
                    f"(or choose --format {available})",
                    location="command line",
                )
                for fmt, module in missing.items()
            ]
        )


def make_report(loaded: LoadedProgramme, out_dir: Path, formats: list[str]) -> list[Path]:
    """Build a loaded programme's case for change and write it in ``formats``; return the paths.

    Every format is rendered to bytes first, then written into a staging folder beside
    ``out_dir`` and moved into place only when all of them are written, so a failure, a full
    disk or an interruption leaves ``out_dir`` as it was.

    Raises:
        InvalidInput: when the programme cannot be appraised (e.g. missing scores), located
            as ``programme.yaml:LINE``, or ``out_dir`` cannot be written.
    """
    check_folder_target(out_dir)
    try:
        rendered = render_all(build_case_for_change(loaded), formats)
    except InvalidInput as error:
        raise InvalidInput(loaded.source.place(error.problems)) from None
    with staged_folder(out_dir) as staging:
        for fmt, body in rendered.items():
            staging.write_bytes(f"report.{fmt}", body)
    return [out_dir / f"report.{fmt}" for fmt in rendered]


def register(app: typer.Typer) -> None:
    """Add the ``report`` command to ``app``."""

    @app.command()
    @handles_user_errors
    def report(
        path: Path = typer.Argument(..., help="A programme folder or .xlsx workbook"),
        out: Path = typer.Option(..., "-o", "--out", help="Folder to write the report into"),
        formats: str = typer.Option(
            ",".join(FORMATS), "--format", help="Comma-separated: html,pdf,docx,xlsx"
        ),
    ) -> None:
        """Write the case for change as report.html, report.pdf, report.docx, report.xlsx."""
        chosen = parse_formats(formats)
        loaded = load_any(path)
        for written in make_report(loaded, out, chosen):
            console.print(f"wrote {plain(written)}")
