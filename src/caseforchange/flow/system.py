"""A scenario resolved into one concrete system: the teams, triage and demand it runs with.

Scenarios are written as changes to the base model (or to another scenario). Resolving applies
those changes, expands ``{locality}`` in team names and checks that every name refers to
something that exists, so that the simulation never meets a dangling reference.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from caseforchange.domain.problems import InvalidInput, Path, Problem
from caseforchange.flow.model import (
    OUTCOMES,
    WEEKDAYS,
    Arrivals,
    FlowModel,
    Scenario,
    Seasonality,
    Team,
    TriageRule,
)

#: The id under which the base model is known when no scenario is named.
BASE = "base"


@dataclass(frozen=True)
class System:
    """Everything one simulation run needs, with names checked."""

    scenario: str
    label: str
    teams: tuple[Team, ...]
    triage: tuple[TriageRule, ...]
    arrivals: tuple[Arrivals, ...]
    localities: tuple[str, ...]
    seasonality: Seasonality
    demand_scale: float
    demand_growth_per_year: float
    flex_teams: frozenset[str]
    handoff_delay_days: float

    def team_index(self) -> dict[str, int]:
        """Return each team's position in :attr:`teams`."""
        return {t.id: i for i, t in enumerate(self.teams)}

    def demand_multiplier(self, week: int) -> float:
        """Return the factor on every arrival rate in simulation week ``week`` (0-based)."""
        s = self.seasonality
        week_of_year = week % 52 + 1
        wave = 1.0 + s.amplitude * math.cos(2 * math.pi * (week_of_year - s.peak_week) / 52)
        named = s.weeks.get(week_of_year, 1.0)
        growth = (1.0 + self.demand_growth_per_year) ** (week / 52.0)
        return float(self.demand_scale * wave * named * growth)

    def route(self, reason: str, urgency: str, locality: str) -> dict[str, float] | None:
        """Return the team probabilities for a referral, from the first matching rule, or None."""
        for rule in self.triage:
            w = rule.when
            if (
                (not w.reason or reason in w.reason)
                and (not w.urgency or urgency in w.urgency)
                and (not w.locality or locality in w.locality)
            ):
                return {name.replace("{locality}", locality): p for name, p in rule.to.items()}
        return None


def scenario_ids(model: FlowModel) -> list[str]:
    """Return the scenarios to compare: those written in the file, or just the base model."""
    return [s.id for s in model.scenarios] or [BASE]


def _chain(model: FlowModel, scenario_id: str) -> list[Scenario]:
    by_id = {s.id: s for s in model.scenarios}
    chain: list[Scenario] = []
    current: str | None = scenario_id
    while current is not None:
        if current not in by_id:
            raise KeyError(current)
        scenario = by_id[current]
        if scenario in chain:
            raise ValueError(f"scenario {current!r} is based on itself")
        chain.append(scenario)
        current = scenario.based_on
    return list(reversed(chain))


def resolve(model: FlowModel, scenario_id: str = BASE) -> System:
    """Return the concrete system for a scenario (``base`` for the base model).

    Raises:
        InvalidInput: the scenario is unknown, or a name in it refers to nothing.
    """
    if scenario_id == BASE and not model.scenarios:
        chain: list[Scenario] = []
    else:
        try:
            chain = _chain(model, scenario_id)
        except KeyError as missing:
            known = ", ".join(scenario_ids(model))
            raise InvalidInput(
                [Problem(("scenarios",), f"unknown scenario {missing}; known: {known}")]
            ) from None
        except ValueError as loop:
            raise InvalidInput([Problem(("scenarios",), str(loop))]) from None
    teams = list(model.teams)
    triage = list(model.triage)
    demand_scale = 1.0
    growth = 0.0
    flex: set[str] = set()
    delay = model.handoff_delay_days
    label = scenario_id
    for scenario in chain:
        if scenario.teams is not None:
            teams = list(scenario.teams)
        if scenario.triage is not None:
            triage = list(scenario.triage)
        demand_scale *= scenario.demand_scale
        growth = (1 + growth) * (1 + scenario.demand_growth_per_year) - 1
        if scenario.handoff_delay_days is not None:
            delay = scenario.handoff_delay_days
        if scenario.flex_to_demand == "all":
            flex = {t.id for t in teams}
        else:
            flex |= set(scenario.flex_to_demand)
        changed: list[Team] = []
        for team in teams:
            change = scenario.team_changes.get(team.id)
            if change is not None:
                team = _changed(team, change.staff_scale, change.staff_add)
            changed.append(team)
        teams = changed
        label = scenario.label or scenario.id
    system = System(
        scenario=scenario_id,
        label=label,
        teams=tuple(teams),
        triage=tuple(triage),
        arrivals=tuple(model.arrivals),
        localities=tuple(model.localities),
        seasonality=model.seasonality,
        demand_scale=demand_scale,
        demand_growth_per_year=growth,
        flex_teams=frozenset(flex),
        handoff_delay_days=delay,
    )
    return system


def _changed(team: Team, scale: float, add: int) -> Team:
    def staff(n: int) -> int:
        return max(0, round(n * scale) + add)

    if team.rota:
        rota = [s.model_copy(update={"staff": staff(s.staff)}) for s in team.rota]
        return team.model_copy(update={"rota": rota})
    return team.model_copy(update={"staff": staff(team.staff)})


def _scenario_path(model: FlowModel, scenario_id: str, field: str, *rest: str | int) -> Path:
    """Path of a field as written: in the scenario that sets it, else in the base model."""
    try:
        chain = _chain(model, scenario_id) if model.scenarios else []
    except (KeyError, ValueError):
        chain = []
    positions = {s.id: i for i, s in enumerate(model.scenarios)}
    for scenario in reversed(chain):
        if getattr(scenario, field) is not None:
            return ("scenarios", positions[scenario.id], field, *rest)
    return (field, *rest)


def check_model(model: FlowModel) -> list[Problem]:
    """Return every broken reference in the model and its scenarios (empty when sound).

    Checks scenario ``based_on`` links, team names in triage and routing rows, teams named in
    scenario changes, localities and that every referral an arrival stream can produce is
    matched by a triage rule.
    """
    problems: list[Problem] = []
    known_localities = set(model.localities)
    for i, stream in enumerate(model.arrivals):
        for loc in stream.localities:
            if loc not in known_localities:
                problems.append(
                    Problem(("arrivals", i, "localities", loc), f"unknown locality {loc!r}")
                )
    ids = [s.id for s in model.scenarios]
    for i, scenario in enumerate(model.scenarios):
        if scenario.based_on is not None and scenario.based_on not in ids:
            problems.append(
                Problem(("scenarios", i, "based_on"), f"unknown scenario {scenario.based_on!r}")
            )
        if ids.count(scenario.id) > 1:
            problems.append(Problem(("scenarios", i, "id"), f"duplicate scenario {scenario.id!r}"))
    if problems:
        return problems
    # a fault in the base model shows up in every scenario built on it: report it once
    seen: set[Path] = set()
    for sid in scenario_ids(model):
        try:
            system = resolve(model, sid)
        except InvalidInput as error:
            problems.extend(error.problems)
            continue
        for problem in _check_system(model, system, sid):
            if problem.path not in seen:
                seen.add(problem.path)
                problems.append(problem)
    for i, scenario in enumerate(model.scenarios):
        system = resolve(model, scenario.id)
        names = {t.id for t in system.teams}
        for name in scenario.team_changes:
            if name not in names:
                problems.append(
                    Problem(("scenarios", i, "team_changes", name), f"unknown team {name!r}")
                )
        if scenario.flex_to_demand != "all":
            for j, name in enumerate(scenario.flex_to_demand):
                if name not in names:
                    problems.append(
                        Problem(("scenarios", i, "flex_to_demand", j), f"unknown team {name!r}")
                    )
    return problems


def _check_system(model: FlowModel, system: System, sid: str) -> list[Problem]:
    problems: list[Problem] = []
    names = [t.id for t in system.teams]
    known = set(names)
    for i, name in enumerate(names):
        if names.index(name) != i:
            problems.append(
                Problem(_scenario_path(model, sid, "teams", i, "id"), f"duplicate team {name!r}")
            )
    for i, team in enumerate(system.teams):
        for target in team.after:
            for name in _expand(target, system.localities):
                if name not in known and name not in OUTCOMES:
                    problems.append(
                        Problem(
                            _scenario_path(model, sid, "teams", i, "after", target),
                            f"unknown team {name!r} in scenario {sid!r} (teams: "
                            f"{', '.join(names)}; or 'discharge', 'admission')",
                        )
                    )
                    break
    for r, rule in enumerate(system.triage):
        for target in rule.to:
            for name in _expand(target, system.localities):
                if name not in known and name not in OUTCOMES:
                    problems.append(
                        Problem(
                            _scenario_path(model, sid, "triage", r, "to", target),
                            f"unknown team {name!r} in scenario {sid!r}",
                        )
                    )
                    break
    if problems:
        return problems
    for a, stream in enumerate(system.arrivals):
        for reason, urgency, loc in itertools.product(
            stream.reasons, stream.urgency, stream.localities
        ):
            if system.route(reason, urgency, loc) is None:
                problems.append(
                    Problem(
                        _scenario_path(model, sid, "triage"),
                        f"no triage rule matches a {urgency} {reason!r} referral from "
                        f"{loc!r} (arrivals[{a}] {stream.id!r}) in scenario {sid!r}",
                    )
                )
    return problems


def _expand(target: str, localities: tuple[str, ...]) -> list[str]:
    if "{locality}" in target:
        return [target.replace("{locality}", loc) for loc in localities]
    return [target]


def weekly_capacity(team: Team) -> list[tuple[float, int]]:
    """Return the team's staff on duty through a week as (day offset, staff) breakpoints.

    Without a rota the team has ``staff`` all week. With one, staff on overlapping shifts add
    up; a shift whose end is not after its start runs past midnight.
    """
    if not team.rota:
        return [(0.0, team.staff)]
    minute_staff = [0] * (7 * 24 * 60 + 1)
    week = 7 * 24 * 60
    for shift in team.rota:
        sh, sm = (int(x) for x in shift.start.split(":"))
        eh, em = (int(x) for x in shift.end.split(":"))
        start, end = sh * 60 + sm, eh * 60 + em
        if end <= start:
            end += 24 * 60
        for day in shift.days:
            d = WEEKDAYS.index(day) * 24 * 60
            a, b = d + start, d + end
            # a change in level at a and b; a night shift on Sunday wraps to Monday
            for lo, hi in ((a, min(b, week)), (0, b - week)) if b > week else ((a, b),):
                minute_staff[lo] += shift.staff
                minute_staff[hi] -= shift.staff
    points: list[tuple[float, int]] = []
    level = 0
    for minute in range(week):
        if minute_staff[minute]:
            level += minute_staff[minute]
            points.append((minute / (24 * 60), level))
    if not points or points[0][0] > 0:
        points.insert(0, (0.0, 0))
    return points


def traffic(system: System, week: int = 0) -> dict[str, float]:
    """Return each team's mean arrival rate per day, solving the traffic equations.

    Rates are those of simulation week ``week`` (seasonality and growth applied). Patients are
    tracked by locality so that ``{locality}`` routes are followed exactly.

    Raises:
        ValueError: when the routing never lets patients leave (the equations are singular).
    """
    import numpy as np

    teams = [t.id for t in system.teams]
    locs = list(system.localities)
    index = {(t, loc): i for i, (t, loc) in enumerate(itertools.product(teams, locs))}
    n = len(index)
    external = np.zeros(n)
    factor = system.demand_multiplier(week)
    for stream in system.arrivals:
        for (reason, pr), (urgency, pu), (loc, pl) in itertools.product(
            stream.reasons.items(), stream.urgency.items(), stream.localities.items()
        ):
            row = system.route(reason, urgency, loc) or {}
            for name, pt in row.items():
                if name in teams:
                    external[index[(name, loc)]] += stream.per_week / 7 * factor * pr * pu * pl * pt
    transfer = [[0.0] * n for _ in range(n)]
    for member in system.teams:
        for loc in locs:
            for target, p in member.after.items():
                name = target.replace("{locality}", loc)
                if name in teams:
                    transfer[index[(member.id, loc)]][index[(name, loc)]] += p
    rates = np.linalg.solve(np.eye(n) - np.array(transfer).T, external)
    return {t: float(sum(rates[index[(t, loc)]] for loc in locs)) for t in teams}


def offered_load(system: System, week: int = 0) -> dict[str, float]:
    """Return each team's offered load: arrival rate x mean duration / mean capacity.

    A value at or above 1 means the team's queue grows without limit (ignoring reneging).
    """
    from caseforchange.flow.model import distribution_mean

    rates = traffic(system, week)
    out: dict[str, float] = {}
    for team in system.teams:
        points = weekly_capacity(team)
        mean_staff = 0.0
        for i, (start, staff) in enumerate(points):
            end = points[i + 1][0] if i + 1 < len(points) else 7.0
            mean_staff += staff * (end - start) / 7.0
        capacity = mean_staff * team.caseload_per_staff
        out[team.id] = rates[team.id] * distribution_mean(team.service) / capacity
    return out
