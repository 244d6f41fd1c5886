"""Read the catalogue's data files shipped inside the package."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def read_data(relative: str) -> Any:
    """Return the parsed YAML of a catalogue data file, e.g. ``"forms.yaml"``.

    Raises:
        FileNotFoundError: when the package does not ship that file (a packaging bug).
    """
    text = resources.files("caseforchange.catalogue").joinpath(relative).read_text("utf-8")
    return yaml.safe_load(text)


def list_data(folder: str) -> list[str]:
    """Return the names of the YAML files in a catalogue folder, sorted."""
    root = resources.files("caseforchange.catalogue").joinpath(folder)
    return sorted(p.name for p in root.iterdir() if p.name.endswith(".yaml"))
