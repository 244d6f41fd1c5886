"""The bounded XLSX reader: far-away cells, zip bombs, entities and broken files refused."""

from __future__ import annotations

import io
import re
import time
import zipfile

import openpyxl
import pytest

from caseforchange.domain.problems import InvalidInput
from caseforchange.io.xlsx_rows import open_workbook, sheet_rows


def _book(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Data"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _patch(data: bytes, member: str, change: object) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == member:
                body = change(body)  # type: ignore[operator]
            target.writestr(item, body)
    return out.getvalue()


def _rows(data: bytes) -> list[tuple[int, tuple[object, ...]]]:
    with open_workbook(data, "in.xlsx") as book:
        return [(r.number, r.values) for r in sheet_rows(book["Data"], "in.xlsx")]


SHEET = "xl/worksheets/sheet1.xml"
FAR = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'


def test_rows_are_read_with_numbers_and_gaps() -> None:
    data = _book([["a", "b"], [], [1, None, "c"]])
    assert _rows(data) == [(1, ("a", "b")), (3, (1, None, "c"))]


def test_stated_dimensions_are_refused_before_reading() -> None:
    data = _patch(
        _book([["a"]]),
        SHEET,
        lambda b: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', b),
    )
    started = time.process_time()
    with pytest.raises(InvalidInput) as raised:
        _rows(data)
    assert time.process_time() - started < 2  # refused from the header, not by reading
    [problem] = raised.value.problems
    assert problem.location == "in.xlsx:Data!A1"
    assert "1,048,576 rows by 16,384 columns" in problem.message


def test_a_far_cell_under_a_false_dimension_is_refused_by_its_place() -> None:
    data = _patch(
        _book([["a"]]), SHEET, lambda b: b.replace(b"</sheetData>", FAR + b"</sheetData>")
    )
    with pytest.raises(InvalidInput) as raised:
        _rows(data)
    assert raised.value.problems[0].location == "in.xlsx:Data!XFD1048576"


def test_unzipped_size_is_checked_from_the_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEFORCHANGE_MAX_UNZIPPED_BYTES", "1000")
    with pytest.raises(InvalidInput) as raised, open_workbook(_book([["a"]]), "in.xlsx"):
        pass
    assert "unzips to" in raised.value.problems[0].message


def test_entity_declarations_are_refused() -> None:
    bomb = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
    data = _patch(_book([["a"]]), SHEET, lambda b: bomb + b)
    with pytest.raises(InvalidInput) as raised:
        _rows(data)
    assert raised.value.problems[0].location in ("in.xlsx", "in.xlsx:Data!A1")


def test_not_a_zip_and_a_flipped_byte() -> None:
    with pytest.raises(InvalidInput), open_workbook(b"id,name\n", "in.xlsx"):
        pass
    data = bytearray(_book([["a"]] * 50))
    data[len(data) // 3] ^= 0xFF
    with pytest.raises(InvalidInput):
        _rows(bytes(data))


def test_long_cell_is_located(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEFORCHANGE_MAX_CELL_CHARS", "10")
    with pytest.raises(InvalidInput) as raised:
        _rows(_book([["ok", "x" * 11]]))
    assert raised.value.problems[0].location == "in.xlsx:Data!B1"
