"""A room's export: every raw score with its rationale, and the table outputs, as CSV or XLSX.

All user text (names, rationales, what a table said) goes through ``caseforchange.io.cells``
so that nothing a participant typed becomes a formula in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook

from caseforchange.io.cells import csv_row, set_text_cell
from caseforchange.web.workshops.models import SessionScore, TableOutput, WorkshopSession

SCORE_HEADER = [
    "participant",
    "group",
    "submitted",
    "option",
    "option name",
    "criterion",
    "criterion name",
    "score",
    "rationale",
]
OUTPUT_HEADER = ["table", "kind", "category", "option", "text", "entered by"]


def score_rows(session: WorkshopSession) -> list[list[Any]]:
    """Return one row per raw score (submitted or not), in participant, option, criterion order.

    People are named as they are outside the room: "Participant n" in an anonymous session.
    """
    options = {o["id"]: o["name"] for o in session.options}
    criteria = {c["id"]: c["name"] for c in session.criteria}
    groups = {g["id"]: g["name"] for g in session.groups}
    rows: list[list[Any]] = []
    scores = (
        SessionScore.objects.filter(session=session)
        .select_related("participant", "participant__session")
        .order_by("participant__number", "option", "criterion")
    )
    for score in scores:
        person = score.participant
        rows.append(
            [
                person.public_label,
                groups.get(person.group, person.group),
                "yes" if person.submitted_at else "no",
                score.option,
                options.get(score.option, score.option),
                score.criterion,
                criteria.get(score.criterion, score.criterion),
                score.value,
                score.rationale,
            ]
        )
    return rows


def output_rows(session: WorkshopSession) -> list[list[Any]]:
    """Return one row per table output, in table and kind order."""
    options = {o["id"]: o["name"] for o in session.options}
    criteria = {c["id"]: c["name"] for c in session.criteria}
    return [
        [
            o.table,
            o.get_kind_display(),
            criteria.get(o.category, o.category),
            options.get(o.option, o.option),
            o.text,
            o.entered_by,
        ]
        for o in TableOutput.objects.filter(session=session)
    ]


def to_csv(header: list[str], rows: list[list[Any]]) -> bytes:
    """Return a UTF-8 CSV (with BOM, so Excel reads the accents) with every text cell guarded."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(csv_row(row) for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def workbook_bytes(sheets: list[tuple[str, list[str], list[list[Any]]]]) -> bytes:
    """Return an XLSX workbook with one sheet per (title, header, rows); user text stays text."""
    book = Workbook()
    first = book.active
    assert first is not None  # a new workbook always has one sheet
    for index, (title, header, rows) in enumerate(sheets):
        sheet = first if index == 0 else book.create_sheet()
        sheet.title = title
        for r, row in enumerate([header, *rows], start=1):
            for c, value in enumerate(row, start=1):
                set_text_cell(sheet.cell(row=r, column=c), value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_xlsx(session: WorkshopSession) -> bytes:
    """Return the room's workbook: a Scores sheet and a Table outputs sheet."""
    return workbook_bytes(
        [
            ("Scores", SCORE_HEADER, score_rows(session)),
            ("Table outputs", OUTPUT_HEADER, output_rows(session)),
        ]
    )
