"""Move a criterion up or down among its siblings, its AHP judgements going with it."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from caseforchange.appraisal.weights import ROOT, framework_weights
from caseforchange.domain.problems import Problem
from caseforchange.domain.programme import Programme
from caseforchange.web.accounts.roles import Right
from caseforchange.web.programmes import ahp_form, repository
from caseforchange.web.programmes import criteria_tree as tree
from caseforchange.web.programmes.saving import posted_revision, save_data
from caseforchange.web.shortcuts import programme_for


def _weights(programme: Programme) -> object:
    # Moving changes no weight, but the engine must still derive them from the moved tree.
    return framework_weights(programme.framework)


def move_criterion(
    data: dict[str, Any], cid: str, step: int, groups: list[ahp_form.Group]
) -> list[Problem]:
    """Swap criterion ``cid`` with its previous (``step`` -1) or next (+1) sibling, in place.

    The group's AHP matrix has a row per weighted sibling in tree order, so when both
    criteria are weighted their rows and columns swap too (``groups`` are the comparison
    groups before the move).

    Returns:
        A problem (and no change) when there is no such criterion or no sibling that way.
    """
    found = tree.find(tree.criteria_of(data), cid)
    if found is None:
        return [Problem((), f"there is no criterion '{cid}'")]
    siblings, index, parent = found
    other = index + step
    if not 0 <= other < len(siblings):
        return [Problem((), f"'{cid}' is already {'first' if step < 0 else 'last'} in its group")]
    key = parent["id"] if parent else ROOT
    members = next(([m for m, _ in g.members] for g in groups if g.key == key), [])
    pair = (cid, siblings[other]["id"])
    if all(p in members for p in pair):
        weighting = data["framework"].get("weighting") or {}
        ahp_form.swap_members(weighting, key, members.index(pair[0]), members.index(pair[1]))
    siblings[index], siblings[other] = siblings[other], siblings[index]
    return []


def places(criteria: list[dict[str, Any]]) -> dict[str, tuple[bool, bool]]:
    """Return, for every criterion's id, whether it is first and whether last among siblings."""
    out: dict[str, tuple[bool, bool]] = {}
    for _, node in tree.walk(criteria):
        siblings = node.get("children", [])
        for index, child in enumerate(siblings):
            out[child["id"]] = (index == 0, index == len(siblings) - 1)
    for index, node in enumerate(criteria):
        out[node["id"]] = (index == 0, index == len(criteria) - 1)
    return out


@login_required
@require_POST
def criterion_move(request: HttpRequest, slug: str) -> HttpResponse:
    """Move the criterion named by the button pressed (``up`` or ``down``, its id the value).

    Returns to the criteria page at the moved criterion, saying what happened.
    """
    row, _ = programme_for(request, slug, Right.EDIT)
    step, cid = next(
        ((s, request.POST[name]) for name, s in (("up", -1), ("down", 1)) if name in request.POST),
        (0, ""),
    )
    data = repository.data_of(row)
    if step == 0:
        problems = [Problem((), "choose a criterion to move up or down")]
    else:
        groups = ahp_form.comparison_groups(repository.to_programme(row).framework)
        problems = move_criterion(data, cid, step, groups)
    if not problems:
        problems, _ = save_data(
            request,
            row,
            data,
            where=f"moving criterion '{cid}'",
            action="criterion moved",
            revision=posted_revision(request, row),
            checks=[_weights],
        )
    if problems:
        messages.error(request, "Not moved: " + "; ".join(p.message for p in problems))
    else:
        messages.success(request, f"Moved '{cid}' {'up' if step < 0 else 'down'}.")
    anchor = f"#c-{quote(cid)}" if cid else ""
    return HttpResponseRedirect(reverse("programmes:criteria", args=[slug]) + anchor)
