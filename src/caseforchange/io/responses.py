"""Import survey-tool exports (CSV or XLSX) through a column mapping, privately and whole.

The export is streamed row by row; every row is checked against the questionnaire in
``engagement.yaml`` and written to a temporary file beside the target. Only when the whole
file is valid does the temporary file replace ``responses/<questionnaire>.csv``
(``os.replace``), so a bad file leaves nothing behind.

Privacy: columns that hold names, email or IP addresses (those the mapping lists as personal,
and any whose header looks like one) are dropped unless the mapping keeps them. Respondents get
a pseudonymous id: HMAC-SHA256 of the source id under a per-programme salt kept in the folder
(``.caseforchange-salt``), so re-importing the same export gives the same ids but the ids
cannot be turned back into the tool's ids without the salt. Times of day are dropped; only the
date of a response is kept.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import os
import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any, BinaryIO, Literal, TextIO

from pydantic import Field, ValidationError

from caseforchange.domain.base import Id, Model, Text
from caseforchange.domain.consultation import Question, Questionnaire, QuestionType
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.io.atomic import staged_folder
from caseforchange.io.cells import CsvWriter, csv_text_back
from caseforchange.io.engagement_file import LoadedEngagement
from caseforchange.io.limits import check_file_size, limits, read_up_to_limit, shorten
from caseforchange.io.text import FORBIDDEN, Decoded, codec_name, describe_character, open_text
from caseforchange.io.validation import problems_from_validation
from caseforchange.io.xlsx_rows import open_workbook, sheet_rows
from caseforchange.io.yamlsource import SourceMap, load_yaml_file, load_yaml_text

RESPONSES_DIR = "responses"
SALT_FILE = ".caseforchange-salt"
#: Stop listing row problems after this many; the rest are counted.
MAX_LISTED = 50
#: Headers that look like personal data (matched case-insensitively on the whole header).
PERSONAL_HEADER = re.compile(
    r"^\s*(full[ _]?name|first[ _]?name|last[ _]?name|surname|forename|name|your name|"
    r"e-?mail( address)?|ip( address|_address|_hash)?|phone|telephone|mobile|address|"
    r"postcode|post code)\s*$",
    re.IGNORECASE,
)
_DATE_FORMATS = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y/%m/%d %H:%M:%S",
    "%d-%m-%Y",
    "%d %B %Y",
)

#: Reports progress: the number of bytes (CSV) or rows (XLSX) just read.
Progress = Callable[[int], None]


class QuestionColumn(Model):
    """One export column and the questionnaire item it holds."""

    column: Text
    id: Id
    type: QuestionType | None = None


class ResponseMapping(Model):
    """How an export's columns map onto a questionnaire (the mapping file's contents)."""

    name: Text
    description: str | None = None
    extends: str | None = None
    questionnaire: Id | None = None
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    #: The export's text encoding; None (the default) detects it and says what it guessed.
    encoding: str | None = None
    sheet: str | None = None
    id_column: str | None = None
    date_column: str | None = None
    date_format: str | None = None
    group_column: str | None = None
    #: Or take the respondent group from the answer to this (demographic) question.
    group_question: Id | None = None
    #: Export values of the group column -> stakeholder group ids; empty keeps values as given.
    group_values: dict[str, Id] = Field(default_factory=dict)
    personal_columns: list[str] = Field(default_factory=list)
    keep: list[str] = Field(default_factory=list)
    ignore_columns: list[str] = Field(default_factory=list)
    #: ``position``: the remaining columns are the questions in questionnaire order;
    #: ``ids``: the remaining columns are headed by question ids; or an explicit list.
    questions: Literal["position", "ids"] | list[QuestionColumn] = "ids"
    multi_separator: str = Field(default=";", min_length=1)


def builtin_mapping_path(name: str) -> FilePath:
    """Return the path of a mapping shipped in ``catalogue/mappings`` (may not exist)."""
    return FilePath(__file__).resolve().parent.parent / "catalogue" / "mappings" / f"{name}.yaml"


def builtin_mappings() -> list[str]:
    """Return the names of the shipped mappings."""
    folder = builtin_mapping_path("x").parent
    return sorted(p.stem for p in folder.glob("*.yaml"))


def load_mapping(spec: str | FilePath) -> ResponseMapping:
    """Load a mapping file, or a shipped mapping by name (e.g. ``decidim``).

    A mapping may say ``extends: <shipped name>`` and override only what differs.

    Raises:
        InvalidInput: when the file is missing or invalid, located by line.
    """
    path = FilePath(spec)
    if not path.exists() and builtin_mapping_path(str(spec)).exists():
        path = builtin_mapping_path(str(spec))
    if not path.exists():
        known = ", ".join(builtin_mappings())
        raise InvalidInput([Problem((), f"no such mapping file (shipped: {known})", str(spec))])
    data, source = load_yaml_file(path, str(path))
    return _mapping_from(data, source)


def load_mapping_text(text: str, shown: str) -> ResponseMapping:
    """Parse a mapping file's text (an upload); ``shown`` names it in messages.

    Raises:
        InvalidInput: when the text is not YAML or not a valid mapping, located by line.
    """
    data, source = load_yaml_text(text, shown)
    return _mapping_from(data, source)


def _mapping_from(data: Any, source: SourceMap) -> ResponseMapping:
    if not isinstance(data, dict):
        raise InvalidInput(source.place([Problem((), "expected a mapping of settings")]))
    base = data.get("extends")
    if isinstance(base, str):
        base_path = builtin_mapping_path(base)
        if base not in builtin_mappings() or not base_path.exists():
            known = ", ".join(builtin_mappings())
            raise InvalidInput(
                source.place(
                    [Problem(("extends",), f"unknown shipped mapping '{shorten(base)}' ({known})")]
                )
            )
        base_data, _ = load_yaml_file(base_path, str(base_path))
        data = {**base_data, **data}
    if isinstance(data.get("encoding"), str):
        codec_name(data["encoding"], source.locate(("encoding",)))
    try:
        return ResponseMapping.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(source.place(problems_from_validation(error, data))) from None


@dataclass
class ImportSummary:
    """What an import did: where it wrote, how many rows, which columns it dropped or kept."""

    questionnaire: str
    path: FilePath
    rows: int
    dropped: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    decoded: Decoded | None = None


def pseudonym(salt: bytes, source_id: str) -> str:
    """Return a stable pseudonymous respondent id for ``source_id`` (``r-`` + 16 hex)."""
    digest = hmac.new(salt, source_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return "r-" + digest[:16]


def parse_date(text: str, fmt: str | None = None) -> dt.date:
    """Parse a response date (ISO 8601, UK day-first forms, or ``fmt``).

    Raises:
        ValueError: when the text is not a date in any accepted form.
    """
    value = text.strip()
    if fmt:
        return dt.datetime.strptime(value, fmt).date()
    cleaned = re.sub(r"\s*(UTC|GMT|Z)$", "", value)
    try:
        return dt.datetime.fromisoformat(cleaned).date()
    except ValueError:
        pass
    for candidate in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, candidate).date()
        except ValueError:
            continue
    raise ValueError(f"'{text}' is not a date (expected e.g. 2010-10-11 or 11/10/2010)")


# --- reading the export ---------------------------------------------------------------------


@dataclass
class _Row:
    where: str
    line: int
    cells: list[str]


def _csv_rows(
    stream: TextIO, shown: str, mapping: ResponseMapping, decoded: Decoded
) -> Iterator[_Row]:
    """Yield the rows of a CSV text stream, each located by the line it starts on.

    The stream decodes as it is read, so memory stays bounded for any file size.
    """
    bounds = limits()
    # The limit is process-wide in the csv module; a longer field is a located error here.
    csv.field_size_limit(bounds.max_cell_chars)
    reader = csv.reader(stream, delimiter=mapping.delimiter)
    last_line = 0
    count = 0
    while True:
        start = last_line + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError as error:
            hint = "; name the encoding in the mapping" if decoded.guessed else ""
            byte = bytes(error.object[error.start : error.start + 1]).hex()
            raise InvalidInput(
                [
                    Problem(
                        (),
                        f"not {decoded.encoding} text: byte 0x{byte} ({error.reason}){hint}",
                        f"{shown}:{reader.line_num + 1}",
                    )
                ]
            ) from None
        except csv.Error as error:
            reason = str(error)
            if "field larger than field limit" in reason:
                reason = (
                    f"a cell is longer than the limit of {bounds.max_cell_chars:,} characters "
                    "(CASEFORCHANGE_MAX_CELL_CHARS)"
                )
            raise InvalidInput(
                [Problem((), f"cannot read CSV: {reason}", f"{shown}:{start}")]
            ) from None
        last_line = reader.line_num
        count += 1
        if count > bounds.max_rows:
            raise InvalidInput(
                [
                    Problem(
                        (),
                        f"more than {bounds.max_rows:,} rows (CASEFORCHANGE_MAX_ROWS)",
                        f"{shown}:{start}",
                    )
                ]
            )
        if len(cells) > bounds.max_columns:
            raise InvalidInput(
                [
                    Problem(
                        (),
                        f"{len(cells):,} cells, over the limit of {bounds.max_columns:,} columns "
                        "(CASEFORCHANGE_MAX_COLUMNS)",
                        f"{shown}:{start}",
                    )
                ]
            )
        bad = FORBIDDEN.search("\n".join(cells))
        if bad is not None:
            raise InvalidInput(
                [
                    Problem(
                        (),
                        f"character {describe_character(bad.group())} is not allowed in text "
                        "(a control character)",
                        f"{shown}:{start}",
                    )
                ]
            )
        yield _Row(f"{shown}:{start}", start, cells)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


#: Sheets that only a programme workbook has: such a file is not a survey export.
_PROGRAMME_SHEETS = frozenset({"Organisations", "Services", "Options", "Criteria"})


def _xlsx_rows(data: bytes, shown: str, mapping: ResponseMapping) -> Iterator[_Row]:
    with open_workbook(data, shown) as book:
        names = list(book.sheetnames)
        if mapping.sheet is not None:
            if mapping.sheet not in names:
                raise InvalidInput(
                    [
                        Problem(
                            ("sheet",),
                            f"no sheet '{shorten(mapping.sheet)}' in the workbook "
                            f"(sheets: {shorten(', '.join(names))})",
                            shown,
                        )
                    ]
                )
            sheet = book[mapping.sheet]
        else:
            if len(_PROGRAMME_SHEETS.intersection(names)) >= 3:
                raise InvalidInput(
                    [
                        Problem(
                            (),
                            "this is a programme workbook (it has sheets such as "
                            "Organisations and Options), not a survey export; import it as a "
                            "programme instead",
                            shown,
                        )
                    ]
                )
            sheet = book.worksheets[0]
        for row in sheet_rows(sheet, shown):
            cells = [_cell_text(v) for v in row.values]
            while cells and cells[-1] == "":
                cells.pop()
            yield _Row(f"{shown}:{sheet.title}!{row.number}", row.number, cells)


def is_workbook(name: str) -> bool:
    """Return True when a file name says Excel workbook (.xlsx, .xlsm)."""
    return FilePath(name).suffix.lower() in (".xlsx", ".xlsm")


def export_rows(
    handle: BinaryIO, shown: str, mapping: ResponseMapping
) -> tuple[Iterator[_Row], Decoded | None]:
    """Return the rows of an export (CSV or XLSX, by ``shown``'s suffix) and how text was read.

    ``handle`` is a seekable binary file (or ``io.BytesIO``); a CSV is streamed from it, a
    workbook is read whole after its size checks.

    Raises:
        InvalidInput: for a workbook over the limits or not a workbook, or an unknown
            encoding, located at ``shown``. Bytes that are not text in the encoding raise
            InvalidInput located by line while the rows are read.
    """
    start = handle.read(4)
    handle.seek(0)
    if is_workbook(shown) or start == b"PK\x03\x04":
        return _xlsx_rows(read_up_to_limit(handle), shown, mapping), None
    stream, decoded = open_text(handle, shown, mapping.encoding)
    return _csv_rows(stream, shown, mapping, decoded), decoded


# --- the plan of columns --------------------------------------------------------------------


@dataclass
class _Columns:
    id_index: int | None
    date_index: int | None
    group_index: int | None
    kept: list[tuple[int, str]]
    dropped: list[str]
    ignored: list[str]
    questions: list[tuple[int, Question]]
    group_question: int | None = None


def _plan_columns(
    header: list[str],
    mapping: ResponseMapping,
    questionnaire: Questionnaire,
    where: str,
) -> _Columns:
    """Work out which header column is which, or raise with every mismatch."""
    problems: list[Problem] = []
    names = [h.strip() for h in header]
    position = {}
    for i, name in enumerate(names):
        if name in position:
            problems.append(Problem(("header",), f"column '{shorten(name)}' appears twice", where))
        position[name] = i

    def need(column: str | None, what: str) -> int | None:
        if column is None:
            return None
        if column not in position:
            problems.append(
                Problem(
                    ("header",),
                    f"mapping '{mapping.name}' expects a {what} column '{shorten(column)}', which "
                    f"the export does not have (columns: {shorten(', '.join(names), 200)})",
                    where,
                )
            )
            return None
        return position[column]

    id_index = need(mapping.id_column, "respondent id")
    date_index = need(mapping.date_column, "date")
    group_index = need(mapping.group_column, "respondent group")
    used = {i for i in (id_index, date_index, group_index) if i is not None}
    kept: list[tuple[int, str]] = []
    dropped: list[str] = []
    ignored: list[str] = []
    for keep in mapping.keep:
        index = need(keep, "kept")
        if index is not None:
            kept.append((index, keep))
            used.add(index)
    for i, name in enumerate(names):
        if i in used:
            continue
        if name in mapping.personal_columns or PERSONAL_HEADER.match(name):
            dropped.append(name)
            used.add(i)
        elif name in mapping.ignore_columns:
            ignored.append(name)
            used.add(i)
    remaining = [i for i in range(len(names)) if i not in used]
    questions: list[tuple[int, Question]] = []
    if mapping.questions == "position":
        if len(remaining) != len(questionnaire.questions):
            problems.append(
                Problem(
                    ("header",),
                    f"mapping '{mapping.name}' takes questions by position: the export has "
                    f"{len(remaining)} question columns but questionnaire "
                    f"'{questionnaire.id}' has {len(questionnaire.questions)} questions",
                    where,
                )
            )
        else:
            questions = list(zip(remaining, questionnaire.questions, strict=True))
    else:
        explicit: list[tuple[str, str, QuestionType | None]] = (
            [(names[i], names[i], None) for i in remaining]
            if mapping.questions == "ids"
            else [(q.column, q.id, q.type) for q in mapping.questions]
        )
        known_ids = ", ".join(q.id for q in questionnaire.questions)
        for column, question_id, kind in explicit:
            question = questionnaire.question(question_id)
            if question is None:
                if mapping.questions == "ids":
                    message = (
                        f"column '{shorten(column)}' is not a question id of questionnaire "
                        f"'{questionnaire.id}' ({shorten(known_ids)}); mapping "
                        f"'{mapping.name}' takes question columns by id, so rename the "
                        "column, list it under ignore_columns, or use a mapping of your own"
                    )
                else:
                    message = (
                        f"column '{shorten(column)}' maps to question '{shorten(question_id)}', "
                        f"which questionnaire '{questionnaire.id}' does not have"
                    )
                problems.append(Problem(("header",), message, where))
                continue
            if kind is not None and kind is not question.type:
                problems.append(
                    Problem(
                        ("header",),
                        f"mapping says question '{question_id}' is {kind.value} but the "
                        f"questionnaire says {question.type.value}",
                        where,
                    )
                )
            index = need(column, "question")
            if index is not None:
                questions.append((index, question))
        if mapping.questions != "ids":
            mapped = {i for i, _ in questions}
            for i in remaining:
                if i not in mapped:
                    problems.append(
                        Problem(
                            ("header",),
                            f"column '{shorten(names[i])}' is not in mapping '{mapping.name}' "
                            "(map it, "
                            "list it under ignore_columns or personal_columns)",
                            where,
                        )
                    )
    group_question = None
    if mapping.group_question is not None:
        ids = [q.id for _, q in questions]
        if mapping.group_question in ids:
            group_question = ids.index(mapping.group_question)
        else:
            problems.append(
                Problem(
                    ("header",),
                    f"group_question '{mapping.group_question}' is not among the mapped "
                    f"questions ({', '.join(ids)})",
                    where,
                )
            )
    if problems and len(names) == 1:
        for other in (";", "\t", "|"):
            if other != mapping.delimiter and other in names[0]:
                shown_other = "tab" if other == "\t" else repr(other)
                problems.insert(
                    0,
                    Problem(
                        ("delimiter",),
                        f"the header is one column holding {shown_other}: the file looks "
                        f"{shown_other}-separated; set delimiter: {shown_other} in a mapping "
                        f"that extends '{mapping.name}'",
                        where,
                    ),
                )
                break
    if problems:
        raise InvalidInput(problems)
    return _Columns(
        id_index, date_index, group_index, kept, dropped, ignored, questions, group_question
    )


# --- import ---------------------------------------------------------------------------------


def _choose_questionnaire(loaded: LoadedEngagement, wanted: str | None) -> Questionnaire:
    questionnaires = loaded.engagement.questionnaires
    known = ", ".join(q.id for q in questionnaires) or "none defined"
    if wanted is None:
        if len(questionnaires) == 1:
            return questionnaires[0]
        raise InvalidInput(
            [
                Problem(
                    ("questionnaire",),
                    f"say which questionnaire the export answers (known: {known})",
                    str(loaded.root / "engagement.yaml"),
                )
            ]
        )
    found = loaded.engagement.questionnaire(wanted)
    if found is None:
        raise InvalidInput(
            [
                Problem(
                    ("questionnaire",),
                    f"unknown questionnaire '{wanted}' (known: {known})",
                    str(loaded.root / "engagement.yaml"),
                )
            ]
        )
    return found


@dataclass
class ConvertedResponses:
    """An export checked in full and normalised: the CSV text the product keeps, and a summary."""

    questionnaire: str
    csv_text: str
    rows: int
    dropped: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    decoded: Decoded | None = None


def convert_export(
    data: bytes,
    shown: str,
    mapping: ResponseMapping,
    questionnaire: Questionnaire,
    *,
    salt: bytes,
    groups: set[str],
    progress: Progress | None = None,
) -> ConvertedResponses:
    """Check a survey export given as bytes and return its normalised responses.

    ``shown`` is the file's name as the user knows it (an upload's own name); its suffix
    says CSV or XLSX. Nothing is read from or written to any folder.

    Returns:
        The normalised CSV text (pseudonymous ids, personal columns dropped, user text
        guarded against formulas) and a summary.

    Raises:
        InvalidInput: for an empty file, a file over the limits, text not in the encoding,
            a header that does not match the mapping, an answer outside a closed question's
            options, an unparseable date, a repeated respondent id or an unknown respondent
            group, each located as ``SHOWN:LINE`` (or ``SHOWN:Sheet!ROW``) and column.
    """
    if not data:
        raise InvalidInput([Problem((), "the file is empty", shown)])
    check_file_size(len(data), shown)
    rows, decoded = export_rows(io.BytesIO(data), shown, mapping)
    out = io.StringIO()
    summary = _convert(rows, shown, mapping, questionnaire, salt, groups, out, progress)
    summary.csv_text = out.getvalue()
    summary.decoded = decoded
    return summary


def read_salt(root: FilePath) -> bytes | None:
    """Return the programme's pseudonymisation salt, or None when it has none yet.

    Raises:
        InvalidInput: when the salt file is unreadable or not hex.
    """
    path = root / SALT_FILE
    if not path.exists():
        return None
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError) as error:
        raise InvalidInput(
            [
                Problem(
                    (), f"cannot read the salt file ({error}); restore it from a backup", str(path)
                )
            ]
        ) from None


def import_responses(
    loaded: LoadedEngagement,
    export: FilePath,
    mapping: ResponseMapping,
    *,
    questionnaire_id: str | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Validate an export in full and, only if it is all valid, write the normalised CSV.

    The salt file (created 0600 on first use) and ``responses/<questionnaire>.csv`` are
    written together through :mod:`caseforchange.io.atomic`: a bad row, an interruption or a
    full disk leaves the folder as it was.

    Returns:
        A summary of the import.

    Raises:
        InvalidInput: as :func:`convert_export`, located at ``export``; nothing is written.
    """
    questionnaire = _choose_questionnaire(loaded, questionnaire_id or mapping.questionnaire)
    shown = str(export)
    salt = read_salt(loaded.root)
    new_salt = salt is None
    if salt is None:
        salt = secrets.token_bytes(32)
    groups = {g.id for g in loaded.programme.stakeholders}
    relative = FilePath(RESPONSES_DIR) / f"{questionnaire.id}.csv"
    try:
        source = export.open("rb")
    except OSError as error:
        raise InvalidInput([Problem((), f"cannot read file: {error.strerror}", shown)]) from None
    with source, staged_folder(loaded.root) as staging:
        if os.fstat(source.fileno()).st_size == 0:
            raise InvalidInput([Problem((), "the file is empty", shown)])
        rows, decoded = export_rows(source, shown, mapping)
        # Streamed: the normalised rows go straight to the staged file, never all in memory.
        with staging.path(relative).open("w", encoding="utf-8", newline="") as out:
            converted = _convert(rows, shown, mapping, questionnaire, salt, groups, out, progress)
        converted.decoded = decoded
        if new_salt:
            staging.write_text(SALT_FILE, salt.hex() + "\n", private=True)
    return ImportSummary(
        questionnaire=converted.questionnaire,
        path=loaded.root / relative,
        rows=converted.rows,
        dropped=converted.dropped,
        kept=converted.kept,
        ignored=converted.ignored,
        decoded=converted.decoded,
    )


def _convert(
    rows: Iterator[_Row],
    shown: str,
    mapping: ResponseMapping,
    questionnaire: Questionnaire,
    salt: bytes,
    groups: set[str],
    out: Any,
    progress: Progress | None,
) -> ConvertedResponses:
    header_row = next(rows, None)
    if header_row is None or not any(c.strip() for c in header_row.cells):
        raise InvalidInput([Problem((), "the file is empty (no header row)", shown)])
    columns = _plan_columns(header_row.cells, mapping, questionnaire, header_row.where)
    writer = CsvWriter(out)
    writer.writerow(
        ["respondent", "group", "submitted"]
        + [name for _, name in columns.kept]
        + [q.id for _, q in columns.questions]
    )
    # Lookups from how an answer may be written to the option as the questionnaire spells it.
    canonical = {
        q.id: {o.casefold(): o for o in q.options} for _, q in columns.questions if q.options
    }
    seen: dict[int, int] = {}
    problems: list[Problem] = []
    extra = 0
    count = 0
    header_names = [h.strip() for h in header_row.cells]

    def fail(where: str, column: str, message: str) -> None:
        nonlocal extra
        if len(problems) < MAX_LISTED:
            problems.append(Problem((column,), message, where))
        else:
            extra += 1

    for row in rows:
        if progress is not None:
            progress(1)
        cells = row.cells
        if not any(c.strip() for c in cells):
            continue
        count += 1
        if len(cells) > len(header_names):
            fail(row.where, "(row)", f"{len(cells)} cells but the header has {len(header_names)}")
            continue
        cells = cells + [""] * (len(header_names) - len(cells))
        if columns.id_index is not None:
            source_id = cells[columns.id_index].strip()
            id_name = header_names[columns.id_index]
            if not source_id:
                fail(row.where, id_name, "respondent id is empty")
                continue
        else:
            source_id, id_name = f"row-{count}", "(row)"
        # A 64-bit digest per respondent keeps memory bounded for very large exports.
        key = int.from_bytes(hashlib.blake2b(source_id.encode("utf-8"), digest_size=8).digest())
        if key in seen:
            unit = "row" if "!" in row.where else "line"
            fail(
                row.where,
                id_name,
                f"respondent id '{shorten(source_id)}' was already given on {unit} {seen[key]}",
            )
            continue
        seen[key] = row.line
        submitted = ""
        if columns.date_index is not None:
            text = cells[columns.date_index]
            if text.strip():
                try:
                    submitted = parse_date(text, mapping.date_format).isoformat()
                except ValueError as error:
                    fail(row.where, header_names[columns.date_index], shorten(str(error), 160))
        group = ""
        if columns.group_index is not None:
            raw = cells[columns.group_index].strip()
            if raw and mapping.group_values:
                mapped = mapping.group_values.get(raw)
                if mapped is None:
                    fail(
                        row.where,
                        header_names[columns.group_index],
                        f"group '{shorten(raw)}' is not in the mapping's group_values "
                        f"({', '.join(mapping.group_values)})",
                    )
                elif groups and mapped not in groups:
                    fail(row.where, "group_values", f"'{mapped}' is not a stakeholder group")
                else:
                    group = mapped
            else:
                group = raw
        answers: list[str] = []
        for index, question in columns.questions:
            answers.append(
                _answer(cells[index], question, canonical.get(question.id), mapping, row, fail)
            )
        if columns.group_question is not None and not group:
            group = answers[columns.group_question]
        if problems or extra:
            continue  # keep checking, but stop writing rows that will be thrown away
        writer.writerow(
            [pseudonym(salt, source_id), group, submitted]
            + [cells[i] for i, _ in columns.kept]
            + answers
        )
    if problems:
        if extra:
            problems.append(Problem((), f"... and {extra} more problems", shown))
        raise InvalidInput(problems)
    if count == 0:
        raise InvalidInput([Problem((), "the file has a header but no responses", shown)])
    return ConvertedResponses(
        questionnaire=questionnaire.id,
        csv_text="",
        rows=count,
        dropped=columns.dropped,
        kept=[name for _, name in columns.kept],
        ignored=columns.ignored,
    )


def _answer(
    text: str,
    question: Question,
    options: dict[str, str] | None,
    mapping: ResponseMapping,
    row: _Row,
    fail: Callable[[str, str, str], None],
) -> str:
    """Return the answer normalised (options spelt as in the questionnaire, ';'-joined)."""
    value = text.strip()
    if not value or options is None:
        return value
    if question.type is QuestionType.MULTI_SELECT:
        parts = [p.strip() for p in value.split(mapping.multi_separator) if p.strip()]
    else:
        parts = [value]
    normalised: list[str] = []
    for part in parts:
        option = options.get(part.casefold())
        if option is None:
            fail(
                row.where,
                question.id,
                f"'{shorten(part)}' is not an option of {question.type.value} question "
                f"'{question.id}' (options: {shorten(', '.join(question.options), 200)})",
            )
            return value
        normalised.append(option)
    return ";".join(normalised)


# --- reading what was imported --------------------------------------------------------------


def responses_path(root: FilePath, questionnaire_id: str) -> FilePath:
    """Return where the normalised responses to a questionnaire are kept."""
    return root / RESPONSES_DIR / f"{questionnaire_id}.csv"


def iter_responses(root: FilePath, questionnaire_id: str) -> Iterator[dict[str, str]]:
    """Yield the imported responses to a questionnaire as dicts (none if not imported)."""
    path = responses_path(root, questionnaire_id)
    if not path.exists():
        return
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield {k: csv_text_back(v) if isinstance(v, str) else v for k, v in row.items()}


def open_answers(root: FilePath, questionnaire: Questionnaire) -> dict[str, list[tuple[str, str]]]:
    """Return the free-text answers per open question as (respondent, text) pairs."""
    open_ids = [q.id for q in questionnaire.questions if q.type is QuestionType.OPEN]
    out: dict[str, list[tuple[str, str]]] = {qid: [] for qid in open_ids}
    for row in iter_responses(root, questionnaire.id):
        for qid in open_ids:
            text = (row.get(qid) or "").strip()
            if text:
                out[qid].append((row["respondent"], text))
    return out
