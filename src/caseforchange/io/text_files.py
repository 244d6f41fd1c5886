"""Files of the free-text analysis, read in and written out.

In: labelled answers and answer lists (CSV), codebooks (YAML), codings (CSV). Out: the
considered-responses ledger (CSV, XLSX).

Every reader checks the whole file and reports each problem as ``FILE:LINE: column: message``
(a missing column, bytes that are not text in the file's encoding, an empty or repeated id);
nothing is analysed until the file is right. Every writer passes user text through
:mod:`caseforchange.io.cells`, so an answer starting with ``=`` stays words in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path as FilePath

from pydantic import ValidationError

from caseforchange.domain.codebook import Codebook, Coding
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.io.cells import csv_row, csv_text_back, set_text_cell
from caseforchange.io.text import guess_encoding, open_text, undecodable
from caseforchange.io.validation import problems_from_validation
from caseforchange.io.yamlsource import load_yaml_file
from caseforchange.text.classify import Proposal
from caseforchange.text.evaluate import LabelledAnswer
from caseforchange.text.ledger import HEADER, Entry

#: Stop listing row problems after this many.
MAX_LISTED = 50


@dataclass(frozen=True)
class CsvRow:
    """One data row of a CSV: where it starts (``FILE:LINE``) and its cells by column."""

    where: str
    cells: dict[str, str]


def _cells(path: FilePath, encoding: str | None) -> Iterator[tuple[int, list[str]]]:
    """Yield (line the row starts on, cells) for each row of the CSV at ``path``.

    Raises:
        InvalidInput: for bytes that are not text in the encoding (named or guessed), or a
            row the csv module cannot read, located as FILE:LINE.
    """
    with path.open("rb") as handle:
        stream, decoded = open_text(handle, str(path), encoding)
        reader = csv.reader(stream)
        last = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                # The stream decodes ahead of the row being read: find the byte's own line.
                data = path.read_bytes()
                problem = undecodable(data, decoded.encoding, str(path)) or Problem(
                    (), f"not {decoded.encoding} text", f"{path}:{reader.line_num + 1}"
                )
                advice = (
                    "save the file as CSV UTF-8, or name its encoding with --encoding"
                    if decoded.guessed
                    else f"is it {guess_encoding(data)}?"
                )
                raise InvalidInput(
                    [Problem((), f"{problem.message}: {advice}", problem.location)]
                ) from None
            except csv.Error as error:
                raise InvalidInput(
                    [Problem((), f"cannot read CSV: {error}", f"{path}:{last + 1}")]
                ) from None
            start, last = last + 1, reader.line_num
            yield start, cells


def read_csv_rows(
    path: FilePath, required: Sequence[str], encoding: str | None = None
) -> list[CsvRow]:
    """Return the rows of a CSV whose header has the ``required`` columns.

    The text is read in ``encoding``, or in the one :func:`caseforchange.io.text.open_text`
    guesses (UTF-8 with or without a byte-order mark, UTF-16, Windows-1252, Latin-1).

    Raises:
        InvalidInput: for a missing or empty file, an unknown encoding, bytes that are not
            text in the encoding, or a missing column, located as FILE:LINE.
    """
    if not path.is_file():
        raise InvalidInput([Problem((), "no such file", str(path))])
    rows_in = _cells(path, encoding)
    first = next(rows_in, None)
    if first is None:
        raise InvalidInput([Problem((), "the file is empty", str(path))])
    header = first[1]
    columns = [h.strip().lower() for h in header]
    missing = [c for c in required if c not in columns]
    if missing:
        raise InvalidInput(
            [
                Problem((c,), f"missing column (the header has: {', '.join(header)})", f"{path}:1")
                for c in missing
            ]
        )
    rows = []
    for start, cells in rows_in:
        if not any(c.strip() for c in cells):
            continue
        padded = cells + [""] * (len(columns) - len(cells))
        rows.append(CsvRow(f"{path}:{start}", dict(zip(columns, padded, strict=False))))
    return rows


def _unique_ids(rows: list[CsvRow]) -> list[Problem]:
    problems = []
    seen: dict[str, str] = {}
    for row in rows:
        rid = row.cells["id"].strip()
        if not rid:
            problems.append(Problem(("id",), "empty id", row.where))
        elif rid in seen:
            problems.append(
                Problem(("id",), f"repeated id '{rid}' (first at {seen[rid]})", row.where)
            )
        else:
            seen[rid] = row.where
    return problems


def _raise(problems: list[Problem]) -> None:
    if problems:
        more = len(problems) - MAX_LISTED
        listed = problems[:MAX_LISTED]
        if more > 0:
            listed.append(Problem((), f"and {more} more problems", problems[MAX_LISTED].location))
        raise InvalidInput(listed)


def split_labels(value: str) -> tuple[str, ...]:
    """Return the labels of a ``;``-separated cell, stripped, empty ones left out, in order."""
    out: list[str] = []
    for part in value.split(";"):
        label = part.strip()
        if label and label not in out:
            out.append(label)
    return tuple(out)


def read_labelled(path: FilePath, encoding: str | None = None) -> list[LabelledAnswer]:
    """Return the answers of a labelled CSV (``id``, ``text``, ``themes``, optional ``stance``).

    ``encoding`` None reads the encoding :func:`read_csv_rows` guesses.

    Raises:
        InvalidInput: for a missing column, bad encoding, or an empty or repeated id, located.
    """
    rows = read_csv_rows(path, ("id", "text", "themes"), encoding)
    _raise(_unique_ids(rows))
    return [
        LabelledAnswer(
            r.cells["id"].strip(),
            r.cells["text"],
            split_labels(r.cells["themes"]),
            r.cells.get("stance", "").strip() or None,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class AnswerRow:
    """An answer from a CSV: id, respondent group (may be empty) and text."""

    id: str
    group: str
    text: str


def read_answers(path: FilePath, encoding: str | None = None) -> list[AnswerRow]:
    """Return the answers of a CSV with ``id`` and ``text`` (and optional ``group``) columns.

    ``encoding`` None reads the encoding :func:`read_csv_rows` guesses.

    Raises:
        InvalidInput: for a missing column, bad encoding, or an empty or repeated id, located.
    """
    rows = read_csv_rows(path, ("id", "text"), encoding)
    _raise(_unique_ids(rows))
    return [
        AnswerRow(r.cells["id"].strip(), r.cells.get("group", "").strip(), r.cells["text"])
        for r in rows
    ]


def read_codings(path: FilePath, codebook: Codebook) -> dict[str, Coding]:
    """Return a person's codings by response id, checked against the codebook.

    Columns: ``id``, ``themes``; optional ``stance``, ``reason``, ``evidence_rich``, ``note``,
    ``coder``.

    Raises:
        InvalidInput: for an unknown theme or stance, a bad reason, or a file problem, located.
    """
    rows = read_csv_rows(path, ("id", "themes"))
    problems = _unique_ids(rows)
    known = set(codebook.theme_ids())
    out: dict[str, Coding] = {}
    for row in rows:
        themes = split_labels(row.cells["themes"])
        for theme in themes:
            if theme not in known:
                problems.append(
                    Problem(("themes",), f"'{theme}' is not a theme of the codebook", row.where)
                )
        stance = row.cells.get("stance", "").strip() or None
        if stance is not None and stance not in codebook.stances:
            problems.append(
                Problem(
                    ("stance",),
                    f"'{stance}' is not a stance of the codebook ({', '.join(codebook.stances)})",
                    row.where,
                )
            )
        try:
            coding = Coding(
                response=row.cells["id"].strip() or "?",
                themes=[t for t in themes if t in known],
                stance=stance,
                reason=row.cells.get("reason", "").strip() or None,
                evidence_rich=row.cells.get("evidence_rich", "").strip().lower()
                in ("yes", "y", "true", "1"),
                # A note or coder name the product exported keeps no formula guard on the way back.
                note=csv_text_back(row.cells.get("note", "").strip()) or None,
                coder=csv_text_back(row.cells.get("coder", "").strip()) or "analyst",
            )
        except ValidationError as error:
            for e in error.errors():
                field = str(e["loc"][0]) if e["loc"] else "(row)"
                problems.append(Problem((field,), e["msg"], row.where))
            continue
        out[coding.response] = coding
    _raise(problems)
    return out


def load_codebook(path: FilePath) -> Codebook:
    """Return the codebook in a YAML file.

    Raises:
        InvalidInput: when the file is missing or invalid, located by line.
    """
    if not path.is_file():
        raise InvalidInput([Problem((), "no such file", str(path))])
    data, source = load_yaml_file(path, str(path))
    try:
        return Codebook.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(source.place(problems_from_validation(error, data))) from None


def ledger_csv(entries: Sequence[Entry]) -> str:
    """Return the ledger as CSV text (LF line ends; text cells guarded against formulas)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for entry in entries:
        writer.writerow(csv_row(entry.row()))
    return buffer.getvalue()


def write_ledger_xlsx(entries: Sequence[Entry], path: FilePath) -> None:
    """Write the ledger as one sheet of an XLSX workbook; every cell is stored as text.

    The workbook is written in openpyxl's streaming mode, so 100,000 rows stay fast and small.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Ledger")
    sheet.freeze_panes = "A2"

    def cells(values: Sequence[str]) -> list[WriteOnlyCell]:
        out = []
        for value in values:
            cell = WriteOnlyCell(sheet)
            set_text_cell(cell, value)
            out.append(cell)
        return out

    sheet.append(cells(HEADER))
    for entry in entries:
        sheet.append(cells(entry.row()))
    book.save(str(path))


def proposals_csv(proposals: Mapping[str, Proposal], themes: Sequence[str]) -> str:
    """Return the model's proposals as CSV text.

    Columns: id, themes, stance, confidences, and the probability of each theme (to 3 places).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "themes", "stance", "confidence", "stance_confidence", *themes])
    for rid, p in proposals.items():
        writer.writerow(
            csv_row(
                [
                    rid,
                    ";".join(p.themes),
                    p.stance or "",
                    f"{p.confidence:.3f}",
                    "" if p.stance_confidence is None else f"{p.stance_confidence:.3f}",
                    *[f"{p.probabilities.get(t, 0.0):.3f}" for t in themes],
                ]
            )
        )
    return buffer.getvalue()
