"""Edit the criteria tree, the weighting method and the framework's scales."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from caseforchange.appraisal.weights import framework_weights
from caseforchange.catalogue.scales import builtin_scales
from caseforchange.domain.problems import Path, Problem
from caseforchange.domain.programme import Programme
from caseforchange.web.accounts.roles import Right
from caseforchange.web.edit_view import EditForm, Saved, edit_page
from caseforchange.web.errors import field_id
from caseforchange.web.presenters import Link
from caseforchange.web.programmes import criteria_tree as tree
from caseforchange.web.programmes import editing, measures, repository
from caseforchange.web.programmes.saving import place, posted_revision, save_data
from caseforchange.web.shortcuts import programme_for


def _weights(programme: Programme) -> object:
    # The engine derives weights with rules of its own (AHP matrix sizes, ranks), so an edit
    # that validates but leaves weights underivable is refused here rather than at the run.
    return framework_weights(programme.framework)


def _criterion_field(message: str) -> str | None:
    """Return the field a rule across a criterion's fields is about, judged by its message."""
    if "hurdle" in message:
        return "hurdle"
    if "scale" in message or "value function" in message:
        return "scale"
    return None


def _scale_field(message: str) -> str | None:
    """Return the field a rule across a scale's fields is about, judged by its message."""
    if "max" in message and "min" in message:
        return "max"
    if "point" in message:
        return "points"
    return None


def _form(request: HttpRequest, template_context: dict[str, Any]) -> HttpResponse:
    """Return the generic record form (``item.jinja``) with empty errors unless given."""
    context = {"field_id": field_id, "errors": [], "field_errors": {}, **template_context}
    return render(request, "programmes/item.jinja", context)


@login_required
@require_http_methods(["GET", "POST"])
def criterion_item(
    request: HttpRequest, slug: str, criterion_id: str | None = None
) -> HttpResponse:
    """Add a criterion (at the top level or under another) or change one, moving it if asked."""
    row, _ = programme_for(request, slug, Right.EDIT)
    data = repository.data_of(row)
    criteria = tree.criteria_of(data)
    spec = tree.CRITERION
    old: dict[str, Any] | None = None
    old_parent = ""
    if criterion_id is not None:
        found = tree.find(criteria, criterion_id)
        if found is None:
            raise Http404("no such criterion")
        siblings, index, parent = found
        old = siblings[index]
        old_parent = parent["id"] if parent else ""
    values = editing.form_values(spec, old or {})
    values["parent"] = old_parent if old else request.GET.get("parent", "")
    values["direction"] = values["direction"] or "maximise"
    values["unit"], values["points"] = measures.form_text((old or {}).get("value_function"))
    choices = {f.name: editing.choices_for(f, data) for f in spec.fields}
    choices["parent"] = tree.parent_choices(criteria, old)
    choices["scale"] = tree.scale_choices(data)
    labels = {f.name: f.label for f in spec.fields}
    prefix: Path = ()

    def save(revision: int) -> Saved | list[Problem]:
        nonlocal prefix
        item = editing.read_form(spec, request.POST, copy.deepcopy(old))
        parent_id = item.pop("parent", None)
        function, unread = measures.read_value_function(
            str(item.pop("unit", "")), str(item.pop("points", ""))
        )
        if function:
            item["value_function"] = function
        else:
            item.pop("value_function", None)
        regrouped = _scale_lost(criteria, parent_id)
        # Problems placing the criterion are about the form itself, so they have no prefix.
        problems = _place(data, old, item, parent_id)
        if problems:
            return problems
        prefix = tree.path_to(criteria, item)
        problems, _ = save_data(
            request,
            row,
            data,
            where="criterion form",
            action="criterion changed" if old else "criterion added",
            revision=revision,
            checks=[_weights],
            found=[Problem((*prefix, *p.path), p.message) for p in unread],
        )
        if problems:
            return [measures.on_form(p, prefix) for p in problems]
        note = (
            f" '{parent_id}' is now a group, so it is no longer scored on '{regrouped}'."
            if regrouped
            else ""
        )
        to = reverse("programmes:criteria", kwargs={"slug": slug})
        return Saved(f"Saved criterion '{item.get('id')}'.{note}", to)

    def show(form: EditForm) -> HttpResponse:
        title = f"Change criterion {criterion_id}" if criterion_id else "Add a criterion"
        context = {
            "row": row,
            "spec": spec,
            "item_id": criterion_id,
            "heading": title,
            "back": Link("Criteria", reverse("programmes:criteria", args=[slug])),
            "choices": choices,
        }
        return _form(request, context | form.context())

    return edit_page(
        request,
        EditForm(values, row.revision),
        read=lambda post: editing.posted_values(spec, post),
        save=save,
        place=lambda problems: place(
            problems,
            prefix,
            labels,
            whole=_criterion_field,
            describe=lambda path: tree.describe(data, path),
        ),
        show=show,
    )


def _scale_lost(criteria: list[dict[str, Any]], parent_id: str | None) -> str | None:
    """Return the scale a criterion will lose by gaining its first sub-criterion, if any."""
    found = tree.find(criteria, parent_id) if parent_id else None
    if found is None:
        return None
    siblings, index, _ = found
    parent = siblings[index]
    return None if parent.get("children") else parent.get("scale")


def _place(
    data: dict[str, Any], old: dict[str, Any] | None, item: dict[str, Any], parent_id: str | None
) -> list[Problem]:
    """Put the edited criterion in the tree (in its old place when its parent is unchanged)."""
    criteria = tree.criteria_of(data)
    if old is None:
        return tree.place_criterion(criteria, item, parent_id)
    if parent_id in tree.subtree_ids(old):
        return [Problem(("parent",), "a criterion cannot be part of itself or its sub-criteria")]
    found = tree.find(criteria, old["id"])
    assert found is not None  # the view found it a moment ago in this same data
    siblings, index, parent = found
    tree.rename_criterion(data, old["id"], str(item.get("id", "")))
    if (parent["id"] if parent else None) == parent_id:
        siblings[index] = item
        return []
    del siblings[index]
    return tree.place_criterion(criteria, item, parent_id)


@login_required
@require_http_methods(["GET", "POST"])
def criterion_delete(request: HttpRequest, slug: str, criterion_id: str) -> HttpResponse:
    """Confirm and remove a criterion with its sub-criteria (and, if ticked, their scores)."""
    row, _ = programme_for(request, slug, Right.EDIT)
    data = repository.data_of(row)
    found = tree.find(tree.criteria_of(data), criterion_id)
    if found is None:
        raise Http404("no such criterion")
    siblings, index, _ = found
    node = siblings[index]
    ids = tree.subtree_ids(node)
    scored = len(tree.scores_on(data, ids))
    problems: list[Problem] = []
    if request.method == "POST":
        problems = tree.remove_criterion(
            data, criterion_id, with_scores=bool(request.POST.get("with_scores"))
        )
        if not problems:
            problems, _ = save_data(
                request,
                row,
                data,
                where=f"removing criterion '{criterion_id}'",
                action="criterion removed",
                revision=posted_revision(request, row),
                checks=[_weights],
            )
        if not problems:
            messages.success(request, f"Removed criterion '{criterion_id}'.")
            return redirect("programmes:criteria", slug=slug)
    errors, by_field = place(
        problems, (), {"with_scores": "Scores"}, describe=lambda path: tree.describe(data, path)
    )
    facts = [f"It has {len(ids) - 1} sub-criteria, which go with it."] if len(ids) > 1 else []
    if scored:
        facts.append(f"{scored} scores are given on it or its sub-criteria.")
    return render(
        request,
        "programmes/confirm_remove.jinja",
        {
            "row": row,
            "title": f"Remove criterion {node.get('name', criterion_id)}?",
            "back": Link("Criteria", reverse("programmes:criteria", args=[slug])),
            "facts": facts,
            "confirm": {"name": "with_scores", "label": f"Also remove the {scored} scores"}
            if scored
            else None,
            "field_errors": by_field,
            "button_text": "Remove criterion",
            "errors": errors,
            "field_id": field_id,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def weighting(request: HttpRequest, slug: str) -> HttpResponse:
    """Choose how the weights were set (direct, swing, rank order, AHP, equal) and by whom."""
    row, _ = programme_for(request, slug, Right.EDIT)
    data = repository.data_of(row)
    spec = tree.WEIGHTING
    old = data["framework"].get("weighting", {})
    values = editing.form_values(spec, old)
    values["method"] = values["method"] or "direct"

    def save(revision: int) -> Saved | list[Problem]:
        data["framework"]["weighting"] = editing.read_form(spec, request.POST, copy.deepcopy(old))
        problems, _ = save_data(
            request,
            row,
            data,
            where="weighting form",
            action="weighting changed",
            revision=revision,
            checks=[_weights],
        )
        to = reverse("programmes:criteria", kwargs={"slug": slug})
        return problems or Saved("Saved the weighting method.", to)

    def show(form: EditForm) -> HttpResponse:
        context = {
            "row": row,
            "spec": spec,
            "heading": "Weighting method",
            "intro": "Rank-order weights need a rank on each criterion; AHP needs the "
            "pairwise comparisons of each group of criteria, entered before choosing it.",
            "links": [
                {
                    "href": reverse("programmes:ahp", args=[slug]),
                    "text": "AHP pairwise comparisons",
                    "after": "(one page per group of criteria, with the weights and "
                    "consistency ratio they give)",
                }
            ],
            "back": Link("Criteria", reverse("programmes:criteria", args=[slug])),
            "choices": {f.name: editing.choices_for(f, data) for f in spec.fields},
            "button_text": "Save weighting",
        }
        return _form(request, context | form.context())

    return edit_page(
        request,
        EditForm(values, row.revision),
        read=lambda post: editing.posted_values(spec, post),
        save=save,
        place=lambda problems: place(
            problems,
            ("framework", "weighting"),
            {f.name: f.label for f in spec.fields},
            describe=lambda path: tree.describe(data, path),
        ),
        show=show,
    )


@login_required
def scales(request: HttpRequest, slug: str) -> HttpResponse:
    """List the programme's own scales and the built-in ones every programme may use."""
    row, right = programme_for(request, slug, Right.VIEW)
    own = row.document["framework"].get("scales", [])
    data = repository.data_of(row)
    used = {s["id"]: tree.criteria_on_scale(data, s["id"]) for s in own}
    return render(
        request,
        "programmes/scales.jinja",
        {
            "row": row,
            "own": own,
            "used": used,
            "builtin": [
                s.model_dump(mode="json")
                for k, s in builtin_scales().items()
                if k not in {x["id"] for x in own}
            ],
            "can_edit": right >= Right.EDIT,
        },
    )


def _scale_index(data: dict[str, Any], scale_id: str) -> int:
    """Return the index of the programme's own scale ``scale_id``.

    Raises:
        Http404: when the programme has no scale of its own with that id.
    """
    own = data["framework"].get("scales", [])
    index = next((i for i, s in enumerate(own) if s.get("id") == scale_id), None)
    if index is None:
        raise Http404("no such scale")
    return index


@login_required
@require_http_methods(["GET", "POST"])
def scale_item(request: HttpRequest, slug: str, scale_id: str | None = None) -> HttpResponse:
    """Add or change one of the programme's scales: range, labelled points, pass or fail."""
    row, _ = programme_for(request, slug, Right.EDIT)
    data = repository.data_of(row)
    own: list[dict[str, Any]] = data["framework"].setdefault("scales", [])
    index = _scale_index(data, scale_id) if scale_id is not None else None
    old = own[index] if index is not None else None
    spec = tree.SCALE
    values = editing.form_values(spec, old or {})
    values["points"] = tree.points_text((old or {}).get("points", []))
    at = index if index is not None else len(own)

    def save(revision: int) -> Saved | list[Problem]:
        item = editing.read_form(spec, request.POST, copy.deepcopy(old))
        points, unread = tree.read_points(str(item.pop("points", "")))
        if points:
            item["points"] = points
        if index is None:
            own.append(item)
        else:
            own[index] = item
        if old is not None:
            tree.rename_scale(data, old["id"], str(item.get("id", "")))
        problems, _ = save_data(
            request,
            row,
            data,
            where="scale form",
            action="scale changed" if old else "scale added",
            revision=revision,
            found=[Problem(("framework", "scales", at, *p.path), p.message) for p in unread],
        )
        to = reverse("programmes:scales", kwargs={"slug": slug})
        return problems or Saved(f"Saved scale '{item.get('id')}'.", to)

    def show(form: EditForm) -> HttpResponse:
        context = {
            "row": row,
            "spec": spec,
            "item_id": scale_id,
            "heading": f"Change scale {scale_id}" if scale_id else "Add a scale",
            "back": Link("Scales", reverse("programmes:scales", args=[slug])),
            "choices": {},
        }
        return _form(request, context | form.context())

    return edit_page(
        request,
        EditForm(values, row.revision),
        read=lambda post: editing.posted_values(spec, post),
        save=save,
        place=lambda problems: place(
            problems,
            ("framework", "scales", at),
            {f.name: f.label for f in spec.fields},
            whole=_scale_field,
            describe=lambda path: tree.describe(data, path),
        ),
        show=show,
    )


@login_required
@require_http_methods(["GET", "POST"])
def scale_delete(request: HttpRequest, slug: str, scale_id: str) -> HttpResponse:
    """Confirm and remove a scale; refused while criteria are scored on it."""
    row, _ = programme_for(request, slug, Right.EDIT)
    data = repository.data_of(row)
    index = _scale_index(data, scale_id)
    users = tree.criteria_on_scale(data, scale_id)
    falls_back = scale_id in builtin_scales()
    problems: list[Problem] = []
    if request.method == "POST":
        if users and not falls_back:
            problems = [
                Problem(
                    (),
                    f"criteria {', '.join(users)} are scored on this scale: "
                    "give them another scale first",
                )
            ]
        else:
            del data["framework"]["scales"][index]
            problems, _ = save_data(
                request,
                row,
                data,
                where=f"removing scale '{scale_id}'",
                action="scale removed",
                revision=posted_revision(request, row),
            )
        if not problems:
            messages.success(request, f"Removed scale '{scale_id}'.")
            return redirect("programmes:scales", slug=slug)
    errors, _ = place(problems, (), {}, describe=lambda path: tree.describe(data, path))
    facts = []
    if users:
        facts.append(
            f"Criteria scored on it: {', '.join(users)}."
            + (" They will use the built-in scale with the same id." if falls_back else "")
        )
    return render(
        request,
        "programmes/confirm_remove.jinja",
        {
            "row": row,
            "title": f"Remove scale {scale_id}?",
            "back": Link("Scales", reverse("programmes:scales", args=[slug])),
            "facts": facts,
            "confirm": None,
            "field_errors": {},
            "button_text": "Remove scale",
            "errors": errors,
            "field_id": field_id,
        },
    )
