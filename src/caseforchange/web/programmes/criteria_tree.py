"""The criteria tree and scales as raw programme data: find, move, rename, remove, describe.

These functions change the plain JSON of a programme (``data["framework"]``) in place; the
domain model validates the result before anything is saved, so they check only what the
domain model cannot see (a criterion moved under its own sub-criterion, for example).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from caseforchange.catalogue.scales import builtin_scales
from caseforchange.domain.criteria import Direction, WeightingMethod
from caseforchange.domain.problems import Path, Problem
from caseforchange.web.programmes.editing import Field, Section

Node = dict[str, Any]

CRITERION = Section(
    "criteria",
    "Criteria and weights",
    "criterion",
    (
        Field("id", "Id", hint="Letters, digits, hyphens: scores refer to it", required=True),
        Field("name", "Name", required=True),
        Field("description", "Description", "textarea"),
        Field("parent", "Part of", "select", blank="Top level (not part of a group)"),
        Field(
            "scale",
            "Scale",
            "select",
            blank="None: a group of criteria, or a measured criterion (below)",
            hint="Hurdles use a pass or fail scale",
        ),
        Field("hurdle", "This is a hurdle (pass or fail, used to make the short list)", "bool"),
        Field(
            "direction",
            "Direction",
            "select",
            (
                (Direction.MAXIMISE.value, "Maximise: more is better"),
                (Direction.MINIMISE.value, "Minimise: less is better"),
            ),
            required=True,
        ),
        Field(
            "unit",
            "Unit of measure",
            hint="For a criterion measured rather than scored, e.g. £ a year, or % within "
            "18 weeks; scores are then measures in this unit",
        ),
        Field(
            "points",
            "Value function",
            "textarea",
            hint="One point a line: a measure, then its value from 0 (worst) to 1 (best), "
            "e.g. 250000 0. Measures increase down the lines; values between points lie on "
            "straight lines. Blank for a criterion scored on a scale",
        ),
        Field("weight", "Weight", "number", hint="Share of its group; blank for equal weights"),
        Field("rank", "Rank", "number", hint="1 is most important; for rank-order weights"),
    ),
)

SCALE = Section(
    "scales",
    "Scales",
    "scale",
    (
        Field("id", "Id", hint="Criteria refer to it, e.g. 0-10", required=True),
        Field("name", "Name", required=True),
        Field("min", "Lowest value", "number", required=True),
        Field("max", "Highest value", "number", required=True),
        Field(
            "points",
            "Labelled points",
            "textarea",
            hint="One a line: the value, then its label, for example: 5 Partly meets",
        ),
        Field("pass_fail", "This is a pass or fail scale (0 fail, 1 pass)", "bool"),
    ),
)

WEIGHTING = Section(
    "weighting",
    "Weighting",
    "weighting",
    (
        Field(
            "method",
            "Weighting method",
            "select",
            tuple((m.value, m.value.replace("_", " ").capitalize()) for m in WeightingMethod),
            required=True,
        ),
        Field("set_by", "Weights set by", hint="For example: Programme Board"),
        Field("date", "When", hint="For example: 12 May 2010"),
        Field("note", "Note", "textarea"),
        Field("accept_inconsistency", "Accept inconsistent AHP comparisons", "bool"),
    ),
)


def criteria_of(data: dict[str, Any]) -> list[Node]:
    """Return the top-level criteria list of a programme's raw data."""
    criteria: list[Node] = data["framework"]["criteria"]
    return criteria


def walk(
    criteria: list[Node], base: Path = ("framework", "criteria")
) -> Iterator[tuple[Path, Node]]:
    """Yield every criterion with its path in the programme, depth first."""
    for index, node in enumerate(criteria):
        path = (*base, index)
        yield path, node
        yield from walk(node.get("children", []), (*path, "children"))


def find(criteria: list[Node], cid: str) -> tuple[list[Node], int, Node | None] | None:
    """Return (the list holding the criterion, its index there, its parent), or None."""

    def search(
        siblings: list[Node], parent: Node | None
    ) -> tuple[list[Node], int, Node | None] | None:
        for index, node in enumerate(siblings):
            if node.get("id") == cid:
                return siblings, index, parent
            found = search(node.get("children", []), node)
            if found:
                return found
        return None

    return search(criteria, None)


def path_to(criteria: list[Node], target: Node) -> Path:
    """Return the programme path of this very criterion (empty when it is not in the tree).

    Found by identity, not id, so a criterion given a duplicate id is still told apart.
    """
    return next((path for path, node in walk(criteria) if node is target), ())


def subtree_ids(node: Node) -> set[str]:
    """Return the ids of a criterion and all its sub-criteria."""
    return {n["id"] for _, n in walk([node])}


def parent_choices(criteria: list[Node], moving: Node | None) -> list[tuple[str, str]]:
    """Return the criteria a criterion may be placed under: not itself, its subtree or hurdles."""
    barred = subtree_ids(moving) if moving else set()
    return [
        (node["id"], "\u2003" * (len(path) // 2 - 1) + str(node.get("name") or node["id"]))
        for path, node in walk(criteria)
        if node["id"] not in barred and not node.get("hurdle")
    ]


def scale_choices(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Return the scales a criterion may use: the programme's own, then the built-in ones."""
    own = [(s["id"], f"{s['name']} ({s['id']})") for s in data["framework"].get("scales", [])]
    known = {k for k, _ in own}
    builtin = [(k, f"{s.name} (built in)") for k, s in builtin_scales().items() if k not in known]
    return own + builtin


def place_criterion(criteria: list[Node], node: Node, parent_id: str | None) -> list[Problem]:
    """Put ``node`` at the end of ``parent_id``'s sub-criteria (top level when None).

    A criterion that was scored on a scale (or measured) becomes a group when it gains its
    first sub-criterion, and a group is not scored itself, so its scale and value function
    are dropped.

    Returns:
        A problem on the ``parent`` field when there is no such criterion.
    """
    if parent_id is None:
        criteria.append(node)
        return []
    found = find(criteria, parent_id)
    if found is None:
        return [Problem(("parent",), f"there is no criterion '{parent_id}'")]
    siblings, index, _ = found
    parent = siblings[index]
    if not parent.get("children"):
        parent.pop("scale", None)
        parent.pop("value_function", None)
    parent.setdefault("children", []).append(node)
    return []


def rename_criterion(data: dict[str, Any], old: str, new: str) -> None:
    """Make every reference to criterion ``old`` name ``new``: scores, intervals, AHP matrices."""
    if old == new:
        return
    for score in data.get("scores", []):
        if score.get("criterion") == old:
            score["criterion"] = new
    _rename_key(data.get("appraisal", {}).get("weight_intervals"), old, new)
    _rename_key(data["framework"].get("weighting", {}).get("ahp"), old, new)


def _rename_key(mapping: dict[str, Any] | None, old: str, new: str) -> None:
    if mapping and old in mapping:
        # Rebuild rather than pop/insert so the key keeps its place in the file.
        items = [(new if k == old else k, v) for k, v in mapping.items()]
        mapping.clear()
        mapping.update(items)


def scores_on(data: dict[str, Any], ids: set[str]) -> list[dict[str, Any]]:
    """Return the scores given on any of the criteria ``ids``."""
    return [s for s in data.get("scores", []) if s.get("criterion") in ids]


def remove_criterion(data: dict[str, Any], cid: str, *, with_scores: bool) -> list[Problem]:
    """Remove criterion ``cid``, its sub-criteria, and their weight intervals and AHP matrices.

    Returns:
        A problem (and no change) when scores are given on them and ``with_scores`` is False.
    """
    found = find(criteria_of(data), cid)
    if found is None:
        return [Problem((), f"there is no criterion '{cid}'")]
    siblings, index, _ = found
    ids = subtree_ids(siblings[index])
    scored = scores_on(data, ids)
    if scored and not with_scores:
        return [
            Problem(
                ("with_scores",),
                f"{len(scored)} scores are given on this criterion or its sub-criteria; tick "
                "the box to remove them too (the audit trail keeps what they were), or keep "
                "the criterion",
            )
        ]
    del siblings[index]
    data["scores"] = [s for s in data.get("scores", []) if s.get("criterion") not in ids]
    for key in ids:
        data.get("appraisal", {}).get("weight_intervals", {}).pop(key, None)
        data["framework"].get("weighting", {}).get("ahp", {}).pop(key, None)
    return []


def rename_scale(data: dict[str, Any], old: str, new: str) -> None:
    """Make every criterion on scale ``old`` use ``new``."""
    if old == new:
        return
    for _, node in walk(criteria_of(data)):
        if node.get("scale") == old:
            node["scale"] = new


def criteria_on_scale(data: dict[str, Any], sid: str) -> list[str]:
    """Return the ids of the criteria scored on scale ``sid``."""
    return [node["id"] for _, node in walk(criteria_of(data)) if node.get("scale") == sid]


_POINT = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*[=:,\t]?\s*(.*?)\s*$")


def read_points(text: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Read labelled points, one a line as "value label" (or "value = label", "value: label").

    Returns:
        The points, and a problem on the ``points`` field for each line that is not a point.
    """
    points: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _POINT.match(line)
        if match is None:
            problems.append(
                Problem(("points",), f"line {number}: start with a number, e.g. '5 Good'")
            )
        elif not match.group(2):
            problems.append(Problem(("points",), f"line {number}: give a label after the value"))
        else:
            points.append({"value": float(match.group(1)), "label": match.group(2)})
    return points, problems


def points_text(points: list[dict[str, Any]]) -> str:
    """Return labelled points as the form shows them, one "value label" a line."""
    return "\n".join(f"{p['value']:g} {p['label']}" for p in points)


def describe(data: dict[str, Any], path: Path) -> str:
    """Return where a problem is, as a person reads it: "Criterion 'x'", "Score 3 (a, b)"."""
    criteria = {p: n for p, n in walk(criteria_of(data))}
    for length in range(len(path), 0, -1):
        node = criteria.get(path[:length])
        if node is not None:
            rest = ".".join(str(p) for p in path[length:])
            return f"Criterion '{node['id']}'" + (f" ({rest})" if rest else "")
    if path[:1] == ("scores",) and len(path) > 1 and isinstance(path[1], int):
        scores = data.get("scores", [])
        if path[1] < len(scores):
            s = scores[path[1]]
            about = f"option '{s.get('option')}', criterion '{s.get('criterion')}'"
            return f"Score {path[1] + 1} ({about})"
    if path[:2] == ("framework", "scales") and len(path) > 2 and isinstance(path[2], int):
        scales = data["framework"].get("scales", [])
        if path[2] < len(scales):
            return f"Scale '{scales[path[2]].get('id')}'"
    return Problem(path, "").field()
