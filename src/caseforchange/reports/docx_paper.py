"""The report as an editable Word Board paper (python-docx): real headings, tables, captions."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt, RGBColor

from caseforchange.reports.blocks import (
    Block,
    Bullets,
    Figure,
    Paragraph,
    Report,
    Table,
    format_cell,
)

#: The Board paper's headings, and the report sections each draws on, in order.
PAPER_OUTLINE: list[tuple[str, list[str]]] = [
    ("Purpose", ["purpose"]),
    ("Recommendations", ["summary"]),
    ("Background", ["case"]),
    (
        "Options appraisal",
        [
            "options",
            "criteria",
            "scores",
            "results",
            "uncertainty",
            "flow",
            "decision-market",
            "decision-competition",
            "decision-peers",
        ],
    ),
    ("Engagement", ["engagement"]),
    ("Risks", ["risks", "decision-risks"]),
    ("Financial implications", ["finance", "decision-finance", "decision-workforce"]),
    ("Equality and quality impact", ["equality", "decision-equality"]),
    ("Assurance", ["decision-assurance"]),
    ("Next steps", ["next"]),
    ("Appendices", ["appendix"]),
]


def _caption(document: DocxDocument, label: str, text: str) -> None:
    """Add a Word caption with a real SEQ field, so Word can build a list of figures/tables."""
    paragraph = document.add_paragraph(style="Caption")
    paragraph.add_run(f"{label} ")
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" SEQ {label} \\* ARABIC "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    number = OxmlElement("w:t")
    number.text = str(_next_number(document, label))
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instruction, separate, number, end):
        run._r.append(element)
    paragraph.add_run(f": {text}")


def _next_number(document: DocxDocument, label: str) -> int:
    counters: dict[str, int] = document.__dict__.setdefault("_cfc_counters", {})
    counters[label] = counters.get(label, 0) + 1
    return counters[label]


def _table(document: DocxDocument, table: Table) -> None:
    _caption(document, "Table", table.caption)
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, name in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.text = name
        for run in cell.paragraphs[0].runs:
            run.bold = True
    # Repeat the header row on each page of a long table.
    header_pr = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_pr.append(repeat)
    for row in table.rows:
        cells = grid.add_row().cells
        for index, value in enumerate(row):
            cells[index].text = format_cell(value, table.format_of(index))
            if not isinstance(value, str) and value is not None:
                cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    widths = _column_widths(len(table.columns))
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    for row in grid.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(8)
    document.add_paragraph()


def _column_widths(count: int) -> list[Length]:
    """Return column widths filling the 17 cm text width, the first (the row label) wider."""
    if count <= 2:
        return [Length(Cm(17 / max(count, 1)))] * count
    first = 4.5 if count > 4 else 17 / count
    rest = Length(Cm((17 - first) / (count - 1)))
    return [Length(Cm(first)), *([rest] * (count - 1))]


def _block(document: DocxDocument, block: Block) -> None:
    if isinstance(block, Paragraph):
        paragraph = document.add_paragraph(block.text)
        if block.emphasis:
            for run in paragraph.runs:
                run.bold = True
    elif isinstance(block, Bullets):
        for item in block.items:
            document.add_paragraph(item, style="List Bullet")
    elif isinstance(block, Table):
        _table(document, block)
    elif isinstance(block, Figure):
        document.add_picture(io.BytesIO(block.png), width=Cm(16))
        _caption(document, "Figure", block.caption)
        alt = document.add_paragraph(block.alt)
        alt.runs[0].italic = True
        alt.runs[0].font.size = Pt(9)
        _table(document, block.data)


def build_docx(report: Report) -> DocxDocument:
    """Return the Board paper as a python-docx Document."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10.5)
    for page in document.sections:
        page.left_margin = page.right_margin = Cm(2)
    document.add_heading(report.title, level=0)
    block = document.add_table(rows=0, cols=2)
    block.style = "Table Grid"
    for label, value in (
        ("Paper for", "Board — for decision"),
        ("Programme", report.programme_id),
        ("Date", report.date),
        ("Subject", report.subtitle),
    ):
        cells = block.add_row().cells
        cells[0].text, cells[1].text = label, value
        cells[0].paragraphs[0].runs[0].bold = True
    if report.illustrative_note:
        warning = document.add_paragraph()
        run = warning.add_run(f"ILLUSTRATIVE DATA: {report.illustrative_note}")
        run.bold = True
        run.font.color.rgb = RGBColor(0x99, 0x4D, 0x00)
    sections = {s.key: s for s in report.sections}
    for heading, keys in PAPER_OUTLINE:
        present = [sections[k] for k in keys if k in sections]
        if not present:
            continue
        document.add_heading(heading, level=1)
        for section in present:
            if len(keys) > 1:
                document.add_heading(section.title, level=2)
            for item in section.blocks:
                _block(document, item)
    return document


def write_docx(report: Report, path: Path) -> None:
    """Write the Board paper to ``path``."""
    build_docx(report).save(str(path))
