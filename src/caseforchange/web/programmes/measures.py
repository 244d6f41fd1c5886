"""A measured criterion's value function as form text: read it, show it, place its problems.

A value function (``Criterion.value_function``) turns a measure such as cost in £ into a value
from 0 (worst) to 1 (best) by straight lines between points. The form shows its unit and its
points, one "measure value" a line; the domain model checks the rest (two points or more,
measures increasing, values from 0 to 1).
"""

from __future__ import annotations

import math
import re
from typing import Any

from caseforchange.domain.problems import Path, Problem

# Between the measure and its value: spaces, a tab, ";", ":" or "=" (a comma only when it is
# the one separator on the line, since 250,000 groups thousands).
_SEPARATOR = re.compile(r"[\s;:=]+")
_GROUPED = re.compile(r"^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")


def _number(token: str) -> float | None:
    """Return the number a token gives (250,000 and £250000 included), or None."""
    token = token.strip().lstrip("£$€").rstrip("%")
    if _GROUPED.match(token):
        token = token.replace(",", "")
    try:
        value = float(token)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_points(text: str) -> tuple[list[list[float]], list[Problem]]:
    """Read value-function points, one "measure value" a line (e.g. "250000 0").

    Returns:
        The points as [measure, value] pairs, and a problem on the ``points`` field for each
        line that is not two numbers.
    """
    points: list[list[float]] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = [p for p in _SEPARATOR.split(line.strip()) if p]
        if not parts:
            continue
        if len(parts) == 1 and parts[0].count(",") == 1:
            parts = parts[0].split(",")
        numbers = [_number(p) for p in parts]
        if len(numbers) != 2 or numbers[0] is None or numbers[1] is None:
            problems.append(
                Problem(
                    ("points",),
                    f"line {number}: give the measure, then its value from 0 to 1, "
                    "for example: 250000 0",
                )
            )
            continue
        points.append([numbers[0], numbers[1]])
    return points, problems


def read_value_function(unit: str, text: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Return the value function the unit and points fields describe (None when both are blank).

    Lines that cannot be read are left out of the points, so what the domain model says about
    the rest (too few points, say) lands on the same field as the unreadable lines.

    Returns:
        The value function as raw data, and a problem for each unreadable line.
    """
    points, problems = read_points(text)
    function: dict[str, Any] = {}
    if unit.strip():
        function["unit"] = unit.strip()
    if points or problems:
        function["points"] = points
    return function or None, problems


def _text(x: float) -> str:
    # Fifteen significant figures show 250000 as 250000, not 2.5e+05, and 0.1 as 0.1.
    return f"{x:.15g}"


def form_text(function: dict[str, Any] | None) -> tuple[str, str]:
    """Return the unit and points fields' text for a stored value function."""
    if not function:
        return "", ""
    points = "\n".join(f"{_text(m)} {_text(v)}" for m, v in function.get("points", []))
    return str(function.get("unit", "")), points


def on_form(problem: Problem, prefix: Path) -> Problem:
    """Return a problem about the criterion at ``prefix``'s value function on its form field.

    The unit's problems go on the unit field; every other (too few points, measures not
    increasing, values outside 0 to 1) on the points field.
    """
    path = problem.path
    at = len(prefix)
    if path[:at] != prefix or path[at : at + 1] != ("value_function",):
        return problem
    name = "unit" if path[at + 1 : at + 2] == ("unit",) else "points"
    return Problem((*prefix, name), problem.message)
