"""Enter AHP pairwise comparisons per group of criteria; see the engine's weights and CR."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from caseforchange.appraisal.ahp import CR_LIMIT, AhpResult, ahp_weights
from caseforchange.appraisal.weights import framework_weights
from caseforchange.domain.problems import Problem
from caseforchange.domain.programme import Programme
from caseforchange.web.accounts.roles import Right
from caseforchange.web.edit_view import EditForm, Saved, edit_page
from caseforchange.web.programmes import ahp_form, repository
from caseforchange.web.programmes import criteria_tree as tree
from caseforchange.web.programmes.saving import place, save_data
from caseforchange.web.shortcuts import programme_for

ACCEPT = "accept_inconsistency"
ACCEPT_LABEL = "Accept inconsistent comparisons"


def _weights(programme: Programme) -> object:
    # With AHP chosen, the engine must still derive every group's weights after this edit
    # (the accept box applies to all groups, so unticking it may refuse another group).
    return framework_weights(programme.framework)


def derive(matrix: list[list[float]] | None) -> AhpResult | str | None:
    """Return the engine's AHP result for a matrix, why it has none, or None without a matrix."""
    if matrix is None:
        return None
    try:
        return ahp_weights(matrix)
    except ValueError as error:
        return str(error)


def _consistency(result: AhpResult | str | None, accept: bool) -> list[Problem]:
    """Return the problem that stops judgements being saved: too inconsistent, or too many."""
    if isinstance(result, str):
        return [Problem((), f"AHP: {result}")]
    if result is not None and not result.consistent and not accept:
        return [
            Problem(
                (ACCEPT,),
                f"the consistency ratio is {result.consistency_ratio:.3f}, above Saaty's "
                f"limit of {CR_LIMIT}: some judgements contradict others. Change them, or "
                "tick the box to accept them as they are",
            )
        ]
    return []


@login_required
def ahp_index(request: HttpRequest, slug: str) -> HttpResponse:
    """List the groups of criteria compared by AHP, each with how far its comparisons got."""
    row, right = programme_for(request, slug, Right.VIEW)
    programme = repository.to_programme(row)
    weighting = programme.framework.weighting
    groups = []
    for group in ahp_form.comparison_groups(programme.framework):
        stored = weighting.ahp.get(group.key)
        given = ahp_form.fits(stored, len(group.members))
        groups.append(
            {
                "group": group,
                "result": derive(stored) if given else None,
                "stale": stored is not None and not given,
            }
        )
    return render(
        request,
        "programmes/ahp_index.jinja",
        {
            "row": row,
            "method": weighting.method.value,
            "accepted": weighting.accept_inconsistency,
            "groups": groups,
            "limit": CR_LIMIT,
            "can_edit": right >= Right.EDIT,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def ahp_group(request: HttpRequest, slug: str, group: str) -> HttpResponse:
    """Show one group's pairwise comparisons with the weights and consistency ratio they give.

    Leads change the judgements (saved only when consistent enough, or accepted).
    """
    row, right = programme_for(request, slug, Right.VIEW)
    programme = repository.to_programme(row)
    found = {g.key: g for g in ahp_form.comparison_groups(programme.framework)}.get(group)
    if found is None:
        raise Http404("no such group of criteria to compare")
    n = len(found.members)
    data = repository.data_of(row)
    weighting: dict[str, Any] = data["framework"].setdefault("weighting", {})
    stored = (weighting.get("ahp") or {}).get(group)
    matrix = stored if ahp_form.fits(stored, n) else None
    kept = ahp_form.judgements(matrix) if matrix else {}
    values = {**kept, ACCEPT: "yes" if weighting.get(ACCEPT) else ""}
    labels = {
        ahp_form.pair_name(i, j): f"{found.members[i][1]} compared with {found.members[j][1]}"
        for i, j in ahp_form.pairs(n)
    }
    if request.method == "POST" and right < Right.EDIT:
        raise PermissionDenied("only programme leads change the AHP comparisons")

    def save(revision: int) -> Saved | list[Problem]:
        nonlocal matrix
        matrix, unread = ahp_form.read_judgements(request.POST, n, kept)
        accept = bool(request.POST.get(ACCEPT))
        if matrix is not None:
            weighting.setdefault("ahp", {})[group] = matrix
        if accept:
            weighting[ACCEPT] = True
        else:
            weighting.pop(ACCEPT, None)
        found_problems = unread + _consistency(derive(matrix), accept)
        problems, _ = save_data(
            request,
            row,
            data,
            where=f"AHP comparisons for '{group}'",
            action="AHP comparisons changed",
            revision=revision,
            checks=[] if found_problems else [_weights],
            found=found_problems,
        )
        to = reverse("programmes:ahp_group", kwargs={"slug": slug, "group": group})
        return problems or Saved(f"Saved the comparisons of {found.name}.", to)

    def show(form: EditForm) -> HttpResponse:
        result = derive(matrix)
        return render(
            request,
            "programmes/ahp.jinja",
            {
                "row": row,
                "group": found,
                "pairs": [
                    {
                        "name": name,
                        "label": labels[name],
                        "choices": ahp_form.choices(found.members[i][1], found.members[j][1]),
                        # An imported entry off the scale stays selectable, so saving other
                        # pairs does not force a new judgement on this one.
                        "off_scale": kept[name]
                        if kept.get(name, "1") not in ahp_form.SCALE
                        else "",
                    }
                    for i, j in ahp_form.pairs(n)
                    for name in [ahp_form.pair_name(i, j)]
                ],
                "matrix_rows": [
                    (member[1], [ahp_form.judgement_text(x) for x in cells])
                    for member, cells in zip(found.members, matrix, strict=True)
                ]
                if matrix
                else [],
                "stale": stored is not None and not ahp_form.fits(stored, n),
                "result": result if not isinstance(result, str) else None,
                "weights": list(zip(found.members, result.weights, strict=True))
                if isinstance(result, AhpResult)
                else [],
                # Shown again after a post with problems: the judgements are not saved yet.
                "unsaved": bool(form.errors),
                "limit": CR_LIMIT,
                "method": programme.framework.weighting.method.value,
                "accept_label": ACCEPT_LABEL,
                "can_edit": right >= Right.EDIT,
            }
            | form.context(),
        )

    return edit_page(
        request,
        EditForm(values, row.revision),
        read=lambda post: {name: str(post.get(name, "")) for name in [*labels, ACCEPT]},
        save=save,
        place=lambda problems: place(
            problems,
            (),
            {**labels, ACCEPT: ACCEPT_LABEL},
            describe=lambda path: tree.describe(data, path),
        ),
        show=show,
    )
