"""Small programmes built in code for the appraisal tests."""

from __future__ import annotations

from typing import Any

from caseforchange.domain.programme import Programme


def programme(
    criteria: list[dict[str, Any]],
    scores: list[dict[str, Any]],
    options: list[str] | None = None,
    **extra: Any,
) -> Programme:
    """Return a valid programme with the given criteria and scores (scale 0-10 by default)."""
    names = options or sorted({s["option"] for s in scores})
    data: dict[str, Any] = {
        "id": "test",
        "title": "Test programme",
        "commissioner": "pct",
        "scope": "community services",
        "options": [
            {"id": o, "name": o.title(), "form": "in-house", "business_as_usual": i == 0}
            for i, o in enumerate(names)
        ],
        "framework": {"id": "fw", "name": "Framework", "criteria": criteria},
        "scores": scores,
    }
    for key, value in extra.items():
        if key in ("weighting", "scales"):
            data["framework"][key] = value
        else:
            data[key] = value
    return Programme.model_validate(data)


def leaf(cid: str, weight: float | None = None, **kw: Any) -> dict[str, Any]:
    """Return a leaf criterion on the 0-10 scale."""
    found: dict[str, Any] = {"id": cid, "name": cid.upper(), "scale": "0-10", **kw}
    if weight is not None:
        found["weight"] = weight
    return found


def grid(values: dict[str, list[float]], criteria: list[str]) -> list[dict[str, Any]]:
    """Return one point score per option and criterion."""
    return [
        {"option": o, "criterion": c, "value": v}
        for o, row in values.items()
        for c, v in zip(criteria, row, strict=True)
    ]
