"""Reading referral records (CSV or XLSX) through a column mapping, every problem located.

Locations are ``FILE:LINE`` for CSV (the header is line 1) and ``FILE:Sheet!A5`` for a
workbook cell. Rows that are entirely empty are skipped, not reported. A date in year 9000 or
later (``9999-12-31`` is the usual open-ended sentinel) means "not yet": an open episode or a
referral not yet seen. Nothing is returned unless the whole input is sound.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path as FsPath

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.flow.records import ReferralRecord
from caseforchange.io.validation import problems_from_validation
from caseforchange.io.yamlsource import load_yaml_file

#: Dates from this year on are open-ended sentinels (``9999-12-31``), read as "not yet".
SENTINEL_YEAR = 9000

#: Earliest and latest plausible years of a real referral date.
PLAUSIBLE_YEARS = (1900, 2200)


@dataclass(frozen=True)
class ReferralLimits:
    """Bounds on a referral file, checked while reading (raise them for large data).

    ``max_rows`` counts data rows (empty rows included, since they are read); ``max_problems``
    stops reading after that many problems.
    """

    max_rows: int = 2_000_000
    max_columns: int = 200
    max_problems: int = 50


class Columns(BaseModel):
    """Which column of the data holds each field of a referral record."""

    model_config = ConfigDict(extra="forbid")

    referral_id: str
    referral_date: str
    team: str
    source: str | None = None
    triage_outcome: str | None = None
    first_contact_date: str | None = None
    discharge_date: str | None = None
    onward_referral: str | None = None
    patient_id: str | None = None


class Mapping(BaseModel):
    """The mapping file: the data file, its sheet, its columns and how dates are written."""

    model_config = ConfigDict(extra="forbid")

    file: str | None = None
    sheet: str | None = None
    date_format: str = Field(default="%Y-%m-%d")
    columns: Columns


#: A row as read: (line or row number, values by header, cell location by header or ``*``).
Row = tuple[int, dict[str, str], dict[str, str]]


def load_mapping(path: str | FsPath) -> Mapping:
    """Return the column mapping in a YAML file.

    Raises:
        InvalidInput: the file is missing or malformed, with ``FILE:LINE``.
    """
    data, source = load_yaml_file(FsPath(path))
    try:
        return Mapping.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(source.place(problems_from_validation(error, data))) from None


def default_mapping_path(data: FsPath) -> FsPath:
    """Return where the mapping of a data file is looked for: ``NAME-mapping.yaml`` beside it."""
    return data.with_name(f"{data.stem}-mapping.yaml")


def csv_rows(lines: Iterable[str], label: str) -> Iterator[Row]:
    """Yield the header (line 1) then each data row of CSV text, with ``label:LINE`` locations.

    Raises:
        csv.Error: on malformed CSV (the caller locates it).
    """
    reader = csv.DictReader(lines)
    yield 1, {h: h for h in reader.fieldnames or []}, {}
    for row in reader:
        line = reader.line_num
        yield (
            line,
            {k: (v or "") for k, v in row.items() if k is not None},
            {"*": f"{label}:{line}"},
        )


def _cell_text(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _xlsx_rows(file: FsPath, sheet: str | None, limits: ReferralLimits) -> Iterator[Row]:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    label = str(file)
    book = load_workbook(file, read_only=True, data_only=True)
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InvalidInput(
                [Problem(("sheet",), f"no sheet {sheet!r} (sheets: {book.sheetnames})", label)]
            )
        ws = book[sheet] if sheet else book.worksheets[0]
        # read only as many columns as the header names, so a stray far-away cell costs nothing
        first = next(
            ws.iter_rows(min_row=1, max_row=1, max_col=limits.max_columns, values_only=True), ()
        )
        header = [_cell_text(h).strip() for h in first]
        while header and not header[-1]:
            header.pop()
        yield 1, {h: h for h in header}, {}
        if not header:
            return
        rows = ws.iter_rows(min_row=2, max_col=len(header), values_only=True)
        for n, values in enumerate(rows, start=2):
            row: dict[str, str] = {}
            cells: dict[str, str] = {}
            for c, (h, v) in enumerate(zip(header, values, strict=False), start=1):
                row[h] = _cell_text(v)
                cells[h] = f"{label}:{ws.title}!{get_column_letter(c)}{n}"
            yield n, row, cells
    finally:
        book.close()


def load_referrals(
    data: str | FsPath,
    mapping: str | FsPath | Mapping | None = None,
    known_teams: set[str] | None = None,
    limits: ReferralLimits | None = None,
) -> list[ReferralRecord]:
    """Return the referral records of a CSV or XLSX file, read through a column mapping.

    ``mapping`` defaults to ``NAME-mapping.yaml`` beside the data. When ``known_teams`` is
    given, a team or onward referral that is not one of them is an error.

    Raises:
        InvalidInput: a file is missing or unreadable, a mapped column is absent, a date does
            not parse or is implausible, a discharge or first contact precedes its referral, a
            team is unknown, or a limit is passed; each problem is located at ``FILE:LINE`` or
            ``FILE:Sheet!CELL``.
    """
    file = FsPath(data)
    limits = limits or ReferralLimits()
    if not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping if mapping is not None else default_mapping_path(file))
    label = str(file)
    if not file.is_file():
        raise InvalidInput([Problem((), "file not found", label)])
    is_xlsx = file.suffix.lower() in {".xlsx", ".xlsm"}
    try:
        if is_xlsx:
            return referrals_from_rows(
                _xlsx_rows(file, mapping.sheet, limits), mapping, label, known_teams, limits
            )
        with file.open(newline="", encoding="utf-8-sig") as handle:
            return referrals_from_rows(csv_rows(handle, label), mapping, label, known_teams, limits)
    except InvalidInput:
        raise
    except (OSError, UnicodeDecodeError, csv.Error, ValueError, KeyError) as exc:
        # openpyxl reports a damaged workbook with several exception types
        raise InvalidInput([Problem((), f"cannot read: {str(exc)[:200]}", label)]) from None
    except Exception as exc:
        raise InvalidInput([Problem((), f"cannot read: {type(exc).__name__}", label)]) from None


def referrals_from_rows(
    rows: Iterable[Row],
    mapping: Mapping,
    label: str,
    known_teams: set[str] | None = None,
    limits: ReferralLimits | None = None,
) -> list[ReferralRecord]:
    """Return the referral records in rows (header first) read through ``mapping``.

    Raises:
        InvalidInput: as :func:`load_referrals`.
    """
    limits = limits or ReferralLimits()
    cols = mapping.columns.model_dump()
    problems: list[Problem] = []
    records: list[ReferralRecord] = []
    for line, row, cells in rows:
        if line == 1:
            missing = [f"{k} -> {c!r}" for k, c in cols.items() if c and c not in row]
            if missing:
                message = f"mapped column not in the header: {', '.join(missing)}"
                raise InvalidInput([Problem(("columns",), message, f"{label}:1")])
            continue
        if line - 1 > limits.max_rows:
            where = cells.get("*") or next(iter(cells.values()), label)
            message = f"more than {limits.max_rows:,} rows (the limit; raise it for larger data)"
            raise InvalidInput([Problem((), message, where)])
        if not any(v.strip() for v in row.values()):
            continue  # an empty row, common at the end of a workbook
        record = _record(row, cells, cols, mapping.date_format, known_teams, problems)
        if record is not None:
            records.append(record)
        if len(problems) >= limits.max_problems:
            problems.append(Problem((), f"stopped after {limits.max_problems} problems", label))
            break
    if problems:
        raise InvalidInput(problems)
    return records


def _record(
    row: dict[str, str],
    cells: dict[str, str],
    cols: dict[str, str | None],
    date_format: str,
    known_teams: set[str] | None,
    problems: list[Problem],
) -> ReferralRecord | None:
    before = len(problems)

    def where(name: str) -> str:
        column = cols[name] or ""
        return cells.get(column) or cells.get("*", "?")

    def text(name: str) -> str | None:
        column = cols.get(name)
        if not column:
            return None
        value = row.get(column, "").strip()
        return value or None

    def date(name: str, open_ended: bool) -> dt.date | None:
        value = text(name)
        if value is None:
            return None
        try:
            day = dt.datetime.strptime(value, date_format).date()
        except ValueError:
            shown = value if len(value) <= 40 else value[:37] + "..."
            problems.append(
                Problem((name,), f"{shown!r} is not a date in format {date_format}", where(name))
            )
            return None
        if open_ended and day.year >= SENTINEL_YEAR:
            return None
        low, high = PLAUSIBLE_YEARS
        if not low <= day.year <= high:
            problems.append(
                Problem((name,), f"{day} is not a plausible date (years {low}-{high})", where(name))
            )
            return None
        return day

    ref_id = text("referral_id")
    if ref_id is None:
        problems.append(Problem(("referral_id",), "missing", where("referral_id")))
    referred = date("referral_date", open_ended=False)
    if referred is None and text("referral_date") is None:
        problems.append(Problem(("referral_date",), "missing", where("referral_date")))
    team = text("team")
    if team is None:
        problems.append(Problem(("team",), "missing", where("team")))
    elif known_teams is not None and team not in known_teams:
        problems.append(
            Problem(
                ("team",),
                f"unknown team {team[:60]!r}; flow.yaml has: {', '.join(sorted(known_teams))}",
                where("team"),
            )
        )
    onward = text("onward_referral")
    if onward is not None and known_teams is not None and onward not in known_teams:
        problems.append(
            Problem(("onward_referral",), f"unknown team {onward[:60]!r}", where("onward_referral"))
        )
    first = date("first_contact_date", open_ended=True)
    discharged = date("discharge_date", open_ended=True)
    if referred is not None:
        if first is not None and first < referred:
            problems.append(
                Problem(
                    ("first_contact_date",),
                    f"first contact {first} precedes referral {referred}",
                    where("first_contact_date"),
                )
            )
        if discharged is not None and discharged < referred:
            problems.append(
                Problem(
                    ("discharge_date",),
                    f"discharge {discharged} precedes referral {referred}",
                    where("discharge_date"),
                )
            )
    if first is not None and discharged is not None and discharged < first:
        problems.append(
            Problem(
                ("discharge_date",),
                f"discharge {discharged} precedes first contact {first}",
                where("discharge_date"),
            )
        )
    if len(problems) > before or ref_id is None or referred is None or team is None:
        return None
    return ReferralRecord(
        referral_id=ref_id,
        referral_date=referred,
        team=team,
        source=text("source"),
        triage_outcome=text("triage_outcome"),
        first_contact_date=first,
        discharge_date=discharged,
        onward_referral=onward,
        patient_id=text("patient_id"),
        location=where("referral_id"),
    )
