"""Any report as an A4 PDF, printed from the same HTML by WeasyPrint."""

from __future__ import annotations

import logging
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


def pdf_bytes(report: Report) -> bytes:
    """Return the report as a paginated A4 PDF (page numbers, contents, landscape appendices)."""
    data: bytes = layout_pdf(report).write_pdf()
    return data


def anchor_pages(document: Any) -> dict[str, int]:
    """Return the 1-based page number of every anchor (element id) in a laid-out document."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            pages.setdefault(anchor, number)
    return pages
