"""The example programmes built from the source documents, shipped inside the package."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

EXAMPLE_IDS = (
    "hertfordshire-2007",
    "shropshire-telford-2010",
    "leicester-children-2010",
    "plymouth-2010",
)


def example_path(example_id: str) -> Path:
    """Return the folder of a shipped example programme.

    Raises:
        KeyError: when there is no example with that id.
    """
    if example_id not in EXAMPLE_IDS:
        raise KeyError(example_id)
    return Path(str(resources.files("caseforchange.examples").joinpath(example_id)))
