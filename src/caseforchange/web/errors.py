"""Turn the engine's located problems into the NHS.UK error summary's list."""

from __future__ import annotations

from typing import Any

from caseforchange.domain.problems import Problem


def field_id(name: str) -> str:
    """Return the HTML id of a form field, so error links can move focus to it."""
    return f"f-{name}".replace("_", "-").replace(".", "-")


def error_list(
    problems: list[Problem],
    fields: dict[str | int, str] | None = None,
    labels: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Return the error summary items: each problem's message, linked to its field when known.

    ``fields`` maps a path element (a field name) to the form field it belongs to; ``labels``
    names those form fields as the form shows them, so the summary says "Name: ..." rather
    than "options[0].name: ...".
    """
    items = []
    for problem in problems:
        target = "#maincontent"
        text = f"{problem.field()}: {problem.message}"
        for part in reversed(problem.path):
            if fields and part in fields:
                target = "#" + field_id(fields[part])
                if labels and fields[part] in labels:
                    text = f"{labels[fields[part]]}: {problem.message}"
                break
        items.append({"text": text, "href": target})
    return items
