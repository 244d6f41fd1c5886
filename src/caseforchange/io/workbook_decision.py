"""The decision file's sheets in the programme workbook.

Rows go out of the programme, and records come back in (each located at its cell).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from caseforchange.domain.problems import Path
from caseforchange.domain.programme import Programme
from caseforchange.io.workbook_layout import (
    ASSUMPTION_SHEET,
    ASSURANCE_SHEET,
    ENVELOPE_SHEET,
    EQUALITY_SHEET,
    EVIDENCE_SHEET,
    FINANCE_LINE_SHEET,
    FINANCE_OPTION_SHEET,
    MARKET_SHEET,
    REFERRAL_SHEET,
    RISK_SHEET,
    STAFF_MOVE_SHEET,
    TURNOVER_SHEET,
    WORKFORCE_OPTION_SHEET,
    Column,
    Sheet,
)

if TYPE_CHECKING:
    from caseforchange.io.workbook_read import _Reader

Row = tuple[list[Any], Path]
Cell = Callable[[Column, Any], Any]


def _rows(sheet: Sheet, records: list[Any], base: Path, cell: Cell, **fixed: Any) -> list[Row]:
    out = []
    for i, record in enumerate(records):
        values = [
            cell(c, fixed[c.name] if c.name in fixed else getattr(record, c.name, None))
            for c in sheet.columns
        ]
        out.append((values, (*base, i)))
    return out


def decision_tables(p: Programme, cell: Cell) -> dict[str, list[Row]]:
    """Return the rows of every decision sheet (empty lists for parts the programme lacks)."""
    tables: dict[str, list[Row]] = {}
    f = p.finance
    first = f.first_year if f else 0
    tables[ENVELOPE_SHEET.name] = (
        [
            ([first + t, amount], ("finance", "envelope_gbp", t))
            for t, amount in enumerate(f.envelope_gbp)
        ]
        if f
        else []
    )
    tables[ASSUMPTION_SHEET.name] = (
        _rows(ASSUMPTION_SHEET, f.assumptions, ("finance", "assumptions"), cell) if f else []
    )
    tables[FINANCE_OPTION_SHEET.name] = (
        _rows(FINANCE_OPTION_SHEET, f.options, ("finance", "options"), cell) if f else []
    )
    tables[FINANCE_LINE_SHEET.name] = [
        row
        for i, o in enumerate(f.options if f else [])
        for row in _rows(
            FINANCE_LINE_SHEET, o.lines, ("finance", "options", i, "lines"), cell, option=o.option
        )
    ]
    w = p.workforce
    tables[WORKFORCE_OPTION_SHEET.name] = (
        _rows(WORKFORCE_OPTION_SHEET, w.options, ("workforce", "options"), cell) if w else []
    )
    tables[STAFF_MOVE_SHEET.name] = [
        row
        for i, o in enumerate(w.options if w else [])
        for row in _rows(
            STAFF_MOVE_SHEET, o.moves, ("workforce", "options", i, "moves"), cell, option=o.option
        )
    ]
    tables[RISK_SHEET.name] = (
        _rows(RISK_SHEET, p.risks.risks, ("risks", "risks"), cell) if p.risks else []
    )
    tables[EQUALITY_SHEET.name] = [
        row
        for i, o in enumerate(p.equality.options if p.equality else [])
        for row in _rows(
            EQUALITY_SHEET,
            o.findings,
            ("equality", "options", i, "findings"),
            cell,
            option=o.option,
        )
    ]
    a = p.assurance
    tables[ASSURANCE_SHEET.name] = (
        _rows(ASSURANCE_SHEET, a.items, ("assurance", "items"), cell) if a else []
    )
    tables[EVIDENCE_SHEET.name] = [
        row
        for i, item in enumerate(a.items if a else [])
        for row in _rows(
            EVIDENCE_SHEET,
            item.evidence,
            ("assurance", "items", i, "evidence"),
            cell,
            checklist=item.checklist,
            item=item.item,
        )
    ]
    tables[MARKET_SHEET.name] = (
        _rows(MARKET_SHEET, p.market.reviews, ("market", "reviews"), cell) if p.market else []
    )
    c = p.competition
    tables[TURNOVER_SHEET.name] = (
        _rows(TURNOVER_SHEET, c.turnovers, ("competition", "turnovers"), cell) if c else []
    )
    tables[REFERRAL_SHEET.name] = (
        _rows(REFERRAL_SHEET, c.referrals, ("competition", "referrals"), cell) if c else []
    )
    return tables


def _part(data: dict[str, Any], name: str) -> dict[str, Any]:
    part = data.setdefault(name, {})
    if not isinstance(part, dict):
        part = data[name] = {}
    return part


def read_decision(reader: _Reader, data: dict[str, Any]) -> None:
    """Add the decision file's parts found on their sheets to the raw programme ``data``.

    A part is created only when one of its sheets has rows (or the Programme sheet gave one of
    its fields), so a workbook without them stays a programme without them.
    """
    envelope = reader.table(ENVELOPE_SHEET)
    if envelope:
        finance = _part(data, "finance")
        finance["envelope_gbp"] = []
        first = finance.get("first_year", 2011)
        for t, row in enumerate(envelope):
            reader.source.locations[("finance", "envelope_gbp", t)] = reader.at(
                row.sheet, row.cells.get("envelope_gbp", f"A{row.number}")
            )
            year = row.values.get("year")
            if isinstance(year, int) and isinstance(first, int) and year != first + t:
                reader.problem(
                    ("finance", "envelope_gbp", t),
                    f"expected the year {first + t} here: one row per year from"
                    f" finance.first_year ({first}), in order",
                    row.sheet,
                    row.cells["year"],
                )
            finance["envelope_gbp"].append(row.values.get("envelope_gbp"))
    _plain(reader, data, ASSUMPTION_SHEET, ("finance", "assumptions"))
    _plain(reader, data, FINANCE_OPTION_SHEET, ("finance", "options"))
    lines = reader.table(FINANCE_LINE_SHEET)
    if lines:
        options = _part(data, "finance").setdefault("options", [])
        _attach(
            reader, lines, FINANCE_LINE_SHEET, ("option",), options, ("finance", "options"), "lines"
        )
    _plain(reader, data, WORKFORCE_OPTION_SHEET, ("workforce", "options"))
    moves = reader.table(STAFF_MOVE_SHEET)
    if moves:
        options = _part(data, "workforce").setdefault("options", [])
        _attach(
            reader, moves, STAFF_MOVE_SHEET, ("option",), options, ("workforce", "options"), "moves"
        )
    _plain(reader, data, RISK_SHEET, ("risks", "risks"))
    findings = reader.table(EQUALITY_SHEET)
    if findings:
        options = _part(data, "equality").setdefault("options", [])
        _attach(
            reader,
            findings,
            EQUALITY_SHEET,
            ("option",),
            options,
            ("equality", "options"),
            "findings",
        )
    _plain(reader, data, ASSURANCE_SHEET, ("assurance", "items"))
    evidence = reader.table(EVIDENCE_SHEET)
    if evidence:
        items = _part(data, "assurance").setdefault("items", [])
        _attach(
            reader,
            evidence,
            EVIDENCE_SHEET,
            ("checklist", "item"),
            items,
            ("assurance", "items"),
            "evidence",
        )
    _plain(reader, data, MARKET_SHEET, ("market", "reviews"))
    _plain(reader, data, TURNOVER_SHEET, ("competition", "turnovers"))
    _plain(reader, data, REFERRAL_SHEET, ("competition", "referrals"))


def _plain(reader: _Reader, data: dict[str, Any], sheet: Sheet, base: tuple[str, str]) -> None:
    rows = reader.table(sheet)
    if rows:
        reader.start(base, sheet)
        _part(data, base[0])[base[1]] = reader.records(rows, base)


def _attach(
    reader: _Reader,
    rows: list[Any],
    sheet: Sheet,
    key: tuple[str, ...],
    parents: list[dict[str, Any]],
    base: Path,
    child: str,
) -> None:
    """Attach each row to the parent whose ``key`` fields match, adding parents as needed."""
    index = {tuple(p.get(k) for k in key): i for i, p in enumerate(parents)}
    for row in rows:
        ident = tuple(row.values.get(k) for k in key)
        missing = [k for k, v in zip(key, ident, strict=True) if v is None]
        if missing:
            reader.required_id(row, missing[0], sheet.key)
            continue
        i = index.get(ident)
        if i is None:
            i = index[ident] = len(parents)
            parents.append(dict(zip(key, ident, strict=True)))
            reader.locate((*base, i), row)
        items: list[Any] = parents[i].setdefault(child, [])
        reader.locate((*base, i, child, len(items)), row, skip=key)
        items.append({k: v for k, v in row.values.items() if k not in key})
