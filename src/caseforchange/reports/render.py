"""Render a report to the bytes of any of the four formats."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from caseforchange.extras import installed
from caseforchange.reports.blocks import Report
from caseforchange.reports.html import html_bytes
from caseforchange.reports.pdf import pdf_bytes
from caseforchange.reports.xlsx import xlsx_bytes


def docx_bytes(report: Report) -> bytes:
    """Return the report as a Word board paper (python-docx, from the ``reports`` extra)."""
    from caseforchange.reports.docx_paper import docx_bytes as render_docx

    return render_docx(report)


RENDERERS: dict[str, Callable[[Report], bytes]] = {
    "html": html_bytes,
    "pdf": pdf_bytes,
    "docx": docx_bytes,
    "xlsx": xlsx_bytes,
}
FORMATS = tuple(RENDERERS)
#: The module each format needs beyond the core install (both come with the ``reports`` extra).
NEEDS: dict[str, str] = {"pdf": "weasyprint", "docx": "docx"}


def missing_modules(formats: Sequence[str]) -> dict[str, str]:
    """Return ``{format: module}`` for each chosen format whose module is not installed."""
    return {f: NEEDS[f] for f in formats if f in NEEDS and not installed(NEEDS[f])}


def render(report: Report, fmt: str) -> bytes:
    """Return the report in one format as bytes.

    Raises:
        ValueError: when ``fmt`` is not one of html, pdf, docx, xlsx.
    """
    if fmt not in RENDERERS:
        raise ValueError(f"unknown report format {fmt!r}; use {', '.join(FORMATS)}")
    return RENDERERS[fmt](report)


def render_all(report: Report, formats: Sequence[str] = FORMATS) -> dict[str, bytes]:
    """Return the report in each of ``formats``, as ``{format: bytes}``.

    Raises:
        ValueError: when a format is not one of html, pdf, docx, xlsx.
    """
    unknown = [f for f in formats if f not in RENDERERS]
    if unknown:
        raise ValueError(f"unknown report format(s): {', '.join(unknown)}")
    return {fmt: RENDERERS[fmt](report) for fmt in formats}
