"""Read the catalogue's data files shipped inside the package.

The data is JSON, parsed with the standard library, so the engine needs no YAML parser (the
layer contracts in pyproject.toml forbid it); user-facing files stay YAML and are read by io/.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def read_data(relative: str) -> Any:
    """Return the parsed JSON of a catalogue data file, e.g. ``"forms.json"``.

    Raises:
        FileNotFoundError: when the package does not ship that file (a packaging bug).
    """
    text = resources.files("caseforchange.catalogue").joinpath(relative).read_text("utf-8")
    return json.loads(text)


def list_data(folder: str) -> list[str]:
    """Return the names of the JSON files in a catalogue folder, sorted."""
    root = resources.files("caseforchange.catalogue").joinpath(folder)
    return sorted(p.name for p in root.iterdir() if p.name.endswith(".json"))
