"""Built-in criteria frameworks from the source documents."""

from __future__ import annotations

from functools import cache

from caseforchange.catalogue.loader import list_data, read_data
from caseforchange.domain.criteria import CriteriaFramework


@cache
def frameworks() -> dict[str, CriteriaFramework]:
    """Return every built-in criteria framework keyed by id."""
    found = (
        CriteriaFramework.model_validate(read_data(f"frameworks/{name}"))
        for name in list_data("frameworks")
    )
    return {f.id: f for f in found}


def framework(framework_id: str) -> CriteriaFramework:
    """Return a deep copy of one built-in framework, safe to modify.

    Raises:
        KeyError: when no built-in framework has that id.
    """
    return frameworks()[framework_id].model_copy(deep=True)
