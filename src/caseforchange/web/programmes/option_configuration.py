"""An option's configuration: where each service goes, checked against the dependency rules."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from caseforchange.configuration.rules import check_configuration
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.web.accounts.roles import Right
from caseforchange.web.errors import ErrorItem, field_id
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.saving import place, posted_revision, save_data
from caseforchange.web.shortcuts import programme_for

Destination = str | list[str]


def read_configuration(post: QueryDict, services: list[str]) -> dict[str, Destination]:
    """Return the configuration a form describes: ``to-<service>`` or ``split-<service>``.

    A service divided between organisations lists their ids in ``split-<service>`` (commas or
    lines between them), which wins over the single choice; a service with neither is left
    out, so it goes to the option's provider.
    """
    config: dict[str, Destination] = {}
    for sid in services:
        divided = [
            x.strip() for x in re.split(r"[,\n+]", post.get(f"split-{sid}", "")) if x.strip()
        ]
        chosen = post.get(f"to-{sid}", "").strip()
        if len(divided) > 1:
            config[sid] = divided
        elif divided:
            config[sid] = divided[0]
        elif chosen:
            config[sid] = chosen
    return config


def _form_rows(
    services: list[dict[str, Any]], config: dict[str, Destination], post: QueryDict | None
) -> list[dict[str, str]]:
    rows = []
    for service in services:
        sid = service["id"]
        if post is not None:
            to, split = post.get(f"to-{sid}", ""), post.get(f"split-{sid}", "")
        else:
            dest = config.get(sid, "")
            to = dest if isinstance(dest, str) else ""
            split = ", ".join(dest) if isinstance(dest, list) else ""
        rows.append({"id": sid, "name": service.get("name", sid), "to": to, "split": split})
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def configuration(request: HttpRequest, slug: str, option_id: str) -> HttpResponse:
    """Show where an option sends each service; leads choose a destination per service."""
    row, right = programme_for(request, slug, Right.VIEW)
    data = repository.data_of(row)
    options = data.get("options", [])
    index = next((i for i, o in enumerate(options) if o.get("id") == option_id), None)
    if index is None:
        raise Http404("no such option")
    option = options[index]
    services = data.get("services", [])
    names = {o["id"]: o.get("name") or o["id"] for o in data.get("organisations", [])}
    errors: list[ErrorItem] = []
    by_field: dict[str, str] = {}
    post: QueryDict | None = None
    revision = row.revision
    if request.method == "POST":
        if right < Right.EDIT:
            raise PermissionDenied("only programme leads change an option's configuration")
        post = request.POST
        revision = posted_revision(request, row)
        config = read_configuration(post, [s["id"] for s in services])
        if config:
            option["configuration"] = config
        else:
            option.pop("configuration", None)
        problems, _ = save_data(
            request,
            row,
            data,
            where="configuration form",
            action="option configuration changed",
            revision=revision,
        )
        if not problems:
            messages.success(request, f"Saved where option '{option_id}' sends each service.")
            return redirect("programmes:configuration", slug=slug, option_id=option_id)
        errors, by_field = _place(problems, ("options", index, "configuration"), services, post)
    return render(
        request,
        "programmes/configuration.jinja",
        {
            "row": row,
            "option": option,
            "rows": _form_rows(services, option.get("configuration") or {}, post),
            "organisations": names,
            "provider": names.get(option.get("provider") or "", option.get("provider")),
            "breaches": _breaches(row, option_id) if post is None else [],
            "errors": errors,
            "field_errors": by_field,
            "can_edit": right >= Right.EDIT,
            "revision": revision,
            "field_id": field_id,
        },
    )


def _place(
    problems: list[Problem],
    prefix: tuple[str | int, ...],
    services: list[dict[str, Any]],
    post: QueryDict,
) -> tuple[list[ErrorItem], dict[str, str]]:
    """Put each problem about a service's destination on that service's row.

    The summary links to the field the user filled in: the division when one is given.
    """
    labels = {s["id"]: s.get("name", s["id"]) for s in services}
    errors: list[ErrorItem] = []
    by_field: dict[str, str] = {}
    others = []
    for problem in problems:
        rest = problem.path[len(prefix) :]
        if problem.path[: len(prefix)] == prefix and rest and rest[0] in labels:
            sid = str(rest[0])
            by_field.setdefault(sid, problem.message)
            given = "split" if post.get(f"split-{sid}", "").strip() else "to"
            errors.append(ErrorItem.on(f"{given}-{sid}", f"{labels[sid]}: {problem.message}"))
        else:
            others.append(problem)
    return errors + place(others, (), {})[0], by_field


def _breaches(row: Any, option_id: str) -> list[Any]:
    """Return the dependency rules the stored option breaks (none when it cannot be read)."""
    try:
        programme = repository.to_programme(row)
    except InvalidInput:
        return []
    option = next(o for o in programme.options if o.id == option_id)
    return check_configuration(programme, option)
