"""Forms for the decision file's parts that are not plain lists of records.

Finance by option, equality impact by option, staff moves by option, one assurance item, and
each part's settings (illustrative flag and note, plus the finance discount rate, first year
and envelope and the equality duty statement). Like every edit page: the form changes the raw
programme, the domain model validates the whole of it, problems go next to their fields and
nothing is saved; a good save goes through the audit chain with the revision check.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from caseforchange.assurance.status import checklist_status
from caseforchange.catalogue.reference import checklists
from caseforchange.domain.assurance import AssuranceStatus, EvidenceKind
from caseforchange.domain.equality import CHARACTERISTIC_LABELS, Impact
from caseforchange.domain.finance import FlowKind, TransitionCategory
from caseforchange.domain.organisations import Tristate
from caseforchange.domain.problems import Path, Problem
from caseforchange.web.accounts.roles import Right
from caseforchange.web.consultation import repository as engagement_repository
from caseforchange.web.decision_file.views import build
from caseforchange.web.edit_view import EditForm, Saved, edit_page
from caseforchange.web.errors import ErrorItem
from caseforchange.web.presenters import Link
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.editing import Field, enum_choices
from caseforchange.web.programmes.models import ProgrammeRecord
from caseforchange.web.programmes.saving import save_data
from caseforchange.web.shortcuts import programme_for

#: Blank rows offered under a list, to add records without JavaScript.
SPARE_ROWS = 2

#: Parts with settings of their own, and the extra fields each one shows.
PART_FIELDS: dict[str, tuple[Field, ...]] = {
    "finance": (
        Field("first_year", "First financial year", "number", hint="For example 2011"),
        Field("discount_rate", "Discount rate", "number", hint="0.035 is the Green Book 3.5%"),
        Field(
            "envelope_gbp",
            "Commissioner's envelope by year (£)",
            hint="One amount a year from the first year, separated by spaces, without £ or commas",
        ),
    ),
    "workforce": (),
    "risks": (),
    "equality": (
        Field("psed_statement", "How the public sector equality duty was considered", "textarea"),
    ),
    "assurance": (
        Field(
            "checklists",
            "Checklists this programme uses",
            "multi",
            tuple((key, c.name) for key, c in checklists().items()),
            hint="None ticked: every built-in checklist",
        ),
    ),
    "market": (),
    "competition": (),
}

ILLUSTRATIVE = (
    Field("illustrative", "Some figures in this part are illustrative", "bool"),
    Field("note", "Note", "textarea", hint="Says what is illustrative, when it is"),
)


def _stored_part(data: dict[str, Any], name: str) -> dict[str, Any]:
    """Return the stored decision part ``name`` (finance, workforce...), or {}; never adds it.

    :func:`_part` is the writing twin: it adds a missing part to ``data``.
    """
    stored = data.get(name)
    return stored if isinstance(stored, dict) else {}


def _option_entry(part: dict[str, Any] | None, option: str) -> dict[str, Any]:
    """Return the stored entry of ``option`` in a decision part's ``options`` list, or {}."""
    found: dict[str, Any] = next(
        (o for o in (part or {}).get("options", []) if o.get("option") == option), {}
    )
    return found


@dataclass
class Form:
    """What a decision-file form page shows: grouped fields and their text."""

    heading: str
    groups: list[tuple[str, list[Field]]]
    values: dict[str, str]
    intro: list[str]


#: Turns a problem's path into the form field it is about (None: the summary only).
Locate = Callable[[Problem], str | None]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, list):
        return " ".join(_plain(v) for v in value)
    return _plain(value)


def _plain(value: Any) -> str:
    # 120000.0 reads as 120000 on the form; other numbers keep their digits.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _set(record: dict[str, Any], name: str, text: str, kind: str = "text") -> None:
    """Put a field's text in a record: blank removes it, a spaced list becomes a list."""
    text = text.strip()
    record.pop(name, None)
    if kind == "bool":
        if text:
            record[name] = True
    elif kind == "spaced":
        if text:
            record[name] = text.split()
    elif text:
        record[name] = text


def _read_rows(
    post: QueryDict, prefix: str, count: int, columns: Sequence[tuple[str, str, str]]
) -> tuple[list[dict[str, Any]], list[int]]:
    """Read a repeated row of fields (``prefix-j-column``) into records, dropping empty rows.

    ``columns`` gives each column's form name, the record's field it fills and its kind (as
    :func:`_set` reads it).

    Returns:
        The records of the rows with anything in them, and the form row of each, so a problem
        on the n-th record is placed back on the row it was typed in.
    """
    kept: list[dict[str, Any]] = []
    rows: list[int] = []
    for j in range(count):
        record: dict[str, Any] = {}
        for column, name, kind in columns:
            _set(record, name, post.get(f"{prefix}-{j}-{column}", ""), kind)
        if record:
            kept.append(record)
            rows.append(j)
    return kept, rows


#: A finance line's columns: form name, field of the line and kind, in the order they are kept.
LINE_COLUMNS = (
    ("kind", "kind", "text"),
    ("label", "label", "text"),
    ("category", "category", "text"),
    ("assumption", "assumption", "text"),
    ("amounts", "amounts_gbp", "spaced"),
)


def _part(data: dict[str, Any], part: str) -> dict[str, Any]:
    """Return the decision part ``part`` of ``data``, adding an empty one when missing."""
    found = data.get(part)
    if not isinstance(found, dict):
        found = data[part] = {}
    return found


def _for_option(data: dict[str, Any], part: str, option: str) -> tuple[int, dict[str, Any]]:
    """Return the index and record of ``option`` in a part's options (made when missing)."""
    records = _part(data, part).setdefault("options", [])
    for i, record in enumerate(records):
        if record.get("option") == option:
            return i, record
    records.append({"option": option})
    return len(records) - 1, records[-1]


def _option_name(data: dict[str, Any], option: str) -> str:
    for o in data.get("options", []):
        if o.get("id") == option:
            return str(o.get("name") or option)
    raise Http404("no such option")


def _at(problem: Problem, prefix: Path) -> Path | None:
    """Return the rest of the problem's path under ``prefix``, or None when not under it."""
    path = problem.path
    return path[len(prefix) :] if path[: len(prefix)] == prefix else None


def place_problems(
    problems: list[Problem], locate: Locate, labels: dict[str, str]
) -> tuple[list[ErrorItem], dict[str, str]]:
    """Return the error summary items and each field's first message.

    A problem ``locate`` places on a field the form shows links to it; others are listed with
    their dotted path, or alone when they are about the whole programme (a stale edit).
    """
    items: list[ErrorItem] = []
    by_field: dict[str, str] = {}
    for problem in problems:
        name = locate(problem)
        if name is not None and name in labels:
            by_field.setdefault(name, problem.message)
            items.append(ErrorItem.of(problem, name, labels[name]))
        else:
            items.append(ErrorItem.of(problem))
    return items, by_field


def _nowhere(problem: Problem) -> str | None:
    """Place no problem on a field."""
    return None


def _page(
    request: HttpRequest,
    row: ProgrammeRecord,
    form: Form,
    apply: Callable[[dict[str, Any], QueryDict], tuple[Locate, list[Problem]]],
    data: dict[str, Any],
    action: str,
    anchor: str,
) -> HttpResponse:
    """Show a decision-file form, or apply a posted one and save it when the programme is valid."""
    back = reverse("programmes:decision", args=[row.slug]) + "#" + anchor
    # Where problems go is known once the posted form is applied (see ``save``).
    locate: Locate = _nowhere

    def read(post: QueryDict) -> dict[str, str]:
        return {
            f.name: "\n".join(post.getlist(f.name)) if f.kind == "multi" else post.get(f.name, "")
            for _, fs in form.groups
            for f in fs
        }

    def save(revision: int) -> Saved | list[Problem]:
        nonlocal locate
        locate, found = apply(data, request.POST)
        problems, _ = save_data(
            request, row, data, where=action, action=action, revision=revision, found=found
        )
        return problems or Saved(f"Saved: {form.heading}.", back)

    labels = {
        f.name: f"{legend} – {f.label}" if legend else f.label
        for legend, fs in form.groups
        for f in fs
    }

    def show(edit: EditForm) -> HttpResponse:
        context = {"row": row, "form": form, "back": Link("Decision file", back)}
        return render(request, "programmes/decision_form.jinja", context | edit.context())

    return edit_page(
        request,
        EditForm(form.values, row.revision),
        read=read,
        save=save,
        place=lambda problems: place_problems(problems, locate, labels),
        show=show,
    )


# ---- Part settings -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def part_settings(request: HttpRequest, slug: str, part: str) -> HttpResponse:
    """Edit a part's illustrative flag and note (and the finance and equality settings)."""
    if part not in PART_FIELDS:
        raise Http404("no such part")
    row, _ = programme_for(request, slug, Right.EDIT)
    data = repository.data_of(row)
    fields = [*PART_FIELDS[part], *ILLUSTRATIVE]
    stored = _stored_part(data, part)
    form = Form(
        f"{part.capitalize()} settings",
        [("", fields)],
        {
            f.name: "\n".join(map(str, (stored or {}).get(f.name) or []))
            if f.kind == "multi"
            else _text((stored or {}).get(f.name))
            for f in fields
        },
        ["Blank fields take their defaults (the Green Book 3.5% for the discount rate)."]
        if part == "finance"
        else [],
    )

    def apply(doc: dict[str, Any], post: QueryDict) -> tuple[Locate, list[Problem]]:
        record = _part(doc, part)
        for f in fields:
            if f.kind == "multi":
                chosen = [v for v in post.getlist(f.name) if v.strip()]
                record.pop(f.name, None)
                if chosen:
                    record[f.name] = chosen
                continue
            kind = "spaced" if f.name == "envelope_gbp" else f.kind
            _set(record, f.name, post.get(f.name, ""), kind)

        def locate(problem: Problem) -> str | None:
            rest = _at(problem, (part,))
            if rest is None:
                return None
            if rest and isinstance(rest[0], str):
                return rest[0]
            return "note" if "note" in problem.message else None

        return locate, []

    return _page(request, row, form, apply, data, f"{part} settings edited", part)


# ---- Finance by option ---------------------------------------------------------------------


def _line_fields(j: int, assumptions: list[tuple[str, str]]) -> list[Field]:
    return [
        Field(f"line-{j}-kind", "Kind", "select", enum_choices(FlowKind)),
        Field(f"line-{j}-label", "Label"),
        Field(
            f"line-{j}-category",
            "Category (transition costs only)",
            "select",
            enum_choices(TransitionCategory),
        ),
        Field(
            f"line-{j}-amounts",
            "Amount per year (£)",
            hint="From the first year, separated by spaces, without £ or commas",
        ),
        Field(
            f"line-{j}-assumption",
            "Cost assumption",
            "select",
            tuple(assumptions),
            blank="None",
        ),
    ]


@login_required
@require_http_methods(["GET", "POST"])
def finance_option(request: HttpRequest, slug: str, option: str) -> HttpResponse:
    """Edit one option's finance lines: recurrent, transition by category, savings, capital."""
    row, _ = programme_for(request, slug, Right.EDIT)
    data = repository.data_of(row)
    name = _option_name(data, option)
    finance = _stored_part(data, "finance")
    existing = _option_entry(finance, option)
    lines = list(existing.get("lines", []))
    assumptions = [
        (a["id"], a.get("name", a["id"])) for a in (finance or {}).get("assumptions", [])
    ]
    # Keep assumption names a line uses even when the part does not list them.
    named = {a for a, _ in assumptions}
    assumptions += [
        (str(x), str(x))
        for x in dict.fromkeys(line.get("assumption") for line in lines)
        if x and x not in named
    ]
    count = len(lines) + SPARE_ROWS
    groups: list[tuple[str, list[Field]]] = [
        (
            f"Line {j + 1}" if j < len(lines) else f"New line {j + 1 - len(lines)}",
            _line_fields(j, assumptions),
        )
        for j in range(count)
    ]
    groups.append(("", [Field("option-note", "Note on this option's finance", "textarea")]))
    values = {"option-note": _text(existing.get("note"))}
    for j, line in enumerate(lines):
        for key, field_name in (
            ("kind", "kind"),
            ("label", "label"),
            ("category", "category"),
            ("amounts", "amounts_gbp"),
            ("assumption", "assumption"),
        ):
            values[f"line-{j}-{key}"] = _text(line.get(field_name))
    for j in range(len(lines), count):
        values.update({f.name: "" for f in _line_fields(j, assumptions)})
    form = Form(
        f"Finance of {name}",
        groups,
        values,
        [
            "Recurrent income and cost, one-off transition costs (with a category), savings and "
            "capital, in pounds at today's prices, one amount a year from the finance part's "
            "first year. Clear a line's kind, label and amounts to remove it.",
        ],
    )

    def apply(doc: dict[str, Any], post: QueryDict) -> tuple[Locate, list[Problem]]:
        index, record = _for_option(doc, "finance", option)
        kept, rows = _read_rows(post, "line", count, LINE_COLUMNS)
        record["lines"] = kept
        _set(record, "note", post.get("option-note", ""))
        names = {
            "kind": "kind",
            "label": "label",
            "category": "category",
            "amounts_gbp": "amounts",
            "assumption": "assumption",
        }

        def locate(problem: Problem) -> str | None:
            rest = _at(problem, ("finance", "options", index))
            if rest is None:
                return None
            if rest[:1] == ("note",):
                return "option-note"
            if len(rest) < 2 or rest[0] != "lines" or not isinstance(rest[1], int):
                return None
            j = rows[rest[1]] if rest[1] < len(rows) else rest[1]
            named = next((names[p] for p in rest[2:] if isinstance(p, str) and p in names), None)
            if named is None:
                named = "category" if "categor" in problem.message else "amounts"
            return f"line-{j}-{named}"

        return locate, []

    return _page(request, row, form, apply, data, "option finance edited", "finance")


# ---- Equality impact by option -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def equality_option(request: HttpRequest, slug: str, option: str) -> HttpResponse:
    """Edit one option's impact on each protected characteristic and on health inequalities."""
    row, _ = programme_for(request, slug, Right.EDIT)
    data = repository.data_of(row)
    name = _option_name(data, option)
    equality = _stored_part(data, "equality")
    existing = _option_entry(equality, option)
    found = {f.get("characteristic"): f for f in existing.get("findings", [])}
    groups: list[tuple[str, list[Field]]] = []
    values: dict[str, str] = {}
    for c, label in CHARACTERISTIC_LABELS.items():
        fields = [
            Field(
                f"{c.value}-impact", "Impact", "select", enum_choices(Impact), blank="Not assessed"
            ),
            Field(f"{c.value}-evidence", "Evidence", "textarea"),
            Field(f"{c.value}-mitigation", "Mitigation", "textarea"),
        ]
        groups.append((label, fields))
        for key in ("impact", "evidence", "mitigation"):
            values[f"{c.value}-{key}"] = _text(found.get(c.value, {}).get(key))
    form = Form(
        f"Equality impact of {name}",
        groups,
        values,
        [
            "The nine protected characteristics of the Equality Act 2010 and health "
            "inequalities. Leave a characteristic not assessed to leave it out.",
        ],
    )

    def apply(doc: dict[str, Any], post: QueryDict) -> tuple[Locate, list[Problem]]:
        index, record = _for_option(doc, "equality", option)
        findings: list[dict[str, Any]] = []
        for c in CHARACTERISTIC_LABELS:
            finding: dict[str, Any] = {}
            for key in ("impact", "evidence", "mitigation"):
                _set(finding, key, post.get(f"{c.value}-{key}", ""))
            if finding:
                # Evidence without an impact is kept so the model says the impact is missing.
                findings.append({"characteristic": c.value, **finding})
        record["findings"] = findings

        def locate(problem: Problem) -> str | None:
            rest = _at(problem, ("equality", "options", index, "findings"))
            if not rest or not isinstance(rest[0], int) or rest[0] >= len(findings):
                return None
            c = findings[rest[0]]["characteristic"]
            key = next((p for p in rest[1:] if p in ("impact", "evidence", "mitigation")), None)
            return f"{c}-{key or 'impact'}"

        return locate, []

    return _page(request, row, form, apply, data, "option equality impact edited", "equality")


# ---- Staff moves by option -----------------------------------------------------------------


def _move_fields(
    j: int,
    services: list[tuple[str, str]],
    orgs: list[tuple[str, str]],
    derived: tuple[str, str] = ("", ""),
) -> list[Field]:
    tupe_hint, pension_hint = derived
    return [
        Field(f"move-{j}-service", "Service", "select", tuple(services)),
        Field(f"move-{j}-destination", "Destination organisation", "select", tuple(orgs)),
        Field(f"move-{j}-wte", "Whole-time equivalent", "number"),
        Field(f"move-{j}-headcount", "Headcount", "number"),
        Field(
            f"move-{j}-tupe",
            "TUPE applies",
            "select",
            enum_choices(Tristate),
            blank="Derived from the organisational form",
            hint=tupe_hint,
        ),
        Field(f"move-{j}-tupe_reason", "Reason for overriding TUPE", "textarea"),
        Field(
            f"move-{j}-nhs_pension",
            "NHS Pension Scheme access",
            "select",
            enum_choices(Tristate),
            blank="Derived from the organisational form",
            hint=pension_hint,
        ),
        Field(f"move-{j}-pension_reason", "Reason for overriding pension access", "textarea"),
    ]


def _derived_moves(row: ProgrammeRecord, option: str, count: int) -> list[tuple[str, str]]:
    """Return, for each stored move of ``option``, what TUPE and pension derive to now.

    A move that overrides a value gets no hint for it: its basis is the override itself.
    """
    d, _ = build(row)
    staff = next((s for s in d.workforce if s.option == option), None)
    if staff is None or len(staff.moves) != count:
        return []
    out = []
    for m in staff.moves:
        tupe = (
            "" if m.move.tupe is not None else f"Derived now: {m.tupe.value.value} ({m.tupe.basis})"
        )
        pension = (
            ""
            if m.move.nhs_pension is not None
            else f"Derived now: {m.nhs_pension.value.value} ({m.nhs_pension.basis})"
        )
        out.append((tupe, pension))
    return out


MOVE_KEYS = (
    "service",
    "destination",
    "wte",
    "headcount",
    "tupe",
    "tupe_reason",
    "nhs_pension",
    "pension_reason",
)


@login_required
@require_http_methods(["GET", "POST"])
def workforce_moves(request: HttpRequest, slug: str, option: str) -> HttpResponse:
    """Edit one option's staff moves, with TUPE and pension overrides and their reasons."""
    row, _ = programme_for(request, slug, Right.EDIT)
    data = repository.data_of(row)
    name = _option_name(data, option)
    workforce = _stored_part(data, "workforce")
    existing = _option_entry(workforce, option)
    moves = list(existing.get("moves", []))
    services = [(s["id"], s.get("name", s["id"])) for s in data.get("services", [])]
    orgs = [(o["id"], o.get("name", o["id"])) for o in data.get("organisations", [])]
    count = len(moves) + SPARE_ROWS
    derived = _derived_moves(row, option, len(moves))
    groups = [
        (
            f"Move {j + 1}" if j < len(moves) else f"New move {j + 1 - len(moves)}",
            _move_fields(j, services, orgs, derived[j] if j < len(derived) else ("", "")),
        )
        for j in range(count)
    ]
    values = {f.name: "" for _, fs in groups for f in fs}
    for j, move in enumerate(moves):
        for key in MOVE_KEYS:
            values[f"move-{j}-{key}"] = _text(move.get(key))
    form = Form(
        f"Staff moves under {name}",
        groups,
        values,
        [
            "Whether TUPE applies and NHS Pension Scheme access are derived from the option's "
            "organisational form (the Decision file shows the result and its basis); choose a "
            "value only to override it, and say why. Clear a move's fields to remove it.",
        ],
    )

    def apply(doc: dict[str, Any], post: QueryDict) -> tuple[Locate, list[Problem]]:
        index, record = _for_option(doc, "workforce", option)
        kept, rows = _read_rows(post, "move", count, [(key, key, "text") for key in MOVE_KEYS])
        record["moves"] = kept

        def locate(problem: Problem) -> str | None:
            rest = _at(problem, ("workforce", "options", index, "moves"))
            if not rest or not isinstance(rest[0], int) or rest[0] >= len(rows):
                return None
            j = rows[rest[0]]
            key = next((p for p in rest[1:] if p in MOVE_KEYS), None)
            if key is None:
                key = "pension_reason" if "pension" in problem.message else "tupe_reason"
            return f"move-{j}-{key}"

        return locate, []

    return _page(request, row, form, apply, data, "option staff moves edited", "workforce")


# ---- One assurance item --------------------------------------------------------------------


EVIDENCE_KEYS = ("kind", "ref", "note")


@login_required
@require_http_methods(["GET", "POST"])
def assurance_item(request: HttpRequest, slug: str, checklist: str, item: str) -> HttpResponse:
    """Edit one checklist item's status, evidence, owner and date.

    An item the engine decides from data shows the engine's finding beside the recorded
    status; recording a different status needs a note saying why, so it is never silent.
    """
    listed = checklists().get(checklist)
    entry = next((i for i in listed.items if i.id == item), None) if listed else None
    if listed is None or entry is None:
        raise Http404("no such checklist item")
    row, _ = programme_for(request, slug, Right.EDIT)
    data = repository.data_of(row)
    programme = repository.to_programme(row)
    state = engagement_repository.load(row, programme)
    engine = next(
        (
            s
            for s in checklist_status(listed, programme, state.engagement if state.usable else None)
            if s.item.id == item
        ),
        None,
    )
    decided = engine.status.value if engine is not None and entry.rules else None
    assurance = _stored_part(data, "assurance")
    existing: dict[str, Any] = next(
        (
            i
            for i in (assurance or {}).get("items", [])
            if i.get("checklist") == checklist and i.get("item") == item
        ),
        {},
    )
    evidence = list(existing.get("evidence", []))
    count = len(evidence) + SPARE_ROWS
    main = [
        Field("status", "Status", "select", enum_choices(AssuranceStatus), blank="Open"),
        Field("owner", "Owner (a role)"),
        Field("date", "Date", "date"),
        Field("note", "Note", "textarea"),
    ]
    groups: list[tuple[str, list[Field]]] = [("", main)]
    for j in range(count):
        groups.append(
            (
                f"Evidence {j + 1}"
                if j < len(evidence)
                else f"New evidence {j + 1 - len(evidence)}",
                [
                    Field(f"evidence-{j}-kind", "Points at", "select", enum_choices(EvidenceKind)),
                    Field(
                        f"evidence-{j}-ref",
                        "Reference",
                        hint="The id of an activity, milestone, option or risk; or a document",
                    ),
                    Field(f"evidence-{j}-note", "Note"),
                ],
            )
        )
    values = {f.name: "" for _, fs in groups for f in fs}
    for key in ("status", "owner", "date", "note"):
        values[key] = _text(existing.get(key))
    for j, e in enumerate(evidence):
        for key in EVIDENCE_KEYS:
            values[f"evidence-{j}-{key}"] = _text(e.get(key))
    intro = [f"{entry.text} ({listed.name}). Source: {entry.source}."]
    if decided is not None and engine is not None:
        intro.append(
            f"Decided from data: {decided.replace('_', ' ')} ({'; '.join(engine.reasons)}). "
            "The engine keeps this status current; a different status recorded here is shown "
            "beside it and needs a note saying why."
        )
    form = Form(f"Assurance: {entry.text}", groups, values, intro)

    def apply(doc: dict[str, Any], post: QueryDict) -> tuple[Locate, list[Problem]]:
        part = _part(doc, "assurance")
        records = part.setdefault("items", [])
        index = next(
            (
                i
                for i, r in enumerate(records)
                if r.get("checklist") == checklist and r.get("item") == item
            ),
            None,
        )
        record: dict[str, Any] = copy.deepcopy(records[index]) if index is not None else {}
        record.update({"checklist": checklist, "item": item})
        for key in ("status", "owner", "date", "note"):
            _set(record, key, post.get(key, ""))
        kept: list[dict[str, Any]] = []
        rows: list[int] = []
        for j in range(count):
            e: dict[str, Any] = {}
            for key in EVIDENCE_KEYS:
                _set(e, key, post.get(f"evidence-{j}-{key}", ""))
            if e:
                kept.append(e)
                rows.append(j)
        record["evidence"] = kept
        if index is None:
            index = len(records)
            records.append(record)
        else:
            records[index] = record
        if checklist not in part.setdefault("checklists", []):
            part["checklists"].append(checklist)
        found: list[Problem] = []
        status = record.get("status", AssuranceStatus.OPEN.value)
        if decided is not None and status != decided and not record.get("note"):
            found.append(
                Problem(
                    ("assurance", "items", index, "status"),
                    f"the engine decides this item from data as {decided.replace('_', ' ')}; "
                    "say in the note why you record a different status",
                )
            )
        at = index

        def locate(problem: Problem) -> str | None:
            rest = _at(problem, ("assurance", "items", at))
            if rest is None:
                return None
            if rest[:1] == ("evidence",) and len(rest) > 1 and isinstance(rest[1], int):
                j = rows[rest[1]] if rest[1] < len(rows) else rest[1]
                key = next((p for p in rest[2:] if p in EVIDENCE_KEYS), "ref")
                return f"evidence-{j}-{key}"
            return next((p for p in rest if p in ("status", "owner", "date", "note")), "status")

        return locate, found

    return _page(request, row, form, apply, data, "assurance item edited", "assurance")
