"""Write a report in any of the four formats."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from caseforchange.extras import installed
from caseforchange.reports.blocks import Report
from caseforchange.reports.html import write_html
from caseforchange.reports.pdf import write_pdf
from caseforchange.reports.xlsx import write_xlsx


def write_docx(report: Report, path: Path) -> None:
    """Write the report as a Word board paper (python-docx, from the ``reports`` extra)."""
    from caseforchange.reports.docx_paper import write_docx as write

    write(report, path)


WRITERS: dict[str, Callable[[Report, Path], None]] = {
    "html": write_html,
    "pdf": write_pdf,
    "docx": write_docx,
    "xlsx": write_xlsx,
}
FORMATS = tuple(WRITERS)
#: The module each format needs beyond the core install (both come with the ``reports`` extra).
NEEDS: dict[str, str] = {"pdf": "weasyprint", "docx": "docx"}


def missing_modules(formats: Sequence[str]) -> dict[str, str]:
    """Return ``{format: module}`` for each chosen format whose module is not installed."""
    return {f: NEEDS[f] for f in formats if f in NEEDS and not installed(NEEDS[f])}


def write_report(report: Report, out_dir: Path, formats: Sequence[str] = FORMATS) -> list[Path]:
    """Write ``report.<fmt>`` for each format into ``out_dir`` and return the paths.

    Raises:
        ValueError: when a format is not one of html, pdf, docx, xlsx.
    """
    unknown = [f for f in formats if f not in WRITERS]
    if unknown:
        raise ValueError(f"unknown report format(s): {', '.join(unknown)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = out_dir / f"report.{fmt}"
        WRITERS[fmt](report, path)
        written.append(path)
    return written
