"""Validate a changed programme, save it with its audit trail, and place problems on the form.

Every edit page of the programme workspace follows the same steps: change the raw data, let
the domain model (and, where the engine has rules of its own, the engine) say what is wrong,
and either save through :func:`repository.save` or show the problems next to their fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.http import HttpRequest

from caseforchange.domain.problems import InvalidInput, Path, Problem
from caseforchange.domain.programme import Programme
from caseforchange.web import edit_view
from caseforchange.web.errors import ErrorItem
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.models import ProgrammeRecord
from caseforchange.web.shortcuts import actor

#: A further check the engine makes on a valid programme (e.g. that weights can be derived).
Check = Callable[[Programme], object]


def posted_revision(request: HttpRequest, row: ProgrammeRecord) -> int:
    """Return the revision the editor started from (the current one when the form lacks it).

    A mangled field gives -1, so it is treated as stale rather than overwrite someone's edit.
    """
    return edit_view.posted_revision(request.POST, row.revision)


def required_revision(request: HttpRequest) -> int:
    """Return the revision a form says it began from; -1 (always stale) when missing or bad.

    For forms that replace many figures at once (the weights): without the revision a save
    could silently overwrite someone else's edit, so a missing one is treated as stale.
    """
    text = str(request.POST.get("revision", ""))
    return int(text) if text.isdigit() else -1


def save_data(
    request: HttpRequest,
    row: ProgrammeRecord,
    data: dict[str, Any],
    *,
    where: str,
    action: str,
    revision: int,
    checks: Iterable[Check] = (),
    found: Iterable[Problem] = (),
) -> tuple[list[Problem], int]:
    """Validate ``data`` as a whole programme and save it, auditing every changed figure.

    ``found`` are problems the form itself found (text it could not read); with any, nothing
    is saved, but the programme is still validated so the user sees every problem at once.

    Returns:
        The problems found (empty when saved) and how many figures changed. An edit started
        from an older revision comes back as one problem with an empty path.
    """
    problems = list(found)
    try:
        programme = repository.validate(data, where)
        for check in checks:
            check(programme)
        if problems:
            return problems, 0
        changed = repository.save(row, programme, actor(request), action, revision)
    except InvalidInput as error:
        return problems + error.problems, 0
    except repository.StaleEdit as error:
        return [Problem((), f"{error}: reload the page and make your change again")], 0
    return [], len(changed)


def place(
    problems: Iterable[Problem],
    prefix: Path,
    labels: Mapping[str, str],
    *,
    whole: Callable[[str], str | None] = lambda message: None,
    describe: Callable[[Path], str] | None = None,
) -> tuple[list[ErrorItem], dict[str, str]]:
    """Return the error summary items and each form field's first message.

    A problem about the record at ``prefix`` is placed on the first field named in the rest of
    its path that the form shows (``labels`` maps field names to their labels). A problem
    about the whole record (a rule across its fields, such as max > min) names no field;
    ``whole`` picks the field its message is about. Other problems go to the summary only,
    their path read by ``describe`` (the dotted field path by default).
    """
    items: list[ErrorItem] = []
    by_field: dict[str, str] = {}
    for problem in problems:
        name = None
        if problem.path and problem.path[: len(prefix)] == prefix:
            rest = problem.path[len(prefix) :]
            name = next((p for p in rest if isinstance(p, str) and p in labels), None)
            if name is None and not rest:
                name = whole(problem.message)
                name = name if name in labels else None
        if name is not None:
            by_field.setdefault(name, problem.message)
            items.append(ErrorItem.of(problem, name, labels[name]))
        else:
            items.append(ErrorItem.of(problem, describe=describe))
    return items, by_field
