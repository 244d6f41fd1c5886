"""The scores grid: a panel's agreed scores, options by criteria, entered and corrected in place.

Each cell is one panel-level score (no member): a value, or a low-high range, and a rationale.
The form carries text; the domain model (the same validation as for files) says what is wrong,
including the criterion's scale, so no rule is written twice. Problems are placed on the cell
they are about and nothing is saved while any remain. Members' own scores (from workshops or
files) are shown for reference and never changed here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from caseforchange.catalogue.scales import builtin_scales
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.web.accounts.roles import Right
from caseforchange.web.edit_view import EditForm, Saved, edit_page
from caseforchange.web.errors import ErrorItem
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.saving import save_data
from caseforchange.web.shortcuts import programme_for

#: The grid's stand-in for "no panel", used only when a programme has no panels.
NO_PANEL = "_"

#: The parts of a cell, as (score field, label); the form names them ``c<row>-<col>-<part>``.
PARTS = (("value", "Value"), ("low", "Low"), ("high", "High"), ("rationale", "Rationale"))


@dataclass
class Cell:
    """One option on one criterion: the text each part shows, its errors, members' scores."""

    row: int
    col: int
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    members: list[str] = field(default_factory=list)

    def name(self, part: str) -> str:
        """Return the form field name (also the HTML id) of one part of this cell."""
        return f"c{self.row}-{self.col}-{part}"


def leaf_criteria(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the scored (leaf) criteria of a programme document, in framework order."""
    out: list[dict[str, Any]] = []

    def visit(criteria: list[dict[str, Any]]) -> None:
        for criterion in criteria:
            if criterion.get("children"):
                visit(criterion["children"])
            else:
                out.append(criterion)

    visit(data["framework"]["criteria"])
    return out


def scale_text(data: dict[str, Any], criterion: dict[str, Any]) -> str:
    """Return how a criterion is scored, e.g. "0 to 10" or "pass (1) or fail (0)"."""
    own = {s["id"]: s for s in data["framework"].get("scales", [])}
    scale_id = criterion.get("scale") or ("pass-fail" if criterion.get("hurdle") else None)
    if scale_id in own:
        low, high, pass_fail = (
            own[scale_id]["min"],
            own[scale_id]["max"],
            own[scale_id].get("pass_fail", False),
        )
    elif scale_id and scale_id in builtin_scales():
        scale = builtin_scales()[scale_id]
        low, high, pass_fail = scale.min, scale.max, scale.pass_fail
    else:
        return "no scale set"
    if pass_fail:
        return "pass (1) or fail (0)"
    return f"{float(low):g} to {float(high):g}"


def _number(value: Any) -> str:
    return "" if value is None else f"{float(value):g}"


def _agreed(
    scores: list[dict[str, Any]], panel: str | None
) -> dict[tuple[str, str], tuple[int, dict[str, Any]]]:
    """Return the panel's agreed scores by (option, criterion), with their place in ``scores``."""
    return {
        (s["option"], s["criterion"]): (i, s)
        for i, s in enumerate(scores)
        if s.get("panel") == panel and s.get("member") is None
    }


def build_cells(
    data: dict[str, Any], panel: str | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[list[Cell]]]:
    """Return the options, the leaf criteria and the grid of cells showing the stored scores."""
    options = data.get("options", [])
    criteria = leaf_criteria(data)
    agreed = _agreed(data.get("scores", []), panel)
    members: dict[tuple[str, str], list[str]] = {}
    for s in data.get("scores", []):
        if s.get("panel") == panel and s.get("member") is not None:
            shown = _number(s.get("value")) or f"{_number(s['low'])}–{_number(s['high'])}"
            members.setdefault((s["option"], s["criterion"]), []).append(f"{s['member']}: {shown}")
    grid = []
    for i, option in enumerate(options):
        row = []
        for j, criterion in enumerate(criteria):
            cell = Cell(i, j, members=members.get((option["id"], criterion["id"]), []))
            stored = agreed.get((option["id"], criterion["id"]), (0, {}))[1]
            for part, _ in PARTS:
                value = stored.get(part)
                cell.values[part] = (value or "") if part == "rationale" else _number(value)
            row.append(cell)
        grid.append(row)
    return options, criteria, grid


def read_grid(
    data: dict[str, Any], panel: str | None, grid: list[list[Cell]], post: QueryDict
) -> dict[int, Cell]:
    """Put the posted cells into ``data["scores"]``; return which cell each changed score is.

    A cell left blank removes the panel's agreed score; otherwise the score keeps fields the
    grid does not show (its distribution) and takes the posted text, which validation turns
    into numbers or located problems.
    """
    options = data.get("options", [])
    criteria = leaf_criteria(data)
    scores: list[dict[str, Any]] = data.setdefault("scores", [])
    agreed = _agreed(scores, panel)
    removed: set[int] = set()
    placed: dict[int, Cell] = {}
    added: list[tuple[dict[str, Any], Cell]] = []
    for row in grid:
        for cell in row:
            texts = {part: post.get(cell.name(part), "").strip() for part, _ in PARTS}
            cell.values = texts
            key = (options[cell.row]["id"], criteria[cell.col]["id"])
            index, old = agreed.get(key, (None, None))
            if not any(texts.values()):
                if index is not None:
                    removed.add(index)
                continue
            score: dict[str, Any] = {k: v for k, v in (old or {}).items() if k not in dict(PARTS)}
            score.update({"option": key[0], "criterion": key[1]})
            if panel is not None:
                score["panel"] = panel
            score.update({part: text for part, text in texts.items() if text})
            if index is None:
                added.append((score, cell))
            else:
                scores[index] = score
                placed[index] = cell
    kept = [(i, s) for i, s in enumerate(scores) if i not in removed]
    data["scores"] = [s for _, s in kept] + [s for s, _ in added]
    renumbered = {new: placed[old] for new, (old, _) in enumerate(kept) if old in placed}
    renumbered.update({len(kept) + n: cell for n, (_, cell) in enumerate(added)})
    return renumbered


def place_problems(
    problems: list[Problem], cells: dict[int, Cell], labels: dict[int, str]
) -> list[ErrorItem]:
    """Put each problem on its cell (and part); return the error summary's items.

    A rule across a cell's parts (a value or both ends of a range) names no part: it goes on
    the value. Problems elsewhere in the programme go to the summary only.
    """
    items: list[ErrorItem] = []
    for problem in problems:
        path = problem.path
        index = path[1] if len(path) >= 2 and path[0] == "scores" else None
        cell = cells.get(index) if isinstance(index, int) else None
        if cell is None or not isinstance(index, int):
            where = problem.field() if path else ""
            items.append(ErrorItem(f"{where}: {problem.message}" if where else problem.message))
            continue
        part = next((p for p in path[2:] if p in dict(PARTS)), "value")
        cell.errors.setdefault(str(part), problem.message)
        items.append(
            ErrorItem(
                f"{labels[index]}, {dict(PARTS)[str(part)].lower()}: {problem.message}",
                f"#{cell.name(str(part))}",
            )
        )
    return items


def _behind(
    data: dict[str, Any], problems: list[Problem], cells: dict[int, Cell], where: str
) -> list[Problem]:
    """Return the problems hidden behind a cell's unreadable text, so all show at once.

    Text that is not a number stops validation before the whole-programme checks (the
    criterion's scale) run; validating again without those cells finds the rest.
    """
    bad = {p.path[1] for p in problems if len(p.path) >= 2 and p.path[0] == "scores"}
    if not bad:
        return []
    kept = [i for i in range(len(data["scores"])) if i not in bad]
    trial = {**data, "scores": [data["scores"][i] for i in kept]}
    try:
        repository.validate(trial, where)
    except InvalidInput as error:
        return [
            Problem(("scores", kept[p.path[1]], *p.path[2:]), p.message)
            for p in error.problems
            if len(p.path) >= 2
            and p.path[0] == "scores"
            and isinstance(p.path[1], int)
            and kept[p.path[1]] in cells
        ]
    return []


def _panel(data: dict[str, Any], panel_id: str) -> tuple[str | None, str]:
    """Return the panel id the scores carry (None for no panel) and its name.

    Raises:
        Http404: when the programme has no such panel.
    """
    panels = data.get("panels", [])
    if panel_id == NO_PANEL and not panels:
        return None, "All scores"
    for panel in panels:
        if panel["id"] == panel_id:
            return panel_id, panel.get("name") or panel_id
    raise Http404("no such panel")


@login_required
def scores_index(request: HttpRequest, slug: str) -> HttpResponse:
    """List the programme's panels with how many of their cells are scored."""
    row, right = programme_for(request, slug, Right.VIEW)
    data = repository.data_of(row)
    cells = len(data.get("options", [])) * len(leaf_criteria(data))
    panels = data.get("panels", []) or [{"id": NO_PANEL, "name": "All scores"}]
    rows = []
    for panel in panels:
        pid = None if panel["id"] == NO_PANEL else panel["id"]
        scores = [s for s in data.get("scores", []) if s.get("panel") == pid]
        rows.append(
            {
                "id": panel["id"],
                "name": panel.get("name") or panel["id"],
                "agreed": sum(1 for s in scores if s.get("member") is None),
                "members": sum(1 for s in scores if s.get("member") is not None),
            }
        )
    return render(
        request,
        "programmes/scores_index.jinja",
        {"row": row, "panels": rows, "cells": cells, "can_edit": right >= Right.EDIT},
    )


@login_required
@require_http_methods(["GET", "POST"])
def scores_grid(request: HttpRequest, slug: str, panel_id: str) -> HttpResponse:
    """Show one panel's scores grid; leads and administrators change it with one plain POST."""
    row, right = programme_for(request, slug, Right.VIEW)
    data = repository.data_of(row)
    panel, panel_name = _panel(data, panel_id)
    options, criteria, grid = build_cells(data, panel)
    if request.method == "POST":
        row, right = programme_for(request, slug, Right.EDIT)
    where = f"scores grid of {panel_name}"
    cells: dict[int, Cell] = {}

    def save(revision: int) -> Saved | list[Problem]:
        nonlocal cells
        cells = read_grid(data, panel, grid, request.POST)
        problems, changed = save_data(
            request, row, data, where=where, action="score edited", revision=revision
        )
        if problems:
            return problems + _behind(data, problems, cells, where)
        message = (
            f"Saved the scores of {panel_name}: {changed} figures changed."
            if changed
            else f"No scores of {panel_name} changed."
        )
        to = reverse("programmes:scores_grid", kwargs={"slug": slug, "panel_id": panel_id})
        return Saved(message, to)

    def place(problems: list[Problem]) -> tuple[list[ErrorItem], dict[str, str]]:
        labels = {
            index: f"{options[cell.row].get('name') or options[cell.row]['id']} on "
            f"{criteria[cell.col].get('name') or criteria[cell.col]['id']}"
            for index, cell in cells.items()
        }
        # Each cell keeps its own messages (place_problems puts them there).
        return place_problems(problems, cells, labels), {}

    def show(form: EditForm) -> HttpResponse:
        context = {
            "row": row,
            "panel_id": panel_id,
            "panel_name": panel_name,
            "options": options,
            "criteria": [{**c, "scale_text": scale_text(data, c)} for c in criteria],
            "grid": grid,
            "parts": PARTS,
            "errors": form.errors,
            "revision": form.revision,
            "can_edit": right >= Right.EDIT,
        }
        return render(request, "programmes/scores_grid.jinja", context)

    # The typed values live in the grid's cells, so the form itself keeps none.
    return edit_page(
        request,
        EditForm({}, row.revision),
        read=lambda post: {},
        save=save,
        place=place,
        show=show,
    )
