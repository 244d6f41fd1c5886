"""Built-in scoring scales that every programme may use by id."""

from __future__ import annotations

from functools import cache

from caseforchange.catalogue.loader import read_data
from caseforchange.domain.criteria import Scale


@cache
def builtin_scales() -> dict[str, Scale]:
    """Return the built-in scales (``0-10``, ``1-5``, ``0-5``, ``pass-fail``) keyed by id."""
    return {s.id: s for s in (Scale.model_validate(x) for x in read_data("scales.json"))}


def scales_for(framework_scales: list[Scale]) -> dict[str, Scale]:
    """Return the scales a framework can use: built-ins, overridden by its own by id."""
    return {**builtin_scales(), **{s.id: s for s in framework_scales}}
