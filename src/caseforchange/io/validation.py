"""Turn raw parsed data into a validated Programme, with every problem located."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from caseforchange.catalogue.forms import forms
from caseforchange.catalogue.reference import checklist_items
from caseforchange.catalogue.scales import builtin_scales
from caseforchange.domain.checks import check_programme
from caseforchange.domain.problems import InvalidInput, Path, Problem
from caseforchange.domain.programme import Programme
from caseforchange.io.yamlsource import SourceMap


def _data_path(data: Any, loc: tuple[int | str, ...]) -> Path:
    """Keep the part of a pydantic error location that names real fields.

    Pydantic adds type tags (``str``, ``list[str]``, ``function-after[...]``) for unions and
    validators; they are not fields a user can find in a file.
    """
    path: list[str | int] = []
    node = data
    for index, part in enumerate(loc):
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            path.append(part)
            node = node[part]
        elif index == len(loc) - 1 and isinstance(node, dict) and isinstance(part, str):
            path.append(part)  # a missing field: name it
    return tuple(path)


def problems_from_validation(error: ValidationError, data: Any) -> list[Problem]:
    """Return one located-by-path problem per distinct field in a pydantic error."""
    problems: list[Problem] = []
    seen: set[Path] = set()
    for item in error.errors(include_url=False):
        path = _data_path(data, tuple(item["loc"]))
        if path in seen:
            continue
        seen.add(path)
        message = str(item["msg"]).removeprefix("Value error, ")
        given = item.get("input")
        if item["type"] != "missing" and not isinstance(given, dict | list) and given is not None:
            message += f" (got {given!r})"
        problems.append(Problem(path, message))
    return problems


def validate_programme(data: Any, source: SourceMap) -> Programme:
    """Validate parsed programme data and its cross-references.

    Returns:
        The programme, when it has no problems.

    Raises:
        InvalidInput: with every problem found, each located through ``source``.
    """
    if not isinstance(data, dict):
        raise InvalidInput(source.place([Problem((), "expected a mapping of programme fields")]))
    try:
        programme = Programme.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(source.place(problems_from_validation(error, data))) from None
    problems = check_programme(programme, forms().keys(), builtin_scales(), checklist_items())
    if problems:
        raise InvalidInput(source.place(problems))
    return programme
