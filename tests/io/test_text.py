"""Reading text in the encodings survey tools export: named, or guessed and said so."""

from __future__ import annotations

import pytest

from caseforchange.domain.problems import InvalidInput
from caseforchange.io.text import decode_bytes, guess_encoding

TEXT = "id,comment\n1,£5 for café — “fine”\n"


@pytest.mark.parametrize(
    ("encoding", "guess"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
        ("cp1252", "cp1252"),
    ],
)
def test_each_encoding_is_guessed_and_read(encoding: str, guess: str) -> None:
    data = TEXT.encode(encoding)
    assert guess_encoding(data) == guess
    decoded = decode_bytes(data, "export.csv")
    assert decoded.text == TEXT and decoded.guessed


def test_latin1_when_cp1252_cannot_be() -> None:
    # 0x81 is undefined in Windows-1252, so only Latin-1 reads it (as a C1 control: refused).
    assert guess_encoding("é".encode("latin-1") + b"\x81") == "latin-1"


def test_named_encoding_is_used_and_not_a_guess() -> None:
    decoded = decode_bytes("café\n".encode("latin-1"), "x.csv", "latin-1")
    assert decoded.text == "café\n" and not decoded.guessed and decoded.note("x.csv") == ""


def test_utf16_is_decoded_before_lines_are_split() -> None:
    data = "a\nb\n".encode("utf-16")
    assert decode_bytes(data, "x.csv", "utf-16").text.splitlines() == ["a", "b"]


def test_decoding_error_is_located_by_line_and_column() -> None:
    data = b"id,comment\n1,ok\n2,caf\xe9\n"
    with pytest.raises(InvalidInput) as raised:
        decode_bytes(data, "x.csv", "utf-8")
    [problem] = raised.value.problems
    assert problem.location == "x.csv:3"
    assert "byte 0xe9 at column 6" in problem.message and "cp1252" in problem.message


def test_unknown_encoding_is_located() -> None:
    with pytest.raises(InvalidInput) as raised:
        decode_bytes(b"x", "m.yaml", "klingon")
    assert "unknown encoding 'klingon'" in raised.value.problems[0].message


def test_control_characters_are_refused_by_line() -> None:
    with pytest.raises(InvalidInput) as raised:
        decode_bytes(b"ok\nred \x1b[31m\n", "s.csv", "utf-8")
    [problem] = raised.value.problems
    assert problem.location == "s.csv:2" and "U+001B at column 5" in problem.message
