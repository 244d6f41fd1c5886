"""Hypothesis strategies for valid programmes, shared by the tests of every context.

``programmes()`` draws a whole programme whose references, scales and scores are consistent,
so it passes ``validate_programme``. Texts use any printable Unicode (quotes, accents, CJK,
emoji, newlines) but no control characters, which neither YAML nor Excel can hold faithfully;
numbers keep 15 significant digits, Excel's precision.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from caseforchange.catalogue.forms import forms
from caseforchange.catalogue.scales import builtin_scales
from caseforchange.domain.criteria import Direction, WeightingMethod
from caseforchange.domain.engagement import ActivityKind
from caseforchange.domain.organisations import OrganisationKind
from caseforchange.domain.panels import Distribution
from caseforchange.domain.programme import Aggregation, Programme, WeightInformation
from caseforchange.domain.services import ClientGroup, DependencyKind, Tier
from caseforchange.io.validation import validate_programme
from caseforchange.io.yamlsource import SourceMap

_CHARACTERS = st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Co")) | st.just("\n")


def ids() -> st.SearchStrategy[str]:
    """Identifiers as users write them (letters, digits, '-', '_', '.')."""
    return st.from_regex(r"[a-z0-9][a-z0-9_.\-]{0,8}", fullmatch=True)


def texts(max_size: int = 24, *, exclude: str = "") -> st.SearchStrategy[str]:
    """Non-empty, trimmed printable texts (optionally without some characters)."""
    alphabet = _CHARACTERS.filter(lambda c: c not in exclude) if exclude else _CHARACTERS
    return (
        st.text(alphabet=alphabet, min_size=1, max_size=max_size)
        .map(str.strip)
        .filter(lambda s: bool(s) and s == s.strip())
    )


def numbers(low: float, high: float) -> st.SearchStrategy[float]:
    """Floats in ``low..high`` with at most 15 significant digits."""
    return (
        st.floats(low, high, allow_nan=False, allow_infinity=False, allow_subnormal=False)
        # Adding 0.0 turns -0.0 into 0.0: a sign on zero is not something users write.
        .map(lambda x: float(f"{x:.15g}") + 0.0)
        .filter(lambda x: low <= x <= high)
    )


def dates() -> st.SearchStrategy[dt.date]:
    """Dates in the span a programme can plausibly cover."""
    return st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31))


def times() -> st.SearchStrategy[dt.time]:
    """Times of day to the second."""
    return st.builds(dt.time, st.integers(0, 23), st.integers(0, 59), st.integers(0, 59))


def _maybe(draw: st.DrawFn, strategy: st.SearchStrategy[Any]) -> Any:
    return draw(st.none() | strategy)


def _unique_ids(draw: st.DrawFn, low: int, high: int) -> list[str]:
    return draw(st.lists(ids(), min_size=low, max_size=high, unique=True))


def _values(enum: type[Any]) -> st.SearchStrategy[str]:
    return st.sampled_from([m.value for m in enum])


@st.composite
def _value_function(draw: st.DrawFn) -> dict[str, Any]:
    xs = sorted(draw(st.lists(numbers(-1e7, 1e7), min_size=2, max_size=4, unique=True)))
    return {
        "unit": draw(texts(8)),
        "points": [[x, draw(numbers(0.0, 1.0))] for x in xs],
    }


@st.composite
def _scale(draw: st.DrawFn, scale_id: str) -> dict[str, Any]:
    pass_fail = draw(st.booleans())
    low, high = (
        (0.0, 1.0)
        if pass_fail
        else sorted(draw(st.sets(numbers(-100, 100), min_size=2, max_size=2)))
    )
    values = draw(st.lists(numbers(low, high), max_size=3, unique=True))
    return {
        "id": scale_id,
        "name": draw(texts()),
        "min": low,
        "max": high,
        "pass_fail": pass_fail,
        "points": [{"value": v, "label": draw(texts())} for v in sorted(values)],
    }


@st.composite
def programmes(draw: st.DrawFn) -> Programme:
    """Draw a valid programme: every reference resolves, every score lies on its scale."""
    org_ids = _unique_ids(draw, 1, 4)
    org = st.sampled_from(org_ids)
    organisations = [
        {
            "id": oid,
            "name": draw(texts()),
            "kind": draw(_values(OrganisationKind)),
            "short_name": _maybe(draw, texts(10)),
            "ods_code": _maybe(draw, st.from_regex(r"[A-Z0-9]{3,6}", fullmatch=True)),
            "notes": _maybe(draw, texts(60)),
        }
        for oid in org_ids
    ]
    service_ids = _unique_ids(draw, 0, 4)
    services = [
        {
            "id": sid,
            "name": draw(texts()),
            "client_group": draw(_values(ClientGroup)),
            "tier": draw(_values(Tier)),
            "budget_gbp": _maybe(draw, numbers(0, 1e9)),
            "staff_wte": _maybe(draw, numbers(0, 5000)),
            "current_provider": draw(org),
            "localities": draw(st.lists(texts(12, exclude=";"), max_size=3)),
            "description": _maybe(draw, texts(60)),
        }
        for sid in service_ids
    ]
    dependencies = []
    if service_ids:
        for rule_id in _unique_ids(draw, 0, 2):
            kinds = [k.value for k in DependencyKind]
            if len(service_ids) < 2:
                kinds = [DependencyKind.DO_NOT_SPLIT.value]
            kind = draw(st.sampled_from(kinds))
            least = 1 if kind == DependencyKind.DO_NOT_SPLIT.value else 2
            dependencies.append(
                {
                    "id": rule_id,
                    "kind": kind,
                    "services": draw(
                        st.lists(st.sampled_from(service_ids), min_size=least, unique=True)
                    ),
                    "reason": draw(texts()),
                    "raised_by": _maybe(draw, texts()),
                }
            )
    destination = org | st.lists(org, min_size=1, max_size=2, unique=True)
    options = [
        {
            "id": option_id,
            "name": draw(texts()),
            "form": draw(st.sampled_from(sorted(forms()))),
            "provider": _maybe(draw, org),
            "description": _maybe(draw, texts(60)),
            "configuration": (
                None
                if not service_ids or draw(st.booleans())
                else {
                    sid: draw(destination)
                    for sid in draw(st.lists(st.sampled_from(service_ids), min_size=1, unique=True))
                }
            ),
            "business_as_usual": draw(st.booleans()),
            "do_minimum": draw(st.booleans()),
            "stage_reached": _maybe(draw, texts(12)),
        }
        for option_id in _unique_ids(draw, 0, 4)
    ]

    # The criteria framework: its own scales, then a tree of one to three levels.
    own_scales = [draw(_scale(f"own-{sid}")) for sid in _unique_ids(draw, 0, 2)]
    scales = {**{k: v.model_dump() for k, v in builtin_scales().items()}}
    scales.update({s["id"]: s for s in own_scales})
    pass_fail_scales = [k for k, s in scales.items() if s["pass_fail"]]
    other_scales = [k for k, s in scales.items() if not s["pass_fail"]]
    method = draw(_values(WeightingMethod))
    # A counter keeps criterion ids unique across the whole tree (up to 39 criteria).
    counter = iter(range(1000))

    def criteria(level: int) -> list[dict[str, Any]]:
        weighted = draw(st.booleans())
        siblings = []
        for _ in range(draw(st.integers(1, 3))):
            record: dict[str, Any] = {
                "id": f"{draw(ids())}-{next(counter)}",
                "name": draw(texts()),
                "description": _maybe(draw, texts(60)),
                "weight": draw(numbers(0.1, 100)) if weighted else None,
                "rank": (
                    draw(st.integers(1, 9))
                    if method == WeightingMethod.RANK_ORDER_CENTROID.value
                    else _maybe(draw, st.integers(1, 9))
                ),
                "direction": draw(_values(Direction)),
            }
            if level < 3 and draw(st.integers(0, 2)) == 0:
                record["children"] = criteria(level + 1)
            elif draw(st.integers(0, 3)) == 0:
                record["hurdle"] = True
                record["scale"] = _maybe(draw, st.sampled_from(pass_fail_scales))
            else:
                function = _maybe(draw, _value_function())
                record["value_function"] = function
                scale = st.sampled_from(other_scales)
                record["scale"] = draw(scale) if function is None else _maybe(draw, scale)
            siblings.append(record)
        return siblings

    tree = criteria(1)
    flat: list[dict[str, Any]] = []

    def walk(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            flat.append(node)
            walk(node.get("children", []))

    walk(tree)
    leaves = [c for c in flat if not c.get("children")]
    ahp: dict[str, list[list[float]]] = {}
    if method == WeightingMethod.AHP.value:
        for key, size in [("root", len(tree))] + [
            (c["id"], len(c["children"])) for c in flat if c.get("children")
        ]:
            if draw(st.booleans()):
                ahp[key] = [[draw(numbers(0.1, 9)) for _ in range(size)] for _ in range(size)]
    framework = {
        "id": draw(ids()),
        "name": draw(texts()),
        "source": _maybe(draw, texts(60)),
        "description": _maybe(draw, texts(60)),
        "weighting": {
            "method": method,
            "set_by": _maybe(draw, texts()),
            "date": _maybe(draw, texts(10)),
            "note": _maybe(draw, texts(60)),
            "ahp": ahp,
            "accept_inconsistency": draw(st.booleans()),
        },
        "scales": own_scales,
        "criteria": tree,
    }

    stakeholder_ids = _unique_ids(draw, 0, 3)
    stakeholders = [
        {
            "id": gid,
            "name": draw(texts()),
            "kind": _maybe(draw, texts(12)),
            "organisation": _maybe(draw, org),
            "interest": _maybe(draw, st.integers(1, 5)),
            "influence": _maybe(draw, st.integers(1, 5)),
            "size": _maybe(draw, st.integers(0, 100_000)),
        }
        for gid in stakeholder_ids
    ]
    panels = [
        {
            "id": pid,
            "name": draw(texts()),
            "group": _maybe(draw, st.sampled_from(stakeholder_ids)) if stakeholder_ids else None,
            "weight": draw(numbers(0, 10)),
            "members": [
                {
                    "id": mid,
                    "name": draw(texts()),
                    "organisation": _maybe(draw, org),
                    "role": _maybe(draw, texts()),
                }
                for mid in _unique_ids(draw, 0, 3)
            ],
        }
        for pid in _unique_ids(draw, 0, 3)
    ]
    milestone_ids = _unique_ids(draw, 0, 3)
    milestones = [
        {
            "id": mid,
            "name": draw(texts()),
            "date": _maybe(draw, dates()),
            "description": _maybe(draw, texts(60)),
        }
        for mid in milestone_ids
    ]
    activities = []
    for aid in _unique_ids(draw, 0, 3):
        day = _maybe(draw, dates())
        end_day = None
        if day is not None and draw(st.booleans()):
            end_day = day + dt.timedelta(days=draw(st.integers(0, 30)))
        start, end = _maybe(draw, times()), _maybe(draw, times())
        if start is not None and end is not None and (end_day is None or end_day == day):
            if start == end:
                end = None
            elif end < start:
                start, end = end, start
        activities.append(
            {
                "id": aid,
                "kind": draw(_values(ActivityKind)),
                "title": draw(texts()),
                "date": day,
                "end_date": end_day,
                "start_time": start,
                "end_time": end,
                "venue": _maybe(draw, texts()),
                "audience": (
                    draw(st.lists(st.sampled_from(stakeholder_ids), unique=True))
                    if stakeholder_ids
                    else []
                ),
                "capacity": _maybe(draw, st.integers(0, 10_000)),
                "milestone": (
                    _maybe(draw, st.sampled_from(milestone_ids)) if milestone_ids else None
                ),
                "notes": _maybe(draw, texts(60)),
            }
        )

    scores = []
    seen: set[tuple[str, str, str | None, str | None]] = set()
    if options:
        for _ in range(draw(st.integers(0, 8))):
            option = draw(st.sampled_from([o["id"] for o in options]))
            criterion = draw(st.sampled_from(leaves))
            panel = draw(st.sampled_from(panels)) if panels else None
            members = [m["id"] for m in panel["members"]] if panel else []
            member = _maybe(draw, st.sampled_from(members)) if members else None
            key = (option, criterion["id"], panel["id"] if panel else None, member)
            if key in seen:
                continue
            seen.add(key)
            scale_id = criterion.get("scale") or ("pass-fail" if criterion.get("hurdle") else None)
            scale = scales.get(scale_id or "")
            score: dict[str, Any] = {
                "option": option,
                "criterion": criterion["id"],
                "panel": key[2],
                "member": member,
                "rationale": _maybe(draw, texts(60)),
            }
            if scale is not None and scale["pass_fail"]:
                score["value"] = draw(st.sampled_from([0.0, 1.0]))
            else:
                low, high = (scale["min"], scale["max"]) if scale else (-1e6, 1e6)
                bounds = sorted(draw(st.lists(numbers(low, high), min_size=3, max_size=3)))
                shape = draw(st.sampled_from(["point", "range", "range and value"]))
                if shape == "point":
                    score["value"] = bounds[1]
                    score["distribution"] = _maybe(draw, st.just(Distribution.POINT.value))
                else:
                    score["low"], score["high"] = bounds[0], bounds[2]
                    kinds = [d.value for d in Distribution]
                    if shape == "range":
                        kinds = [Distribution.UNIFORM.value, Distribution.POINT.value]
                    else:
                        score["value"] = bounds[1]
                    score["distribution"] = _maybe(draw, st.sampled_from(kinds))
            scores.append(score)

    information = draw(_values(WeightInformation))
    intervals: dict[str, list[float]] = {}
    for criterion in draw(st.lists(st.sampled_from(flat), unique_by=lambda c: c["id"], max_size=3)):
        intervals[criterion["id"]] = sorted(draw(st.lists(numbers(0, 1), min_size=2, max_size=2)))
    if information == WeightInformation.INTERVALS.value and not intervals:
        intervals[flat[0]["id"]] = [0.0, 1.0]
    illustrative = draw(st.booleans())
    start = _maybe(draw, dates())
    end = _maybe(draw, dates())
    if start and end and end < start:
        start, end = end, start
    data = {
        "id": draw(ids()),
        "title": draw(texts()),
        "commissioner": draw(org),
        "scope": draw(texts(80)),
        "decision_date": _maybe(draw, dates()),
        "timetable": {"start": start, "end": end},
        "characteristics": draw(st.lists(texts(80), max_size=3)),
        "provenance": {
            "sources": draw(st.lists(texts(60), max_size=2)),
            "illustrative": illustrative,
            "note": draw(texts(60)) if illustrative else _maybe(draw, texts(60)),
        },
        "organisations": organisations,
        "services": services,
        "dependencies": dependencies,
        "options": options,
        "framework": framework,
        "panels": panels,
        "appraisal": {
            "aggregation": draw(_values(Aggregation)),
            "samples": draw(st.integers(1, 1_000_000)),
            "seed": draw(st.integers(-(2**31), 2**31)),
            "weight_information": information,
            "weight_intervals": intervals,
        },
        "stakeholders": stakeholders,
        "activities": activities,
        "milestones": milestones,
        "scores": scores,
    }
    # A mistake in this strategy should fail loudly here, not look like a reader bug.
    return validate_programme(data, SourceMap(default="strategy"))
