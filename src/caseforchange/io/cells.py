"""User text in spreadsheets and CSV files: always text, never a formula.

Excel, LibreOffice and Google Sheets treat a cell whose text starts with ``=``, ``+``, ``-`` or
``@`` (and, in some versions, a tab or carriage return) as a formula when a CSV file is opened.
Every writer of the product passes user text through this module, so that a display name such
as ``=HYPERLINK(...)`` typed on a phone stays the words the person typed.

- In XLSX files the cell is given the string type, which is lossless: openpyxl and Excel read
  back exactly the text written.
- In CSV files, which have no types, such text is prefixed with an apostrophe (the OWASP
  recommendation). Text that already starts with an apostrophe gets one more, so
  :func:`csv_text_back` undoes the guard exactly for files the product wrote itself.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_GUARD = "'"


def is_formula_like(text: str) -> bool:
    """Return True when a spreadsheet would read ``text`` as the start of a formula."""
    return text.startswith(FORMULA_TRIGGERS)


def csv_text(value: Any) -> Any:
    """Return ``value`` made safe for a CSV cell.

    Text that a spreadsheet would run as a formula (or that starts with the guard apostrophe)
    is returned with an apostrophe in front; numbers, None and other text are returned as they
    are. Never raises.
    """
    if isinstance(value, str) and (is_formula_like(value) or value.startswith(_GUARD)):
        return _GUARD + value
    return value


def csv_text_back(value: str) -> str:
    """Return the text that :func:`csv_text` was given, from a cell of a file the product wrote.

    Only for reading back the product's own CSV files (folder exports): a user's own file may
    start a cell with an apostrophe on purpose. Never raises.
    """
    if value.startswith(_GUARD) and (is_formula_like(value[1:]) or value[1:].startswith(_GUARD)):
        return value[1:]
    return value


def csv_row(values: list[Any]) -> list[Any]:
    """Return a CSV row with every text cell passed through :func:`csv_text`. Never raises."""
    return [csv_text(value) for value in values]


def set_text_cell(cell: Any, value: Any) -> None:
    """Put ``value`` into an openpyxl ``cell``; text is stored as text, never as a formula.

    Numbers, dates and booleans keep their types. Formulas the product computes itself are set
    with :func:`set_formula_cell` instead. Never raises for text.
    """
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def set_formula_cell(cell: Any, formula: str) -> None:
    """Put a formula the product wrote on purpose (it must start with ``=``) into ``cell``.

    Raises ValueError when ``formula`` does not start with ``=``.
    """
    if not formula.startswith("="):
        raise ValueError(f"not a formula: {formula[:40]!r}")
    cell.value = formula


class _TextOut(Protocol):
    def write(self, text: str, /) -> int: ...


class CsvWriter:
    r"""A CSV writer that guards user text and keeps every cell on its row.

    Python's ``csv.writer`` with ``lineterminator="\n"`` leaves a lone carriage return in a
    cell unquoted, and readers then split the row there. Each row is written with the CRLF
    terminator (so both CR and LF in a cell are quoted) and ended with ``\n``.
    """

    def __init__(self, handle: _TextOut, *, delimiter: str = ",") -> None:
        self._handle = handle
        self._plain = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, delimiter=delimiter, lineterminator="\r\n")

    def writerow(self, values: Iterable[Any]) -> None:
        """Write one row, each text cell passed through :func:`csv_text`."""
        row = csv_row(list(values))
        if not any(isinstance(value, str) and "\r" in value for value in row):
            self._plain.writerow(row)  # the common case, at the csv module's own speed
            return
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow(row)
        self._handle.write(self._buffer.getvalue()[:-2] + "\n")

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write every row of ``rows``."""
        for row in rows:
            self.writerow(row)
