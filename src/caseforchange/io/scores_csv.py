"""The scores table of a programme folder (``scores.csv``)."""

from __future__ import annotations

import csv
import io
from pathlib import Path as FilePath
from typing import Any

from caseforchange.domain.panels import Score
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.io.cells import CsvWriter, csv_text_back
from caseforchange.io.limits import limits, read_limited
from caseforchange.io.text import decode_bytes
from caseforchange.io.yamlsource import SourceMap

COLUMNS = (
    "option",
    "criterion",
    "panel",
    "member",
    "value",
    "low",
    "high",
    "distribution",
    "rationale",
)
REQUIRED = ("option", "criterion")


def read_scores(path: FilePath, shown: str) -> tuple[list[dict[str, Any]], SourceMap]:
    """Read ``scores.csv`` into raw score records and a map of their lines.

    Empty cells become missing fields. Paths are ``("scores", row_index, column)``.

    Raises:
        InvalidInput: when the file is unreadable, or a column is missing or unknown.
    """
    return read_scores_text(decode_bytes(read_limited(path, shown), shown, "utf-8").text, shown)


def read_scores_text(text: str, shown: str) -> tuple[list[dict[str, Any]], SourceMap]:
    """Read the text of a ``scores.csv`` (``shown`` names it) into records and their lines.

    Cells are read back through :func:`csv_text_back`, so text the product guarded when it
    wrote the file returns exactly.

    Raises:
        InvalidInput: for a missing or unknown column, a row with more cells than columns,
            a field over the cell limit or more rows than the limit, located by line.
    """
    source = SourceMap(default=f"{shown}:1")
    bounds = limits()
    csv.field_size_limit(bounds.max_cell_chars)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        return _records(reader, shown, source, bounds.max_rows)
    except csv.Error as error:
        reason = str(error)
        if "field larger than field limit" in reason:
            reason = (
                f"a cell is longer than the limit of {bounds.max_cell_chars:,} characters "
                "(CASEFORCHANGE_MAX_CELL_CHARS)"
            )
        raise InvalidInput(
            [Problem(("scores",), f"cannot read CSV: {reason}", f"{shown}:{reader.line_num + 1}")]
        ) from None


def _records(
    reader: csv.DictReader[str], shown: str, source: SourceMap, max_rows: int
) -> tuple[list[dict[str, Any]], SourceMap]:
    header = [h.strip() for h in (reader.fieldnames or [])]
    problems = [
        Problem(("scores",), f"missing required column '{c}'", f"{shown}:1")
        for c in REQUIRED
        if c not in header
    ]
    problems += [
        Problem(("scores",), f"unknown column '{c}' (allowed: {', '.join(COLUMNS)})", f"{shown}:1")
        for c in header
        if c not in COLUMNS
    ]
    if problems:
        raise InvalidInput(problems)
    reader.fieldnames = header
    records: list[dict[str, Any]] = []
    line = reader.line_num + 1
    for index, row in enumerate(reader):
        if index >= max_rows:
            raise InvalidInput(
                [
                    Problem(
                        ("scores",),
                        f"more than {max_rows:,} rows (CASEFORCHANGE_MAX_ROWS)",
                        f"{shown}:{line}",
                    )
                ]
            )
        if None in row:
            raise InvalidInput(
                [Problem(("scores", index), "more cells than columns", f"{shown}:{line}")]
            )
        record = {
            k: csv_text_back(v.strip()) for k, v in row.items() if v is not None and v.strip() != ""
        }
        if not record:
            line = reader.line_num + 1
            continue
        source.locations[("scores", len(records))] = f"{shown}:{line}"
        records.append(record)
        line = reader.line_num + 1
    return records, source


def write_scores(scores: list[Score], path: FilePath) -> None:
    """Write scores to ``path`` as CSV with the standard columns (blank for missing)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(scores_text(scores))


def scores_text(scores: list[Score]) -> str:
    """Return scores as ``scores.csv`` text; user text is guarded against formulas."""
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow(COLUMNS)
    for score in scores:
        data = score.model_dump(mode="json")
        writer.writerow(["" if data[c] is None else _cell(data[c]) for c in COLUMNS])
    return out.getvalue()


def _cell(value: Any) -> Any:
    # Numbers stay numbers, so that a negative score is not guarded as if it were text.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
