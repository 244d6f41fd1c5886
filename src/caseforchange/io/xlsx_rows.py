"""The one bounded reader of XLSX rows, shared by the programme workbook and survey exports.

A 42 KB workbook can claim a cell at XFD1048576 and a 2 MB one can unzip to gigabytes, so
before anything is parsed the zip's own directory is checked (total unzipped size), each
sheet's stated dimensions are checked against the row and column limits, and while reading,
every row, column and cell length is checked again (a sheet may state no dimensions, or
false ones). XML is parsed through defusedxml, which openpyxl uses when it is installed, so
entity expansion and external entities are refused.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser

from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.io.limits import Limits, check_file_size, limits, shorten
from caseforchange.io.text import FORBIDDEN, describe_character


@dataclass(frozen=True)
class SheetRow:
    """One row of a worksheet: its 1-based number and its values (trailing blanks kept)."""

    number: int
    values: tuple[Any, ...]


def _refuse(message: str, where: str) -> InvalidInput:
    return InvalidInput([Problem((), message, where)])


def check_zip(data: bytes, shown: str, bounds: Limits) -> None:
    """Check an XLSX file's zip directory before any member is unzipped.

    Raises:
        InvalidInput: when the file is not a zip (so not an XLSX workbook), or its members
            together unzip to more than the limit.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise _refuse(
            "cannot read the workbook: it is not an Excel workbook (.xlsx) but some other "
            "kind of file",
            shown,
        ) from None
    if total > bounds.max_unzipped_bytes:
        raise _refuse(
            f"the workbook unzips to {total:,} bytes, over the limit of "
            f"{bounds.max_unzipped_bytes:,} (CASEFORCHANGE_MAX_UNZIPPED_BYTES)",
            shown,
        )


@contextmanager
def open_workbook(data: bytes, shown: str) -> Iterator[Any]:
    """Yield a read-only openpyxl workbook over ``data`` after the size checks; close it after.

    Raises:
        InvalidInput: when the file is too large, not a workbook, or its XML is broken or
            holds entity declarations (refused by defusedxml), located at ``shown``.
    """
    bounds = limits()
    check_file_size(len(data), shown)
    check_zip(data, shown, bounds)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about Excel features it does not keep (e.g. some extensions).
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken zip or XML
        raise _refuse(f"cannot read the workbook: {_reason(error)}", shown) from None
    try:
        yield book
    finally:
        book.close()


def _reason(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return shorten(text.splitlines()[0] if text.strip() else type(error).__name__, 160)


def sheet_rows(sheet: Any, shown: str) -> Iterator[SheetRow]:
    """Yield the rows of a read-only worksheet, each padded with None to its last cell.

    Rows missing from the file (all blank) are not yielded. The sheet's stated dimensions are
    checked before reading; rows, columns and text length are checked as each row is read.

    Raises:
        InvalidInput: located as ``FILE:Sheet!Cell`` for a sheet over the row or column
            limit, a cell longer than the limit or holding a control character, or XML that
            cannot be parsed.
    """
    bounds = limits()
    title = sheet.title
    rows, columns = sheet.max_row, sheet.max_column
    if (rows or 0) > bounds.max_rows or (columns or 0) > bounds.max_columns:
        raise _refuse(
            f"the sheet is {rows:,} rows by {columns:,} columns (through "
            f"{get_column_letter(min(columns, 18278))}{rows}), over the limit of "
            f"{bounds.max_rows:,} rows and {bounds.max_columns:,} columns "
            "(CASEFORCHANGE_MAX_ROWS, CASEFORCHANGE_MAX_COLUMNS)",
            f"{shown}:{title}!A1",
        )
    book = sheet.parent
    try:
        with sheet._get_source() as source:
            # The parser of openpyxl's read-only sheets, used directly so that a far-away cell
            # is seen as a number and refused, never padded out to a grid.
            parser = WorkSheetParser(
                source,
                sheet._shared_strings,
                data_only=True,
                epoch=book.epoch,
                date_formats=book._date_formats,
                timedelta_formats=book._timedelta_formats,
            )
            for number, cells in parser.parse():
                if number > bounds.max_rows:
                    raise _refuse(
                        f"the sheet has a row {number:,}, over the limit of {bounds.max_rows:,} "
                        "rows (CASEFORCHANGE_MAX_ROWS)",
                        f"{shown}:{title}!A{number}",
                    )
                if not cells:
                    continue
                yield SheetRow(number, _values(cells, number, shown, title, bounds))
    except InvalidInput:
        raise
    except Exception as error:  # a broken part of the zip or the XML: many kinds
        raise _refuse(f"cannot read the sheet: {_reason(error)}", f"{shown}:{title}!A1") from None


def _values(
    cells: list[dict[str, Any]], number: int, shown: str, title: str, bounds: Limits
) -> tuple[Any, ...]:
    last = max(cell["column"] for cell in cells)
    if last > bounds.max_columns:
        raise _refuse(
            f"a cell in column {get_column_letter(last)} is past the limit of "
            f"{bounds.max_columns:,} columns (CASEFORCHANGE_MAX_COLUMNS)",
            f"{shown}:{title}!{get_column_letter(last)}{number}",
        )
    values: list[Any] = [None] * last
    for cell in cells:
        value = cell["value"]
        if isinstance(value, str):
            where = f"{shown}:{title}!{get_column_letter(cell['column'])}{number}"
            if len(value) > bounds.max_cell_chars:
                raise _refuse(
                    f"text of {len(value):,} characters is over the limit of "
                    f"{bounds.max_cell_chars:,} (CASEFORCHANGE_MAX_CELL_CHARS)",
                    where,
                )
            bad = FORBIDDEN.search(value)
            if bad is not None:
                raise _refuse(
                    f"character {describe_character(bad.group())} is not allowed in text "
                    "(a control character)",
                    where,
                )
        values[cell["column"] - 1] = value
    return tuple(values)
