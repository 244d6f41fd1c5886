"""One shape for every edit page: show the form, read a post, save it or show what is wrong.

Each edit page of the web app (a programme's details, a record, a criterion, a scale, the
appraisal settings, a flow team, ...) does the same steps around its own reading and saving:

1. show the stored values and the revision they come from;
2. on a post, note the revision the editor began from and keep what they typed;
3. let the view change and save the data (the domain model validates it, the audit chain
   refuses an edit begun from an older revision);
4. when saved, say so and go on; otherwise place each problem on its field and show the form
   again with the typed values.

:func:`edit_page` does steps 1, 2 and 4; the view gives it step 3 as ``save``. The page gets
an :class:`EditForm`, a typed record of what the form shows, instead of loose context keys.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from caseforchange.domain.problems import Problem
from caseforchange.web.errors import ErrorItem, field_id


@dataclass
class EditForm:
    """What an edit form shows: its fields' text, the problems found, and the revision.

    Attributes:
        values: each field's text: the stored value, or what the editor typed.
        revision: the revision the editor began from; saving refuses an older one.
        errors: the error summary's items.
        field_errors: each form field's first message, shown on the field.
    """

    values: dict[str, str]
    revision: int
    errors: list[ErrorItem] = field(default_factory=list)
    field_errors: dict[str, str] = field(default_factory=dict)

    def context(self) -> dict[str, Any]:
        """Return the names the edit templates and the layout's error summary read."""
        return {
            "values": self.values,
            "revision": self.revision,
            "errors": self.errors,
            "field_errors": self.field_errors,
            "field_id": field_id,
        }


@dataclass(frozen=True)
class Saved:
    """An edit that was saved: what to tell the editor, and the address to go to next."""

    message: str
    to: str


#: Places problems on a form: the error summary's items and each field's first message.
Placer = Callable[[list[Problem]], tuple[list[ErrorItem], dict[str, str]]]


def posted_revision(post: Mapping[str, Any], missing: int) -> int:
    """Return the revision a posted form says it began from.

    Args:
        post: the posted form.
        missing: the revision to assume when the form has none (the current one, or -1 where
            a form without one must be treated as stale).

    Returns:
        The revision; -1 (always stale) when the field is not a whole number, so a mangled
        form never overwrites someone else's edit.
    """
    text = post.get("revision")
    if text is None:
        return missing
    try:
        return int(str(text))
    except ValueError:
        return -1


def edit_page(
    request: HttpRequest,
    form: EditForm,
    *,
    read: Callable[[Any], dict[str, str]],
    save: Callable[[int], Saved | list[Problem]],
    place: Placer,
    show: Callable[[EditForm], HttpResponse],
    missing_revision: int | None = None,
) -> HttpResponse:
    """Show an edit form, or apply a posted one: save it and go on, or show its problems.

    Args:
        request: the GET or POST request.
        form: the form as stored (values and the current revision).
        read: returns the fields' text from the posted form, to show again on a problem.
        save: changes and saves the data from the posted form, given the revision the editor
            began from; returns :class:`Saved` or the problems found (nothing saved).
        place: puts problems on the form's fields (see :class:`Placer`).
        show: renders the page for the form.
        missing_revision: the revision assumed when the post has none; by default the
            form's own (current) revision.

    Returns:
        A redirect after a save (with a success message), otherwise the page.
    """
    if request.method == "POST":
        fallback = form.revision if missing_revision is None else missing_revision
        form.revision = posted_revision(request.POST, fallback)
        form.values = read(request.POST)
        outcome = save(form.revision)
        if isinstance(outcome, Saved):
            messages.success(request, outcome.message)
            return redirect(outcome.to)
        form.errors, form.field_errors = place(outcome)
    return show(form)
