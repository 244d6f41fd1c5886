"""The discrete-event engine: one replication of one resolved system, on SimPy.

Design, for speed and flat memory:

* Patients are small lists, not processes. Each event (an arrival, the end of a piece of work,
  a patient giving up, a shift change) is an entry on SimPy's event queue with a plain
  callback (:func:`_later`; the engine steps the queue itself), so a patient
  costs about two events per team visited instead of the five or six of a process that
  requests and releases a resource.
* A team's staff are a count of free places, not objects, so the cost of an event does not
  depend on how many staff the team has. A rota changes that count at shift boundaries.
* Statistics are running sums (:mod:`caseforchange.flow.statistics`): nothing is kept per
  patient once they leave, and the time series has a fixed number of points.
* Common random numbers per patient: at referral each patient draws their own row of uniform
  numbers (triage, and for each of their first visits the episode length, the onward route and
  their patience), so the same patient keeps the same luck in every scenario, whichever teams
  see them. Arrival times and case mix come from per-source streams shared by name.

Blocking: a patient whose next team (or bed pool) has ``when_full: block`` and is full keeps
their place where they are until a place there frees; the days held are counted (bed-days
lost to delayed transfers of care when the holder is a bed pool).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from heapq import heappop, heappush
from math import log as _log
from typing import Any

import numpy as np
import simpy

from caseforchange.flow.model import (
    ADMISSION,
    DECLINED,
    DISCHARGE,
    EIGHTEEN_WEEKS_DAYS,
    SPA_ID,
    STEP_UP,
    WEEKDAYS,
    Arrivals,
    Costs,
    Exponential,
    Team,
)
from caseforchange.flow.statistics import QuantileSketch, Welford
from caseforchange.flow.streams import (
    Inverse,
    Stream,
    Streams,
    duration_stream,
    inverse_cdf,
    uniform_stream,
)
from caseforchange.flow.system import System, weekly_capacity

# A patient is a list with these slots (lists are cheaper than objects in the hot path).
(
    P_PRIORITY,
    P_REFERRED,
    P_ENQUEUED,
    P_HANDOFFS,
    P_SEEN,
    P_VISIT,
    P_WAITING,
    P_LOCALITY,
    P_ROW,
    P_STAGE,
    P_REASON,
    P_URGENCY,
    P_TARGET,
    P_HELD,
    P_BLOCKED,
) = range(15)

#: Urgency whose referrals go to the front of a queue that puts urgent first.
URGENT = "urgent"

Patient = list[Any]


class _Due:
    """An entry on SimPy's event queue with one callback: only what ``Environment.step`` reads.

    Scheduling one costs a heap push, against SimPy's ``Timeout`` which also runs a
    constructor and a method call; the queue, its order and the clock are SimPy's own.
    """

    __slots__ = ("_ok", "_value", "callbacks")

    def __init__(self, value: Any, callback: Any) -> None:
        self._ok = True
        self._value = value
        self.callbacks: list[Any] | None = [callback]


#: SimPy's priority of an ordinary event (``simpy.events.NORMAL``).
_NORMAL = 1


def _later(env: simpy.Environment, delay: float, value: Any, callback: Any) -> None:
    """Call ``callback`` with an event holding ``value`` after ``delay`` days; returns nothing.

    The same queue entry SimPy's ``env.timeout(delay, value)`` makes, so events run in the
    same order.
    """
    queue: list[Any] = env._queue
    heappush(queue, (env._now + delay, _NORMAL, next(env._eid), _Due(value, callback)))


def _run_until(env: simpy.Environment, at: float) -> None:
    """Process SimPy's events before ``at``, as ``env.run(until=at)`` does; returns nothing.

    ``run(until=at)`` puts an urgent stop event at ``at``, so ordinary events at ``at`` itself
    are not processed; the clock is left at ``at``. Stepping the queue here saves a method
    call and an exception handler per event. Every event the engine makes succeeds.
    """
    queue: list[Any] = env._queue
    pop = heappop
    while queue and queue[0][0] < at:
        env._now, _, _, event = pop(queue)
        callbacks, event.callbacks = event.callbacks, None
        for callback in callbacks:
            callback(event)
    env._now = at


@dataclass
class ReplicationResult:
    """What one replication measured after warm-up.

    ``scalars`` holds named figures; ``series`` holds, per team and for ``in_system``, the
    time-averaged level in each of ``series_points`` equal slices of the whole horizon (warm-up
    included, so that the warm-up can be seen).
    """

    scenario: str
    replication: int
    seed: int
    warmup_days: float
    horizon_days: float
    scalars: dict[str, float]
    series: dict[str, list[float]] = field(default_factory=dict)


class _Rows:
    """Each patient's own row of uniform numbers, drawn in blocks (``size`` numbers a row)."""

    __slots__ = ("_buf", "_rng", "size")

    def __init__(self, rng: np.random.Generator, size: int) -> None:
        self._rng = rng
        self.size = size
        self._buf: list[list[float]] = []

    def next(self) -> list[float]:
        """Return the next patient's row."""
        if not self._buf:
            self._buf = self._rng.random((256, self.size)).tolist()
            self._buf.reverse()
        return self._buf.pop()


class _Route:
    """A routing row resolved to stations and outcomes, drawn by inverse transform."""

    __slots__ = ("cum", "to")

    def __init__(
        self, sim: _Simulation, row: dict[str, float], stations: dict[str, _Station]
    ) -> None:
        self.cum: list[float] = []
        self.to: list[_Station | dict[str, _Station] | str] = []
        total = 0.0
        for target, p in row.items():
            if p <= 0:
                continue
            total += p
            self.cum.append(total)
            if "{locality}" in target:
                self.to.append(
                    {
                        loc: stations[target.replace("{locality}", loc)]
                        for loc in sim.system.localities
                    }
                )
            else:
                self.to.append(stations.get(target, target))
        self.cum[-1] = 2.0  # so that rounding never lets a draw fall off the end

    def pick(self, u: float, locality: str) -> _Station | str:
        """Return the station or outcome drawn with uniform ``u``."""
        i = 0
        cum = self.cum
        while u >= cum[i]:
            i += 1
        target = self.to[i]
        if isinstance(target, dict):
            return target[locality]
        return target


class _Station:
    """One team or bed pool: free places, queues by priority, and its running statistics."""

    __slots__ = (
        "b_area",
        "bed_kind",
        "blocked",
        "blocked_days",
        "busy",
        "c_area",
        "capacity",
        "class_index",
        "class_inverse",
        "class_routes",
        "class_waits",
        "env",
        "exp_mean",
        "fixed_outcome",
        "flex",
        "full_mode_blocks",
        "held",
        "inverse",
        "is_spa",
        "last",
        "mark",
        "nv",
        "overflow",
        "overflow_over",
        "overflowed",
        "patience",
        "per_staff",
        "prioritised",
        "pv",
        "q_area",
        "queue_limit",
        "queues",
        "renege_admits",
        "reneged",
        "route",
        "route_stream",
        "schedule",
        "schedule_i",
        "series",
        "series_mark",
        "service",
        "sim",
        "sketch",
        "so",
        "surge",
        "surging",
        "team",
        "turn_away_admits",
        "turned_away",
        "wait",
        "waited",
        "waiting",
    )

    def __init__(self, sim: _Simulation, team: Team, streams: Streams) -> None:
        self.sim = sim
        self.env = sim.env
        self.team = team
        self.is_spa = team.id == SPA_ID and sim.system.spa is not None
        self.busy = 0
        self.waiting = 0
        self.prioritised = team.urgent_first
        self.queues: list[deque[Patient]] = [deque(), deque()] if team.urgent_first else [deque()]
        # each visit uses pv of the patient's own numbers (episode, route, patience) for the
        # first nv visits; a team's own streams are used only after that
        self.pv, self.nv = sim.system.row_layout
        self.so = 1 - self.pv
        self.service = duration_stream(streams.rng(f"service/{team.id}"), team.service)
        self.inverse: Inverse = inverse_cdf(team.service)
        self.route_stream = uniform_stream(streams.rng(f"route/{team.id}"))
        self.route: _Route | None = None
        self.fixed_outcome: str | None = None
        self.exp_mean = team.service.mean if isinstance(team.service, Exponential) else 0.0
        self.class_index: dict[tuple[str, str], int] = {}
        self.class_inverse: list[Inverse] = [inverse_cdf(c.service) for c in team.classes]
        self.class_routes: list[_Route | None] = []
        self.class_waits = [Welford() for _ in team.classes]
        self.patience: Inverse | None = None
        self.renege_admits = False
        if team.reneging is not None:
            self.patience = inverse_cdf(team.reneging.patience)
            self.renege_admits = team.reneging.outcome == "admission"
        self.queue_limit = team.queue_limit
        self.full_mode_blocks = team.when_full == "block" and team.queue_limit is not None
        self.turn_away_admits = team.turned_away_to == "admission"
        self.bed_kind = team.bed_kind
        self.blocked: deque[Patient] = deque()
        self.held = 0
        self.blocked_days = 0.0
        self.turned_away = 0
        self.overflowed = 0
        self.overflow: _Station | None = None
        self.overflow_over = team.overflow.queue_over if team.overflow else 0
        self.surge = team.surge
        self.surging = False
        self.per_staff = 1 if team.beds is not None else team.caseload_per_staff
        self.flex = team.id in sim.system.flex_teams
        self.schedule = [(0.0, team.beds)] if team.beds is not None else weekly_capacity(team)
        self.schedule_i = 0
        self.capacity = self._capacity_at(0, 0)
        self.last = 0.0
        self.q_area = 0.0
        self.b_area = 0.0
        self.c_area = 0.0
        self.mark = (0.0, 0.0, 0.0)
        self.wait = Welford()
        self.sketch = QuantileSketch()
        self.waited = 0
        self.reneged = 0
        self.series_mark = 0.0
        self.series: list[float] = []

    def connect(self, stations: dict[str, _Station]) -> None:
        """Resolve routing rows and the overflow team into stations; returns nothing."""
        sim = self.sim
        if not self.is_spa:
            self.route = _Route(sim, self.team.after, stations)
            only = self.route.to[0]
            if len(self.route.to) == 1 and isinstance(only, str) and not self.team.classes:
                self.fixed_outcome = only
        self.class_routes = [
            _Route(sim, c.after, stations) if c.after else None for c in self.team.classes
        ]
        if self.team.overflow is not None:
            self.overflow = stations[self.team.overflow.to]

    def class_of(self, p: Patient) -> int:
        """Return the index of the patient's class here (-1: the team's default)."""
        key = (p[P_REASON], p[P_URGENCY])
        c = self.class_index.get(key)
        if c is None:
            c = -1
            for i, cls in enumerate(self.team.classes):
                w = cls.when
                if (not w.reason or key[0] in w.reason) and (not w.urgency or key[1] in w.urgency):
                    c = i
                    break
            self.class_index[key] = c
        return c

    # ---- capacity --------------------------------------------------------------------
    def _capacity_at(self, index: int, week: int) -> int:
        staff = self.schedule[index][1]
        if self.flex:
            staff = round(staff * self.sim.flex_factor(week))
        if self.surging and self.surge is not None:
            staff += self.surge.extra_staff
        return staff * self.per_staff

    def start_rota(self) -> None:
        """Schedule the first shift change, if the capacity ever changes; returns nothing."""
        if len(self.schedule) > 1 or self.flex:
            self._next_change(0.0)

    def _next_change(self, now: float) -> None:
        i = self.schedule_i + 1
        week = int(now // 7)
        if i < len(self.schedule):
            when = week * 7 + self.schedule[i][0]
        else:
            i = 0
            when = (week + 1) * 7.0
        self.schedule_i = i
        _later(self.env, max(0.0, when - now), None, self._shift_change)

    def _set_capacity(self, now: float) -> None:
        self.tick(now)
        self.capacity = self._capacity_at(self.schedule_i, int(now // 7 + 1e-9))
        while self.waiting and self.busy < self.capacity:
            self.busy += 1
            self._begin(self._pop(), now)
        if self.blocked:
            self._admit_blocked(now)

    def _shift_change(self, _ev: simpy.Event) -> None:
        now = self.env.now
        self._set_capacity(now)
        self._next_change(now)

    # ---- flow ------------------------------------------------------------------------
    def tick(self, now: float) -> None:
        """Bring the time-weighted sums up to ``now``; returns nothing."""
        dt = now - self.last
        if dt:
            self.q_area += self.waiting * dt
            self.b_area += self.busy * dt
            self.c_area += self.capacity * dt
            self.last = now

    def full(self) -> bool:
        """Return whether a patient arriving now could neither start nor queue."""
        return (
            self.busy >= self.capacity
            and self.queue_limit is not None
            and self.waiting >= self.queue_limit
        )

    def arrive(
        self, p: Patient, now: float, may_overflow: bool = True, force: bool = False
    ) -> None:
        """Take a patient in: start at once if a place is free, else queue.

        When the queue is full the patient overflows or is turned away, unless ``force``.
        """
        dt = now - self.last
        if dt:
            self.q_area += self.waiting * dt
            self.b_area += self.busy * dt
            self.c_area += self.capacity * dt
            self.last = now
        p[P_STAGE] += 1
        p[P_ENQUEUED] = now
        if self.busy < self.capacity:
            self.busy += 1
            self._begin(p, now)
            return
        target = self.overflow
        if (
            target is not None
            and may_overflow
            and self.waiting >= self.overflow_over
            and target.busy < target.capacity
        ):
            self.overflowed += 1
            p[P_STAGE] -= 1
            target.arrive(p, now, may_overflow=False)
            return
        limit = self.queue_limit
        if limit is not None and self.waiting >= limit and not force:
            self.turned_away += 1
            self.sim.leave(p, self.turn_away_admits, unseen=True)
            return
        self.waiting += 1
        p[P_WAITING] = True
        p[P_VISIT] += 1
        self.queues[p[P_PRIORITY] if self.prioritised else 0].append(p)
        if self.patience is not None:
            stage = p[P_STAGE]
            row = p[P_ROW]
            u = row[self.pv * stage + self.so + 2] if stage <= self.nv else self.route_stream.next()
            _later(self.env, self.patience(u), (p, p[P_VISIT]), self._renege)
        surge = self.surge
        if surge is not None and not self.surging and self.waiting >= surge.queue_over:
            self.surging = True
            self._set_capacity(now)

    def _begin(self, p: Patient, now: float) -> None:
        wait = now - p[P_ENQUEUED]
        self.wait.add(wait)
        self.sketch.add(wait)
        if wait > 0:
            self.waited += 1
        if not p[P_SEEN] and not self.is_spa:
            p[P_SEEN] = True
            self.sim.first_contact(now - p[P_REFERRED], p[P_PRIORITY])
        stage = p[P_STAGE]
        classes = self.class_inverse
        if classes:
            c = self.class_of(p)
            if c >= 0:
                self.class_waits[c].add(wait)
                inverse = classes[c]
            else:
                inverse = self.inverse
            duration = (
                inverse(p[P_ROW][self.pv * stage + self.so])
                if stage <= self.nv
                else inverse(self.route_stream.next())
            )
        elif stage <= self.nv:
            mean = self.exp_mean
            if mean:
                duration = -mean * _log(1.0 - p[P_ROW][self.pv * stage + self.so])
            else:
                duration = self.inverse(p[P_ROW][self.pv * stage + self.so])
        else:
            duration = self.service.next()
        env = self.env
        queue: list[Any] = env._queue
        heappush(queue, (env._now + duration, _NORMAL, next(env._eid), _Due(p, self._finish)))

    def _pop(self) -> Patient:
        for q in self.queues:
            while q:
                p = q.popleft()
                if p[P_WAITING]:
                    p[P_WAITING] = False
                    self.waiting -= 1
                    surge = self.surge
                    if surge is not None and self.surging and self.waiting <= surge.queue_under:
                        self.surging = False
                        self.capacity = self._capacity_at(
                            self.schedule_i, int(self.env.now // 7 + 1e-9)
                        )
                    return p
        raise RuntimeError("queue count out of step")  # pragma: no cover

    def release(self, now: float) -> None:
        """Free the place of a patient who has left: start the next one; returns nothing."""
        if self.waiting and self.busy <= self.capacity:
            self._begin(self._pop(), now)
        else:
            self.busy -= 1
        if self.blocked:
            self._admit_blocked(now)

    def _admit_blocked(self, now: float) -> None:
        """Move patients held upstream in, while there is room; returns nothing."""
        blocked = self.blocked
        while blocked and not self.full():
            p = blocked.popleft()
            holder: _Station = p[P_HELD]
            p[P_HELD] = None
            holder.tick(now)
            if p[P_BLOCKED] < self.sim.warmup <= now:
                holder.blocked_days += now - self.sim.warmup
            else:
                holder.blocked_days += now - p[P_BLOCKED]
            holder.held -= 1
            if holder.bed_kind != "acute":
                p[P_HANDOFFS] += 1
            self.arrive(p, now)
            holder.release(now)

    def _finish(self, ev: simpy.Event) -> None:
        p: Patient = ev._value
        now = self.env.now
        dt = now - self.last
        if dt:
            self.q_area += self.waiting * dt
            self.b_area += self.busy * dt
            self.c_area += self.capacity * dt
            self.last = now
        fixed = self.fixed_outcome
        if fixed is not None:
            # the common simple case: one route out, to an outcome
            if self.waiting and self.busy <= self.capacity:
                self._begin(self._pop(), now)
            else:
                self.busy -= 1
            if self.blocked:
                self._admit_blocked(now)
            self.sim.leave(p, fixed == ADMISSION)
            return
        stage = p[P_STAGE]
        if self.is_spa:
            target: _Station | str = p[P_TARGET]
        else:
            route = self.route
            if self.class_routes:
                c = self.class_of(p)
                if c >= 0 and self.class_routes[c] is not None:
                    route = self.class_routes[c]
            assert route is not None
            if len(route.cum) == 1:
                target = route.pick(0.0, p[P_LOCALITY])
            else:
                u = (
                    p[P_ROW][self.pv * stage + self.so + 1]
                    if stage <= self.nv
                    else self.route_stream.next()
                )
                target = route.pick(u, p[P_LOCALITY])
        if isinstance(target, _Station):
            if target.full_mode_blocks and target.full():
                # the patient keeps their place here until the next place frees
                p[P_HELD] = self
                p[P_BLOCKED] = now
                self.held += 1
                target.blocked.append(p)
                return
            self.release(now)
            if self.is_spa:
                target.arrive(p, now)
            else:
                # leaving an acute bed is the hospital discharge itself, not a hand-off
                # between community teams (other scenarios start such patients at the team)
                if self.bed_kind != "acute":
                    p[P_HANDOFFS] += 1
                self.sim.hand_off(p, target, now)
        else:
            self.release(now)
            if self.is_spa:
                self.sim.triage_outcome(p, target)
            else:
                self.sim.leave(p, target == ADMISSION)

    def _renege(self, ev: simpy.Event) -> None:
        p, visit = ev._value
        if not (p[P_WAITING] and p[P_VISIT] == visit):
            return
        now = self.env.now
        self.tick(now)
        p[P_WAITING] = False
        self.waiting -= 1
        self.reneged += 1
        self.sim.leave(p, self.renege_admits, reneged=True, unseen=not p[P_SEEN])
        if self.blocked:
            self._admit_blocked(now)


class _Source:
    """One stream of referrals: draws when each arrives, what it is, and where triage sends it."""

    def __init__(
        self, sim: _Simulation, stream: Arrivals, stations: dict[str, _Station], streams: Streams
    ) -> None:
        self.sim = sim
        self.env = sim.env
        self.per_day = stream.per_week / 7.0
        self.times = duration_stream(streams.rng(f"arrivals/{stream.id}/times"), None)
        per_visit, visits = sim.system.row_layout
        self.rows = _Rows(streams.rng(f"arrivals/{stream.id}/patients"), 1 + per_visit * visits)
        self.reasons = _Choice(stream.reasons)
        self.urgency = _Choice(stream.urgency)
        self.localities = _Choice(stream.localities)
        needs_mix = any(c.size > 1 for c in (self.reasons, self.urgency, self.localities))
        self.mix = uniform_stream(streams.rng(f"arrivals/{stream.id}/mix")) if needs_mix else None
        self.routes: dict[tuple[int, int, int], tuple[_Choice, list[_Station | str]]] = {}
        for r, reason in enumerate(self.reasons.names):
            for u, urgency in enumerate(self.urgency.names):
                for lo, loc in enumerate(self.localities.names):
                    row = sim.system.route(reason, urgency, loc, stream.id)
                    assert row is not None, "checked by check_model"
                    choice = _Choice(row)
                    targets: list[_Station | str] = [stations.get(n, n) for n in choice.names]
                    self.routes[(r, u, lo)] = (choice, targets)
        self.priority = [0 if u == URGENT else 1 for u in self.urgency.names]
        self.spa = stations.get(SPA_ID) if sim.system.spa is not None else None
        self.week = -1
        self.rate = 0.0
        self.constant = sim.constant_demand
        self.slot_days, self.slot_factors = sim.profile(stream)
        self.slot = -1

    def start(self) -> None:
        """Schedule the first referral; returns nothing."""
        self._schedule(0.0)

    def _rate_in_slot(self, slot: int) -> float:
        if slot != self.slot:
            self.slot = slot
            days = self.slot_days
            week = int(slot * days // 7)
            factor = self.sim.slot_factor(self.slot_factors, slot, days)
            self.rate = self.per_day * self.sim.system.demand_multiplier(week) * factor
        return self.rate

    def _schedule(self, now: float) -> None:
        e = self.times.next()
        if self.constant:
            rate = self._rate_in_slot(0)
            if rate <= 0:
                return
            delay = e / rate
        else:
            # piecewise-constant rate: spend the unit-exponential budget slot by slot
            t = now
            horizon = self.sim.horizon
            days = self.slot_days
            # the slot is counted, not recomputed from t: t // days can round back a slot
            slot = int(t // days)
            if (slot + 1) * days <= t:
                slot += 1
            while True:
                rate = self._rate_in_slot(slot)
                edge = (slot + 1) * days
                if rate > 0 and t + e / rate <= edge:
                    t += e / rate
                    break
                e -= rate * (edge - t)
                t = edge
                slot += 1
                if t > horizon:
                    return
            delay = t - now
        env = self.env
        queue: list[Any] = env._queue
        heappush(queue, (env._now + delay, _NORMAL, next(env._eid), _Due(None, self._arrive)))

    def _arrive(self, _ev: simpy.Event) -> None:
        now = self.env.now
        mix = self.mix
        if mix is None:
            r = u = lo = 0
        else:
            r = self.reasons.pick(mix)
            u = self.urgency.pick(mix)
            lo = self.localities.pick(mix)
        choice, targets = self.routes[(r, u, lo)]
        buf = self.rows._buf
        row = buf.pop() if buf else self.rows.next()
        target = targets[0] if choice.size == 1 else targets[choice.index(row[0])]
        patient: Patient = [
            self.priority[u],
            now,
            now,
            0,
            False,
            0,
            False,
            self.localities.names[lo],
            row,
            0,
            self.reasons.names[r],
            self.urgency.names[u],
            target,
            None,
            0.0,
        ]
        self.sim.referrals += 1
        spa = self.spa
        if spa is not None:
            spa.arrive(patient, now)
        elif isinstance(target, _Station):
            target.arrive(patient, now)
        else:
            self.sim.triage_outcome(patient, target)
        self._schedule(now)


class _Choice:
    """A discrete distribution over names, drawn by inverse transform from a uniform."""

    __slots__ = ("cum", "names", "size")

    def __init__(self, probabilities: dict[str, float]) -> None:
        self.names = [n for n, p in probabilities.items() if p > 0]
        total = 0.0
        self.cum: list[float] = []
        for n in self.names:
            total += probabilities[n]
            self.cum.append(total)
        self.cum[-1] = 2.0
        self.size = len(self.names)

    def index(self, u: float) -> int:
        """Return the index of the name drawn with uniform ``u``."""
        i = 0
        cum = self.cum
        while u >= cum[i]:
            i += 1
        return i

    def pick(self, stream: Stream) -> int:
        """Return the index of the name drawn (no draw is used when there is one name)."""
        if self.size == 1:
            return 0
        return self.index(stream.next())


class _Simulation:
    """One replication: the environment, the stations, the sources and the overall sums."""

    def __init__(
        self,
        system: System,
        horizon: float,
        warmup: float,
        streams: Streams,
        series_points: int,
    ) -> None:
        self.system = system
        self.env = simpy.Environment()
        self.horizon = horizon
        self.warmup = warmup
        self.points = series_points
        calendar = system.calendar
        self.holidays: set[int] = set()
        if calendar is not None:
            self.holidays = {(d - calendar.start).days for d in calendar.bank_holidays}
        self.constant_demand = (
            system.seasonality.amplitude == 0
            and not system.seasonality.weeks
            and system.demand_growth_per_year == 0
            and not self.holidays
            and all(not a.day_of_week and not a.hour_of_day for a in system.arrivals)
        )
        self._flex_mean = system.seasonal_mean()
        teams = list(system.teams)
        if system.spa is not None:
            spa = system.spa
            teams.append(
                Team(
                    id=SPA_ID,
                    staff=spa.staff,
                    rota=spa.rota,
                    service=spa.service,
                    hours_per_week=spa.hours_per_week,
                    urgent_first=True,
                )
            )
        self.stations = {t.id: _Station(self, t, streams) for t in teams}
        for station in self.stations.values():
            station.connect(self.stations)
        self.sources = [_Source(self, a, self.stations, streams) for a in system.arrivals]
        self.delay = system.handoff_delay_days
        self._reset_counts()
        self.in_system_series: list[float] = []

    # ---- demand profile --------------------------------------------------------------
    def profile(self, stream: Arrivals) -> tuple[float, list[float]]:
        """Return the slot length (days) and the repeating weekly factors of a stream.

        Hourly slots when ``hour_of_day`` is given, daily ones for day-of-week weights or bank
        holidays, weekly otherwise. Weights are scaled to average 1 over the week.
        """
        weights: dict[str, float] = {str(k): v for k, v in stream.day_of_week.items()}
        days = [weights.get(d, 1.0) for d in WEEKDAYS]
        mean_day = sum(days) / 7 or 1.0
        days = [d / mean_day for d in days]
        if stream.hour_of_day:
            mean_hour = sum(stream.hour_of_day) / 24 or 1.0
            hours = [h / mean_hour for h in stream.hour_of_day]
            return 1 / 24, [d * h for d in days for h in hours]
        if stream.day_of_week or self.holidays:
            return 1.0, days
        return 7.0, [1.0]

    def slot_factor(self, factors: list[float], slot: int, days: float) -> float:
        """Return the demand factor of a slot: its weekly profile, times a bank holiday's."""
        factor = factors[slot % len(factors)]
        if self.holidays and days <= 1.0 and int(slot * days) in self.holidays:
            assert self.system.calendar is not None
            factor *= self.system.calendar.bank_holiday_factor
        return factor

    def flex_factor(self, week: int) -> float:
        """Return demand in ``week`` relative to the average seasonal demand of a year."""
        return self.system.demand_multiplier(week) / self._flex_mean

    def _reset_counts(self) -> None:
        self.referrals = 0
        self.wait_by_priority = (Welford(), Welford())
        self.sketch = QuantileSketch()
        self.over_18 = 0
        self.exits = 0
        self.handoffs = 0
        self.admissions = 0
        self.reneged = 0
        self.unseen = 0
        self.advice = 0
        self.declined = 0

    # ---- called by stations ----------------------------------------------------------
    def first_contact(self, wait: float, priority: int) -> None:
        """Record the wait from referral to first contact; returns nothing."""
        self.wait_by_priority[priority].add(wait)
        self.sketch.add(wait)
        if wait > EIGHTEEN_WEEKS_DAYS:
            self.over_18 += 1

    def hand_off(self, p: Patient, target: _Station, now: float) -> None:
        """Pass a patient to another team, after the hand-off delay; returns nothing."""
        if self.delay > 0:
            _later(self.env, self.delay, (p, target), self._delivered)
        else:
            target.arrive(p, now)

    def _delivered(self, ev: simpy.Event) -> None:
        p, target = ev._value
        # a place was free when the hand-off was sent: the patient joins even if full now
        target.arrive(p, self.env.now, force=True)

    def triage_outcome(self, p: Patient, outcome: str) -> None:
        """Record a referral closed at triage (advice, declined or admitted); returns nothing."""
        if outcome == DISCHARGE:
            self.advice += 1
        elif outcome == DECLINED:
            self.declined += 1
        self.leave(p, outcome == ADMISSION)

    def leave(
        self, p: Patient, admitted: bool, reneged: bool = False, unseen: bool = False
    ) -> None:
        """Record a patient leaving the system; returns nothing."""
        self.exits += 1
        self.handoffs += p[P_HANDOFFS]
        if admitted:
            self.admissions += 1
        if reneged:
            self.reneged += 1
        if unseen and not p[P_SEEN]:
            self.unseen += 1

    # ---- go-live state ---------------------------------------------------------------
    def _go_live(self, streams: Streams) -> None:
        """Put each team's starting caseload in care and its waiting list in the queue.

        Patients already in care have an unknown time left: each gets a full episode times a
        uniform fraction. Patients waiting are counted as referred at go-live.
        """
        locality = self.system.localities[0]
        for station in self.stations.values():
            start = station.team.go_live
            if start is None:
                continue
            per_visit, visits = self.system.row_layout
            rng = _Rows(streams.rng(f"go-live/{station.team.id}"), max(3, 1 + per_visit * visits))
            for k in range(start.caseload + start.waiting):
                row = rng.next()
                p: Patient = [1, 0.0, 0.0, 0, k < start.caseload, 0, False, locality, row, 0]
                p += ["go-live", "routine", None, None, 0.0]
                if k < start.caseload and station.busy < station.capacity:
                    p[P_STAGE] = 1
                    station.busy += 1
                    p[P_STAGE] = station.nv + 1  # their own numbers are not used again
                    _later(self.env, station.inverse(row[1]) * row[2], p, station._finish)
                else:
                    station.arrive(p, 0.0)

    # ---- timers ----------------------------------------------------------------------
    def _end_warmup(self, _ev: simpy.Event) -> None:
        now = self.env.now
        self._reset_counts()
        for s in self.stations.values():
            s.tick(now)
            s.mark = (s.q_area, s.b_area, s.c_area)
            s.wait = Welford()
            s.sketch = QuantileSketch()
            s.class_waits = [Welford() for _ in s.class_waits]
            s.waited = 0
            s.reneged = 0
            s.turned_away = 0
            s.overflowed = 0
            s.blocked_days = 0.0

    def _series_tick(self, ev: simpy.Event) -> None:
        k: int = ev._value
        now = self.env.now
        width = self.horizon / self.points
        total = 0.0
        for s in self.stations.values():
            s.tick(now)
            level = (s.q_area - s.series_mark) / width
            s.series.append(level)
            s.series_mark = s.q_area
            total += level
        self.in_system_series.append(total + self._busy_bucket(width))
        if k + 1 < self.points:
            _later(self.env, (k + 2) * width - now, k + 1, self._series_tick)

    _busy_marks: dict[str, float]

    def _busy_bucket(self, width: float) -> float:
        level = 0.0
        for name, s in self.stations.items():
            level += (s.b_area - self._busy_marks.get(name, 0.0)) / width
            self._busy_marks[name] = s.b_area
        return level

    def run(self, streams: Streams) -> None:
        """Run to the horizon; returns nothing."""
        env = self.env
        self._busy_marks = {}
        for station in self.stations.values():
            station.start_rota()
        self._go_live(streams)
        for source in self.sources:
            source.start()
        if self.warmup > 0:
            _later(env, self.warmup, None, self._end_warmup)
        width = self.horizon / self.points
        _later(env, width, 0, self._series_tick)
        # the last series point falls on the horizon itself, so run just past it
        _run_until(env, self.horizon * (1 + 1e-12) + 1e-9)

    def results(self) -> dict[str, float]:
        """Return the scalar figures of the run (see ``docs/flow.md``)."""
        horizon = self.horizon
        span = horizon - self.warmup
        still_over = 0
        for s in self.stations.values():
            s.tick(horizon)
            for q in s.queues:
                for p in q:
                    if p[P_WAITING] and not p[P_SEEN] and horizon - p[P_REFERRED] > 126.0:
                        still_over += 1
            for p in s.blocked:  # still held at the end: count the days so far
                held_from = max(p[P_BLOCKED], self.warmup)
                p[P_HELD].blocked_days += horizon - held_from
        out: dict[str, float] = {}
        urgent, routine = self.wait_by_priority
        seen = urgent.count + routine.count
        out["referrals"] = float(self.referrals)
        out["referrals_per_week"] = self.referrals / span * 7 if span > 0 else math.nan
        out["seen"] = float(seen)
        out["left_unseen"] = float(self.unseen)
        # the overall mean, from the two groups' means (one running mean fewer per patient)
        total = urgent.mean * urgent.count + routine.mean * routine.count
        out["wait_mean"] = total / seen if seen else math.nan
        for name, w in zip(("urgent", "routine"), self.wait_by_priority, strict=True):
            out[f"wait_mean_{name}"] = w.mean if w.count else math.nan
        out["wait_median"] = self.sketch.quantile(0.5)
        out["wait_p92"] = self.sketch.quantile(0.92)
        out["breaches_18_weeks"] = float(self.over_18 + still_over + self.unseen)
        # every patient referred to a team counts: those who left or were turned away unseen,
        # and those still waiting past 18 weeks at the end, were not seen within 18 weeks
        judged = seen + still_over + self.unseen
        out["within_18_weeks"] = (seen - self.over_18) / judged if judged else math.nan
        out["handoffs_per_patient"] = self.handoffs / self.exits if self.exits else math.nan
        out["admissions"] = float(self.admissions)
        out["admissions_per_1000"] = (
            1000.0 * self.admissions / self.referrals if self.referrals else math.nan
        )
        out["reneged"] = float(self.reneged)
        out["triage_advice"] = float(self.advice)
        out["triage_declined"] = float(self.declined)
        cap_total = 0.0
        busy_total = 0.0
        turned = blocked = stepups = 0.0
        for name, s in self.stations.items():
            q0, b0, c0 = s.mark
            queued, b, c = s.q_area - q0, s.b_area - b0, s.c_area - c0
            if s.team.beds is None:
                cap_total += c
                busy_total += b
            turned += s.turned_away
            blocked += s.blocked_days
            if s.team.bed_kind == STEP_UP:
                stepups += s.wait.count  # each admission to a step-up bed avoids an acute one
            prefix = f"team/{name}/"
            out[prefix + "utilisation"] = b / c if c > 0 else math.nan
            out[prefix + "queue_mean"] = queued / span if span > 0 else math.nan
            out[prefix + "caseload_mean"] = b / span if span > 0 else math.nan
            out[prefix + "capacity_mean"] = c / span if span > 0 else math.nan
            out[prefix + "wait_mean"] = s.wait.mean if s.wait.count else math.nan
            out[prefix + "wait_p92"] = s.sketch.quantile(0.92)
            out[prefix + "wait_probability"] = s.waited / s.wait.count if s.wait.count else math.nan
            out[prefix + "started"] = float(s.wait.count)
            out[prefix + "reneged"] = float(s.reneged)
            out[prefix + "turned_away"] = float(s.turned_away)
            out[prefix + "overflowed"] = float(s.overflowed)
            out[prefix + "held_days"] = s.blocked_days
            for cls, w in zip(s.team.classes, s.class_waits, strict=True):
                out[f"{prefix}class/{cls.id}/wait_mean"] = w.mean if w.count else math.nan
            if s.team.beds is not None:
                out[prefix + "occupied_bed_days"] = b
                out[prefix + "bed_days_lost"] = s.blocked_days
        out["utilisation"] = busy_total / cap_total if cap_total > 0 else math.nan
        out["turned_away"] = turned
        out["delayed_transfer_days"] = blocked
        out["admissions_avoided"] = stepups
        if self.system.costs is not None:
            out.update(self._costs(span))
        return out

    def _costs(self, span: float) -> dict[str, float]:
        """Return cost figures over the measured span and per year (pounds)."""
        costs: Costs | None = self.system.costs
        assert costs is not None

        def rate(table: dict[str, float], name: str) -> float:
            return table.get(name, table.get("default", 0.0))

        out: dict[str, float] = {}
        total = 0.0
        for name, s in self.stations.items():
            team = s.team
            busy = s.b_area - s.mark[1]
            places = s.c_area - s.mark[2]
            if team.beds is not None:
                table = costs.per_bed_day
                per_day = table.get(name, table.get(team.bed_kind or "", table.get("default", 0.0)))
                cost = busy * per_day
            else:
                contacts = busy * team.contacts_per_week / 7
                staff_days = places / s.per_staff
                # a rota gives hours on duty; otherwise staff in post work hours_per_week
                hours = staff_days * 24 if team.rota else staff_days * team.hours_per_week / 7
                cost = contacts * rate(costs.per_contact, name) + hours * rate(
                    costs.per_staff_hour, name
                )
            out[f"cost/{name}/per_year"] = cost * 365 / span if span > 0 else math.nan
            total += cost
        total += self.admissions * costs.per_admission
        out["cost_per_year"] = total * 365 / span if span > 0 else math.nan
        out["cost_per_referral"] = total / self.referrals if self.referrals else math.nan
        return out

    def series(self) -> dict[str, list[float]]:
        """Return the queue-length series per team and the number in the system."""
        out = {f"queue/{name}": s.series for name, s in self.stations.items()}
        out["in_system"] = self.in_system_series
        return out


def simulate(
    system: System,
    *,
    horizon_days: float,
    warmup_days: float,
    seed: int,
    replication: int,
    series_points: int = 200,
) -> ReplicationResult:
    """Run one replication of ``system`` and return what it measured after warm-up.

    The random streams depend only on ``seed``, ``replication`` and the names of the things
    drawn for, so every scenario run with the same seed and replication number shares them.

    Raises:
        ValueError: when the warm-up is not shorter than the horizon.
    """
    if not 0 <= warmup_days < horizon_days:
        raise ValueError("warm-up must be at least 0 and shorter than the horizon")
    streams = Streams(seed, replication)
    sim = _Simulation(system, horizon_days, warmup_days, streams, series_points)
    sim.run(streams)
    return ReplicationResult(
        scenario=system.scenario,
        replication=replication,
        seed=seed,
        warmup_days=warmup_days,
        horizon_days=horizon_days,
        scalars=sim.results(),
        series=sim.series(),
    )
