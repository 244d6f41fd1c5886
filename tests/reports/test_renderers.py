"""The four renderings of the report: HTML, PDF, Word and Excel."""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from caseforchange.appraisal.result import AppraisalResult
from caseforchange.io.folder import LoadedProgramme
from caseforchange.reports.blocks import Report
from caseforchange.reports.docx_paper import write_docx
from caseforchange.reports.html import render_html
from caseforchange.reports.pdf import layout_pdf, write_pdf
from caseforchange.reports.xlsx import write_xlsx

Built = tuple[LoadedProgramme, AppraisalResult, Report]


def test_html_is_self_contained_with_inline_svg(leicester: Built) -> None:
    _, _, report = leicester
    html = render_html(report)
    assert html.count("<svg") >= 5
    assert not re.search(r"""(src|href)=["']https?://""", html)
    assert '<html lang="en-GB">' in html and 'name="viewport"' in html
    assert "Illustrative data:" in html
    for section in report.sections:
        assert f'id="{section.key}"' in html


def test_docx_heading_outline_is_a_board_paper(leicester: Built, tmp_path: Path) -> None:
    _, _, report = leicester
    write_docx(report, tmp_path / "paper.docx")
    document = Document(str(tmp_path / "paper.docx"))
    level1 = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert level1 == [
        "Purpose",
        "Recommendations",
        "Background",
        "Options appraisal",
        "Engagement",
        "Risks",
        "Financial implications",
        "Equality and quality impact",
        "Assurance",
        "Next steps",
        "Appendices",
    ]
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert any(c.startswith("Figure 1: ") for c in captions)
    assert any(c.startswith("Table 1: ") for c in captions)
    assert any("ILLUSTRATIVE DATA" in p.text for p in document.paragraphs)
    assert len(document.inline_shapes) >= 5


def test_xlsx_has_result_sheets_with_number_formats(leicester: Built, tmp_path: Path) -> None:
    _, result, report = leicester
    write_xlsx(report, tmp_path / "report.xlsx")
    book = load_workbook(tmp_path / "report.xlsx")
    for name in (
        "README",
        "Services",
        "Weights",
        "Totals",
        "Sensitivity",
        "SMAA",
        "Scores",
        "Provenance",
    ):
        assert name in book.sheetnames, name
    totals = book["Totals"]
    assert totals["A2"].value == "rank"
    top = result.ranking[0]
    assert totals["C3"].value == result.totals[top]
    assert totals["C3"].number_format == "0.000"
    assert book["Services"]["D3"].number_format == "£#,##0"


def test_pdf_is_a4_with_page_numbers_and_contents(leicester: Built, tmp_path: Path) -> None:
    _, _, report = leicester
    document = layout_pdf(report)
    a4_px = (210 / 25.4 * 96, 297 / 25.4 * 96)
    assert all(abs(p.width - a4_px[0]) < 1 and abs(p.height - a4_px[1]) < 1 for p in document.pages)
    assert len(document.pages) > 10
    write_pdf(report, tmp_path / "report.pdf")
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    html = render_html(report, raster=True)
    assert 'counter(page) " of " counter(pages)' in html
    assert "target-counter(attr(href), page)" in html
