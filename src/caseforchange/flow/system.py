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
    BED_KINDS,
    MAX_TEAM_STAFF,
    OUTCOMES,
    SPA_ID,
    WEEKDAYS,
    Arrivals,
    Calendar,
    Costs,
    FlowModel,
    RunSettings,
    Scenario,
    Seasonality,
    Spa,
    Team,
    TriageRule,
    distribution_mean,
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
    spa: Spa | None = None
    calendar: Calendar | None = None
    costs: Costs | None = None
    #: (numbers per visit, visits) in each patient's own row; the same for every scenario
    row_layout: tuple[int, int] = (3, 4)

    def demand_multiplier(self, week: int) -> float:
        """Return the factor on every arrival rate in simulation week ``week`` (0-based)."""
        s = self.seasonality
        week_of_year = week % 52 + 1
        wave = 1.0 + s.amplitude * math.cos(2 * math.pi * (week_of_year - s.peak_week) / 52)
        named = s.weeks.get(week_of_year, 1.0)
        growth = (1.0 + self.demand_growth_per_year) ** (week / 52.0)
        return float(self.demand_scale * wave * named * growth)

    def seasonal_mean(self) -> float:
        """Return the mean over a year's 52 weeks of the seasonal factor (no scale or growth)."""
        s = self.seasonality
        total = 0.0
        for w in range(1, 53):
            wave = 1.0 + s.amplitude * math.cos(2 * math.pi * (w - s.peak_week) / 52)
            total += wave * s.weeks.get(w, 1.0)
        return total / 52

    def route(
        self, reason: str, urgency: str, locality: str, source: str = ""
    ) -> dict[str, float] | None:
        """Return the team probabilities for a referral, from the first matching rule, or None."""
        for rule in self.triage:
            w = rule.when
            if (
                (not w.reason or reason in w.reason)
                and (not w.urgency or urgency in w.urgency)
                and (not w.locality or locality in w.locality)
                and (not w.source or source in w.source)
            ):
                return {name.replace("{locality}", locality): p for name, p in rule.to.items()}
        return None


def all_team_names(model: FlowModel) -> set[str]:
    """Return every team name in the base model and its scenarios."""
    names = {t.id for t in model.teams}
    for scenario in model.scenarios:
        for team in scenario.teams or []:
            names.add(team.id)
    return names


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
    spa = model.spa
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
        if scenario.spa is not None:
            spa = scenario.spa
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
        spa=spa,
        calendar=model.calendar,
        costs=model.costs,
        row_layout=row_layout(model),
    )
    return system


#: Most visits that draw on a patient's own numbers; later visits use the teams' streams.
MAX_PATIENT_VISITS = 4


def row_layout(model: FlowModel) -> tuple[int, int]:
    """Return how many of each patient's own numbers a visit uses, and for how many visits.

    One number for the episode length; a second when some route has a choice; a third when
    some team has reneging. Visits are the longest route a patient can take (at most
    ``MAX_PATIENT_VISITS``; a loop counts as the most). It depends on the whole model, never on
    one scenario, so that every scenario gives a patient the same numbers.
    """
    teams: list[Team] = list(model.teams)
    for scenario in model.scenarios:
        teams.extend(scenario.teams or [])
    rows = [t.after for t in teams] + [c.after for t in teams for c in t.classes if c.after]
    triage_rows = [r.to for r in model.triage] + [
        r.to for s in model.scenarios for r in s.triage or []
    ]
    choice = any(sum(1 for p in row.values() if p > 0) > 1 for row in rows)
    patience = any(t.reneging is not None for t in teams)
    per_visit = 3 if patience else 2 if choice else 1
    # longest path over team names (ids repeat across scenarios: a conservative union)
    graph: dict[str, set[str]] = {}
    for t in teams:
        targets = set(t.after) | {n for c in t.classes for n in (c.after or {})}
        if t.overflow is not None:
            targets.add(t.overflow.to)
        graph.setdefault(t.id, set()).update(
            n.replace("{locality}", loc) for n in targets for loc in model.localities
        )
    depth: dict[str, int] = {}

    def longest(name: str, trail: frozenset[str]) -> int:
        if name not in graph:
            return 0
        if name in trail:
            return MAX_PATIENT_VISITS
        if name not in depth:
            depth[name] = min(
                MAX_PATIENT_VISITS,
                1 + max((longest(n, trail | {name}) for n in graph[name]), default=0),
            )
        return depth[name]

    starts = {
        n.replace("{locality}", loc) for row in triage_rows for n in row for loc in model.localities
    }
    visits = max((longest(n, frozenset()) for n in starts), default=1)
    spa = model.spa is not None or any(s.spa is not None for s in model.scenarios)
    visits = min(MAX_PATIENT_VISITS, max(1, visits + (1 if spa else 0)))
    return per_visit, visits


def _peak_staff(team: Team) -> int:
    return max((s.staff for s in team.rota), default=0) if team.rota else team.staff


def _changed(team: Team, scale: float, add: int) -> Team:
    def staff(n: int) -> int:
        # bounded so that a huge scale is reported by check_model, never an overflow
        return max(0, min(round(min(n * scale, 10.0 * MAX_TEAM_STAFF)) + add, 10 * MAX_TEAM_STAFF))

    if team.rota:
        rota = [s.model_copy(update={"staff": staff(s.staff)}) for s in team.rota]
        return team.model_copy(update={"rota": rota})
    return team.model_copy(update={"staff": staff(team.staff)})


def expected_referrals(system: System, horizon_days: float) -> float:
    """Return the expected number of referrals over ``horizon_days`` (inf when unbounded)."""
    weekly = math.fsum(a.per_week for a in system.arrivals)
    weeks = math.ceil(horizon_days / 7)
    total = 0.0
    for week in range(weeks):
        total += weekly * system.demand_multiplier(week)
        if not math.isfinite(total):
            return math.inf
    return total * horizon_days / (7 * weeks)


def check_run_size(system: System, settings: RunSettings, replications: int) -> list[Problem]:
    """Return a problem when a run of ``system`` would pass ``settings.max_referrals``.

    The count includes the pilot replications of an ``auto`` warm-up. Checked before running,
    so that a rate of 1e9 a week or a seasonal weight of 1e308 is refused, not run for ever.
    """
    runs = replications + (5 if settings.warmup_days == "auto" else 0)
    expected = expected_referrals(system, settings.horizon_days) * runs
    if expected <= settings.max_referrals:
        return []
    shown = "an unbounded number of" if not math.isfinite(expected) else f"about {expected:,.0f}"
    return [
        Problem(
            ("run", "max_referrals"),
            f"scenario {system.scenario!r} would simulate {shown} referrals over "
            f"{runs} runs, above the limit of {settings.max_referrals:,} (check per_week, "
            "demand_scale and seasonality, or raise run.max_referrals)",
        )
    ]


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
    if not problems:
        for sid in scenario_ids(model):
            problems.extend(check_run_size(resolve(model, sid), model.run, model.run.replications))
    if model.costs is not None:
        every = all_team_names(model) | {SPA_ID, "default"}
        for part in ("per_contact", "per_bed_day", "per_staff_hour"):
            allowed = every | set(BED_KINDS) if part == "per_bed_day" else every
            for name in getattr(model.costs, part):
                if name not in allowed:
                    extra = ", a bed kind" if part == "per_bed_day" else ""
                    problems.append(
                        Problem(
                            ("costs", part, name), f"unknown team {name!r} (or 'default'{extra})"
                        )
                    )
    for i, scenario in enumerate(model.scenarios):
        system = resolve(model, scenario.id)
        names = {t.id for t in system.teams}
        for name in scenario.team_changes:
            if name not in names:
                problems.append(
                    Problem(("scenarios", i, "team_changes", name), f"unknown team {name!r}")
                )
        for team in system.teams:
            peak = _peak_staff(team)
            if name_changed := scenario.team_changes.get(team.id):
                where: Path = ("scenarios", i, "team_changes", team.id)
                if peak <= 0:
                    problems.append(
                        Problem(
                            (*where, "staff_add"),
                            f"team {team.id!r} has no staff after this change "
                            f"(scale {name_changed.staff_scale:g}, add {name_changed.staff_add})",
                        )
                    )
                elif peak > MAX_TEAM_STAFF:
                    problems.append(
                        Problem(
                            (*where, "staff_scale"),
                            f"team {team.id!r} would have {peak:,} staff, above the limit of "
                            f"{MAX_TEAM_STAFF:,}",
                        )
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
    if system.spa is not None and SPA_ID in known:
        problems.append(
            Problem(
                _scenario_path(model, sid, "teams", names.index(SPA_ID), "id"),
                f"team id {SPA_ID!r} is taken by the single point of access (spa)",
            )
        )
    for i, team in enumerate(system.teams):
        for c, cls in enumerate(team.classes):
            for target in cls.after or {}:
                for name in _expand(target, system.localities):
                    if name not in known and name not in OUTCOMES:
                        problems.append(
                            Problem(
                                _scenario_path(model, sid, "teams", i, "classes", c, "after"),
                                f"unknown team {name!r} in scenario {sid!r}",
                            )
                        )
                        break
        if team.overflow is not None and (
            team.overflow.to not in known or team.overflow.to == team.id
        ):
            problems.append(
                Problem(
                    _scenario_path(model, sid, "teams", i, "overflow", "to"),
                    f"overflow team {team.overflow.to!r} is not another team in scenario {sid!r}",
                )
            )
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
            if system.route(reason, urgency, loc, stream.id) is None:
                problems.append(
                    Problem(
                        _scenario_path(model, sid, "triage"),
                        f"no triage rule matches a {urgency} {reason!r} referral from "
                        f"{loc!r} (arrivals[{a}] {stream.id!r}) in scenario {sid!r}",
                    )
                )
    if not problems:
        try:
            work_rates(system)
        except ValueError:
            problems.append(
                Problem(
                    _scenario_path(model, sid, "teams"),
                    f"in scenario {sid!r} the routes form a loop that patients never leave",
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


def _class_of(team: Team, reason: str, urgency: str) -> int:
    """Return the index of the patient class a referral falls in at ``team`` (-1: none)."""
    for c, cls in enumerate(team.classes):
        w = cls.when
        if (not w.reason or reason in w.reason) and (not w.urgency or urgency in w.urgency):
            return c
    return -1


def _team_rows(team: Team, reason: str, urgency: str) -> tuple[dict[str, float], float]:
    """Return the routing row and mean episode length for a referral at ``team``."""
    c = _class_of(team, reason, urgency)
    if c < 0:
        return team.after, distribution_mean(team.service)
    cls = team.classes[c]
    return cls.after or team.after, distribution_mean(cls.service)


def work_rates(system: System) -> tuple[dict[str, float], dict[str, float]]:
    """Return each team's arrival rate per day and work (rate x mean episode) in week 0.

    The traffic equations are solved without seasonality.

    Patients are tracked by locality, reason and urgency so that ``{locality}`` routes and
    patient classes are followed exactly. Multiply by :meth:`System.demand_multiplier` for a
    given week.

    Raises:
        ValueError: when the routing never lets patients leave (the equations are singular).
    """
    import numpy as np

    teams = {t.id: t for t in system.teams}
    states: dict[tuple[str, str, str, str], int] = {}
    external: dict[int, float] = {}

    def index(key: tuple[str, str, str, str]) -> int:
        if key not in states:
            states[key] = len(states)
        return states[key]

    for stream in system.arrivals:
        for (reason, pr), (urgency, pu), (loc, pl) in itertools.product(
            stream.reasons.items(), stream.urgency.items(), stream.localities.items()
        ):
            row = system.route(reason, urgency, loc, stream.id) or {}
            for name, pt in row.items():
                if name in teams:
                    i = index((name, loc, reason, urgency))
                    external[i] = external.get(i, 0.0) + stream.per_week / 7 * pr * pu * pl * pt
    # follow routes to find every reachable state, then solve lambda = e + P^T lambda
    edges: list[tuple[int, int, float]] = []
    seen: set[int] = set()
    todo = list(states.items())
    while todo:
        (name, loc, reason, urgency), i = todo.pop()
        if i in seen:
            continue
        seen.add(i)
        row, _ = _team_rows(teams[name], reason, urgency)
        for target, p in row.items():
            nxt = target.replace("{locality}", loc)
            if nxt in teams and p > 0:
                key = (nxt, loc, reason, urgency)
                j = index(key)
                edges.append((i, j, p))
                todo.append((key, j))
    n = len(states)
    matrix = np.eye(n)
    for i, j, p in edges:
        matrix[j, i] -= p
    vector = np.zeros(n)
    for i, v in external.items():
        vector[i] = v
    rates = np.linalg.solve(matrix, vector) if n else vector
    arrivals = dict.fromkeys(teams, 0.0)
    work = dict.fromkeys(teams, 0.0)
    for (name, _loc, reason, urgency), i in states.items():
        _, mean = _team_rows(teams[name], reason, urgency)
        arrivals[name] += float(rates[i])
        work[name] += float(rates[i]) * mean
    return arrivals, work


def traffic(system: System, week: int = 0) -> dict[str, float]:
    """Return each team's mean arrival rate per day in simulation week ``week``.

    Raises:
        ValueError: when the routing never lets patients leave (the equations are singular).
    """
    arrivals, _ = work_rates(system)
    factor = system.demand_multiplier(week)
    return {t: r * factor for t, r in arrivals.items()}


def mean_capacity(team: Team) -> float:
    """Return the team's mean number of places over a week (staff x caseload, or beds)."""
    if team.beds is not None:
        return float(team.beds)
    points = weekly_capacity(team)
    mean_staff = 0.0
    for i, (start, staff) in enumerate(points):
        end = points[i + 1][0] if i + 1 < len(points) else 7.0
        mean_staff += staff * (end - start) / 7.0
    return mean_staff * team.caseload_per_staff


def offered_load(
    system: System,
    week: int = 0,
    work: dict[str, float] | None = None,
    capacities: dict[str, float] | None = None,
) -> dict[str, float]:
    """Return each team's offered load in ``week``: work arriving / mean capacity.

    A value at or above 1 means the team's queue grows without limit (ignoring reneging,
    queue limits and overflow). ``work`` is :func:`work_rates`' second value and
    ``capacities`` each team's :func:`mean_capacity`, if already known.
    """
    if work is None:
        work = work_rates(system)[1]
    if capacities is None:
        capacities = {t.id: mean_capacity(t) for t in system.teams}
    factor = system.demand_multiplier(week)
    out: dict[str, float] = {}
    for team in system.teams:
        capacity = capacities[team.id]
        if team.id in system.flex_teams:
            capacity *= factor / system.seasonal_mean()
        arriving = work[team.id] * factor
        out[team.id] = arriving / capacity if capacity > 0 else math.inf
    return out


def load_by_team(
    system: System, horizon_days: float = 364.0
) -> dict[str, tuple[float, float, int]]:
    """Return each team's offered load as (mean over the last year, peak, 0-based peak week).

    Loads are computed week by week over the horizon (at least a year), so seasonality and
    growth are taken into account; a team flexed to demand has its capacity flexed too.

    Raises:
        ValueError: when the routing never lets patients leave.
    """
    weeks = max(52, math.ceil(horizon_days / 7))
    work = work_rates(system)[1]
    capacities = {t.id: mean_capacity(t) for t in system.teams}
    per_week = [offered_load(system, w, work, capacities) for w in range(weeks)]
    out: dict[str, tuple[float, float, int]] = {}
    for team in system.teams:
        series = [load[team.id] for load in per_week]
        last_year = series[-52:]
        peak_week = max(range(weeks), key=series.__getitem__)
        out[team.id] = (sum(last_year) / 52, series[peak_week], peak_week)
    return out
