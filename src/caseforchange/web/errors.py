"""The error summary's items: one typed record per problem, linked to the field it is about.

Every page hands the NHS.UK error summary (``layout.jinja``) a list of :class:`ErrorItem`;
the summary reads ``item.text`` and ``item.href``. Problems from the engine, files and forms
(:class:`~caseforchange.domain.problems.Problem`, the located-problem type the command line
prints too) become items through :meth:`ErrorItem.of`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from caseforchange.domain.problems import Path, Problem

#: Where an item links when it is about no one field: the top of the page's content.
PAGE = "#maincontent"


def field_id(name: str) -> str:
    """Return the HTML id of a form field, so error links can move focus to it."""
    return f"f-{name}".replace("_", "-").replace(".", "-")


@dataclass(frozen=True)
class ErrorItem:
    """One line of the error summary: what is wrong, and the link that moves focus to it.

    Attributes:
        text: the line as the reader sees it, e.g. "Staff: 'lots' is not a whole number".
        href: the link target: ``#`` and a field's id, the page's content, or another page.
    """

    text: str
    href: str = PAGE

    @classmethod
    def on(cls, name: str, text: str) -> ErrorItem:
        """Return an item linked to the form field ``name`` (its id from :func:`field_id`)."""
        return cls(text, "#" + field_id(name))

    @classmethod
    def of(
        cls,
        problem: Problem,
        field: str | None = None,
        label: str | None = None,
        describe: Callable[[Path], str] | None = None,
    ) -> ErrorItem:
        """Return the item for a located problem.

        Args:
            problem: the problem, located by its path (and, from a file, its location).
            field: the form field it belongs on, when the form shows one.
            label: that field's label, which then names it ("Name: ...").
            describe: reads a path the form does not show as the reader knows it; by default
                the dotted field path ("options[0].name").

        Returns:
            "label: message" linked to the field; otherwise "where: message" linked to the
            page, or the message alone when the problem is about the whole record or file.
        """
        if field is not None and label is not None:
            return cls(f"{label}: {problem.message}", "#" + field_id(field))
        href = "#" + field_id(field) if field is not None else PAGE
        if not problem.path:
            return cls(problem.message, href)
        where = describe(problem.path) if describe else problem.field()
        return cls(f"{where}: {problem.message}", href)


def error_list(
    problems: list[Problem],
    fields: dict[str | int, str] | None = None,
    labels: dict[str, str] | None = None,
) -> list[ErrorItem]:
    """Return the error summary items: each problem's message, linked to its field when known.

    ``fields`` maps a path element (a field name) to the form field it belongs to; ``labels``
    names those form fields as the form shows them, so the summary says "Name: ..." rather
    than "options[0].name: ...".
    """
    items = []
    for problem in problems:
        text = f"{problem.field()}: {problem.message}"
        href = PAGE
        for part in reversed(problem.path):
            if fields and part in fields:
                href = "#" + field_id(fields[part])
                if labels and fields[part] in labels:
                    text = f"{labels[fields[part]]}: {problem.message}"
                break
        items.append(ErrorItem(text, href))
    return items
