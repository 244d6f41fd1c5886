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
import os
import re
import secrets
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any, Literal

from pydantic import Field, ValidationError

from caseforchange.domain.base import Id, Model, Text
from caseforchange.domain.consultation import Question, Questionnaire, QuestionType
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.io.engagement_file import LoadedEngagement
from caseforchange.io.validation import problems_from_validation
from caseforchange.io.yamlsource import load_yaml_file

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
    encoding: str = "utf-8-sig"
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
    if not isinstance(data, dict):
        raise InvalidInput(source.place([Problem((), "expected a mapping of settings")]))
    base = data.get("extends")
    if isinstance(base, str):
        base_path = builtin_mapping_path(base)
        if not base_path.exists():
            known = ", ".join(builtin_mappings())
            raise InvalidInput(
                source.place([Problem(("extends",), f"unknown shipped mapping '{base}' ({known})")])
            )
        base_data, _ = load_yaml_file(base_path, str(base_path))
        data = {**base_data, **data}
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


def programme_salt(root: FilePath) -> bytes:
    """Return the programme's pseudonymisation salt, creating it on first use."""
    path = root / SALT_FILE
    if path.exists():
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    salt = secrets.token_bytes(32)
    path.write_text(salt.hex() + "\n", encoding="ascii")
    return salt


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


def _csv_lines(path: FilePath, encoding: str, progress: Progress | None) -> Iterator[str]:
    """Yield decoded lines of a CSV, reporting bytes read, without loading the file."""
    codec = "utf-8" if encoding.lower().replace("_", "-") == "utf-8-sig" else encoding
    first = True
    with path.open("rb") as handle:
        for raw in handle:
            if progress is not None:
                progress(len(raw))
            if first:
                first = False
                if raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
            yield raw.decode(codec)


def _read_csv(
    path: FilePath, mapping: ResponseMapping, progress: Progress | None
) -> Iterator[_Row]:
    reader = csv.reader(_csv_lines(path, mapping.encoding, progress), delimiter=mapping.delimiter)
    last_line = 0
    for cells in reader:
        start = last_line + 1
        last_line = reader.line_num
        yield _Row(f"{path}:{start}", start, cells)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(
    path: FilePath, mapping: ResponseMapping, progress: Progress | None
) -> Iterator[_Row]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken zip or XML
        raise InvalidInput([Problem((), f"cannot open workbook: {error}", str(path))]) from None
    try:
        if mapping.sheet is not None:
            if mapping.sheet not in book.sheetnames:
                raise InvalidInput(
                    [Problem((), f"no sheet '{mapping.sheet}' in the workbook", str(path))]
                )
            sheet = book[mapping.sheet]
        else:
            sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if progress is not None:
                progress(1)
            cells = [_cell_text(v) for v in values]
            while cells and cells[-1] == "":
                cells.pop()
            yield _Row(f"{path}:{sheet.title}!{number}", number, cells)
    finally:
        book.close()


def _rows(path: FilePath, mapping: ResponseMapping, progress: Progress | None) -> Iterator[_Row]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path, mapping, progress)
    return _read_csv(path, mapping, progress)


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
            problems.append(Problem(("header",), f"column '{name}' appears twice", where))
        position[name] = i

    def need(column: str | None, what: str) -> int | None:
        if column is None:
            return None
        if column not in position:
            problems.append(
                Problem(
                    ("header",),
                    f"mapping '{mapping.name}' expects a {what} column '{column}', which the "
                    f"export does not have (columns: {', '.join(names)})",
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
        explicit = (
            [QuestionColumn(column=names[i], id=names[i]) for i in remaining]
            if mapping.questions == "ids"
            else mapping.questions
        )
        for item in explicit:
            question = questionnaire.question(item.id)
            if question is None:
                problems.append(
                    Problem(
                        ("header",),
                        f"column '{item.column}' maps to question '{item.id}', which "
                        f"questionnaire '{questionnaire.id}' does not have",
                        where,
                    )
                )
                continue
            if item.type is not None and item.type is not question.type:
                problems.append(
                    Problem(
                        ("header",),
                        f"mapping says question '{item.id}' is {item.type.value} but the "
                        f"questionnaire says {question.type.value}",
                        where,
                    )
                )
            index = need(item.column, "question")
            if index is not None:
                questions.append((index, question))
        if mapping.questions != "ids":
            mapped = {i for i, _ in questions}
            for i in remaining:
                if i not in mapped:
                    problems.append(
                        Problem(
                            ("header",),
                            f"column '{names[i]}' is not in mapping '{mapping.name}' (map it, "
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


def import_responses(
    loaded: LoadedEngagement,
    export: FilePath,
    mapping: ResponseMapping,
    *,
    questionnaire_id: str | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Validate an export in full and, only if it is all valid, write the normalised CSV.

    Returns:
        A summary of the import.

    Raises:
        InvalidInput: for an empty file, a header that does not match the mapping, an answer
            outside a closed question's options, an unparseable date, a repeated respondent id
            or an unknown respondent group, each located as FILE:LINE (or FILE:Sheet!ROW) and
            column. Nothing is written in that case.
    """
    questionnaire = _choose_questionnaire(loaded, questionnaire_id or mapping.questionnaire)
    if not export.exists():
        raise InvalidInput([Problem((), "no such file", str(export))])
    if export.stat().st_size == 0:
        raise InvalidInput([Problem((), "the file is empty", str(export))])
    target_dir = loaded.root / RESPONSES_DIR
    target_dir.mkdir(exist_ok=True)
    target = target_dir / f"{questionnaire.id}.csv"
    descriptor, temp_name = tempfile.mkstemp(
        dir=target_dir, prefix=f".{questionnaire.id}-", suffix=".csv.part"
    )
    temp = FilePath(temp_name)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as out:
            summary = _convert(loaded, export, mapping, questionnaire, out, progress)
        os.replace(temp, target)
    except UnicodeDecodeError as error:
        temp.unlink(missing_ok=True)
        raise InvalidInput(
            [Problem((), f"not {mapping.encoding} text: {error.reason}", str(export))]
        ) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    summary.path = target
    return summary


def _convert(
    loaded: LoadedEngagement,
    export: FilePath,
    mapping: ResponseMapping,
    questionnaire: Questionnaire,
    out: Any,
    progress: Progress | None,
) -> ImportSummary:
    rows = _rows(export, mapping, progress)
    header_row = next(rows, None)
    if header_row is None or not any(c.strip() for c in header_row.cells):
        raise InvalidInput([Problem((), "the file is empty (no header row)", str(export))])
    columns = _plan_columns(header_row.cells, mapping, questionnaire, header_row.where)
    salt = programme_salt(loaded.root)
    groups = {g.id for g in loaded.programme.stakeholders}
    writer = csv.writer(out, lineterminator="\n")
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
                f"respondent id '{source_id}' was already given on {unit} {seen[key]}",
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
                    fail(row.where, header_names[columns.date_index], str(error))
        group = ""
        if columns.group_index is not None:
            raw = cells[columns.group_index].strip()
            if raw and mapping.group_values:
                mapped = mapping.group_values.get(raw)
                if mapped is None:
                    fail(
                        row.where,
                        header_names[columns.group_index],
                        f"group '{raw}' is not in the mapping's group_values "
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
            problems.append(Problem((), f"... and {extra} more problems", str(export)))
        raise InvalidInput(problems)
    if count == 0:
        raise InvalidInput([Problem((), "the file has a header but no responses", str(export))])
    return ImportSummary(
        questionnaire=questionnaire.id,
        path=export,
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
                f"'{part}' is not an option of {question.type.value} question '{question.id}' "
                f"(options: {', '.join(question.options)})",
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
        yield from csv.DictReader(handle)


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
