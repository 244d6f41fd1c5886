"""Typed records that views hand to templates, in place of dictionaries with agreed keys.

The NHS.UK components read their parameters by name (``params.href``, ``params.text``); a
frozen dataclass with those attributes gives the same page while mypy checks every view.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    """A link a page shows, such as its back link: what it says and where it goes."""

    text: str
    href: str
