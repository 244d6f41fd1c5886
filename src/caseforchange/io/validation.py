"""Turn raw parsed data into a validated Programme, with every problem located."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from pydantic import ValidationError

from caseforchange.catalogue.forms import forms
from caseforchange.catalogue.reference import checklist_items
from caseforchange.catalogue.scales import builtin_scales
from caseforchange.domain.checks import check_programme
from caseforchange.domain.problems import InvalidInput, Path, Problem
from caseforchange.domain.programme import Programme
from caseforchange.io.limits import shorten
from caseforchange.io.yamlsource import SourceMap

#: Dates a programme may hold: charts, calendars and Word cannot place year 1 or 9999.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2199, 12, 31)


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
            message += f" (got {shorten(repr(given))})"
        problems.append(Problem(path, message))
    return problems


def _dates_out_of_range(data: Any, path: Path) -> Any:
    """Yield a problem for each out-of-range date or non-finite number in raw programme data.

    Dates must lie in 1900-2199; numbers must be finite (not .inf or .nan).
    """
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _dates_out_of_range(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _dates_out_of_range(value, (*path, index))
    elif isinstance(data, float) and not math.isfinite(data):
        yield Problem(path, f"{data} is not a finite number")
    elif isinstance(data, dt.date):
        day = data.date() if isinstance(data, dt.datetime) else data
        if not EARLIEST <= day <= LATEST:
            yield Problem(
                path,
                f"date {day.isoformat()} is outside {EARLIEST.year}–{LATEST.year}; "
                "is it a typing slip?",
            )


def validate_programme(data: Any, source: SourceMap) -> Programme:
    """Validate parsed programme data and its cross-references.

    Returns:
        The programme, when it has no problems.

    Raises:
        InvalidInput: with every problem found, each located through ``source``.
    """
    if not isinstance(data, dict):
        raise InvalidInput(source.place([Problem((), "expected a mapping of programme fields")]))
    out_of_range = list(_dates_out_of_range(data, ()))
    if out_of_range:
        raise InvalidInput(source.place(out_of_range))
    try:
        programme = Programme.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(source.place(problems_from_validation(error, data))) from None
    problems = check_programme(programme, forms().keys(), builtin_scales(), checklist_items())
    if problems:
        raise InvalidInput(source.place(problems))
    return programme
