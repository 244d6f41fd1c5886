"""Labelled CSVs, codings and codebooks in with located errors; the ledger out, guarded."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from caseforchange.domain.codebook import Codebook, Theme
from caseforchange.domain.problems import InvalidInput
from caseforchange.io.text import SAMPLE_BYTES, Decoded, file_encoding
from caseforchange.io.text_files import (
    ledger_csv,
    load_codebook,
    read_codings,
    read_labelled,
    split_labels,
    write_ledger_xlsx,
)
from caseforchange.text.ledger import Entry

BOOK = Codebook(question="q", themes=[Theme(id="a", name="A"), Theme(id="b", name="B")])


def _write(tmp_path: Path, text: str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_labelled_rows_with_optional_stance(tmp_path: Path) -> None:
    path = _write(tmp_path, "id,text,themes,stance\n1,hello,a; b,for\n2,bye,,\n")
    rows = read_labelled(path)
    assert rows[0].themes == ("a", "b") and rows[0].stance == "for"
    assert rows[1].themes == () and rows[1].stance is None


def test_missing_column_is_located(tmp_path: Path) -> None:
    path = _write(tmp_path, "id,words\n1,hello\n")
    with pytest.raises(InvalidInput) as caught:
        read_labelled(path)
    rendered = [p.render() for p in caught.value.problems]
    assert rendered[0].startswith(f"{path}:1: text: missing column")
    assert rendered[1].startswith(f"{path}:1: themes: missing column")


def test_a_windows_1252_file_is_read_as_one(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("id,text,themes\n1,ok,\n2,café £5 “fine”,a\n".encode("cp1252"))
    rows = read_labelled(path)
    assert rows[1].text == "café £5 “fine”"
    assert file_encoding(path) == Decoded("", "cp1252", True)


def test_a_utf16_file_is_read_as_one(tmp_path: Path) -> None:
    path = tmp_path / "unicode.csv"
    path.write_bytes("id,text,themes\n1,naïve,a\n".encode("utf-16"))
    assert [r.text for r in read_labelled(path)] == ["naïve"]


def test_bad_bytes_in_a_named_encoding_are_located_by_their_own_line(tmp_path: Path) -> None:
    # 3,000 lines: the stream decodes well ahead of the row the csv module is on.
    path = tmp_path / "latin.csv"
    lines = [b"id,text,themes"] + [b"%d,ok,a" % n for n in range(1, 3000)] + [b"3000,caf\xe9,"]
    path.write_bytes(b"\n".join(lines) + b"\n")
    with pytest.raises(InvalidInput) as caught:
        read_labelled(path, "utf-8")
    rendered = caught.value.problems[0].render()
    assert rendered.startswith(f"{path}:3001: (file): not utf-8 text: byte 0xe9 at column 9")
    assert rendered.endswith("is it cp1252?")


def test_a_guess_proved_wrong_later_in_the_file_is_located(tmp_path: Path) -> None:
    # UTF-8 for the whole first megabyte, from which the encoding is guessed; then a cp1252 byte.
    path = tmp_path / "mixed.csv"
    body = [b"%d,%s,a" % (n, b"x" * 60) for n in range(1, 20_001)]
    path.write_bytes(b"id,text,themes\n" + b"\n".join(body) + b"\n20001,caf\xe9,\n")
    assert path.stat().st_size > SAMPLE_BYTES
    with pytest.raises(InvalidInput) as caught:
        read_labelled(path)
    rendered = caught.value.problems[0].render()
    assert rendered.startswith(f"{path}:20002: (file): not utf-8 text: byte 0xe9")
    assert rendered.endswith("save the file as CSV UTF-8, or name its encoding with --encoding")


def test_an_unknown_encoding_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "id,text,themes\n1,ok,\n")
    with pytest.raises(InvalidInput) as caught:
        read_labelled(path, "klingon")
    assert "unknown encoding 'klingon'" in caught.value.problems[0].render()


def test_repeated_and_empty_ids_are_located(tmp_path: Path) -> None:
    path = _write(tmp_path, 'id,text,themes\n1,"two\nlines",\n1,x,\n,y,\n')
    with pytest.raises(InvalidInput) as caught:
        read_labelled(path)
    rendered = [p.render() for p in caught.value.problems]
    # The first record spans lines 2-3, so the repeat is on line 4 and the empty id on 5.
    assert rendered == [
        f"{path}:4: id: repeated id '1' (first at {path}:2)",
        f"{path}:5: id: empty id",
    ]


def test_codings_checked_against_the_codebook(tmp_path: Path) -> None:
    path = _write(tmp_path, "id,themes,stance\n1,a,for\n2,zzz,maybe\n")
    with pytest.raises(InvalidInput) as caught:
        read_codings(path, BOOK)
    rendered = [p.render() for p in caught.value.problems]
    assert rendered[0] == f"{path}:3: themes: 'zzz' is not a theme of the codebook"
    assert rendered[1].startswith(f"{path}:3: stance: 'maybe' is not a stance")


def test_a_guarded_note_reads_back_as_it_was_typed(tmp_path: Path) -> None:
    # The product writes a note typed as "=1+2" as "'=1+2" so a spreadsheet keeps it text.
    path = _write(tmp_path, "id,themes,note,coder\n1,a,'=1+2,'@me\n2,b,'quoted on purpose,x\n")
    codings = read_codings(path, BOOK)
    assert codings["1"].note == "=1+2" and codings["1"].coder == "@me"
    assert codings["2"].note == "'quoted on purpose"


def test_codebook_errors_are_located(tmp_path: Path) -> None:
    path = _write(tmp_path, "question: q\nthemes:\n  - id: a\n", "book.yaml")
    with pytest.raises(InvalidInput) as caught:
        load_codebook(path)
    assert caught.value.problems[0].render().startswith(f"{path}:3")


def test_split_labels() -> None:
    assert split_labels(" a ;b;; a") == ("a", "b")


def _entry(text: str) -> Entry:
    return Entry("r1", "g", "coded", ("a",), "for", "model", 0.5, None, None, False, None, text)


def test_ledger_csv_keeps_formulas_as_text(tmp_path: Path) -> None:
    text = ledger_csv([_entry('=HYPERLINK("x")')])
    assert text.splitlines()[1].endswith('\'=HYPERLINK(""x"")"')
    assert text.splitlines()[0].startswith("response,group,status,themes")


def test_ledger_xlsx_stores_text(tmp_path: Path) -> None:
    path = tmp_path / "ledger.xlsx"
    write_ledger_xlsx([_entry("=1+1")], path)
    cell = load_workbook(path)["Ledger"]["L2"]
    assert cell.value == "=1+1"
    assert cell.data_type == "s"
