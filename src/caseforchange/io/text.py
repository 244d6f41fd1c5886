"""Turn the bytes of a text file into text: the encoding named, or a stated guess.

Survey tools export UTF-8 (with or without a byte-order mark), UTF-16 (Excel's "Unicode
text"), Windows-1252 or Latin-1. The whole file is decoded before it is split into lines, so
UTF-16 reads correctly; a decoding error is reported by line and column.
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from caseforchange.domain.problems import InvalidInput, Problem

#: The encodings the upload form offers, in the order shown.
CHOICES = ("utf-8", "utf-16", "cp1252", "latin-1")
#: Bytes that Windows-1252 leaves undefined: text holding them is not cp1252.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
#: Characters no document format can hold and terminals act on: control characters other
#: than tab and line breaks, lone surrogates and the non-characters U+FFFE and U+FFFF.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Decoded:
    """Text read from bytes, the encoding used, and whether it was guessed."""

    text: str
    encoding: str
    guessed: bool

    def note(self, shown: str) -> str:
        """Return the sentence a user sees about the encoding (empty when it was named)."""
        if not self.guessed or self.encoding == "utf-8":
            return ""
        return (
            f"{shown}: read as {self.encoding} (a guess: the file is not UTF-8; "
            "name the encoding if the text looks wrong)"
        )


def codec_name(name: str, shown: str, path: tuple[str | int, ...] = ("encoding",)) -> str:
    """Return the canonical codec name for ``name``.

    Raises:
        InvalidInput: when Python knows no such encoding, located at ``shown``.
    """
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):
        known = ", ".join(CHOICES)
        raise InvalidInput(
            [Problem(path, f"unknown encoding '{name[:40]}' (e.g. {known})", shown)]
        ) from None


def guess_encoding(data: bytes) -> str:
    """Return the most likely encoding of ``data``: BOM, UTF-8, UTF-16, cp1252, latin-1.

    Never raises: latin-1 decodes every byte string.
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    sample = data[:4096]
    if len(sample) >= 4:
        even = sample[0::2].count(0) / len(sample[0::2])
        odd = sample[1::2].count(0) / len(sample[1::2])
        # ASCII-range text in UTF-16 has a zero byte in every other place.
        if odd > 0.3 and even < 0.05:
            return "utf-16-le"
        if even > 0.3 and odd < 0.05:
            return "utf-16-be"
    if not _CP1252_UNDEFINED.intersection(data):
        return "cp1252"
    return "latin-1"


def _guess_from_sample(sample: bytes, complete: bool) -> str:
    """Guess from the first bytes of a file; ``complete`` when the sample is the whole file."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return "utf-8"
    except UnicodeDecodeError:
        return guess_encoding(sample)


#: Bytes read to guess a streamed file's encoding.
SAMPLE_BYTES = 1 << 20


def open_text(
    handle: BinaryIO, shown: str, encoding: str | None = None
) -> tuple[io.TextIOWrapper, Decoded]:
    """Wrap a seekable binary file as text in ``encoding``, or one guessed from its start.

    The text is decoded as it is read, so a file of any size streams; lines are not
    translated (for the csv module). ``Decoded.text`` is empty: the text is the stream's.
    A byte that is not text in the encoding raises UnicodeDecodeError while reading, which
    the reader locates by line.

    Raises:
        InvalidInput: for an unknown encoding, located at ``shown``.
    """
    if encoding is None:
        sample = handle.read(SAMPLE_BYTES)
        complete = len(sample) < SAMPLE_BYTES
        handle.seek(0)
        codec, guessed = _guess_from_sample(sample, complete), True
    else:
        codec, guessed = codec_name(encoding, shown), False
        if codec == "utf-8":
            codec = "utf-8-sig"  # a byte-order mark is not part of the text
    stream = io.TextIOWrapper(handle, encoding=codec, errors="strict", newline="")
    return stream, Decoded("", "utf-8" if codec == "utf-8-sig" else codec, guessed)


def file_encoding(path: Path, encoding: str | None = None) -> Decoded:
    """Return the encoding :func:`open_text` reads ``path`` in (``Decoded.text`` is empty).

    Raises:
        InvalidInput: for an unknown encoding, located at the file.
        OSError: when the file cannot be read.
    """
    with path.open("rb") as handle:
        return open_text(handle, str(path), encoding)[1]


def undecodable(data: bytes, codec: str, shown: str) -> Problem | None:
    """Return the first byte of ``data`` that is not ``codec`` text, located; None if none.

    The problem's location is ``shown:LINE`` and its message gives the column and the byte.
    """
    try:
        data.decode(codec)
    except UnicodeDecodeError as error:
        line, column = _line_and_column(data, codec, error.start)
        bad = data[error.start : error.start + 1].hex()
        return Problem(
            (),
            f"not {codec} text: byte 0x{bad} at column {column} ({error.reason})",
            f"{shown}:{line}",
        )
    return None


def _line_and_column(data: bytes, codec: str, position: int) -> tuple[int, int]:
    before = data[:position].decode(codec, errors="replace")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    return line, column


def decode_bytes(data: bytes, shown: str, encoding: str | None = None) -> Decoded:
    """Decode a file's bytes with ``encoding``, or with a guessed one when it is None.

    A UTF-8 or UTF-16 byte-order mark is removed. Returns the text, the encoding used and
    whether it was guessed.

    Raises:
        InvalidInput: for an unknown encoding, or bytes that are not text in it, located as
            ``FILE:LINE`` with the column and the byte.
    """
    if encoding is None:
        codec = guess_encoding(data)
        guessed = True
    else:
        codec = codec_name(encoding, shown)
        guessed = False
        if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
            codec = "utf-8-sig"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        problem = undecodable(data, codec, shown) or Problem((), f"not {codec} text", shown)
        hint = "" if guessed else f"; is it {guess_encoding(data)}?"
        raise InvalidInput([Problem((), problem.message + hint, problem.location)]) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    check_characters(text, shown)
    shown_codec = "utf-8" if codec == "utf-8-sig" else codec
    return Decoded(text, shown_codec, guessed)


def describe_character(char: str) -> str:
    """Return a readable name for a character a message must not print raw, e.g. ``U+001B``."""
    return f"U+{ord(char):04X}"


def check_characters(text: str, shown: str, *, listed: int = 5) -> None:
    """Refuse text holding control characters, lone surrogates or U+FFFE/U+FFFF.

    Raises:
        InvalidInput: naming up to ``listed`` of them by ``FILE:LINE`` and column.
    """
    problems: list[Problem] = []
    for match in FORBIDDEN.finditer(text):
        if len(problems) == listed:
            break
        start = match.start()
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        problems.append(
            Problem(
                (),
                f"character {describe_character(match.group())} at column {column} is not "
                "allowed in text (a control character)",
                f"{shown}:{line}",
            )
        )
    if problems:
        raise InvalidInput(problems)
