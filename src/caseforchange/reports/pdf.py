"""The report as an A4 PDF, printed from the same HTML by WeasyPrint."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from caseforchange.reports.blocks import Report
from caseforchange.reports.html import render_html


def layout_pdf(report: Report) -> Any:
    """Return the report laid out in A4 pages (a ``weasyprint.Document``)."""
    from weasyprint import HTML

    # WeasyPrint logs every CSS property it ignores; the report's print CSS is deliberate.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    # Charts go in as PNG: WeasyPrint lays out SVG text far more slowly, with no visible gain.
    return HTML(string=render_html(report, raster=True)).render()


def write_pdf(report: Report, path: Path) -> None:
    """Write the report as a paginated A4 PDF (page numbers, contents) to ``path``."""
    layout_pdf(report).write_pdf(path)
