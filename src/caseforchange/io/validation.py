"""Turn raw parsed data into a validated Programme, with every problem located."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
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


def _shown(given: Any) -> str | None:
    """Return the value a user gave, quoted as they would recognise it; None for structures."""
    if given is None or isinstance(given, dict | list | tuple | set):
        return None
    return shorten(repr(given))


def _bound(limit: Any) -> str:
    """Return a limit from a field's constraint as a person writes it: 0, not 0.0."""
    if isinstance(limit, float) and limit.is_integer() and abs(limit) < 1e15:
        return str(int(limit))
    return str(limit)


#: Plain wording for pydantic's common error types: {value} is the value given (quoted when
#: text), {limit} the constraint's limit, {expected} the allowed choices. Each is read after
#: the field's name, e.g. "staff: 'lots' is not a whole number".
_PLAIN: dict[str, str] = {
    "int_parsing": "{value} is not a whole number",
    "int_type": "{value} is not a whole number",
    "int_from_float": "{value} is not a whole number",
    "float_parsing": "{value} is not a number",
    "float_type": "{value} is not a number",
    "finite_number": "{value} is not a finite number",
    "greater_than": "{value} is too small: it must be more than {limit}",
    "greater_than_equal": "{value} is too small: it must be {limit} or more",
    "less_than": "{value} is too large: it must be less than {limit}",
    "less_than_equal": "{value} is too large: it must be {limit} or less",
    "literal_error": "{value} is not one of the choices: {expected}",
    "enum": "{value} is not one of the choices: {expected}",
    "bool_parsing": "{value} is not yes or no (write true or false)",
    "bool_type": "{value} is not yes or no (write true or false)",
    "date_parsing": "{value} is not a date (write it as YYYY-MM-DD)",
    "date_from_datetime_parsing": "{value} is not a date (write it as YYYY-MM-DD)",
    "date_type": "{value} is not a date (write it as YYYY-MM-DD)",
    "string_type": "{value} is not text",
    "string_too_long": "is {length} characters long: at most {limit} are allowed",
    "string_too_short": "is too short: at least {limit} characters are needed",
}

#: Wording that needs no value: the field is absent, or should not be there at all.
_NO_VALUE: dict[str, str] = {
    "missing": "is missing: a value is required",
    "extra_forbidden": "is not a field that belongs here: check its spelling or remove it",
}

#: Limits on a number, whose value reads as the number even when it came as text.
_BOUNDS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}

#: The keys of a constraint's context that give its limit, per error type.
_LIMIT_KEYS = ("gt", "ge", "lt", "le", "max_length", "min_length")


def plain_message(item: Mapping[str, Any]) -> str:
    """Return one pydantic error (an entry of ``ValidationError.errors()``) in plain English.

    The message is read after the field's name, so it names the value the user gave and, for a
    limit or a choice, what is allowed: ``'lots' is not a whole number``, ``-3 is too small: it
    must be 0 or more``. A message a model's own validator wrote is kept as written (without
    pydantic's "Value error, " prefix), followed by the value given. Types with no plain
    wording here keep pydantic's message, followed by the value given.

    Returns:
        The message, without the field's name (the caller's location says that).
    """
    kind = str(item["type"])
    if kind in _NO_VALUE:
        return _NO_VALUE[kind]
    given = item.get("input")
    shown = _shown(given)
    context = item.get("ctx") or {}
    if kind in _PLAIN:
        if given is None:
            return "has no value: one is required"
        limit = next((context[k] for k in _LIMIT_KEYS if k in context), None)
        if kind in _BOUNDS and isinstance(given, str):
            shown = shorten(given)  # a number typed in a form: -3, not '-3'
        return _PLAIN[kind].format(
            value=shown if shown is not None else "the value",
            limit=_bound(limit),
            expected=context.get("expected", ""),
            length=len(given) if isinstance(given, str | list | dict) else "?",
        )
    message = str(item["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return message if shown is None else f"{message} (got {shown})"


def problems_from_validation(error: ValidationError, data: Any) -> list[Problem]:
    """Return one located-by-path problem per distinct field in a pydantic error.

    This is the one converter from pydantic's errors to problems: the command line and the web
    forms both read its plain wording (:func:`plain_message`).
    """
    problems: list[Problem] = []
    seen: set[Path] = set()
    for item in error.errors(include_url=False):
        path = _data_path(data, tuple(item["loc"]))
        if path in seen:
            continue
        seen.add(path)
        problems.append(Problem(path, plain_message(item)))
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
