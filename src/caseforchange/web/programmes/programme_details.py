"""The programme's own details: title, scope, commissioner, dates, characteristics, provenance.

The id is not on the form: rows, links, exports and the audit trail are keyed by it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from caseforchange.domain.problems import Path, Problem
from caseforchange.web.accounts.roles import Right
from caseforchange.web.edit_view import EditForm, Saved, edit_page
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.saving import place, save_data
from caseforchange.web.shortcuts import programme_for

LABELS = {
    "title": "Title",
    "scope": "Scope",
    "commissioner": "Commissioner",
    "decision_date": "Decision date",
    "decision_date_precision": "Only the month of the decision is known",
    "decision": "What the paper asks for",
    "decision_body": "Who the paper goes to",
    "start": "Start",
    "end": "End",
    "characteristics": "Characteristics",
    "sources": "Sources",
    "illustrative": "Some figures are illustrative",
    "note": "Note",
}

#: Where a problem about a nested field is shown on the form; the longest match wins. A rule
#: across the timetable (end before start) goes on the end, and one across the provenance
#: (illustrative without a note) on the note, since that is the field to fill in.
_FORM_FIELDS: dict[Path, str] = {
    ("timetable",): "end",
    ("timetable", "start"): "start",
    ("timetable", "end"): "end",
    ("provenance",): "note",
    ("provenance", "sources"): "sources",
    ("provenance", "illustrative"): "illustrative",
    ("provenance", "note"): "note",
}


def lines(text: str) -> list[str]:
    """Return the non-blank lines of ``text``, stripped (commas stay: they are part of a line)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def form_values(data: dict[str, Any]) -> dict[str, str]:
    """Return the text each field of the details form shows for the stored programme."""
    timetable = data.get("timetable") or {}
    provenance = data.get("provenance") or {}
    return {
        "title": str(data.get("title") or ""),
        "scope": str(data.get("scope") or ""),
        "commissioner": str(data.get("commissioner") or ""),
        "decision_date": str(data.get("decision_date") or ""),
        "decision_date_precision": str(data.get("decision_date_precision") or ""),
        "decision": str(data.get("decision") or ""),
        "decision_body": str(data.get("decision_body") or ""),
        "start": str(timetable.get("start") or ""),
        "end": str(timetable.get("end") or ""),
        "characteristics": "\n".join(data.get("characteristics") or []),
        "sources": "\n".join(provenance.get("sources") or []),
        "illustrative": "yes" if provenance.get("illustrative") else "",
        "note": str(provenance.get("note") or ""),
    }


def _put(record: dict[str, Any], key: str, value: Any) -> None:
    # Blank fields are left out, so an optional value is "not given" rather than "".
    if value:
        record[key] = value
    else:
        record.pop(key, None)


def read_details(post: QueryDict, data: dict[str, Any]) -> None:
    """Set the programme's details in ``data`` (raw programme data) from the form, in place.

    Fields the form does not show (the id, the records, the framework) are kept.
    """
    for name in ("title", "scope", "commissioner", "decision_date", "decision", "decision_body"):
        _put(data, name, post.get(name, "").strip())
    _put(data, "decision_date_precision", "month" if post.get("decision_date_precision") else "")
    timetable = dict(data.get("timetable") or {})
    for name in ("start", "end"):
        _put(timetable, name, post.get(name, "").strip())
    _put(data, "timetable", timetable)
    _put(data, "characteristics", lines(post.get("characteristics", "")))
    provenance = dict(data.get("provenance") or {})
    _put(provenance, "sources", lines(post.get("sources", "")))
    _put(provenance, "illustrative", bool(post.get("illustrative")))
    _put(provenance, "note", post.get("note", "").strip())
    _put(data, "provenance", provenance)


def on_form(problem: Problem) -> Problem:
    """Return the problem with its path naming the form field it belongs on, when one does."""
    path = problem.path
    for length in range(len(path), 0, -1):
        name = _FORM_FIELDS.get(path[:length])
        if name is not None:
            return Problem((name,), problem.message)
    return problem


@login_required
@require_http_methods(["GET", "POST"])
def programme_details(request: HttpRequest, slug: str) -> HttpResponse:
    """Change the programme's title, scope, commissioner, dates, characteristics, provenance."""
    row, _ = programme_for(request, slug, Right.EDIT)
    data = repository.data_of(row)
    organisations = [
        (o["id"], f"{o.get('name') or o['id']} ({str(o.get('kind', '')).replace('_', ' ')})")
        for o in data.get("organisations", [])
    ]

    def save(revision: int) -> Saved | list[Problem]:
        read_details(request.POST, data)
        problems, _ = save_data(
            request,
            row,
            data,
            where="programme details form",
            action="programme details changed",
            revision=revision,
        )
        return problems or Saved(
            "Saved the programme details.", reverse("programmes:detail", kwargs={"slug": slug})
        )

    def show(form: EditForm) -> HttpResponse:
        context = {"row": row, "labels": LABELS, "organisations": organisations}
        return render(request, "programmes/programme_details.jinja", context | form.context())

    return edit_page(
        request,
        EditForm(form_values(data), row.revision),
        read=lambda post: {name: str(post.get(name, "")) for name in LABELS},
        save=save,
        place=lambda problems: place([on_form(p) for p in problems], (), LABELS),
        show=show,
    )
