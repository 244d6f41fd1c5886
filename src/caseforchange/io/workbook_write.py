"""Write a programme as an Excel workbook laid out by :mod:`caseforchange.io.workbook_layout`."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path as FilePath
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from caseforchange.catalogue.forms import forms
from caseforchange.catalogue.scales import builtin_scales
from caseforchange.domain.criteria import Criterion
from caseforchange.domain.problems import InvalidInput, Path, Problem
from caseforchange.domain.programme import Programme
from caseforchange.io.cells import set_text_cell
from caseforchange.io.workbook_decision import decision_tables
from caseforchange.io.workbook_layout import (
    AHP_SHEET,
    CHARACTERISTICS,
    CONFIGURATION_SHEET,
    CRITERIA_SHEET,
    ENUMERATIONS,
    KIND_HELP,
    LIST_SEPARATOR,
    LISTS_SHEET,
    MEMBER_SHEET,
    POINT_SEPARATOR,
    PROGRAMME,
    PROGRAMME_FIELDS,
    README_SHEET,
    REPEATED_FIELDS,
    SCALE_POINT_SHEET,
    SCORE_SHEET,
    SHEETS,
    SPARE_ROWS,
    WEIGHT_INTERVAL_SHEET,
    Column,
    Kind,
    Sheet,
    how_to_fill,
)

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
_WARNING_FONT = Font(bold=True, color="9C0006")
_WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")

#: One table row: the cell values in column order, and the field path each row describes.
_Row = tuple[list[Any], Path]


def write_workbook(programme: Programme, path: FilePath) -> None:
    """Write ``programme`` to the workbook ``path``, replacing it whole or not at all.

    Raises:
        InvalidInput: when a text cannot be held in a workbook cell (a control character, or
            a ';' inside an item of a list that shares one cell).
        OSError: when the file cannot be written.
    """
    book = build_workbook(programme)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".xlsx")
    os.close(handle)
    try:
        book.save(temporary)
        os.replace(temporary, path)
    except BaseException:
        FilePath(temporary).unlink(missing_ok=True)
        raise


def build_workbook(programme: Programme) -> Workbook:
    """Return the workbook for ``programme``, not yet saved.

    Raises:
        InvalidInput: when a text cannot be held in a workbook cell.
    """
    book = Workbook()
    readme = book.active
    assert readme is not None  # a new workbook always has one sheet
    readme.title = README_SHEET
    tables = _tables(programme)
    longest = max(len(rows) for rows in tables.values())
    last_row = longest + 1 + SPARE_ROWS
    problems: list[Problem] = []
    for sheet in SHEETS:
        rows = tables[sheet.name]
        if sheet.optional and not rows:
            continue
        problems += _write_table(book.create_sheet(sheet.name), sheet, rows, last_row)
    if problems:
        raise InvalidInput(problems)
    _write_lists(book, programme)
    _write_readme(readme, programme)
    return book


def _tables(p: Programme) -> dict[str, list[_Row]]:
    """Return every sheet's rows; each row's path says which field of the programme it holds."""

    def plain(sheet: Sheet, records: list[Any], base: Path) -> list[_Row]:
        return [
            ([_cell(c, getattr(r, c.name)) for c in sheet.columns], (*base, i))
            for i, r in enumerate(records)
        ]

    fw = p.framework
    by_name = {sheet.name: sheet for sheet in SHEETS}
    tables: dict[str, list[_Row]] = {
        PROGRAMME.name: list(_programme_rows(p)),
        CHARACTERISTICS.name: [
            ([c], ("characteristics", i)) for i, c in enumerate(p.characteristics)
        ],
        CONFIGURATION_SHEET.name: [
            (
                [o.id, sid, _cell(CONFIGURATION_SHEET.column("destinations"), dest)],
                (
                    "options",
                    i,
                    "configuration",
                    sid,
                ),
            )
            for i, o in enumerate(p.options)
            for sid, dest in (o.configuration or {}).items()
        ],
        CRITERIA_SHEET.name: list(_criteria_rows(fw.criteria, None, ("framework", "criteria"))),
        SCALE_POINT_SHEET.name: [
            ([s.id, pt.value, pt.label], ("framework", "scales", i, "points", j))
            for i, s in enumerate(fw.scales)
            for j, pt in enumerate(s.points)
        ],
        AHP_SHEET.name: [
            ([key, r + 1, c + 1, value], ("framework", "weighting", "ahp", key, r, c))
            for key, matrix in fw.weighting.ahp.items()
            for r, row in enumerate(matrix)
            for c, value in enumerate(row)
        ],
        MEMBER_SHEET.name: [
            (
                [x.id] + [_cell(c, getattr(m, c.name)) for c in MEMBER_SHEET.columns[1:]],
                ("panels", i, "members", j),
            )
            for i, x in enumerate(p.panels)
            for j, m in enumerate(x.members)
        ],
        WEIGHT_INTERVAL_SHEET.name: [
            ([cid, low, high], ("appraisal", "weight_intervals", cid))
            for cid, (low, high) in p.appraisal.weight_intervals.items()
        ],
        SCORE_SHEET.name: plain(SCORE_SHEET, p.scores, ("scores",)),
    }
    tables.update(decision_tables(p, _cell))
    for name, records, base in (
        ("Organisations", p.organisations, ("organisations",)),
        ("Services", p.services, ("services",)),
        ("Dependencies", p.dependencies, ("dependencies",)),
        ("Options", p.options, ("options",)),
        ("Scales", fw.scales, ("framework", "scales")),
        ("Panels", p.panels, ("panels",)),
        ("Stakeholders", p.stakeholders, ("stakeholders",)),
        ("Activities", p.activities, ("activities",)),
        ("Milestones", p.milestones, ("milestones",)),
    ):
        tables[name] = plain(by_name[name], records, base)
    return tables


def _programme_rows(p: Programme) -> Iterator[_Row]:
    for column in PROGRAMME_FIELDS:
        path = tuple(column.name.split("."))
        value: Any = p
        for part in path:
            # A decision part the programme lacks (e.g. no finance) leaves its fields blank.
            value = None if value is None else getattr(value, part)
        if column.name in REPEATED_FIELDS:
            # Always show the field, even with no items, so users can see where sources go.
            for index, item in enumerate(value or [None]):
                line = item.as_line() if hasattr(item, "as_line") else item
                yield [column.name, line, column.help], (*path, index)
        else:
            yield [column.name, _cell(column, value), column.help], path


def _criteria_rows(criteria: list[Criterion], parent: str | None, base: Path) -> Iterator[_Row]:
    for index, c in enumerate(criteria):
        vf = c.value_function
        values = {
            **{col.name: getattr(c, col.name, None) for col in CRITERIA_SHEET.columns},
            "parent": parent,
            "value_function_unit": vf.unit if vf else None,
            "value_function_points": vf.points if vf else None,
        }
        yield [_cell(col, values[col.name]) for col in CRITERIA_SHEET.columns], (*base, index)
        yield from _criteria_rows(c.children, c.id, (*base, index, "children"))


def _number_text(value: float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _cell(column: Column, value: Any) -> Any:
    """Return ``value`` as a cell value for ``column`` (lists joined, enums as their value)."""
    if value is None:
        return None
    if isinstance(value, Enum):
        return value.value
    if column.kind in (Kind.ID_LIST, Kind.TEXT_LIST):
        if any(LIST_SEPARATOR in item for item in value):
            return _Unwritable(
                f"an item contains '{LIST_SEPARATOR}', which the workbook uses to separate"
                " items; rephrase it"
            )
        return f"{LIST_SEPARATOR} ".join(value) if value else None
    if column.kind is Kind.NUMBER_LIST:
        return f"{LIST_SEPARATOR} ".join(_number_text(x) for x in value)
    if column.kind is Kind.POINTS:
        return f"{LIST_SEPARATOR} ".join(
            f"{_number_text(x)}{POINT_SEPARATOR}{_number_text(v)}" for x, v in value
        )
    if column.kind is Kind.DESTINATIONS and isinstance(value, list):
        # A trailing separator marks a list of one, so it is not read back as a single id.
        joined = f"{LIST_SEPARATOR} ".join(value)
        return joined + LIST_SEPARATOR if len(value) < 2 else joined
    return value


@dataclass(frozen=True)
class _Unwritable:
    """A value that no cell can hold faithfully, and why."""

    message: str


def _set(cell: Cell, value: Any) -> None:
    set_text_cell(cell, value)


def _write_table(ws: Worksheet, sheet: Sheet, rows: list[_Row], last_row: int) -> list[Problem]:
    problems: list[Problem] = []
    names = [c.name for c in sheet.columns]
    ws.append(names)
    for cell in ws[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    ws.freeze_panes = "A2"
    for index, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    for number, (values, path) in enumerate(rows, start=2):
        field = (
            next(c for c in PROGRAMME_FIELDS if c.name == values[0]) if sheet is PROGRAMME else None
        )
        for index, value in enumerate(values, start=1):
            column = field if field is not None and index == 2 else sheet.columns[index - 1]
            cell = ws.cell(number, index)
            where = f"{ws.title}!{cell.coordinate}"
            field_path = path if sheet is PROGRAMME else (*path, column.name)
            if isinstance(value, _Unwritable):
                problems.append(Problem(field_path, value.message, where))
                continue
            try:
                _set(cell, value)
            except IllegalCharacterError:
                problems.append(
                    Problem(
                        field_path, "contains a control character a workbook cannot hold", where
                    )
                )
                continue
            if column.format is not None:
                cell.number_format = column.format
            if column.kind in (Kind.TEXT, Kind.TEXT_LIST):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(names))}{len(rows) + 1}"
    if sheet is PROGRAMME:
        _programme_validations(ws, rows)
    else:
        _validations(ws, sheet, last_row)
    return problems


def _list_formula(column: Column) -> str | None:
    name = column.list_name
    if name is not None:
        return f"={_list_range_name(name)}"
    lookup = column.lookup
    if lookup is None or lookup.sheet is None:
        return None
    target = next(s for s in SHEETS if s.name == lookup.sheet)
    letter = get_column_letter(1 + [c.name for c in target.columns].index(lookup.column))
    return f"={quote_sheetname(target.name)}!${letter}$2:${letter}${_LOOKUP_ROWS}"


#: How far down another sheet an id drop-down looks, so ids added later are offered too.
_LOOKUP_ROWS = 2000


def _validation(column: Column) -> DataValidation | None:
    formula = _list_formula(column)
    if formula is None:
        return None
    fixed = column.kind in (Kind.BOOLEAN, Kind.CHOICE)
    return DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        # Ids may be new ones the user is about to add elsewhere: warn, do not refuse.
        errorStyle="stop" if fixed else "warning",
        errorTitle=column.name,
        error=f"Expected {KIND_HELP[column.kind]}.",
        promptTitle=column.name[:32],
        prompt=column.help[:255],
        showInputMessage=True,
    )


def _validations(ws: Worksheet, sheet: Sheet, last_row: int) -> None:
    for index, column in enumerate(sheet.columns, start=1):
        validation = _validation(column)
        if validation is None:
            continue
        letter = get_column_letter(index)
        validation.add(f"{letter}2:{letter}{last_row}")
        ws.add_data_validation(validation)


def _programme_validations(ws: Worksheet, rows: list[_Row]) -> None:
    fields = {c.name: c for c in PROGRAMME_FIELDS}
    for number, (values, _) in enumerate(rows, start=2):
        validation = _validation(fields[values[0]])
        if validation is not None:
            validation.add(f"B{number}")
            ws.add_data_validation(validation)


def _list_range_name(name: str) -> str:
    return f"list_{name}"


def _write_lists(book: Workbook, programme: Programme) -> None:
    ws = book.create_sheet(LISTS_SHEET)
    scales = list(dict.fromkeys([*builtin_scales(), *(s.id for s in programme.framework.scales)]))
    lists = {**ENUMERATIONS, "forms": tuple(forms()), "scales": tuple(scales)}
    for index, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        ws.cell(1, index, name).font = _HEADER_FONT
        for number, value in enumerate(values, start=2):
            _set(ws.cell(number, index), value)
        ws.column_dimensions[letter].width = max(12, len(name) + 2)
        reference = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
        range_name = _list_range_name(name)
        book.defined_names[range_name] = DefinedName(range_name, attr_text=reference)
    ws.sheet_state = "hidden"


def _write_readme(ws: Worksheet, programme: Programme) -> None:
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 12
    ws.column_dimensions["C"].width = 22
    ws.column_dimensions["D"].width = 90

    def line(*values: Any, font: Font | None = None, fill: PatternFill | None = None) -> None:
        ws.append(list(values))
        for cell in ws[ws.max_row]:
            _set(cell, cell.value)
            if font is not None:
                cell.font = font
            if fill is not None:
                cell.fill = fill

    line("caseforchange programme workbook", font=Font(bold=True, size=14))
    line(f"{programme.title} ({programme.id})", font=Font(bold=True))
    if programme.provenance.illustrative:
        line(
            "ILLUSTRATIVE DATA",
            None,
            None,
            programme.provenance.note,
            font=_WARNING_FONT,
            fill=_WARNING_FILL,
        )
    line()
    line("How to fill it in", font=_HEADER_FONT)
    for text in how_to_fill():
        line(None, None, None, text)
    line()
    line("Sheet", "Required", "Kind", "Column and meaning", font=_HEADER_FONT, fill=_HEADER_FILL)
    for sheet in SHEETS:
        line(sheet.name, None, None, sheet.about, font=_HEADER_FONT)
        columns = PROGRAMME_FIELDS if sheet is PROGRAMME else sheet.columns
        for column in columns:
            kind = column.choices or (column.lookup.name if column.lookup else column.kind.value)
            line(
                None,
                "required" if column.required else None,
                kind,
                f"{column.name}: {column.help}",
            )
    line()
    line("Enumerations", font=_HEADER_FONT)
    for name, values in ENUMERATIONS.items():
        line(name, None, None, ", ".join(values))
    line("forms", None, None, ", ".join(forms()))
    for row in ws.iter_rows(min_row=1, max_col=4):
        row[3].alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
