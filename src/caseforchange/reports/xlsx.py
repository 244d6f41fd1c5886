"""The report's numbers as an analyst's Excel workbook.

Numbers are stored as numbers (intervals in their own columns); the appraisal sheet holds the
weights in one row and the 0-1 values in a grid, with each total a live ``SUMPRODUCT`` over the
weights and the rank a live ``RANK``, so changing a weight recomputes the ranking. Every sheet
says when it holds illustrative data, and user text always goes in as text, never a formula.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from caseforchange.io.cells import set_formula_cell, set_text_cell
from caseforchange.reports.blocks import ColumnFormat, Report, ScoreModel, Table

NUMBER_FORMATS: dict[ColumnFormat, str] = {
    "gbp": "£#,##0",
    "int": "#,##0",
    "dec1": "0.0",
    "dec2": "0.00",
    "dec3": "0.000",
    "pct": "0.0%",
    "text": "General",
}
_HEADER = PatternFill("solid", fgColor="DDE7F0")
_INPUT = PatternFill("solid", fgColor="FFF2CC")
_FLAG = Font(bold=True, color="994D00")
MODEL_SHEET = "Appraisal model"
#: The appraisal sheet's layout: the weights row and the first row of options' values.
WEIGHTS_ROW = 4
FIRST_OPTION_ROW = 7


def _sheet_name(name: str, used: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in "[]:*?/\\")[:28] or "Sheet"
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base[:25]} {n}", n + 1
    used.add(candidate)
    return candidate


def _flag_row(sheet: Worksheet, report: Report, row: int) -> None:
    """Write the sheet's illustrative flag (or that the data are real) in column A of ``row``."""
    if report.illustrative_note:
        set_text_cell(sheet.cell(row, 1), "ILLUSTRATIVE DATA: see the README sheet for which.")
        sheet.cell(row, 1).font = _FLAG


def _write_table(sheet: Worksheet, table: Table, report: Report) -> None:
    set_text_cell(sheet.cell(1, 1), table.caption)
    sheet.cell(1, 1).font = Font(bold=True, size=12)
    _flag_row(sheet, report, 2)
    for index, name in enumerate(table.columns, start=1):
        cell = sheet.cell(3, index)
        set_text_cell(cell, name)
        cell.font = Font(bold=True)
        cell.fill = _HEADER
        cell.alignment = Alignment(
            wrap_text=True,
            vertical="top",
            horizontal="right" if table.numeric(index - 1) else "left",
        )
    for r, row in enumerate(table.rows, start=4):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(r, c)
            set_text_cell(cell, value)
            if not isinstance(value, str):
                cell.number_format = NUMBER_FORMATS[table.format_of(c - 1)]
    for index in range(len(table.columns)):
        letter = get_column_letter(index + 1)
        width = max(
            [len(str(table.columns[index]))] + [len(str(r[index])) for r in table.rows[:200]]
        )
        sheet.column_dimensions[letter].width = min(60, max(10, width + 2))
    sheet.freeze_panes = "B4"


def _write_model(sheet: Worksheet, model: ScoreModel, report: Report) -> None:
    """Write the live appraisal: weights row, values grid, SUMPRODUCT totals and RANKs."""
    n = len(model.criteria)
    last = get_column_letter(1 + n)
    set_text_cell(sheet.cell(1, 1), "Appraisal model: change a weight (yellow) to re-rank")
    sheet.cell(1, 1).font = Font(bold=True, size=12)
    _flag_row(sheet, report, 2)
    set_text_cell(sheet.cell(3, 1), "criterion")
    set_text_cell(sheet.cell(WEIGHTS_ROW, 1), "weight (share of total)")
    set_text_cell(sheet.cell(WEIGHTS_ROW + 1, 1), "sum of weights")
    set_formula_cell(sheet.cell(WEIGHTS_ROW + 1, 2), f"=SUM(B{WEIGHTS_ROW}:{last}{WEIGHTS_ROW})")
    for j, (name, weight) in enumerate(zip(model.criteria, model.weights, strict=True), start=2):
        header = sheet.cell(3, j)
        set_text_cell(header, name)
        header.font = Font(bold=True)
        header.alignment = Alignment(wrap_text=True, vertical="top", horizontal="right")
        cell = sheet.cell(WEIGHTS_ROW, j)
        set_text_cell(cell, weight)
        cell.number_format = "0.000"
        cell.fill = _INPUT
        sheet.column_dimensions[get_column_letter(j)].width = 14
    head = FIRST_OPTION_ROW - 1
    set_text_cell(sheet.cell(head, 1), "option (values 0-1 after each criterion's scale)")
    total_col, rank_col, engine_col = n + 2, n + 3, n + 4
    for col, name in (
        (total_col, "weighted total"),
        (rank_col, "rank"),
        (engine_col, "engine's total"),
    ):
        set_text_cell(sheet.cell(head, col), name)
        sheet.cell(head, col).alignment = Alignment(horizontal="right", wrap_text=True)
    for col in range(1, engine_col + 1):
        sheet.cell(head, col).font = Font(bold=True)
        sheet.cell(head, col).fill = _HEADER
    end = FIRST_OPTION_ROW + len(model.options) - 1
    total_letter = get_column_letter(total_col)
    for i, (option, values) in enumerate(zip(model.options, model.values, strict=True)):
        r = FIRST_OPTION_ROW + i
        set_text_cell(sheet.cell(r, 1), option)
        for j, value in enumerate(values, start=2):
            cell = sheet.cell(r, j)
            set_text_cell(cell, value)
            cell.number_format = "0.000"
        set_formula_cell(
            sheet.cell(r, total_col),
            f"=SUMPRODUCT($B${WEIGHTS_ROW}:${last}${WEIGHTS_ROW},B{r}:{last}{r})",
        )
        sheet.cell(r, total_col).number_format = "0.000"
        set_formula_cell(
            sheet.cell(r, rank_col),
            f"=RANK({total_letter}{r},${total_letter}${FIRST_OPTION_ROW}:${total_letter}${end})",
        )
        set_text_cell(sheet.cell(r, engine_col), model.totals[i])
        sheet.cell(r, engine_col).number_format = "0.000"
    sheet.column_dimensions["A"].width = 44
    sheet.row_dimensions[3].height = 60
    sheet.freeze_panes = sheet.cell(FIRST_OPTION_ROW, 2)


def build_workbook(report: Report) -> Workbook:
    """Return the workbook: README, the live appraisal model, then one sheet per table."""
    workbook = Workbook()
    readme = workbook.active
    assert readme is not None
    readme.title = "README"
    lines = [report.title, report.subtitle]
    if report.illustrative_note:
        lines.append(f"ILLUSTRATIVE DATA: {report.illustrative_note}")
    lines += [
        f"'{MODEL_SHEET}' recomputes each option's weighted total (SUMPRODUCT of the weights "
        "row and the option's values) and its rank: change a yellow weight to see the ranking "
        "change. The engine's totals sit beside them for comparison.",
        "Every other sheet holds one table of the paper, numbers as numbers; 'Provenance' "
        "gives the input files' SHA-256 hashes, the seed and the version.",
    ]
    for row, line in enumerate(lines, start=1):
        set_text_cell(readme.cell(row, 1), line)
        readme.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    readme["A1"].font = Font(bold=True, size=14)
    if report.illustrative_note:
        readme.cell(3, 1).font = _FLAG
    readme.column_dimensions["A"].width = 120
    used = {"README"}
    if report.model is not None:
        used.add(MODEL_SHEET)
        _write_model(workbook.create_sheet(MODEL_SHEET), report.model, report)
    for table in report.tables():
        if table.sheet:
            _write_table(workbook.create_sheet(_sheet_name(table.sheet, used)), table, report)
    return workbook


def xlsx_bytes(report: Report) -> bytes:
    """Return the workbook as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    build_workbook(report).save(buffer)
    return buffer.getvalue()
