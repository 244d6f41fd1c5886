"""Forms for the key numbers of a flow model: a team or bed pool, demand, unit costs, the run.

Like every edit page: the form changes the raw flow document, the command line's validation
of ``flow.yaml`` says what is wrong, problems go next to their fields and nothing is saved; a
good save goes through the audit chain with the revision check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404, QueryDict

from caseforchange.domain.problems import Path, Problem
from caseforchange.web.programmes.editing import Field

#: Parameters of each duration kind, in the order they are asked for, with their labels.
DURATION_PARAMS = {
    "exponential": (("mean", "mean"),),
    "fixed": (("value", "value"),),
    "lognormal": (("mean", "mean"), ("sd", "standard deviation")),
    "gamma": (("mean", "mean"), ("cv", "coefficient of variation")),
    "triangular": (("low", "shortest"), ("mode", "most likely"), ("high", "longest")),
}


@dataclass
class FlowForm:
    """A form page: heading, intro, grouped fields, where each field is in the document."""

    heading: str
    intro: list[str]
    groups: list[tuple[str, list[Field]]]
    paths: dict[str, Path]
    values: dict[str, str] = field(default_factory=dict)

    def fields(self) -> list[Field]:
        """Return every field of the form, in order."""
        return [f for _, fs in self.groups for f in fs]

    def labels(self) -> dict[str, str]:
        """Return each field's label as the error summary names it (with its group)."""
        return {f.name: f"{g} – {f.label}" if g else f.label for g, fs in self.groups for f in fs}


def plain(value: Any) -> str:
    """Return a stored value as form text: 4.0 reads 4, None reads blank."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def get_at(data: Any, path: Path) -> Any:
    """Return the value at ``path`` in nested data, or None when any step is missing."""
    node = data
    for step in path:
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                return None
        elif not isinstance(node, dict) or step not in node:
            return None
        node = node[step]
    return node


def set_at(data: dict[str, Any], path: Path, value: Any) -> None:
    """Put ``value`` at ``path`` (making mappings on the way); None removes the key."""
    node: Any = data
    for step in path[:-1]:
        if isinstance(step, int):
            node = node[step]
        else:
            if not isinstance(node.get(step), dict | list):
                node[step] = {}
            node = node[step]
    last = path[-1]
    if value is None:
        if isinstance(node, dict):
            node.pop(last, None)
    else:
        node[last] = value


def with_values(form: FlowForm, data: dict[str, Any]) -> FlowForm:
    """Return the form with each field's stored value as its text."""
    form.values = {f.name: plain(get_at(data, form.paths[f.name])) for f in form.fields()}
    return form


def apply(form: FlowForm, data: dict[str, Any], post: QueryDict) -> None:
    """Write the posted text into the document: blank removes an optional figure.

    Text is stored as typed; the flow model's validation turns it into numbers or says, at the
    field, why it cannot.
    """
    for f in form.fields():
        text = str(post.get(f.name, "")).strip()
        path = form.paths[f.name]
        if f.kind == "bool":
            set_at(data, path, bool(text))
        else:
            # Blank: an optional figure takes its default; a required one is reported missing.
            set_at(data, path, text or None)


def locate(form: FlowForm, problem: Problem) -> str | None:
    """Return the field a problem is about: its own path, a part of it, or its container.

    Pydantic names the kind of a duration in the path (``service.triangular``); that step is
    left out, so a rule across a duration's figures lands on its first field.
    """
    best: tuple[int, str] | None = None
    p = tuple(step for step in problem.path if step not in DURATION_PARAMS)
    for name, path in form.paths.items():
        if p == path:
            return name
        if path[: len(p)] == p or p[: len(path)] == path:
            score = min(len(p), len(path))
            if best is None or score > best[0]:
                best = (score, name)
    return best[1] if best else None


def _team_at(data: dict[str, Any], scope: str, team: str) -> tuple[Path, dict[str, Any]]:
    """Return the path and record of a team in the base model or in a scenario's own teams.

    Raises:
        Http404: no such scope or team.
    """
    prefix: Path
    if scope == "base":
        prefix = ("teams",)
    else:
        found = next(
            (j for j, s in enumerate(data.get("scenarios", [])) if s.get("id") == scope), None
        )
        if found is None or not data["scenarios"][found].get("teams"):
            raise Http404("no such scenario with teams of its own")
        prefix = ("scenarios", found, "teams")
    teams = get_at(data, prefix) or []
    for i, record in enumerate(teams):
        if record.get("id") == team:
            return (*prefix, i), record
    raise Http404("no such team")


def team_form(data: dict[str, Any], scope: str, team: str) -> FlowForm:
    """Return the form of one team or bed pool: staff or beds, episode, queue, hours.

    Raises:
        Http404: no such scope or team.
    """
    at, record = _team_at(data, scope, team)
    name = record.get("label") or team
    beds = "beds" in record
    paths: dict[str, Path] = {}
    capacity: list[Field] = []
    if beds:
        capacity.append(Field("beds", "Beds", "number", required=True))
        paths["beds"] = (*at, "beds")
    elif record.get("rota"):
        for k, shift in enumerate(record["rota"]):
            days = ", ".join(shift.get("days", []))
            label = f"Staff on shift {k + 1} ({days} {shift.get('start')}–{shift.get('end')})"
            capacity.append(Field(f"rota-{k}-staff", label, "number", required=True))
            paths[f"rota-{k}-staff"] = (*at, "rota", k, "staff")
    else:
        capacity.append(Field("staff", "Staff", "number", required=True))
        paths["staff"] = (*at, "staff")
    if not beds:
        capacity.append(
            Field(
                "caseload_per_staff",
                "Patients per member of staff at once",
                "number",
                hint="Places = staff × this. Blank means 1",
            )
        )
        paths["caseload_per_staff"] = (*at, "caseload_per_staff")
    kind = str((record.get("service") or {}).get("kind", "exponential"))
    what = "Length of stay" if beds else "Episode length"
    episode = []
    for key, label in DURATION_PARAMS.get(kind, ()):
        episode.append(Field(f"service-{key}", f"{what}: {label} (days)", "number", required=True))
        paths[f"service-{key}"] = (*at, "service", key)
    queue = [
        Field(
            "queue_limit",
            "Waiting places" if beds else "Queue limit",
            "number",
            hint="Blank means no limit; 0 means no waiting list",
        ),
    ]
    paths["queue_limit"] = (*at, "queue_limit")
    groups = [("Capacity", capacity), (what + f" ({kind})", episode), ("Queue", queue)]
    if not beds:
        cost = [
            Field(
                "hours_per_week",
                "Hours a week per member of staff",
                "number",
                hint="Blank means 37.5",
            ),
            Field(
                "contacts_per_week",
                "Contacts a week per patient in care",
                "number",
                hint="Blank means 1",
            ),
        ]
        paths["hours_per_week"] = (*at, "hours_per_week")
        paths["contacts_per_week"] = (*at, "contacts_per_week")
        groups.append(("For costs", cost))
    where = "the base model" if scope == "base" else f"scenario {scope}"
    form = FlowForm(
        f"{'Bed pool' if beds else 'Team'} {name}",
        [f"In {where}. Figures are in days and patients, as in flow.yaml."],
        groups,
        paths,
    )
    return with_values(form, data)


def demand_form(data: dict[str, Any]) -> FlowForm:
    """Return the form of the referral rates of every stream and the seasonal wave."""
    paths: dict[str, Path] = {}
    fields = []
    for i, a in enumerate(data.get("arrivals", [])):
        name = f"arrival-{i}-per_week"
        fields.append(
            Field(
                name,
                f"{a.get('source') or a.get('id')}: referrals per week",
                "number",
                required=True,
            )
        )
        paths[name] = ("arrivals", i, "per_week")
    season = [
        Field(
            "amplitude",
            "Seasonal wave: amplitude",
            "number",
            hint="0.1 means 10% above the average at the peak week and 10% below half a year on",
        ),
        Field("peak_week", "Seasonal wave: peak week (1 to 52)", "number"),
    ]
    paths["amplitude"] = ("seasonality", "amplitude")
    paths["peak_week"] = ("seasonality", "peak_week")
    form = FlowForm(
        "Demand",
        ["Referral rates are per week on average; scenarios may scale or grow them."],
        [("Referral streams", fields), ("Seasonality", season)],
        paths,
    )
    return with_values(form, data)


#: The unit-cost mappings, their field prefix and label.
COST_MAPPINGS = (
    ("per_staff_hour", "Per staff hour"),
    ("per_contact", "Per contact"),
    ("per_bed_day", "Per bed-day"),
)


def costs_form(data: dict[str, Any]) -> FlowForm:
    """Return the form of the unit costs: each named team or bed kind, and the defaults."""
    costs = data.get("costs") or {}
    paths: dict[str, Path] = {"per_admission": ("costs", "per_admission")}
    groups: list[tuple[str, list[Field]]] = [
        ("", [Field("per_admission", "Per admission (£)", "number", hint="Blank means 0")])
    ]
    for key, label in COST_MAPPINGS:
        mapping = costs.get(key) or {}
        names = list(dict.fromkeys(["default", *mapping]))
        fields = []
        for target in names:
            name = f"{key}-{target}"
            what = "Teams not named below" if target == "default" else target
            fields.append(Field(name, f"{what} (£)", "number"))
            paths[name] = ("costs", key, target)
        groups.append((f"{label} (blank: not costed)", fields))
    groups.append(("", [Field("illustrative", "These unit costs are illustrative", "bool")]))
    paths["illustrative"] = ("costs", "illustrative")
    form = FlowForm(
        "Unit costs",
        [
            "Pounds. A team or bed kind named here has its own cost; others take the default.",
        ],
        groups,
        paths,
    )
    form = with_values(form, data)
    if "illustrative" not in costs:
        form.values["illustrative"] = "yes"
    return form


def settings_form(data: dict[str, Any]) -> FlowForm:
    """Return the form of the run settings: horizon, warm-up, replications, seed."""
    fields = [
        Field("horizon_days", "Days to simulate", "number", hint="Blank means 364"),
        Field(
            "warmup_days",
            "Warm-up (days)",
            hint="A number of days, or auto (MSER-5); blank means auto",
        ),
        Field("replications", "Replications", "number", hint="At least 2; blank means 10"),
        Field("seed", "Seed", "number", hint="Blank means 2010"),
    ]
    paths: dict[str, Path] = {f.name: ("run", f.name) for f in fields}
    form = FlowForm("Run settings", [], [("", fields)], paths)
    return with_values(form, data)
