"""The appraisal's settings: how panels' scores combine, sampling, and what weights are known."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from caseforchange.appraisal.sampling import sampler_for
from caseforchange.appraisal.weights import framework_weights
from caseforchange.domain.problems import Problem
from caseforchange.domain.programme import (
    Aggregation,
    AppraisalSettings,
    Programme,
    WeightInformation,
)
from caseforchange.web.accounts.roles import Right
from caseforchange.web.edit_view import EditForm, Saved, edit_page
from caseforchange.web.errors import ErrorItem
from caseforchange.web.programmes import criteria_tree as tree
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.saving import place, save_data
from caseforchange.web.shortcuts import programme_for

FIELDS = ("aggregation", "samples", "seed", "weight_information")
LABELS = {
    "aggregation": "How members' scores combine",
    "samples": "Number of samples",
    "seed": "Random seed",
    "weight_information": "What is known about the weights",
    "weight_intervals": "Weight intervals",
}
AGGREGATION = {
    Aggregation.MEAN: "Mean",
    Aggregation.MEDIAN: "Median",
    Aggregation.GEOMETRIC_MEAN: "Geometric mean",
}
WEIGHT_INFORMATION = {
    WeightInformation.NONE: "Nothing: any weights (the most cautious)",
    WeightInformation.EXACT: "The weights as set on the criteria page",
    WeightInformation.RANKING: "Only the criteria's ranks",
    WeightInformation.INTERVALS: "A range for some criteria's weights (below)",
}


def _sampler(programme: Programme) -> object:
    # The engine checks rankings and intervals only when it samples; checking here refuses
    # settings (e.g. intervals no weights can meet) before they are saved, not at the run.
    return sampler_for(
        programme.framework, programme.appraisal, framework_weights(programme.framework)
    )


def read_settings(
    post: QueryDict, old: dict[str, Any], criteria: list[str]
) -> tuple[dict[str, Any], list[Problem]]:
    """Return the appraisal settings a form describes (blank fields take the defaults).

    Intervals come from ``low-<criterion>`` and ``high-<criterion>``, fractions of the total
    weight; a criterion with both blank has none.

    Returns:
        The settings as raw data, and a problem for each interval with only one end given.
    """
    settings = dict(old)
    for name in FIELDS:
        text = post.get(name, "").strip()
        if text:
            settings[name] = text
        else:
            settings.pop(name, None)
    intervals: dict[str, list[str]] = {}
    problems = []
    for cid in criteria:
        low, high = post.get(f"low-{cid}", "").strip(), post.get(f"high-{cid}", "").strip()
        if low and high:
            intervals[cid] = [low, high]
        elif low or high:
            problems.append(
                Problem(("appraisal", "weight_intervals", cid), "give both the lowest and highest")
            )
    settings.pop("weight_intervals", None)
    if intervals:
        settings["weight_intervals"] = intervals
    return settings, problems


def _place(
    problems: list[Problem], names: dict[str, str]
) -> tuple[list[ErrorItem], dict[str, str]]:
    """Put interval problems on their criterion's row and the others on their field."""
    errors: list[ErrorItem] = []
    by_field: dict[str, str] = {}
    rest = []
    for problem in problems:
        path = problem.path
        if path[:2] == ("appraisal", "weight_intervals") and len(path) > 2 and path[2] in names:
            cid = str(path[2])
            by_field.setdefault(f"interval-{cid}", problem.message)
            errors.append(ErrorItem.on(f"low-{cid}", f"{names[cid]}: {problem.message}"))
        else:
            rest.append(problem)
    more, fields = place(rest, ("appraisal",), LABELS)
    return errors + more, {**by_field, **fields}


@login_required
@require_http_methods(["GET", "POST"])
def appraisal_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the appraisal settings; leads change them (validated by the domain and engine)."""
    row, right = programme_for(request, slug, Right.VIEW)
    data = repository.data_of(row)
    old = data.get("appraisal", {})
    criteria = [
        (len(path) // 2 - 1, node)
        for path, node in tree.walk(tree.criteria_of(data))
        if not node.get("hurdle")
    ]
    names = {node["id"]: str(node.get("name") or node["id"]) for _, node in criteria}
    defaults = AppraisalSettings().model_dump(mode="json")
    values = {name: str(old.get(name, defaults[name])) for name in FIELDS}
    for cid, (low, high) in old.get("weight_intervals", {}).items():
        values[f"low-{cid}"], values[f"high-{cid}"] = f"{low:g}", f"{high:g}"
    if request.method == "POST" and right < Right.EDIT:
        raise PermissionDenied("only programme leads change the appraisal settings")

    def save(revision: int) -> Saved | list[Problem]:
        settings, unread = read_settings(request.POST, old, list(names))
        data["appraisal"] = settings
        problems, _ = save_data(
            request,
            row,
            data,
            where="appraisal settings form",
            action="appraisal settings changed",
            revision=revision,
            checks=[] if unread else [_sampler],
            found=unread,
        )
        to = reverse("programmes:appraisal_settings", kwargs={"slug": slug})
        return problems or Saved("Saved the appraisal settings.", to)

    def show(form: EditForm) -> HttpResponse:
        context = {
            "row": row,
            "criteria": criteria,
            "labels": LABELS,
            "aggregations": [(k.value, v) for k, v in AGGREGATION.items()],
            "informations": [(k.value, v) for k, v in WEIGHT_INFORMATION.items()],
            "can_edit": right >= Right.EDIT,
        }
        return render(request, "programmes/appraisal_settings.jinja", context | form.context())

    return edit_page(
        request,
        EditForm(values, row.revision),
        read=lambda post: {k: str(v) for k, v in post.items()},
        save=save,
        place=lambda problems: _place(problems, names),
        show=show,
    )
