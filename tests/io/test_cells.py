"""The spreadsheet-text guard: user text stays text in CSV and XLSX."""

from __future__ import annotations

import csv
import io

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from caseforchange.io.cells import CsvWriter, csv_text, csv_text_back, set_text_cell


def test_formula_text_gets_an_apostrophe() -> None:
    assert csv_text('=HYPERLINK("http://example.invalid/x","Open")').startswith("'=")
    assert csv_text("+44 1743 000000") == "'+44 1743 000000"
    assert csv_text("-minus") == "'-minus"
    assert csv_text("@SUM(A1)") == "'@SUM(A1)"
    assert csv_text("\tx") == "'\tx"


def test_numbers_and_plain_text_unchanged() -> None:
    assert csv_text(-5) == -5
    assert csv_text(None) is None
    assert csv_text("plain words") == "plain words"


def test_apostrophe_text_is_doubled_and_restored() -> None:
    assert csv_text("'quoted") == "''quoted"
    assert csv_text_back("''quoted") == "'quoted"
    assert csv_text_back("'=1+1") == "=1+1"
    assert csv_text_back("'plain") == "'plain"


@settings(deadline=None)
@given(st.text())
def test_csv_round_trip_is_lossless_and_never_a_formula(text: str) -> None:
    out = io.StringIO()
    CsvWriter(out).writerow([text])
    (cell,) = next(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert csv_text_back(cell) == text


@settings(deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"))))
def test_xlsx_cell_reads_back_as_the_same_text(text: str) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    set_text_cell(sheet["A1"], text)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    back = openpyxl.load_workbook(buffer)["Sheet"]["A1"]
    assert back.data_type != "f"
    assert (back.value or "") == text
