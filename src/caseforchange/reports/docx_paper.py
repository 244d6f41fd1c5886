"""Any report as an editable Word document (python-docx).

A4, a header with the title and the illustrative stamp, page numbers in the footer, real
headings, captioned tables, landscape sections for wide tables.
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section as DocxSection
from docx.shared import Cm, Length, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from caseforchange.chartstyle import Chart
from caseforchange.reports.blocks import (
    Block,
    Bullets,
    Paragraph,
    Report,
    Section,
    Table,
    format_cell,
)

MARGIN = Cm(2)
#: Tables wider than this many columns go on a landscape page.
LANDSCAPE_COLUMNS = 7
_AMBER = RGBColor(0x99, 0x4D, 0x00)


def _field(paragraph: DocxParagraph, instruction: str, placeholder: str = "1") -> None:
    """Add a Word field (PAGE, NUMPAGES, SEQ ...) that Word updates when it lays out pages."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = placeholder
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, separate, shown, end):
        run._r.append(element)


def _caption(document: DocxDocument, label: str, text: str) -> None:
    """Add a Word caption with a real SEQ field, so Word can build a list of figures/tables."""
    paragraph = document.add_paragraph(style="Caption")
    paragraph.add_run(f"{label} ")
    counters: dict[str, int] = document.__dict__.setdefault("_cfc_counters", {})
    counters[label] = counters.get(label, 0) + 1
    _field(paragraph, f"SEQ {label} \\* ARABIC", str(counters[label]))
    paragraph.add_run(f": {text}")
    paragraph.paragraph_format.keep_with_next = True


def _page(section: DocxSection, landscape: bool) -> None:
    """Set a Word section to A4, portrait or landscape, with the paper's margins."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long_side, short_side = Mm(297), Mm(210)
    section.page_width = long_side if landscape else short_side
    section.page_height = short_side if landscape else long_side
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN


def _text_width(section: DocxSection) -> float:
    """Return the text width of a section in centimetres."""
    width = int(section.page_width or 0) - int(section.left_margin or 0)
    return (width - int(section.right_margin or 0)) / 360000


def _column_widths(table: Table, total_cm: float) -> list[Length]:
    """Return widths sharing ``total_cm`` by each column's longest text (within limits)."""
    lengths = []
    for index, name in enumerate(table.columns):
        cells = [format_cell(r[index], table.format_of(index)) for r in table.rows[:300]]
        # Long free text gets room by its typical length; short columns by their longest word.
        typical = sum(min(len(c), 80) for c in cells) / max(len(cells), 1)
        word = max([len(w) for w in name.split()] + [len(w) for c in cells for w in c.split()])
        lengths.append(max(5.0, float(word), typical) + 2.0)  # + padding for cell margins
    scale = total_cm / sum(lengths)
    return [Length(Cm(n * scale)) for n in lengths]


def _table(document: DocxDocument, table: Table) -> None:
    _caption(document, "Table", table.caption)
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = Pt(9 if len(table.columns) <= LANDSCAPE_COLUMNS else 8.5)
    for index, (cell, name) in enumerate(zip(grid.rows[0].cells, table.columns, strict=True)):
        cell.text = name
        cell.paragraphs[0].runs[0].bold = True
        if table.numeric(index):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    # Repeat the header row on each page of a long table.
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    grid.rows[0]._tr.get_or_add_trPr().append(repeat)
    for row in table.rows:
        cells = grid.add_row().cells
        for index, value in enumerate(row):
            cells[index].text = format_cell(value, table.format_of(index))
            if table.numeric(index):
                cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    widths = _column_widths(table, _text_width(document.sections[-1]))
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    for row in grid.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = size
    document.add_paragraph()


def _wide(table: Table) -> bool:
    return table.wide or len(table.columns) > LANDSCAPE_COLUMNS


def _block(document: DocxDocument, block: Block) -> None:
    if isinstance(block, Paragraph):
        paragraph = document.add_paragraph(block.text)
        if block.emphasis:
            for run in paragraph.runs:
                run.bold = True
    elif isinstance(block, Bullets):
        if block.lead:
            document.add_paragraph(block.lead).paragraph_format.keep_with_next = True
        for item in block.items:
            document.add_paragraph(item, style="List Bullet")
    elif isinstance(block, Table):
        if _wide(block):
            _page(document.add_section(WD_SECTION.NEW_PAGE), landscape=True)
            _table(document, block)
            _page(document.add_section(WD_SECTION.NEW_PAGE), landscape=False)
        else:
            _table(document, block)
    elif isinstance(block, Chart):
        if block.png:
            document.add_picture(io.BytesIO(block.png), width=Cm(16 * block.width))
        _caption(document, "Figure", block.title)
        alt = document.add_paragraph(block.alt)
        alt.runs[0].italic = True
        alt.runs[0].font.size = Pt(9)


def _header_footer(document: DocxDocument, report: Report) -> None:
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = ""
    title = header.add_run(report.title)
    title.font.size = Pt(8)
    if report.stamp:
        line = section.header.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        stamp = line.add_run(report.stamp.upper())
        stamp.bold = True
        stamp.font.size = Pt(8)
        stamp.font.color.rgb = _AMBER
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _section(document: DocxDocument, section: Section, prefix: str) -> None:
    if section.title:
        document.add_heading(prefix + section.title, level=max(1, section.level - 1))
    for item in section.blocks:
        _block(document, item)


def build_docx(report: Report) -> DocxDocument:
    """Return the report as a python-docx Document (A4, header, footer, landscape tables)."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10.5)
    _page(document.sections[0], landscape=False)
    _header_footer(document, report)
    document.add_heading(report.title, level=0)
    if report.subtitle:
        document.add_paragraph(report.subtitle)
    if report.meta:
        facts = document.add_table(rows=0, cols=2)
        facts.autofit = False
        for label, value in report.meta:
            cells = facts.add_row().cells
            cells[0].text, cells[1].text = label, value
            cells[0].paragraphs[0].runs[0].bold = True
        for column, width in zip(facts.columns, (Cm(4), Cm(13)), strict=True):
            column.width = width
            for cell in column.cells:
                cell.width = width
    if report.illustrative_note:
        warning = document.add_paragraph()
        warning.paragraph_format.space_before = Pt(8)
        run = warning.add_run(f"ILLUSTRATIVE DATA: {report.illustrative_note}")
        run.bold = True
        run.font.color.rgb = _AMBER
    for section in report.part("front"):
        _section(document, section, "")
    paper = report.kind == "paper"
    if paper:
        document.add_page_break()  # type: ignore[no-untyped-call]
    number = 0
    for section in report.part("body"):
        if section.level == 2:
            number += 1
        _section(document, section, f"{number}. " if paper and section.level == 2 else "")
    letter = -1
    for section in report.part("appendix"):
        if section.level > 2:  # a subsection runs on under its appendix's heading
            _section(document, section, "")
            continue
        letter += 1
        document.add_page_break()  # type: ignore[no-untyped-call]
        _section(document, section, f"Appendix {chr(ord('A') + letter)}. ")
    return document


def docx_bytes(report: Report) -> bytes:
    """Return the report as the bytes of a .docx file."""
    buffer = io.BytesIO()
    build_docx(report).save(buffer)
    return buffer.getvalue()
