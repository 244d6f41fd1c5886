"""Reading ``flow.yaml`` and referral records, with every problem located in the file.

Locations are ``FILE:LINE`` for YAML and CSV (the CSV header is line 1) and
``FILE:Sheet!A5`` for a workbook cell. Nothing is returned unless the whole input is sound.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from caseforchange.domain.problems import InvalidInput, Path, Problem
from caseforchange.flow.model import FlowModel
from caseforchange.flow.system import check_model

#: Name of the flow model inside a programme folder.
FLOW_FILE = "flow.yaml"

#: Fields a referral record can have; the first three are required in a mapping.
REQUIRED_FIELDS = ("referral_id", "referral_date", "team")
OPTIONAL_FIELDS = (
    "source",
    "triage_outcome",
    "first_contact_date",
    "discharge_date",
    "onward_referral",
    "patient_id",
)


# ---- YAML with line numbers ------------------------------------------------------------
def _node_line(root: yaml.Node | None, path: Path) -> tuple[int | None, Path]:
    """Return the 1-based line of the deepest node reached by ``path``, and the path kept.

    Path parts that are not in the file (the tag of a union, a field left out) are skipped
    when something follows them, so the location points at the nearest written node.
    """
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    kept: list[str | int] = []
    for i, part in enumerate(path):
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                    child = value
                    line = key.start_mark.line + 1
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(node.value)
        ):
            child = node.value[part]
            line = child.start_mark.line + 1
        if child is not None:
            node = child
            kept.append(part)
        elif i == len(path) - 1 or isinstance(part, int):
            kept.append(part)
    return line, tuple(kept)


def _pydantic_problems(error: ValidationError, root: yaml.Node | None, file: str) -> list[Problem]:
    problems = []
    for err in error.errors():
        line, path = _node_line(root, tuple(err["loc"]))
        message = str(err["msg"]).removeprefix("Value error, ")
        problems.append(Problem(path, message, f"{file}:{line}" if line else file))
    return problems


def _read_yaml(file: FsPath) -> tuple[Any, yaml.Node | None]:
    label = str(file)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput([Problem((), "file not found", label)]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput([Problem((), f"cannot read: {exc}", label)]) from None
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{label}:{mark.line + 1}" if mark is not None else label
        raise InvalidInput([Problem((), f"not valid YAML: {exc}", where)]) from None
    return data, root


def load_flow_model(path: str | FsPath) -> FlowModel:
    """Return the flow model in a programme folder (or a ``flow.yaml`` file), fully checked.

    Raises:
        InvalidInput: the file is missing, not YAML, or breaks the model's rules; each
            problem carries ``FILE:LINE`` and the field path.
    """
    file = FsPath(path)
    if file.is_dir():
        file = file / FLOW_FILE
    label = str(file)
    data, root = _read_yaml(file)
    if not isinstance(data, dict):
        raise InvalidInput([Problem((), "flow.yaml must be a mapping of fields", f"{label}:1")])
    try:
        model = FlowModel.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(_pydantic_problems(error, root, label)) from None
    problems = []
    for problem in check_model(model):
        line, _ = _node_line(root, problem.path)
        problems.append(Problem(problem.path, problem.message, f"{label}:{line}"))
    if problems:
        raise InvalidInput(problems)
    return model


# ---- referral records ------------------------------------------------------------------
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


@dataclass(frozen=True)
class ReferralRecord:
    """One referral into one team, as read from the data."""

    referral_id: str
    referral_date: dt.date
    team: str
    source: str | None
    triage_outcome: str | None
    first_contact_date: dt.date | None
    discharge_date: dt.date | None
    onward_referral: str | None
    patient_id: str | None
    location: str


def load_mapping(path: str | FsPath) -> Mapping:
    """Return the column mapping in a YAML file.

    Raises:
        InvalidInput: the file is missing or malformed, with ``FILE:LINE``.
    """
    file = FsPath(path)
    data, root = _read_yaml(file)
    try:
        return Mapping.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(_pydantic_problems(error, root, str(file))) from None


def default_mapping_path(data: FsPath) -> FsPath:
    """Return where the mapping of a data file is looked for: ``NAME-mapping.yaml`` beside it."""
    return data.with_name(f"{data.stem}-mapping.yaml")


def _rows_csv(file: FsPath) -> Iterator[tuple[int, dict[str, str], dict[str, str]]]:
    """Yield (line number, row, field-to-cell-location) from a CSV file."""
    label = str(file)
    with file.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        yield 1, {h: h for h in reader.fieldnames or []}, {}
        for row in reader:
            line = reader.line_num
            yield (
                line,
                {k: (v or "") for k, v in row.items() if k is not None},
                {"*": f"{label}:{line}"},
            )


def _rows_xlsx(
    file: FsPath, sheet: str | None
) -> Iterator[tuple[int, dict[str, str], dict[str, str]]]:
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
        rows = ws.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        yield 1, {h: h for h in header}, {}
        for n, values in enumerate(rows, start=2):
            row: dict[str, str] = {}
            cells: dict[str, str] = {}
            for c, (h, v) in enumerate(zip(header, values, strict=False), start=1):
                if isinstance(v, dt.datetime):
                    text = v.date().isoformat()
                elif isinstance(v, dt.date):
                    text = v.isoformat()
                else:
                    text = "" if v is None else str(v)
                row[h] = text
                cells[h] = f"{label}:{ws.title}!{get_column_letter(c)}{n}"
            yield n, row, cells
    finally:
        book.close()


def load_referrals(
    data: str | FsPath,
    mapping: str | FsPath | Mapping | None = None,
    known_teams: set[str] | None = None,
) -> list[ReferralRecord]:
    """Return the referral records of a CSV or XLSX file, read through a column mapping.

    ``mapping`` defaults to ``NAME-mapping.yaml`` beside the data. When ``known_teams`` is
    given, a team or onward referral that is not one of them is an error.

    Raises:
        InvalidInput: a file is missing, a mapped column is absent, a date does not parse, a
            discharge or first contact precedes its referral, or a team is unknown; each
            problem is located at ``FILE:LINE`` or ``FILE:Sheet!CELL``.
    """
    file = FsPath(data)
    if not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping if mapping is not None else default_mapping_path(file))
    label = str(file)
    if not file.exists():
        raise InvalidInput([Problem((), "file not found", label)])
    is_xlsx = file.suffix.lower() in {".xlsx", ".xlsm"}
    rows = _rows_xlsx(file, mapping.sheet) if is_xlsx else _rows_csv(file)
    cols = mapping.columns.model_dump()
    problems: list[Problem] = []
    records: list[ReferralRecord] = []
    try:
        for line, row, cells in rows:
            if line == 1:
                missing = [f"{k} -> {c!r}" for k, c in cols.items() if c and c not in row]
                if missing:
                    raise InvalidInput(
                        [
                            Problem(
                                ("columns",),
                                f"mapped column not in the header: {', '.join(missing)}",
                                f"{label}:1",
                            )
                        ]
                    )
                continue
            record = _record(row, cells, cols, mapping.date_format, known_teams, problems)
            if record is not None:
                records.append(record)
            if len(problems) > 50:
                break
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InvalidInput([Problem((), f"cannot read: {exc}", label)]) from None
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

    def date(name: str) -> dt.date | None:
        value = text(name)
        if value is None:
            return None
        try:
            return dt.datetime.strptime(value, date_format).date()
        except ValueError:
            problems.append(
                Problem((name,), f"{value!r} is not a date in format {date_format}", where(name))
            )
            return None

    ref_id = text("referral_id")
    if ref_id is None:
        problems.append(Problem(("referral_id",), "missing", where("referral_id")))
    referred = date("referral_date")
    if referred is None and text("referral_date") is None:
        problems.append(Problem(("referral_date",), "missing", where("referral_date")))
    team = text("team")
    if team is None:
        problems.append(Problem(("team",), "missing", where("team")))
    elif known_teams is not None and team not in known_teams:
        problems.append(
            Problem(
                ("team",),
                f"unknown team {team!r}; flow.yaml has: {', '.join(sorted(known_teams))}",
                where("team"),
            )
        )
    onward = text("onward_referral")
    if onward is not None and known_teams is not None and onward not in known_teams:
        problems.append(
            Problem(("onward_referral",), f"unknown team {onward!r}", where("onward_referral"))
        )
    first = date("first_contact_date")
    discharged = date("discharge_date")
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


def all_team_names(model: FlowModel) -> set[str]:
    """Return every team name in the base model and its scenarios."""
    names = {t.id for t in model.teams}
    for scenario in model.scenarios:
        for team in scenario.teams or []:
            names.add(team.id)
    return names
