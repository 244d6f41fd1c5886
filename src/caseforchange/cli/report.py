"""``caseforchange report``: the case for change in HTML, PDF, Word and Excel."""

from __future__ import annotations

from pathlib import Path

import typer

from caseforchange.appraisal.run import appraise
from caseforchange.cli.errors import handles_user_errors, make_console, plain
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.flow.loader import load_flow_model
from caseforchange.flow.runner import run_model
from caseforchange.flow.scoring import suggest_scores
from caseforchange.io.atomic import check_folder_target, staged_folder
from caseforchange.io.folder import LoadedProgramme
from caseforchange.io.sources import load_any
from caseforchange.reports.blocks import Section
from caseforchange.reports.build import build_report
from caseforchange.reports.flow_section import flow_section
from caseforchange.reports.render import FORMATS, write_report

console = make_console()


def parse_formats(text: str) -> list[str]:
    """Return the formats named in a comma-separated list.

    Raises:
        InvalidInput: when a format is not one of html, pdf, docx, xlsx.
    """
    chosen = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise InvalidInput(
            [Problem(("--format",), f"unknown format {unknown or text!r}; use {','.join(FORMATS)}")]
        )
    return chosen


def make_report(loaded: LoadedProgramme, out_dir: Path, formats: list[str]) -> list[Path]:
    """Appraise a loaded programme and write its report in ``formats``; return the paths.

    Every format is rendered into a staging folder beside ``out_dir`` and moved into place
    only when all of them succeeded, so a failure or an interruption leaves ``out_dir`` as
    it was.

    Raises:
        InvalidInput: when the programme cannot be appraised (e.g. missing scores), located
            as ``programme.yaml:LINE``, or ``out_dir`` cannot be written.
    """
    check_folder_target(out_dir)
    try:
        result = appraise(loaded.programme, file_hashes=loaded.file_hashes)
    except InvalidInput as error:
        raise InvalidInput(loaded.source.place(error.problems)) from None
    flow = flow_report_section(loaded.root)
    report = build_report(loaded, result, flow=flow)
    with staged_folder(out_dir) as staging:
        staged = write_report(report, staging.folder, formats)
    return [out_dir / path.relative_to(staging.folder) for path in staged]


def flow_report_section(root: Path) -> Section | None:
    """Run the folder's patient-flow model, if it has one, and return its report section.

    Raises:
        InvalidInput: when ``flow.yaml`` has problems.
    """
    path = root / "flow.yaml"
    if not root.is_dir() or not path.exists():
        return None
    model = load_flow_model(path)
    run = run_model(model, jobs=1)
    return flow_section(run, suggest_scores(run, model.scoring))


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
