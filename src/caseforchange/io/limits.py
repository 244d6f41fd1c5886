"""The stated limits on every file the product reads, checked before the expensive work.

Each limit has a default that is far above any real programme, consultation export or
workbook, and can be raised for genuinely large data with an environment variable named
``CASEFORCHANGE_<NAME>`` (e.g. ``CASEFORCHANGE_MAX_ROWS=2000000``). docs/formats.md lists them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import BinaryIO

from caseforchange.domain.problems import InvalidInput, Problem


@dataclass(frozen=True)
class Limits:
    """How large an input may be; every breach is a located error, never a slow run."""

    #: Bytes of any one input file (YAML, CSV, XLSX, mapping).
    max_file_bytes: int = 100_000_000
    #: Rows of a CSV file or of one worksheet (header included).
    max_rows: int = 2_000_000
    #: Columns of a CSV file or of one worksheet.
    max_columns: int = 1_000
    #: Characters in one cell or one CSV field (Excel's own cell limit is 32,767).
    max_cell_chars: int = 100_000
    #: Nesting depth of a YAML document (mappings and lists inside each other).
    max_yaml_depth: int = 64
    #: YAML nodes after expanding aliases (``*name``), which stops "billion laughs" files.
    max_yaml_nodes: int = 500_000
    #: Bytes of an XLSX file once unzipped (all members together).
    max_unzipped_bytes: int = 200_000_000
    #: Error lines printed by the command line; the rest are counted.
    max_errors: int = 50


def _from_environment() -> Limits:
    values: dict[str, int] = {}
    for item in fields(Limits):
        raw = os.environ.get(f"CASEFORCHANGE_{item.name.upper()}")
        if raw is None:
            continue
        try:
            number = int(raw.replace("_", ""))
        except ValueError:
            number = 0
        if number < 1:
            raise InvalidInput(
                [
                    Problem(
                        (item.name,),
                        f"must be a whole number above 0 (got {shorten(raw)!r})",
                        f"environment CASEFORCHANGE_{item.name.upper()}",
                    )
                ]
            )
        values[item.name] = number
    return Limits(**values)


def limits() -> Limits:
    """Return the limits in force: the defaults, with any ``CASEFORCHANGE_*`` override.

    Raises:
        InvalidInput: when an override is not a whole number above 0.
    """
    return _from_environment()


def shorten(text: str, width: int = 80) -> str:
    """Return ``text`` cut to about ``width`` characters with a count of what was left out.

    Messages quote what a user wrote; a 1 MB value must not be repeated in full. Never raises.
    """
    if len(text) <= width:
        return text
    return f"{text[: width - 20]}… ({len(text):,} characters)"


def check_file_size(size: int, shown: str) -> None:
    """Refuse a file larger than ``max_file_bytes`` before reading it.

    Raises:
        InvalidInput: when ``size`` is over the limit, located at the file.
    """
    limit = limits().max_file_bytes
    if size > limit:
        raise InvalidInput(
            [
                Problem(
                    (),
                    f"the file is {size:,} bytes, over the limit of {limit:,} "
                    "(raise it with CASEFORCHANGE_MAX_FILE_BYTES)",
                    shown,
                )
            ]
        )


def read_up_to_limit(handle: BinaryIO, already: int = 0) -> bytes:
    """Return the rest of ``handle``, read in 1 MiB pieces until one byte past the file limit.

    ``already`` counts bytes the caller has read. ``read(n)`` on a file reserves ``n`` bytes
    before reading, so asking for the whole limit at once would cost it for every small file.
    """
    pieces: list[bytes] = []
    total = already
    while total <= limits().max_file_bytes and (piece := handle.read(1 << 20)):
        pieces.append(piece)
        total += len(piece)
    return b"".join(pieces)


def read_limited(path: os.PathLike[str] | str, shown: str) -> bytes:
    """Return the bytes of the file at ``path`` after checking its size against the limit.

    Raises:
        InvalidInput: when the file is missing, unreadable, a folder or too large.
    """
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            check_file_size(size, shown)
            # Ask for the size the file has (plus one byte, so a file growing while it is read
            # is still measured) and never for the whole limit: read(n) reserves n bytes first.
            data = handle.read(min(size, limits().max_file_bytes) + 1)
            data += read_up_to_limit(handle, len(data))
    except FileNotFoundError:
        raise InvalidInput([Problem((), "file not found", shown)]) from None
    except IsADirectoryError:
        raise InvalidInput([Problem((), "expected a file, found a folder", shown)]) from None
    except OSError as error:
        raise InvalidInput([Problem((), f"cannot read file: {error.strerror}", shown)]) from None
    check_file_size(len(data), shown)
    return data
