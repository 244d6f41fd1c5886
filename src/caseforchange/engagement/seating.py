"""Workshop seating as a mixed-integer programme solved by HiGHS (``scipy.optimize.milp``).

Model (P people, T tables):

- ``x[p, t]`` is 1 when person p sits at table t; every person sits at exactly one table.
- Every table has at least one facilitator and at least one scribe (exactly one each when
  there are T of them), and between ``floor(P/T)`` and ``ceil(P/T)`` people.
- "keep apart" pairs never share a table; "keep together" pairs always do.
- Mixing: for each organisation (and each profession, when recorded) ``a`` and table ``t``
  let ``c[a, t]`` be how many of its people sit there. The objective is the sum of
  ``c[a, t]**2``, which is smallest when every group is spread as evenly as possible. The
  square is written as ``sum_k (2k - 1) * y[a, t, k]`` with continuous ``0 <= y <= 1`` and
  ``sum_k y[a, t, k] = c[a, t]``; because the step costs increase, the cheapest steps fill
  first, so no extra integer variables are needed.

Tables are interchangeable, so when there are exactly T facilitators the i-th facilitator is
placed at the i-th table: this removes symmetric copies of every solution without losing any.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import LinearConstraint, milp
from scipy.sparse import coo_array

from caseforchange.domain.consultation import Role, Workshop
from caseforchange.domain.problems import InvalidInput, Problem

_STATUS = {
    0: "optimal",
    1: "time limit reached",
    2: "infeasible",
    3: "unbounded",
    4: "solver error",
}


@dataclass(frozen=True)
class Seat:
    """A person to seat: id, organisation, role, and an optional profession to mix."""

    id: str
    organisation: str
    role: Role = Role.PARTICIPANT
    profession: str | None = None


@dataclass
class SeatingPlan:
    """A solved seating plan and how good it is.

    ``objective`` is the sum over organisations/professions and tables of the squared count;
    ``ideal`` is the value if every group could be spread perfectly evenly (a lower bound), so
    ``objective == ideal`` proves the plan is as mixed as possible. ``gap`` is HiGHS's relative
    MIP gap (0 when proven optimal).
    """

    tables: list[str]
    assignment: dict[str, str]
    objective: float
    ideal: float
    status: str
    gap: float | None
    dual_bound: float | None
    seconds: float
    people: list[Seat] = field(default_factory=list)

    @property
    def optimal(self) -> bool:
        """True when HiGHS proved the plan optimal."""
        return self.status == "optimal"

    def table_members(self) -> dict[str, list[Seat]]:
        """Return the people at each table, facilitator and scribe first."""
        order = {Role.FACILITATOR: 0, Role.SCRIBE: 1, Role.PARTICIPANT: 2}
        out: dict[str, list[Seat]] = {t: [] for t in self.tables}
        for person in self.people:
            out[self.assignment[person.id]].append(person)
        for members in out.values():
            members.sort(key=lambda s: (order[s.role], s.organisation, s.id))
        return out


def seats_from_workshop(workshop: Workshop) -> list[Seat]:
    """Return the workshop's participants as people to seat."""
    return [Seat(p.id, p.organisation, p.role, p.profession) for p in workshop.participants]


def _groups(people: Sequence[Seat]) -> dict[tuple[str, str], list[int]]:
    """Return the people of each organisation and profession with two or more members."""
    groups: dict[tuple[str, str], list[int]] = {}
    for index, person in enumerate(people):
        groups.setdefault(("organisation", person.organisation), []).append(index)
        if person.profession:
            groups.setdefault(("profession", person.profession), []).append(index)
    # A group of one person contributes 1 wherever it sits: a constant, so leave it out.
    return {key: members for key, members in groups.items() if len(members) > 1}


def even_spread_cost(size: int, tables: int) -> int:
    """Return the sum of squared counts when ``size`` people are spread evenly over tables."""
    q, r = divmod(size, tables)
    return r * (q + 1) ** 2 + (tables - r) * q**2


def mixing_cost(people: Sequence[Seat], assignment: dict[str, str]) -> int:
    """Return the mixing objective (sum of squared group counts per table) of a plan."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for person in people:
        table = assignment[person.id]
        counts[("organisation", person.organisation, table)] += 1
        if person.profession:
            counts[("profession", person.profession, table)] += 1
    sizes = Counter((kind, name) for kind, name, _ in counts.elements())
    return sum(c * c for (kind, name, _), c in counts.items() if sizes[(kind, name)] > 1)


def _validate(
    people: Sequence[Seat],
    tables: Sequence[str],
    keep_apart: Sequence[tuple[str, str]],
    keep_together: Sequence[tuple[str, str]],
) -> list[Problem]:
    problems: list[Problem] = []
    n_tables = len(tables)
    if n_tables == 0:
        problems.append(Problem(("tables",), "a workshop needs at least one table"))
        return problems
    for role in (Role.FACILITATOR, Role.SCRIBE):
        have = sum(1 for p in people if p.role is role)
        if have < n_tables:
            problems.append(
                Problem(
                    ("participants",),
                    f"{n_tables} tables need {n_tables} {role.value}s, but only {have} are listed",
                )
            )
    ids = {p.id for p in people}
    for key, pairs in (("keep_apart", keep_apart), ("keep_together", keep_together)):
        for j, pair in enumerate(pairs):
            for pid in pair:
                if pid not in ids:
                    problems.append(Problem((key, j), f"unknown participant '{pid}'"))
    return problems


def solve_seating(
    people: Sequence[Seat],
    tables: Sequence[str],
    *,
    keep_apart: Sequence[tuple[str, str]] = (),
    keep_together: Sequence[tuple[str, str]] = (),
    time_limit: float = 10.0,
    mip_rel_gap: float = 1e-6,
) -> SeatingPlan:
    """Seat ``people`` at ``tables`` so that organisations and professions mix.

    Returns:
        The best plan found within ``time_limit`` seconds, with its objective, the ideal
        (lower bound), HiGHS's status and relative gap, and the time taken.

    Raises:
        InvalidInput: when the roles or pairs make seating impossible (too few facilitators
            or scribes, unknown people, or constraints that no plan satisfies).
    """
    problems = _validate(people, tables, keep_apart, keep_together)
    if problems:
        raise InvalidInput(problems)
    started = time.perf_counter()
    n_people, n_tables = len(people), len(tables)
    index = {p.id: i for i, p in enumerate(people)}
    lo_size, hi_size = n_people // n_tables, math.ceil(n_people / n_tables)
    groups = _groups(people)

    def xv(p: int, t: int) -> int:
        return p * n_tables + t

    n_x = n_people * n_tables
    # Step variables y[a, t, k]: their offsets and the cost of each step.
    costs: list[float] = [0.0] * n_x
    y_blocks: list[tuple[list[int], int, int]] = []  # (members, first variable, steps)
    for members in groups.values():
        steps = min(len(members), hi_size)
        first = len(costs)
        for _t in range(n_tables):
            costs.extend(float(2 * k - 1) for k in range(1, steps + 1))
        y_blocks.append((members, first, steps))
    n_vars = len(costs)

    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lower: list[float] = []
    upper: list[float] = []

    def add_row(entries: list[tuple[int, float]], lo: float, hi: float) -> None:
        r = len(lower)
        for col, val in entries:
            rows.append(r)
            cols.append(col)
            vals.append(val)
        lower.append(lo)
        upper.append(hi)

    for p in range(n_people):
        add_row([(xv(p, t), 1.0) for t in range(n_tables)], 1, 1)
    for t in range(n_tables):
        add_row([(xv(p, t), 1.0) for p in range(n_people)], lo_size, hi_size)
    for role in (Role.FACILITATOR, Role.SCRIBE):
        holders = [i for i, p in enumerate(people) if p.role is role]
        exact = len(holders) == n_tables
        for t in range(n_tables):
            add_row([(xv(p, t), 1.0) for p in holders], 1, 1 if exact else np.inf)
    for a, b in keep_apart:
        for t in range(n_tables):
            add_row([(xv(index[a], t), 1.0), (xv(index[b], t), 1.0)], -np.inf, 1)
    for a, b in keep_together:
        for t in range(n_tables):
            add_row([(xv(index[a], t), 1.0), (xv(index[b], t), -1.0)], 0, 0)
    for members, first, steps in y_blocks:
        for t in range(n_tables):
            entries = [(xv(p, t), 1.0) for p in members]
            entries += [(first + t * steps + k, -1.0) for k in range(steps)]
            add_row(entries, 0, 0)

    low_bounds = np.zeros(n_vars)
    high_bounds = np.ones(n_vars)
    facilitators = [i for i, p in enumerate(people) if p.role is Role.FACILITATOR]
    if len(facilitators) == n_tables:
        for t, p in enumerate(facilitators):
            low_bounds[xv(p, t)] = 1.0
    integrality = np.zeros(n_vars)
    integrality[:n_x] = 1

    matrix = coo_array((vals, (rows, cols)), shape=(len(lower), n_vars)).tocsr()
    result = milp(
        c=np.array(costs),
        integrality=integrality,
        bounds=(low_bounds, high_bounds),
        constraints=LinearConstraint(matrix, np.array(lower), np.array(upper)),
        options={"time_limit": time_limit, "mip_rel_gap": mip_rel_gap, "disp": False},
    )
    seconds = time.perf_counter() - started
    if result.x is None:
        status = _STATUS.get(result.status, str(result.status))
        raise InvalidInput(
            [
                Problem(
                    ("participants",),
                    f"no seating plan found ({status}): check keep_apart / keep_together pairs "
                    "against the number of tables and their sizes",
                )
            ]
        )
    solution = np.asarray(result.x)[:n_x].reshape(n_people, n_tables)
    assignment = {people[p].id: tables[int(np.argmax(solution[p]))] for p in range(n_people)}
    ideal = sum(even_spread_cost(len(m), n_tables) for m in groups.values())
    objective = float(mixing_cost(people, assignment))
    gap = getattr(result, "mip_gap", None)
    bound = getattr(result, "mip_dual_bound", None)
    return SeatingPlan(
        tables=list(tables),
        assignment=assignment,
        objective=objective,
        ideal=float(ideal),
        status=_STATUS.get(result.status, str(result.status)),
        gap=None if gap is None else float(gap),
        dual_bound=None if bound is None else float(bound),
        seconds=seconds,
        people=list(people),
    )


def solve_workshop(workshop: Workshop, *, time_limit: float = 10.0) -> SeatingPlan:
    """Seat a workshop's participants at its tables with its keep apart/together pairs.

    Raises:
        InvalidInput: as :func:`solve_seating`, with paths inside the workshop.
    """
    return solve_seating(
        seats_from_workshop(workshop),
        workshop.tables,
        keep_apart=workshop.keep_apart,
        keep_together=workshop.keep_together,
        time_limit=time_limit,
    )


def recorded_plan(workshop: Workshop) -> dict[str, str] | None:
    """Return the seating as run (participant -> table), or None if not everyone has a table."""
    if not workshop.participants or any(p.table is None for p in workshop.participants):
        return None
    return {p.id: str(p.table) for p in workshop.participants}
