"""The flow model as tables for the page: teams, bed pools, demand, routes, costs, scenarios.

Each function returns rows of text, so the template only lays them out; numbers are written
as they are in ``flow.yaml`` (days, referrals per week, pounds).
"""

from __future__ import annotations

from dataclasses import dataclass

from caseforchange.flow.model import (
    Exponential,
    FlowModel,
    GammaDuration,
    LogNormal,
    Match,
    Team,
    Triangular,
)
from caseforchange.flow.system import load_by_team, mean_capacity, resolve, scenario_ids

#: The scope of the base model's teams in URLs (a scenario with teams of its own uses its id).
BASE = "base"


@dataclass(frozen=True)
class Table:
    """A table to show: caption, column headings and rows of text (the first cell a heading)."""

    id: str
    caption: str
    columns: list[str]
    rows: list[list[str]]
    links: list[str | None]


def number(x: float) -> str:
    """Return a number as a person writes it: no trailing ``.0``, thousands separated."""
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.4g}" if abs(x) < 1000 else f"{x:,.1f}"


def duration(dist: object) -> str:
    """Return a duration distribution in words, e.g. ``log-normal, mean 28, sd 20``."""
    if isinstance(dist, Exponential):
        return f"exponential, mean {number(dist.mean)}"
    if isinstance(dist, LogNormal):
        return f"log-normal, mean {number(dist.mean)}, sd {number(dist.sd)}"
    if isinstance(dist, GammaDuration):
        return f"gamma, mean {number(dist.mean)}, cv {number(dist.cv)}"
    if isinstance(dist, Triangular):
        return f"triangular {number(dist.low)} / {number(dist.mode)} / {number(dist.high)}"
    return f"fixed {number(getattr(dist, 'value', 0.0))}"


def row_text(row: dict[str, float]) -> str:
    """Return a row of probabilities as ``a 80%, b 20%``."""
    return ", ".join(f"{k} {v * 100:.4g}%" for k, v in row.items())


def match_text(when: Match) -> str:
    """Return a triage condition in words (``any referral`` when it has none)."""
    parts = [
        f"{name} {', '.join(values)}"
        for name, values in (
            ("source", when.source),
            ("reason", when.reason),
            ("urgency", when.urgency),
            ("locality", when.locality),
        )
        if values
    ]
    return "; ".join(parts) or "any referral"


def staff_text(team: Team) -> str:
    """Return a team's staff: a number, or its rota's shifts."""
    if team.rota:
        return "rota: " + "; ".join(
            f"{','.join(s.days)} {s.start}-{s.end} × {s.staff}" for s in team.rota
        )
    return number(team.staff)


def scopes(model: FlowModel) -> list[tuple[str, str, list[Team]]]:
    """Return every list of teams: (scope, heading, teams), the base model's first."""
    out = [(BASE, "Base model", list(model.teams))]
    out += [
        (s.id, f"Scenario {s.label or s.id}", list(s.teams)) for s in model.scenarios if s.teams
    ]
    return out


def team_tables(model: FlowModel) -> list[Table]:
    """Return one table of teams (not bed pools) per scope that has its own teams."""
    tables = []
    for scope, heading, teams in scopes(model):
        staffed = [t for t in teams if t.beds is None]
        if not staffed:
            continue
        rows = [
            [
                t.label or t.id,
                t.kind,
                staff_text(t),
                number(t.caseload_per_staff),
                number(mean_capacity(t)),
                duration(t.service),
                "none" if t.queue_limit is None else number(t.queue_limit),
                row_text(t.after),
            ]
            for t in staffed
        ]
        tables.append(
            Table(
                f"teams-{scope}",
                f"Teams: {heading}",
                [
                    "Team",
                    "Kind",
                    "Staff",
                    "Caseload per staff",
                    "Mean places",
                    "Episode length (days)",
                    "Queue limit",
                    "After the episode",
                ],
                rows,
                [f"{scope}/{t.id}" for t in staffed],
            )
        )
    return tables


def bed_table(model: FlowModel) -> Table | None:
    """Return every bed pool in every scope, or None when the model has none."""
    rows: list[list[str]] = []
    links: list[str | None] = []
    for scope, heading, teams in scopes(model):
        for t in teams:
            if t.beds is None:
                continue
            rows.append(
                [
                    t.label or t.id,
                    heading,
                    t.bed_kind or "",
                    number(t.beds),
                    duration(t.service),
                    "none" if t.queue_limit is None else number(t.queue_limit),
                    t.when_full,
                    row_text(t.after),
                ]
            )
            links.append(f"{scope}/{t.id}")
    if not rows:
        return None
    return Table(
        "beds",
        "Bed pools",
        [
            "Bed pool",
            "In",
            "Kind",
            "Beds",
            "Length of stay (days)",
            "Waiting places",
            "When full",
            "After the stay",
        ],
        rows,
        links,
    )


def demand_table(model: FlowModel) -> Table:
    """Return the referral streams: source, rate per week and mixes."""
    rows = [
        [
            a.source,
            a.id,
            number(a.per_week),
            row_text(a.reasons),
            row_text(a.urgency),
            row_text(a.localities),
        ]
        for a in model.arrivals
    ]
    return Table(
        "demand",
        "Demand: referral streams",
        ["Source", "Stream", "Referrals per week", "Reasons", "Urgency", "Localities"],
        rows,
        [None] * len(rows),
    )


def route_table(model: FlowModel) -> Table:
    """Return the triage rules of the base model, first match first."""
    rows = [[str(i + 1), match_text(r.when), row_text(r.to)] for i, r in enumerate(model.triage)]
    return Table(
        "routes",
        "Routes: triage at the single point of access (base model; first match wins)",
        ["Rule", "When", "Goes to"],
        rows,
        [None] * len(rows),
    )


def cost_table(model: FlowModel) -> Table | None:
    """Return the unit costs, or None when the model has no costs section."""
    costs = model.costs
    if costs is None:
        return None
    rows: list[list[str]] = []
    for label, mapping in (
        ("Per staff hour", costs.per_staff_hour),
        ("Per contact", costs.per_contact),
        ("Per bed-day", costs.per_bed_day),
    ):
        rows += [[label, key, f"£{number(value)}"] for key, value in mapping.items()]
    rows.append(["Per admission", "all", f"£{number(costs.per_admission)}"])
    return Table(
        "costs",
        "Unit costs" + (" (illustrative)" if costs.illustrative else ""),
        ["Cost", "Applies to", "Pounds"],
        rows,
        [None] * len(rows),
    )


def scenario_table(model: FlowModel) -> Table:
    """Return the scenarios with what each changes from what it is based on."""
    rows = []
    for s in model.scenarios:
        changes = []
        if s.teams:
            changes.append(f"own teams ({len(s.teams)})")
        if s.triage:
            changes.append("own triage")
        changes += [
            f"{team} staff × {number(c.staff_scale)} + {c.staff_add}"
            for team, c in s.team_changes.items()
        ]
        if s.demand_scale != 1:
            changes.append(f"demand × {number(s.demand_scale)}")
        if s.demand_growth_per_year:
            changes.append(f"demand growth {s.demand_growth_per_year * 100:.3g}% a year")
        if s.flex_to_demand:
            flex = s.flex_to_demand
            changes.append(
                "staff flexed to demand: " + (flex if isinstance(flex, str) else ", ".join(flex))
            )
        if s.spa is not None:
            changes.append("a staffed single point of access")
        rows.append(
            [s.label or s.id, s.id, s.based_on or "base model", "; ".join(changes) or "none"]
        )
    return Table(
        "scenarios",
        "Scenarios",
        ["Scenario", "Id", "Based on", "Changes"],
        rows,
        [None] * len(rows),
    )


def load_table(model: FlowModel) -> Table:
    """Return each team's offered load in each scenario: year average (and peak week's)."""
    ids = scenario_ids(model)
    loads = {sid: load_by_team(resolve(model, sid), model.run.horizon_days) for sid in ids}
    teams = list(dict.fromkeys(t for sid in ids for t in loads[sid]))
    rows = [
        [
            team,
            *(
                f"{loads[sid][team][0]:.2f} (peak {loads[sid][team][1]:.2f})"
                if team in loads[sid]
                else "–"
                for sid in ids
            ),
        ]
        for team in teams
    ]
    return Table(
        "loads",
        "Offered load: work arriving ÷ places, year average (peak week); 1 or more is unstable",
        ["Team", *ids],
        rows,
        [None] * len(rows),
    )
