"""The room export's writers: any text a participant types is read back as the same text, and
no cell is ever a formula (a hypothesis property over both writers)."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from caseforchange.io.cells import csv_text_back
from caseforchange.web.workshops.export import to_csv, workbook_bytes

#: Text as a phone might send it: formula triggers, quotes, commas, newlines, accents. XLSX
#: cannot hold most control characters, which the web forms never produce either.
TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("=+-@'\t\r\n,;\"é€ ")),
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(name=TEXT, rationale=TEXT, said=TEXT)
def test_csv_reads_back_the_same_text_and_never_a_formula(
    name: str, rationale: str, said: str
) -> None:
    body = to_csv(["participant", "score", "rationale", "said"], [[name, 6.0, rationale, said]])
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    cells = rows[1]
    back = [csv_text_back(cells[0]), cells[1], csv_text_back(cells[2]), csv_text_back(cells[3])]
    assert back == [name, "6.0", rationale, said]
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


XLSX_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("=+-@'\t,;\"é€ ")),
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
    ),
    max_size=40,
)


@settings(max_examples=30, deadline=None)
@given(name=XLSX_TEXT, rationale=XLSX_TEXT)
def test_xlsx_reads_back_the_same_text_and_no_formula(name: str, rationale: str) -> None:
    header = ["participant", "score", "rationale"]
    body = workbook_bytes([("Scores", header, [[name, 6.0, rationale]])])
    sheet = load_workbook(io.BytesIO(body))["Scores"]
    # openpyxl reads an empty cell back as None.
    assert sheet.cell(2, 1).value == (name or None)
    assert sheet.cell(2, 3).value == (rationale or None)
    assert sheet.cell(2, 2).value == 6
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
