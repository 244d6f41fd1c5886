"""The four renderings of the Board paper: HTML, PDF, Word and Excel, each as bytes."""

from __future__ import annotations

import io
import re
from pathlib import Path

import formulas
from docx import Document
from docx.shared import Mm
from openpyxl import load_workbook

from caseforchange.appraisal.result import AppraisalResult
from caseforchange.io.folder import LoadedProgramme
from caseforchange.reports.blocks import Report
from caseforchange.reports.docx_paper import docx_bytes
from caseforchange.reports.html import render_html
from caseforchange.reports.pdf import anchor_pages, layout_pdf
from caseforchange.reports.render import render
from caseforchange.reports.xlsx import FIRST_OPTION_ROW, MODEL_SHEET, WEIGHTS_ROW, xlsx_bytes

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
    # Headings in order: front sheet, contents, numbered body, lettered appendices.
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", html)
    assert headings[:3] == [
        "Summary for the Board",
        "Contents",
        "1. Background and the case for change",
    ]
    assert headings[-1] == "Appendix E. Inputs and provenance"
    # The decision file in full: one appendix, its parts as unlettered subsections.
    assert "Appendix C. The decision file in full" in headings
    assert "<h3>Finance by option</h3>" in html and "<h3>Risk register</h3>" in html
    assert render(report, "html") == html.encode("utf-8")


def test_numbers_and_their_headers_are_right_aligned(leicester: Built) -> None:
    _, _, report = leicester
    html = render_html(report)
    assert '<th scope="col" class=num>weighted total</th>' in html


def test_docx_is_a4_with_header_stamp_and_page_numbers(leicester: Built) -> None:
    _, _, report = leicester
    document = Document(io.BytesIO(docx_bytes(report)))
    first = document.sections[0]
    assert abs(first.page_width - Mm(210)) < Mm(1) and abs(first.page_height - Mm(297)) < Mm(1)
    header = " ".join(p.text for p in first.header.paragraphs)
    assert report.title in header and "ILLUSTRATIVE DATA" in header
    footer = first.footer.paragraphs[0]._p.xml
    assert " PAGE " in footer and " NUMPAGES " in footer
    # The wide scores table sits in a landscape section.
    assert any(s.page_width > s.page_height for s in document.sections)
    level1 = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert level1[0] == "Summary for the Board"
    assert level1[1] == "1. Background and the case for change"
    assert level1[-1] == "Appendix E. Inputs and provenance"
    assert "Appendix C. The decision file in full" in level1
    level2 = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert "Finance by option" in level2 and "Risk register" in level2
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert any(c.startswith("Figure 1: ") for c in captions)
    assert len(document.inline_shapes) >= 5


def test_xlsx_numbers_are_numbers_and_every_sheet_is_flagged(leicester: Built) -> None:
    _, result, report = leicester
    book = load_workbook(io.BytesIO(xlsx_bytes(report)))
    for name in ("README", MODEL_SHEET, "Services", "Weights", "Totals", "SMAA", "Scores"):
        assert name in book.sheetnames, name
    for sheet in book.worksheets[1:]:
        assert str(sheet["A2"].value).startswith("ILLUSTRATIVE DATA"), sheet.title
    totals = book["Totals"]
    top = result.ranking[0]
    assert totals["A3"].value == "rank"
    assert totals["C4"].value == result.totals[top]
    assert totals["C4"].number_format == "0.000"
    assert book["Services"]["D4"].number_format == "£#,##0"


def _recalculate(data: bytes, tmp_path: Path, edits: dict[str, float]) -> dict[str, float]:
    """Return the model sheet's computed cells after setting ``edits`` (cell -> value)."""
    path = tmp_path / "model.xlsx"
    path.write_bytes(data)
    model = formulas.ExcelModel().loads(str(path)).finish()
    book = path.name
    sheet = MODEL_SHEET.upper()
    inputs = {f"'[{book}]{sheet}'!{cell}": value for cell, value in edits.items()}
    solution = model.calculate(inputs=inputs)
    out: dict[str, float] = {}
    for key, value in solution.items():
        if f"]{sheet}'!" in key and ":" not in key:
            cell = key.split("!")[1]
            raw = value.value[0, 0] if hasattr(value, "value") else value
            if isinstance(raw, int | float):
                out[cell] = float(raw)
    return out


def test_xlsx_totals_recompute_to_the_engine_and_follow_the_weights(
    leicester: Built, tmp_path: Path
) -> None:
    _, result, report = leicester
    data = xlsx_bytes(report)
    assert report.model is not None
    n = len(report.model.criteria)
    total_col = chr(ord("A") + n + 1)
    rank_col = chr(ord("A") + n + 2)
    computed = _recalculate(data, tmp_path, {})
    for i, option in enumerate(result.options):
        cell = f"{total_col}{FIRST_OPTION_ROW + i}"
        assert abs(computed[cell] - result.totals[option]) < 1e-9
        assert computed[f"{rank_col}{FIRST_OPTION_ROW + i}"] == result.ranks[option]
    # Put all the weight on one criterion: each total becomes that criterion's value.
    edits = {f"{chr(ord('B') + j)}{WEIGHTS_ROW}": 0.0 for j in range(n)}
    edits[f"B{WEIGHTS_ROW}"] = 1.0
    moved = _recalculate(data, tmp_path, edits)
    first = result.criteria[0]
    for i, option in enumerate(result.options):
        cell = f"{total_col}{FIRST_OPTION_ROW + i}"
        assert abs(moved[cell] - result.values[option][first]) < 1e-9


def test_user_text_is_never_a_formula(leicester: Built) -> None:
    loaded, result, report = leicester
    hostile = '=HYPERLINK("http://x")'
    report.model.options[0] = hostile  # type: ignore[union-attr]
    try:
        book = load_workbook(io.BytesIO(xlsx_bytes(report)))
        cell = book[MODEL_SHEET].cell(FIRST_OPTION_ROW, 1)
        assert cell.value == hostile and cell.data_type == "s"
    finally:
        report.model.options[0] = next(  # type: ignore[union-attr]
            o.name for o in loaded.programme.options if o.id == result.options[0]
        )


def test_pdf_is_a4_front_sheet_then_a_main_body_of_at_most_twelve_pages(leicester: Built) -> None:
    _, _, report = leicester
    document = layout_pdf(report)
    portrait = (210 / 25.4 * 96, 297 / 25.4 * 96)
    sizes = {(round(p.width), round(p.height)) for p in document.pages}
    assert (round(portrait[0]), round(portrait[1])) in sizes
    assert (round(portrait[1]), round(portrait[0])) in sizes  # the landscape appendix
    pages = anchor_pages(document)
    assert pages["ask"] <= 2
    body = pages[report.part("appendix")[0].key] - pages[report.part("body")[0].key]
    assert body <= 12
    html = render_html(report, raster=True)
    assert 'counter(page) " of " counter(pages)' in html
    assert "target-counter(attr(href), page)" in html


def test_decision_chart_data_are_numbers_in_the_workbook_and_right_aligned(
    leicester: Built,
) -> None:
    _, _, report = leicester
    book = load_workbook(io.BytesIO(xlsx_bytes(report)))
    for name in ("Value for money", "Affordability", "Risk matrix"):
        assert name in book.sheetnames, name
    vfm, finance = book["Value for money"], book["Finance"]
    assert [c.value for c in vfm[3]] == ["option", "value", "net present cost", "dominated by"]
    costs = {r[0].value: r[1].value for r in finance.iter_rows(min_row=4) if r[0].value}
    rows = [r for r in vfm.iter_rows(min_row=4) if r[0].value]
    assert len(rows) == len(costs)
    for option, value, npc, _ in rows:
        # The same net present cost as the finance table, as a number shown in pounds.
        assert isinstance(npc.value, float) and npc.value == costs[option.value]
        assert npc.number_format == "£#,##0" and value.number_format == "0.000"
        assert 0 <= value.value <= 1
    # One sheet per option's tornado, named by the option's id (sheet names are short).
    tornado = next(n for n in book.sheetnames if n.startswith("Tornado "))
    assert tornado.removeprefix("Tornado ") in {o.id for o in leicester[0].programme.options}
    factors = [c.value for c in book[tornado][4][1:3]]
    assert factors == [0.98, 1.04] or factors == [0.8, 1.5]
    assert isinstance(book["Affordability"]["B4"].value, (int, float))
    assert book["Affordability"]["B4"].number_format == "£#,##0"
    # HTML: the chart's data table right-aligns its numbers and rounds them as the tables do.
    html = render_html(report)
    table = html[html.index("<caption>Data for: Value for money") :]
    table = table[: table.index("</table>")]
    assert '<th scope="col" class=num>net present cost</th>' in table
    first = rows[0]
    assert f'<td class="num">£{first[2].value:,.0f}</td>' in table
    assert f'<td class="num">{first[1].value:.3f}</td>' in table
