"""The one Jinja environment factory: every report, paper, letter and web page template.

``new_environment`` is the only place a Jinja ``Environment`` is made; its callers add their
own globals and filters. HTML is escaped unless a caller says its templates are plain text.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    Undefined,
)


def new_environment(
    loaders: Sequence[BaseLoader],
    *,
    html: bool = True,
    undefined: type[Undefined] = StrictUndefined,
    **options: Any,
) -> Environment:
    """Return a Jinja environment over ``loaders``, searched in order.

    Args:
        loaders: where templates are found; the first that has a name wins.
        html: escape every value (the default). False only for plain-text templates whose
            renderer escapes each block for its own format (the letters' Word output).
        undefined: what an unknown name becomes; strict (an error) unless a caller says.
        **options: further ``Environment`` options (Django's ``auto_reload``, whitespace).

    Returns:
        The environment, with no globals or filters beyond Jinja's own.
    """
    return Environment(
        loader=ChoiceLoader(list(loaders)), autoescape=html, undefined=undefined, **options
    )


@cache
def _shipped() -> PackageLoader:
    return PackageLoader("caseforchange.reports", "templates")


def environment(*, html: bool = True, folder: Path | None = None) -> Environment:
    """Return a Jinja environment over the reports' shipped templates.

    ``html`` turns autoescaping on (HTML templates) or off (plain-text templates, whose
    renderers escape each block themselves). A ``folder`` holding the user's own templates is
    searched first, so a programme can override a shipped template by name. Undefined names
    are errors, so a mistyped field in a user's template is reported, not left blank.
    """
    loaders: list[BaseLoader] = []
    if folder is not None and folder.is_dir():
        loaders.append(FileSystemLoader(str(folder)))
    loaders.append(_shipped())
    return new_environment(loaders, html=html, trim_blocks=True, lstrip_blocks=True)


@cache
def shipped_environment(html: bool = True) -> Environment:
    """Return the (cached) environment over the shipped templates only."""
    return environment(html=html)
