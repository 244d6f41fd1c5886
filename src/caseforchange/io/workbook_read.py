"""Read a programme workbook back into a validated programme, every problem located by cell.

The reader only turns sheets into the same raw data that ``programme.yaml`` and ``scores.csv``
give, remembering which cell each field came from; :func:`validate_programme` then does every
check, so a workbook and a folder are held to the same rules.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from caseforchange.domain.problems import InvalidInput, Path, Problem
from caseforchange.io.folder import LoadedProgramme
from caseforchange.io.limits import read_limited
from caseforchange.io.validation import validate_programme
from caseforchange.io.workbook_decision import read_decision
from caseforchange.io.workbook_layout import (
    AHP_SHEET,
    CHARACTERISTICS,
    CONFIGURATION_SHEET,
    CRITERIA_SHEET,
    ENUMERATIONS,
    LIST_SEPARATOR,
    MEMBER_SHEET,
    POINT_SEPARATOR,
    PROGRAMME,
    PROGRAMME_FIELDS,
    REPEATED_FIELDS,
    SCALE_POINT_SHEET,
    SCORE_SHEET,
    SHEETS,
    WEIGHT_INTERVAL_SHEET,
    Column,
    Kind,
    Sheet,
    normalise_header,
)
from caseforchange.io.xlsx_rows import SheetRow, open_workbook, sheet_rows
from caseforchange.io.yamlsource import SourceMap

#: Columns whose cells hold a criterion's value function, and the field path each fills.
_FIELD_PATHS: dict[str, Path] = {
    "value_function_unit": ("value_function", "unit"),
    "value_function_points": ("value_function", "points"),
}
#: Plain tables: each row is one record of the list at the given path.
_PLAIN: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Organisations", ("organisations",)),
    ("Services", ("services",)),
    ("Dependencies", ("dependencies",)),
    ("Options", ("options",)),
    ("Scales", ("framework", "scales")),
    ("Panels", ("panels",)),
    ("Stakeholders", ("stakeholders",)),
    ("Activities", ("activities",)),
    ("Milestones", ("milestones",)),
    ("Scores", ("scores",)),
)


def read_workbook(path: FilePath) -> LoadedProgramme:
    """Read and validate the programme workbook at ``path``.

    Returns:
        The validated programme, with the SHA-256 of the workbook under its file name.

    Raises:
        InvalidInput: with every problem found, each located as ``FILE:Sheet!Cell``.
    """
    shown = str(path)
    if not path.is_file():
        raise InvalidInput([Problem((), "no such workbook", shown)])
    data = read_limited(path, shown)
    loaded = read_workbook_bytes(data, shown)
    return LoadedProgramme(
        loaded.programme, path, {path.name: hashlib.sha256(data).hexdigest()}, loaded.source
    )


def read_workbook_bytes(data: bytes, shown: str) -> LoadedProgramme:
    """Read and validate a programme workbook from its bytes; ``shown`` names it in messages.

    Returns:
        The validated programme (its ``root`` is ``shown``), with the workbook's SHA-256.

    Raises:
        InvalidInput: with every problem found, each located as ``SHOWN:Sheet!Cell``; a file
            over the size limits or not a workbook is refused before it is parsed.
    """
    with open_workbook(data, shown) as book:
        reader = _Reader(shown, book)
        raw = reader.programme_data()
    if not reader.seen_sheets:
        raise InvalidInput(
            [
                Problem(
                    (),
                    "this workbook has none of the sheets of a programme workbook "
                    f"({', '.join(s.name for s in SHEETS[:4])}, ...); is it another kind of file?",
                    shown,
                )
            ]
        )
    if reader.problems:
        raise InvalidInput(reader.problems)
    programme = validate_programme(raw, reader.source)
    name = FilePath(shown).name
    return LoadedProgramme(
        programme, FilePath(shown), {name: hashlib.sha256(data).hexdigest()}, reader.source
    )


class _CellError(ValueError):
    """A cell whose content cannot be what its column needs."""


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number_text(value: float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _text(value: Any) -> str:
    """Return a cell as text: Excel turns typed ids like 12 or 2010-09-01 into numbers/dates."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return _number_text(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _split(text: str) -> list[str]:
    return [item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()]


def decode(column: Column, value: Any) -> Any:
    """Return a non-blank cell value as the raw field value ``column`` expects.

    Numbers, booleans, dates and enumerations are passed on as they are (text trimmed), so that
    validation reports a wrong one with the same message as for ``programme.yaml``.

    Raises:
        _CellError: when the cell cannot be read as that kind of value at all.
    """
    kind = column.kind
    if kind in (Kind.ID, Kind.TEXT):
        return _text(value)
    if kind is Kind.CHOICE:
        text = _text(value)
        # Accept 'Focus group' for 'focus_group': people type what the drop-down shows.
        choices = ENUMERATIONS.get(column.choices or "", ())
        simple = "_".join(text.lower().split())
        return simple if simple in choices else text
    if kind in (Kind.NUMBER, Kind.INTEGER, Kind.BOOLEAN):
        if isinstance(value, dt.date | dt.time):
            raise _CellError(
                f"expected {'TRUE or FALSE' if kind is Kind.BOOLEAN else 'a number'}"
                f", found the date or time {_text(value)}"
            )
        return value.strip() if isinstance(value, str) else value
    if kind is Kind.DATE:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            # A date serial in a cell that lost its date format.
            converted = from_excel(value)
            if isinstance(converted, dt.datetime):
                return converted.date()
        return value.strip() if isinstance(value, str) else value
    if kind is Kind.TIME:
        if isinstance(value, dt.datetime):
            return value.time()
        if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1:
            return from_excel(value)
        return value.strip() if isinstance(value, str) else value
    if kind in (Kind.ID_LIST, Kind.TEXT_LIST, Kind.NUMBER_LIST):
        if (
            kind is Kind.NUMBER_LIST
            and isinstance(value, int | float)
            and not isinstance(value, bool)
        ):
            return [value]  # a single year typed as a number
        return _split(_text(value))
    if kind is Kind.POINTS:
        points = []
        for item in _split(_text(value)):
            parts = item.split(POINT_SEPARATOR)
            if len(parts) != 2:
                raise _CellError(f"'{item}' is not a measure:value pair (write e.g. 0:1; 500000:0)")
            points.append([parts[0].strip(), parts[1].strip()])
        return points
    # Destinations: a separator means a list, even of one ('a;').
    text = _text(value)
    return _split(text) if LIST_SEPARATOR in text else text


@dataclass
class _Row:
    """One non-empty row of a sheet: its decoded values and the cell of every known column."""

    sheet: str
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Reader:
    shown: str
    book: Any
    problems: list[Problem] = field(default_factory=list)
    seen_sheets: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.source = SourceMap(default=self.shown)

    def at(self, sheet: str, cell: str) -> str:
        """Return the location of a cell, e.g. ``in.xlsx:Options!C4``."""
        return f"{self.shown}:{sheet}!{cell}"

    def problem(self, path: Path, message: str, sheet: str, cell: str) -> None:
        self.problems.append(Problem(path, message, self.at(sheet, cell)))

    # Tables -------------------------------------------------------------------------------

    def table(self, sheet: Sheet, *, raw: frozenset[str] = frozenset()) -> list[_Row]:
        """Return the non-empty rows of ``sheet``; columns in ``raw`` are left undecoded."""
        if sheet.name not in self.book.sheetnames:
            if not sheet.optional:
                self.problems.append(
                    Problem((sheet.key,), f"missing sheet '{sheet.name}'", self.shown)
                )
            return []
        self.seen_sheets.append(sheet.name)
        rows: Iterator[SheetRow] = sheet_rows(self.book[sheet.name], self.shown)
        first = next(rows, None)
        header: tuple[Any, ...] = ()
        if first is not None and first.number == 1:
            header = first.values
        elif first is not None:
            rows = itertools.chain([first], rows)
        columns: dict[int, Column] = {}
        unnamed: set[int] = set()
        for index, heading in enumerate(header):
            letter = get_column_letter(index + 1)
            if _blank(heading):
                unnamed.add(index)
                continue
            name = normalise_header(str(heading))
            known = [c.name for c in sheet.columns]
            if name not in known:
                self.problem(
                    (sheet.key,),
                    f"unknown column '{heading}' (allowed: {', '.join(known)})",
                    sheet.name,
                    f"{letter}1",
                )
            elif name in (c.name for c in columns.values()):
                self.problem((sheet.key,), f"column '{name}' given twice", sheet.name, f"{letter}1")
            else:
                columns[index] = sheet.column(name)
        present = {c.name for c in columns.values()}
        for name in sheet.required:
            if name not in present:
                self.problem((sheet.key,), f"missing required column '{name}'", sheet.name, "1:1")
        result: list[_Row] = []
        for sheet_row in rows:
            number, cells = sheet_row.number, sheet_row.values
            if all(_blank(v) for v in cells):
                continue
            row = _Row(sheet.name, number)
            for index, value in enumerate(cells):
                ref = f"{get_column_letter(index + 1)}{number}"
                column = columns.get(index)
                if column is None:
                    if index in unnamed and not _blank(value):
                        self.problem(
                            (sheet.key, len(result)),
                            "this cell is in a column with no name in row 1",
                            sheet.name,
                            ref,
                        )
                    continue
                row.cells[column.name] = ref
                if _blank(value):
                    continue
                row.raw[column.name] = value
                if column.name in raw:
                    continue
                try:
                    row.values[column.name] = decode(column, value)
                except _CellError as error:
                    self.problem((sheet.key, len(result), column.name), str(error), sheet.name, ref)
            result.append(row)
        return result

    def locate(self, path: Path, row: _Row, *, skip: tuple[str, ...] = ()) -> None:
        """Remember that ``row`` holds the record at ``path`` and each cell one of its fields."""
        first = next(iter(row.cells.values()), f"A{row.number}")
        self.source.locations[path] = self.at(row.sheet, first)
        for name, cell in row.cells.items():
            if name in skip:
                continue
            suffix = _FIELD_PATHS.get(name, (name,))
            for end in range(1, len(suffix) + 1):
                # A nested record (value_function) is located at its first cell.
                self.source.locations.setdefault((*path, *suffix[:end]), self.at(row.sheet, cell))
            self.source.locations[(*path, *suffix)] = self.at(row.sheet, cell)

    def start(self, path: Path, sheet: Sheet) -> None:
        """Locate a whole table (e.g. 'no criteria given') at its first data row."""
        self.source.locations[path] = self.at(sheet.name, "A2")

    def records(self, rows: list[_Row], base: Path) -> list[dict[str, Any]]:
        """Return one record per row, located under ``base``."""
        out: list[dict[str, Any]] = []
        for row in rows:
            self.locate((*base, len(out)), row)
            out.append(dict(row.values))
        return out

    def required_id(self, row: _Row, name: str, key: str) -> str | None:
        """Return the id in column ``name`` of ``row``, or record that it is missing."""
        value = row.values.get(name)
        if value is None:
            cell = row.cells.get(name, f"A{row.number}")
            self.problem((key, name), f"give the {name}", row.sheet, cell)
        return value

    # The programme ------------------------------------------------------------------------

    def programme_data(self) -> dict[str, Any]:
        """Return the raw programme data held by the workbook."""
        data: dict[str, Any] = {}
        self.programme_fields(data)
        sheets = {sheet.name: sheet for sheet in SHEETS}
        data["characteristics"] = []
        for i, row in enumerate(self.table(CHARACTERISTICS)):
            self.source.locations[("characteristics", i)] = self.at(
                row.sheet, row.cells.get("characteristic", f"A{row.number}")
            )
            data["characteristics"].append(row.values.get("characteristic"))
        framework: dict[str, Any] = data.setdefault("framework", {})
        if not isinstance(framework, dict):
            framework = data["framework"] = {}
        for name, base in _PLAIN:
            sheet = sheets[name]
            self.start(base, sheet)
            rows = self.table(sheet)
            target = data if base[0] != "framework" else framework
            target[base[-1]] = self.records(rows, base)
        self.configuration(data["options"])
        self.criteria(framework)
        self.children(
            SCALE_POINT_SHEET, "scale", framework["scales"], ("framework", "scales"), "points"
        )
        self.children(MEMBER_SHEET, "panel", data["panels"], ("panels",), "members")
        self.ahp(framework.setdefault("weighting", {}))
        self.weight_intervals(data.setdefault("appraisal", {}))
        self.start(("scores",), SCORE_SHEET)
        read_decision(self, data)
        return data

    def programme_fields(self, data: dict[str, Any]) -> None:
        fields = {c.name: c for c in PROGRAMME_FIELDS}
        rows = self.table(PROGRAMME, raw=frozenset({"value"}))
        given: dict[str, int] = {}
        last = max((row.number for row in rows), default=1)
        # A field with no row at all is reported where a new row would go.
        self.source.default = self.at(PROGRAMME.name, f"A{last + 1}")
        for row in rows:
            name = row.values.get("field")
            if name is None:
                if "value" in row.raw:
                    self.problem(
                        (PROGRAMME.key,),
                        "a value with no field name in column A",
                        row.sheet,
                        row.cells["value"],
                    )
                continue
            field_cell = row.cells["field"]
            column = fields.get(name)
            if column is None:
                self.problem(
                    (name,),
                    f"unknown field '{name}' (known: {', '.join(fields)})",
                    row.sheet,
                    field_cell,
                )
                continue
            path: Path = tuple(name.split("."))
            value_cell = row.cells.get("value", field_cell)
            repeated = name in REPEATED_FIELDS
            if name in given and not repeated:
                self.problem(
                    path, f"given twice (first on row {given[name]})", row.sheet, field_cell
                )
                continue
            given.setdefault(name, row.number)
            for end in range(1, len(path) + 1):
                self.source.locations.setdefault(path[:end], self.at(row.sheet, value_cell))
            if "value" not in row.raw:
                continue
            try:
                value = decode(column, row.raw["value"])
            except _CellError as error:
                self.problem(path, str(error), row.sheet, value_cell)
                continue
            node = data
            for part in path[:-1]:
                node = node.setdefault(str(part), {})
            if repeated:
                items: list[Any] = node.setdefault(str(path[-1]), [])
                self.source.locations[(*path, len(items))] = self.at(row.sheet, value_cell)
                items.append(value)
            else:
                node[str(path[-1])] = value

    def configuration(self, options: list[dict[str, Any]]) -> None:
        index = _first_index(options)
        sheet = CONFIGURATION_SHEET
        first_rows: dict[tuple[int, str], int] = {}
        for k, row in enumerate(self.table(sheet)):
            option = self.required_id(row, "option", sheet.key)
            service = self.required_id(row, "service", sheet.key)
            if option is None or service is None:
                continue
            i = index.get(option)
            if i is None:
                self.problem(
                    (sheet.key, k, "option"),
                    f"unknown option '{option}' (not on the Options sheet)",
                    row.sheet,
                    row.cells["option"],
                )
                continue
            config: dict[str, Any] = options[i].setdefault("configuration", {})
            path: Path = ("options", i, "configuration", service)
            if service in config:
                self.problem(
                    path,
                    f"service '{service}' already has a destination under option '{option}'"
                    f" (row {first_rows[(i, service)]})",
                    row.sheet,
                    row.cells["service"],
                )
                continue
            first_rows[(i, service)] = row.number
            if "destinations" not in row.values:
                self.problem(
                    path,
                    "give one or more destination organisation ids",
                    row.sheet,
                    row.cells.get("destinations", row.cells["service"]),
                )
                continue
            config[service] = row.values["destinations"]
            self.source.locations.setdefault(
                ("options", i, "configuration"), self.at(row.sheet, row.cells["option"])
            )
            where = row.cells.get("destinations", row.cells["service"])
            self.source.locations[path] = self.at(row.sheet, where)

    def criteria(self, framework: dict[str, Any]) -> None:
        roots: list[dict[str, Any]] = []
        framework["criteria"] = roots
        base: Path = ("framework", "criteria")
        self.start(base, CRITERIA_SHEET)
        nodes: dict[str, tuple[dict[str, Any], Path]] = {}
        for row in self.table(CRITERIA_SHEET):
            record = {k: v for k, v in row.values.items() if k not in _FIELD_PATHS}
            parent = record.pop("parent", None)
            function = {_FIELD_PATHS[k][-1]: v for k, v in row.values.items() if k in _FIELD_PATHS}
            if function:
                record["value_function"] = function
            if parent is None:
                siblings, at = roots, base
            elif parent in nodes:
                node, node_path = nodes[parent]
                siblings = node.setdefault("children", [])
                at = (*node_path, "children")
            else:
                self.problem(
                    ("criteria", "parent"),
                    f"parent '{parent}' is not a criterion on a row above this one",
                    row.sheet,
                    row.cells["parent"],
                )
                continue
            path = (*at, len(siblings))
            siblings.append(record)
            self.locate(path, row, skip=("parent",))
            cid = record.get("id")
            if isinstance(cid, str) and cid not in nodes:
                nodes[cid] = (record, path)

    def children(
        self,
        sheet: Sheet,
        link: str,
        parents: list[dict[str, Any]],
        base: Path,
        field_name: str,
    ) -> None:
        """Attach each row of ``sheet`` to the parent record whose id is in column ``link``."""
        index = _first_index(parents)
        for k, row in enumerate(self.table(sheet)):
            parent = self.required_id(row, link, sheet.key)
            if parent is None:
                continue
            i = index.get(parent)
            if i is None:
                self.problem(
                    (sheet.key, k, link),
                    f"unknown {link} '{parent}'",
                    row.sheet,
                    row.cells[link],
                )
                continue
            items: list[Any] = parents[i].setdefault(field_name, [])
            self.locate((*base, i, field_name, len(items)), row, skip=(link,))
            items.append({k: v for k, v in row.values.items() if k != link})

    def ahp(self, weighting: dict[str, Any]) -> None:
        cells: dict[str, dict[tuple[int, int], tuple[Any, _Row]]] = {}
        sheet = AHP_SHEET
        for k, row in enumerate(self.table(sheet)):
            key = self.required_id(row, "matrix", sheet.key)
            place = [self.position(row, name, k) for name in ("row", "col")]
            if key is None or place[0] is None or place[1] is None:
                continue
            r, c = place[0], place[1]
            matrix = cells.setdefault(key, {})
            if (r, c) in matrix:
                self.problem(
                    (sheet.key, k),
                    f"matrix '{key}' row {r} col {c} is already given on row"
                    f" {matrix[(r, c)][1].number}",
                    row.sheet,
                    f"A{row.number}",
                )
                continue
            matrix[(r, c)] = (row.values.get("value"), row)
        if not cells:
            return
        ahp: dict[str, Any] = weighting.setdefault("ahp", {})
        for key, matrix in cells.items():
            first = min(matrix.values(), key=lambda item: item[1].number)[1]
            path: Path = ("framework", "weighting", "ahp", key)
            self.source.locations[path] = self.at(first.sheet, first.cells["matrix"])
            size = max(r for r, _ in matrix)
            rows: list[list[Any]] = []
            for r in range(1, size + 1):
                width = max((c for rr, c in matrix if rr == r), default=0)
                values: list[Any] = []
                for c in range(1, width + 1):
                    entry = matrix.get((r, c))
                    if entry is None:
                        self.problem(
                            path,
                            f"matrix '{key}' has no value for row {r}, col {c}",
                            first.sheet,
                            first.cells["matrix"],
                        )
                        continue
                    value, row = entry
                    self.source.locations[(*path, r - 1, c - 1)] = self.at(
                        row.sheet, row.cells.get("value", f"A{row.number}")
                    )
                    values.append(value)
                if width == 0:
                    self.problem(
                        path,
                        f"matrix '{key}' has no values in row {r}",
                        first.sheet,
                        first.cells["matrix"],
                    )
                rows.append(values)
            ahp[key] = rows

    def position(self, row: _Row, name: str, k: int) -> int | None:
        """Return a 1-based matrix row or column number, or record why it is not one."""
        value = row.values.get(name)
        cell = row.cells.get(name, f"A{row.number}")
        number = _whole(value)
        if number is None or number < 1:
            shown = "nothing" if value is None else repr(value)
            self.problem(
                (AHP_SHEET.key, k, name),
                f"expected a whole number from 1, got {shown}",
                row.sheet,
                cell,
            )
            return None
        return number

    def weight_intervals(self, appraisal: dict[str, Any]) -> None:
        if not isinstance(appraisal, dict):
            return
        sheet = WEIGHT_INTERVAL_SHEET
        intervals: dict[str, Any] = {}
        base: Path = ("appraisal", "weight_intervals")
        self.start(base, sheet)
        first: dict[str, int] = {}
        for row in self.table(sheet):
            cid = self.required_id(row, "criterion", sheet.key)
            if cid is None:
                continue
            if cid in intervals:
                self.problem(
                    (*base, cid),
                    f"criterion '{cid}' already has an interval on row {first[cid]}",
                    row.sheet,
                    row.cells["criterion"],
                )
                continue
            first[cid] = row.number
            intervals[cid] = [row.values.get("low"), row.values.get("high")]
            self.source.locations[(*base, cid)] = self.at(row.sheet, row.cells["criterion"])
            for position, name in enumerate(("low", "high")):
                if name in row.cells:
                    self.source.locations[(*base, cid, position)] = self.at(
                        row.sheet, row.cells[name]
                    )
        if intervals:
            appraisal["weight_intervals"] = intervals


def _whole(value: Any) -> int | None:
    """Return ``value`` as a whole number, or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _first_index(records: list[dict[str, Any]]) -> dict[str, int]:
    """Return the index of the first record with each id (duplicates are reported later)."""
    index: dict[str, int] = {}
    for i, record in enumerate(records):
        rid = record.get("id")
        if isinstance(rid, str):
            index.setdefault(rid, i)
    return index
