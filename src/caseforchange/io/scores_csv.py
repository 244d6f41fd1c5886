"""The scores table of a programme folder (``scores.csv``)."""

from __future__ import annotations

import csv
import io
from pathlib import Path as FilePath
from typing import Any

from caseforchange.domain.panels import Score
from caseforchange.domain.problems import InvalidInput, Problem
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
    source = SourceMap(default=f"{shown}:1")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput([Problem(("scores",), f"cannot read file: {error}", shown)]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
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
        if None in row:
            raise InvalidInput(
                [Problem(("scores", index), "more cells than columns", f"{shown}:{line}")]
            )
        record = {k: v.strip() for k, v in row.items() if v is not None and v.strip() != ""}
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
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for score in scores:
            data = score.model_dump(mode="json")
            writer.writerow(["" if data[c] is None else _cell(data[c]) for c in COLUMNS])


def _cell(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
