"""The one Jinja environment factory for every report, paper and letter template."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
)


@cache
def _shipped() -> PackageLoader:
    return PackageLoader("caseforchange.reports", "templates")


def environment(*, html: bool = True, folder: Path | None = None) -> Environment:
    """Return a Jinja environment over the shipped templates.

    ``html`` turns autoescaping on (HTML templates) or off (plain-text templates, whose
    renderers escape each block themselves). A ``folder`` holding the user's own templates is
    searched first, so a programme can override a shipped template by name. Undefined names
    are errors, so a mistyped field in a user's template is reported, not left blank.
    """
    loaders: list[BaseLoader] = []
    if folder is not None and folder.is_dir():
        loaders.append(FileSystemLoader(str(folder)))
    loaders.append(_shipped())
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=html,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )


@cache
def shipped_environment(html: bool = True) -> Environment:
    """Return the (cached) environment over the shipped templates only."""
    return environment(html=html)
