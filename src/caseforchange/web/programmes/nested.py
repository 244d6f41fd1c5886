"""Records kept inside another record (a panel's members): list, add, change, remove."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from caseforchange.domain.problems import Problem
from caseforchange.web.accounts.roles import Right
from caseforchange.web.edit_view import EditForm, Saved, edit_page
from caseforchange.web.errors import ErrorItem, field_id
from caseforchange.web.presenters import Link
from caseforchange.web.programmes import editing, repository
from caseforchange.web.programmes.editing import Section
from caseforchange.web.programmes.models import ProgrammeRecord
from caseforchange.web.programmes.saving import place, posted_revision, save_data
from caseforchange.web.shortcuts import programme_for


def _locate(
    data: dict[str, Any], section: str, parent_id: str, child: str
) -> tuple[Section, Section, int, dict[str, Any], list[dict[str, Any]]]:
    """Return the nested section, its parent section, the parent's index, the parent, its list.

    Raises:
        Http404: when there is no such nested section or no such parent record.
    """
    spec = editing.NESTED.get((section, child))
    parent_spec = editing.SECTIONS.get(section)
    if spec is None or parent_spec is None:
        raise Http404("no such list")
    parents = data.get(section, [])
    index = next((i for i, r in enumerate(parents) if r.get("id") == parent_id), None)
    if index is None:
        raise Http404("no such record")
    parent = parents[index]
    return spec, parent_spec, index, parent, parent.setdefault(child, [])


def _back(row: ProgrammeRecord, section: str, parent_id: str, child: str) -> Link:
    href = reverse("programmes:nested", args=[row.slug, section, parent_id, child])
    return Link(f"{editing.NESTED[(section, child)].title} of {parent_id}", href)


def _member_scores(data: dict[str, Any], section: str, parent_id: str, item_id: str) -> int:
    """Return how many scores a panel member gave (0 for other nested records)."""
    if section != "panels":
        return 0
    return sum(
        1
        for s in data.get("scores", [])
        if s.get("panel") == parent_id and s.get("member") == item_id
    )


def _rename_member(data: dict[str, Any], section: str, panel: str, old: str, new: str) -> None:
    """Keep a renamed panel member's scores: they refer to the member by id."""
    if section != "panels" or old == new:
        return
    for score in data.get("scores", []):
        if score.get("panel") == panel and score.get("member") == old:
            score["member"] = new


@login_required
def nested_list(
    request: HttpRequest, slug: str, section: str, parent_id: str, child: str
) -> HttpResponse:
    """List the records inside one record, e.g. a panel's members."""
    row, right = programme_for(request, slug, Right.VIEW)
    data = repository.data_of(row)
    spec, parent_spec, _, parent, items = _locate(data, section, parent_id, child)
    choices = {
        f.name: dict(editing.choices_for(f, data)) for f in spec.fields if f.kind == "select"
    }
    return render(
        request,
        "programmes/nested.jinja",
        {
            "row": row,
            "spec": spec,
            "parent_spec": parent_spec,
            "parent": parent,
            "section": section,
            "child": child,
            "items": items,
            "labels": {f.name: f.label for f in spec.fields},
            "names": choices,
            "can_edit": right >= Right.EDIT,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def nested_item(
    request: HttpRequest,
    slug: str,
    section: str,
    parent_id: str,
    child: str,
    item_id: str | None = None,
) -> HttpResponse:
    """Add or change one record inside another; the whole programme is validated first."""
    row, _ = programme_for(request, slug, Right.EDIT)
    data = repository.data_of(row)
    spec, _, parent_index, _, records = _locate(data, section, parent_id, child)
    index = next((i for i, r in enumerate(records) if r.get("id") == item_id), None)
    if item_id is not None and index is None:
        raise Http404("no such record")
    old = records[index] if index is not None else None
    at = index if index is not None else len(records)

    def save(revision: int) -> Saved | list[Problem]:
        item = editing.read_form(spec, request.POST, copy.deepcopy(old))
        if index is None:
            records.append(item)
        else:
            records[index] = item
            _rename_member(data, section, parent_id, str(item_id), str(item.get("id", "")))
        problems, _ = save_data(
            request,
            row,
            data,
            where=f"{spec.singular} form",
            action=f"{spec.singular} edited" if old else f"{spec.singular} added",
            revision=revision,
        )
        to = reverse(
            "programmes:nested",
            kwargs={"slug": slug, "section": section, "parent_id": parent_id, "child": child},
        )
        return problems or Saved(f"Saved {spec.singular} '{item.get('id')}'.", to)

    def show(form: EditForm) -> HttpResponse:
        heading = f"Change {spec.singular} {item_id}" if item_id else f"Add a {spec.singular}"
        context = {
            "row": row,
            "spec": spec,
            "item_id": item_id,
            "heading": f"{heading} of {parent_id}",
            "back": _back(row, section, parent_id, child),
            "choices": {f.name: editing.choices_for(f, data) for f in spec.fields},
        }
        return render(request, "programmes/item.jinja", context | form.context())

    labels = {f.name: f.label for f in spec.fields}
    return edit_page(
        request,
        EditForm(editing.form_values(spec, old or {}), row.revision),
        read=lambda post: editing.posted_values(spec, post),
        save=save,
        place=lambda problems: place(problems, (section, parent_index, child, at), labels),
        show=show,
    )


@login_required
@require_http_methods(["GET", "POST"])
def nested_delete(
    request: HttpRequest, slug: str, section: str, parent_id: str, child: str, item_id: str
) -> HttpResponse:
    """Confirm and remove a record inside another (and, if ticked, a member's scores)."""
    row, _ = programme_for(request, slug, Right.EDIT)
    data = repository.data_of(row)
    spec, _, _, parent, records = _locate(data, section, parent_id, child)
    if not any(r.get("id") == item_id for r in records):
        raise Http404("no such record")
    scored = _member_scores(data, section, parent_id, item_id)
    errors: list[ErrorItem] = []
    by_field: dict[str, str] = {}
    if request.method == "POST":
        if scored and not request.POST.get("with_scores"):
            message = (
                f"{scored} scores were given by this {spec.singular}; tick the box to remove "
                "them too (the audit trail keeps what they were)"
            )
            by_field["with_scores"] = message
            errors = [ErrorItem.on("with_scores", f"Scores: {message}")]
        else:
            parent[child] = [r for r in records if r.get("id") != item_id]
            data["scores"] = [
                s
                for s in data.get("scores", [])
                if not (s.get("panel") == parent_id and s.get("member") == item_id)
                or section != "panels"
            ]
            problems, _ = save_data(
                request,
                row,
                data,
                where=f"removing {spec.singular} '{item_id}'",
                action=f"{spec.singular} removed",
                revision=posted_revision(request, row),
            )
            if not problems:
                messages.success(request, f"Removed {spec.singular} '{item_id}'.")
                return redirect(
                    "programmes:nested",
                    slug=slug,
                    section=section,
                    parent_id=parent_id,
                    child=child,
                )
            errors, _ = place(problems, (), {})
    return render(
        request,
        "programmes/confirm_remove.jinja",
        {
            "row": row,
            "title": f"Remove {spec.singular} {item_id} from {parent_id}?",
            "back": _back(row, section, parent_id, child),
            "facts": [f"{scored} scores were given by this {spec.singular}."] if scored else [],
            "confirm": {"name": "with_scores", "label": f"Also remove the {scored} scores"}
            if scored
            else None,
            "field_errors": by_field,
            "button_text": f"Remove {spec.singular}",
            "errors": errors,
            "field_id": field_id,
        },
    )
