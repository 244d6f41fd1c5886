"""The report's numbers as an Excel workbook: one sheet per table, headers and number formats."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from caseforchange.reports.blocks import ColumnFormat, Figure, Report, Table

NUMBER_FORMATS: dict[ColumnFormat, str] = {
    "gbp": "£#,##0",
    "int": "#,##0",
    "dec1": "0.0",
    "dec2": "0.00",
    "dec3": "0.000",
    "pct": "0.0%",
    "text": "@",
}
_HEADER = PatternFill("solid", fgColor="DDE7F0")


def _sheet_name(name: str, used: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in "[]:*?/\\")[:28] or "Sheet"
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base[:25]} {n}", n + 1
    used.add(candidate)
    return candidate


def _write_table(workbook: Workbook, table: Table, name: str) -> None:
    sheet = workbook.create_sheet(name)
    sheet.append([table.caption])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append(table.columns)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in table.rows:
        sheet.append([value for value in row])
    for index in range(len(table.columns)):
        fmt = table.format_of(index)
        letter = get_column_letter(index + 1)
        for cell in sheet[letter][2:]:
            if not isinstance(cell.value, str):
                cell.number_format = NUMBER_FORMATS[fmt]
        width = max(
            [len(str(table.columns[index]))] + [len(str(r[index])) for r in table.rows[:200]]
        )
        sheet.column_dimensions[letter].width = min(60, max(10, width + 2))
    sheet.freeze_panes = "B3"


def build_workbook(report: Report) -> Workbook:
    """Return the workbook: a README sheet, then one sheet per named table, then provenance."""
    workbook = Workbook()
    readme = workbook.active
    readme.title = "README"
    readme.append([report.title])
    readme["A1"].font = Font(bold=True, size=14)
    readme.append([report.subtitle])
    if report.illustrative_note:
        readme.append([f"ILLUSTRATIVE DATA: {report.illustrative_note}"])
        readme.cell(readme.max_row, 1).font = Font(bold=True, color="994D00")
    readme.append(
        ["Each sheet holds one table of the report; 'Provenance' says where the inputs came from."]
    )
    readme.column_dimensions["A"].width = 120
    used = {"README", "Provenance"}
    for section in report.sections:
        for block in section.blocks:
            table = block.data if isinstance(block, Figure) else block
            if isinstance(table, Table) and table.sheet:
                _write_table(workbook, table, _sheet_name(table.sheet, used))
    provenance = workbook.create_sheet("Provenance")
    provenance.append(["item", "value"])
    for cell in provenance[1]:
        cell.font = Font(bold=True)
    for key, value in report.provenance.items():
        provenance.append([key, value])
    provenance.column_dimensions["A"].width = 32
    provenance.column_dimensions["B"].width = 80
    return workbook


def write_xlsx(report: Report, path: Path) -> None:
    """Write the workbook to ``path`` atomically (a temp file, then a rename)."""
    handle, tmp = tempfile.mkstemp(dir=path.parent, suffix=".xlsx")
    os.close(handle)
    try:
        build_workbook(report).save(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
