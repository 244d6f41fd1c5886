"""The discrete-event engine: one replication of one resolved system, on SimPy.

Design, for speed and flat memory:

* Patients are small lists, not processes. Each event (an arrival, the end of a piece of work,
  a patient giving up, a shift change) is a SimPy timeout with a plain callback, so a patient
  costs about two events per team visited instead of the five or six of a process that
  requests and releases a resource.
* A team's staff are a count of free places, not objects, so the cost of an event does not
  depend on how many staff the team has. A rota changes that count at shift boundaries.
* Statistics are running sums (:mod:`caseforchange.flow.statistics`): nothing is kept per
  patient once they leave, and the time series has a fixed number of points.
* Every kind of random draw has its own stream (see :mod:`caseforchange.flow.streams`), so two
  scenarios run with the same seed see the same referrals and the same durations.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import simpy

from caseforchange.flow.model import ADMISSION, EIGHTEEN_WEEKS_DAYS, Arrivals, Team
from caseforchange.flow.statistics import QuantileSketch, Welford
from caseforchange.flow.streams import Stream, Streams, duration_stream, uniform_stream
from caseforchange.flow.system import System, weekly_capacity

# A patient is a list with these slots (lists are cheaper than objects in the hot path).
P_PRIORITY, P_REFERRED, P_ENQUEUED, P_HANDOFFS, P_SEEN, P_VISIT, P_WAITING, P_LOCALITY = range(8)

#: Urgency whose referrals go to the front of a queue that puts urgent first.
URGENT = "urgent"

Patient = list[Any]


@dataclass
class ReplicationResult:
    """What one replication measured after warm-up.

    ``scalars`` holds named figures (see :func:`scalar_names`); ``series`` holds, per team and
    for ``in_system``, the time-averaged level in each of ``series_points`` equal slices of the
    whole horizon (warm-up included, so that the warm-up can be seen).
    """

    scenario: str
    replication: int
    seed: int
    warmup_days: float
    horizon_days: float
    scalars: dict[str, float]
    series: dict[str, list[float]] = field(default_factory=dict)


class _Station:
    """One team: free places, queues by priority, and its running statistics."""

    __slots__ = (
        "b_area",
        "busy",
        "c_area",
        "capacity",
        "env",
        "flex",
        "last",
        "mark",
        "over_18",
        "patience",
        "per_staff",
        "prioritised",
        "q_area",
        "queues",
        "renege_admits",
        "reneged",
        "route_cum",
        "route_stream",
        "route_to",
        "schedule",
        "schedule_i",
        "series",
        "series_mark",
        "service",
        "sim",
        "sketch",
        "team",
        "wait",
        "waited",
        "waiting",
    )

    def __init__(self, sim: _Simulation, team: Team, streams: Streams) -> None:
        self.sim = sim
        self.env = sim.env
        self.team = team
        self.busy = 0
        self.waiting = 0
        self.prioritised = team.urgent_first
        self.queues: list[deque[Patient]] = [deque(), deque()] if team.urgent_first else [deque()]
        self.service = duration_stream(streams.rng(f"service/{team.id}"), team.service)
        self.route_cum: list[float] = []
        self.route_to: list[_Station | dict[str, _Station] | str] = []
        self.route_stream: Stream | None = None
        self.patience: Stream | None = None
        self.renege_admits = False
        if team.reneging is not None:
            self.patience = duration_stream(
                streams.rng(f"patience/{team.id}"), team.reneging.patience
            )
            self.renege_admits = team.reneging.outcome == "admission"
        self.per_staff = team.caseload_per_staff
        self.flex = team.id in sim.system.flex_teams
        self.schedule = weekly_capacity(team)
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
        self.over_18 = 0
        self.reneged = 0
        self.series_mark = 0.0
        self.series: list[float] = []

    def connect(self, stations: dict[str, _Station], streams: Streams) -> None:
        """Resolve the routing row into stations and outcomes; returns nothing."""
        total = 0.0
        for target, p in self.team.after.items():
            if p <= 0:
                continue
            total += p
            self.route_cum.append(total)
            if "{locality}" in target:
                by_locality = {
                    loc: stations[target.replace("{locality}", loc)]
                    for loc in self.sim.system.localities
                }
                self.route_to.append(by_locality)
            else:
                self.route_to.append(stations.get(target, target))
        self.route_cum[-1] = 2.0  # so that rounding never lets a draw fall off the end
        if len(self.route_to) > 1:
            self.route_stream = uniform_stream(streams.rng(f"route/{self.team.id}"))

    # ---- capacity --------------------------------------------------------------------
    def _capacity_at(self, index: int, week: int) -> int:
        staff = self.schedule[index][1]
        if self.flex:
            staff = round(staff * self.sim.flex_factor(week))
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
        ev = self.env.timeout(max(0.0, when - now))
        ev.callbacks.append(self._shift_change)

    def _shift_change(self, _ev: simpy.Event) -> None:
        now = self.env.now
        self.tick(now)
        self.capacity = self._capacity_at(self.schedule_i, int(now // 7 + 1e-9))
        while self.waiting and self.busy < self.capacity:
            self.busy += 1
            self._begin(self._pop(), now)
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

    def arrive(self, p: Patient, now: float) -> None:
        """Take a patient into the team: start at once if a place is free, else queue."""
        dt = now - self.last
        if dt:
            self.q_area += self.waiting * dt
            self.b_area += self.busy * dt
            self.c_area += self.capacity * dt
            self.last = now
        if self.busy < self.capacity:
            self.busy += 1
            p[P_ENQUEUED] = now
            self._begin(p, now)
            return
        self.waiting += 1
        p[P_ENQUEUED] = now
        p[P_WAITING] = True
        p[P_VISIT] += 1
        self.queues[p[P_PRIORITY] if self.prioritised else 0].append(p)
        if self.patience is not None:
            ev = self.env.timeout(self.patience.next(), (p, p[P_VISIT]))
            ev.callbacks.append(self._renege)

    def _begin(self, p: Patient, now: float) -> None:
        wait = now - p[P_ENQUEUED]
        self.wait.add(wait)
        self.sketch.add(wait)
        if wait > 0:
            self.waited += 1
        if not p[P_SEEN]:
            p[P_SEEN] = True
            self.sim.first_contact(now - p[P_REFERRED], p[P_PRIORITY])
        ev = self.env.timeout(self.service.next(), p)
        ev.callbacks.append(self._finish)

    def _pop(self) -> Patient:
        for q in self.queues:
            while q:
                p = q.popleft()
                if p[P_WAITING]:
                    p[P_WAITING] = False
                    self.waiting -= 1
                    return p
        raise RuntimeError("queue count out of step")  # pragma: no cover

    def _finish(self, ev: simpy.Event) -> None:
        p: Patient = ev._value
        now = self.env.now
        dt = now - self.last
        if dt:
            self.q_area += self.waiting * dt
            self.b_area += self.busy * dt
            self.c_area += self.capacity * dt
            self.last = now
        if self.waiting and self.busy <= self.capacity:
            self._begin(self._pop(), now)
        else:
            self.busy -= 1
        route = self.route_to
        if self.route_stream is None:
            target = route[0]
        else:
            u = self.route_stream.next()
            cum = self.route_cum
            i = 0
            while u >= cum[i]:
                i += 1
            target = route[i]
        if isinstance(target, dict):
            target = target[p[P_LOCALITY]]
        if isinstance(target, _Station):
            p[P_HANDOFFS] += 1
            self.sim.hand_off(p, target, now)
        else:
            self.sim.leave(p, target == ADMISSION)

    def _renege(self, ev: simpy.Event) -> None:
        p, visit = ev._value
        if not (p[P_WAITING] and p[P_VISIT] == visit):
            return
        self.tick(self.env.now)
        p[P_WAITING] = False
        self.waiting -= 1
        self.reneged += 1
        self.sim.leave(p, self.renege_admits, reneged=True)


class _Source:
    """One stream of referrals: draws when each arrives, what it is, and where triage sends it."""

    def __init__(
        self, sim: _Simulation, stream: Arrivals, stations: dict[str, _Station], streams: Streams
    ) -> None:
        self.sim = sim
        self.env = sim.env
        self.per_day = stream.per_week / 7.0
        self.times = duration_stream(streams.rng(f"arrivals/{stream.id}/times"), None)
        self.reasons = _Choice(stream.reasons)
        self.urgency = _Choice(stream.urgency)
        self.localities = _Choice(stream.localities)
        needs_mix = any(c.size > 1 for c in (self.reasons, self.urgency, self.localities))
        self.mix = uniform_stream(streams.rng(f"arrivals/{stream.id}/mix")) if needs_mix else None
        self.routes: dict[tuple[int, int, int], _Choice] = {}
        self.targets: dict[str, _Station] = stations
        needs_triage = False
        for r, reason in enumerate(self.reasons.names):
            for u, urgency in enumerate(self.urgency.names):
                for lo, loc in enumerate(self.localities.names):
                    row = sim.system.route(reason, urgency, loc)
                    assert row is not None, "checked by check_model"
                    choice = _Choice(row)
                    needs_triage = needs_triage or choice.size > 1
                    self.routes[(r, u, lo)] = choice
        self.priority = [0 if u == URGENT else 1 for u in self.urgency.names]
        self.triage = uniform_stream(streams.rng(f"triage/{stream.id}")) if needs_triage else None
        self.week = -1
        self.rate = 0.0
        self.constant = sim.constant_demand

    def start(self) -> None:
        """Schedule the first referral; returns nothing."""
        self._schedule(0.0)

    def _rate_in_week(self, week: int) -> float:
        if week != self.week:
            self.week = week
            self.rate = self.per_day * self.sim.system.demand_multiplier(week)
        return self.rate

    def _schedule(self, now: float) -> None:
        e = self.times.next()
        if self.constant:
            rate = self._rate_in_week(0)
            if rate <= 0:
                return
            delay = e / rate
        else:
            # piecewise-constant weekly rate: spend the unit-exponential budget week by week
            t = now
            horizon = self.sim.horizon
            while True:
                week = int(t // 7)
                rate = self._rate_in_week(week)
                edge = (week + 1) * 7.0
                if rate > 0 and t + e / rate <= edge:
                    t += e / rate
                    break
                e -= rate * (edge - t)
                t = edge
                if t > horizon:
                    return
            delay = t - now
        ev = self.env.timeout(delay)
        ev.callbacks.append(self._arrive)

    def _arrive(self, _ev: simpy.Event) -> None:
        now = self.env.now
        mix = self.mix
        if mix is None:
            r = u = lo = 0
        else:
            r = self.reasons.pick(mix)
            u = self.urgency.pick(mix)
            lo = self.localities.pick(mix)
        choice = self.routes[(r, u, lo)]
        name = choice.names[0] if self.triage is None else choice.names[choice.pick(self.triage)]
        patient: Patient = [
            self.priority[u],
            now,
            now,
            0,
            False,
            0,
            False,
            self.localities.names[lo],
        ]
        self.sim.referrals += 1
        self.targets[name].arrive(patient, now)
        self._schedule(now)


class _Choice:
    """A discrete distribution over names, drawn by inverse transform from a uniform stream."""

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

    def pick(self, stream: Stream) -> int:
        """Return the index of the name drawn (no draw is used when there is one name)."""
        if self.size == 1:
            return 0
        u = stream.next()
        i = 0
        cum = self.cum
        while u >= cum[i]:
            i += 1
        return i


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
        self.constant_demand = (
            system.seasonality.amplitude == 0
            and not system.seasonality.weeks
            and system.demand_growth_per_year == 0
        )
        self._flex_mean = system.seasonal_mean()
        self.stations = {t.id: _Station(self, t, streams) for t in system.teams}
        for station in self.stations.values():
            station.connect(self.stations, streams)
        self.sources = [_Source(self, a, self.stations, streams) for a in system.arrivals]
        self.delay = system.handoff_delay_days
        self._reset_counts()
        self.in_system_series: list[float] = []

    def flex_factor(self, week: int) -> float:
        """Return demand in ``week`` relative to the average seasonal demand of a year."""
        return self.system.demand_multiplier(week) / self._flex_mean

    def _reset_counts(self) -> None:
        self.referrals = 0
        self.wait = Welford()
        self.wait_by_priority = (Welford(), Welford())
        self.sketch = QuantileSketch()
        self.over_18 = 0
        self.exits = 0
        self.handoffs = 0
        self.admissions = 0
        self.reneged = 0

    # ---- called by stations ----------------------------------------------------------
    def first_contact(self, wait: float, priority: int) -> None:
        """Record the wait from referral to first contact; returns nothing."""
        self.wait.add(wait)
        self.wait_by_priority[priority].add(wait)
        self.sketch.add(wait)
        if wait > EIGHTEEN_WEEKS_DAYS:
            self.over_18 += 1

    def hand_off(self, p: Patient, target: _Station, now: float) -> None:
        """Pass a patient to another team, after the hand-off delay; returns nothing."""
        if self.delay > 0:
            ev = self.env.timeout(self.delay, (p, target))
            ev.callbacks.append(self._delivered)
        else:
            target.arrive(p, now)

    def _delivered(self, ev: simpy.Event) -> None:
        p, target = ev._value
        target.arrive(p, self.env.now)

    def leave(self, p: Patient, admitted: bool, reneged: bool = False) -> None:
        """Record a patient leaving the system; returns nothing."""
        self.exits += 1
        self.handoffs += p[P_HANDOFFS]
        if admitted:
            self.admissions += 1
        if reneged:
            self.reneged += 1

    # ---- timers ----------------------------------------------------------------------
    def _end_warmup(self, _ev: simpy.Event) -> None:
        now = self.env.now
        self._reset_counts()
        for s in self.stations.values():
            s.tick(now)
            s.mark = (s.q_area, s.b_area, s.c_area)
            s.wait = Welford()
            s.sketch = QuantileSketch()
            s.waited = 0
            s.reneged = 0

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
            nxt = self.env.timeout((k + 2) * width - now, k + 1)
            nxt.callbacks.append(self._series_tick)

    _busy_marks: dict[str, float]

    def _busy_bucket(self, width: float) -> float:
        level = 0.0
        for name, s in self.stations.items():
            level += (s.b_area - self._busy_marks.get(name, 0.0)) / width
            self._busy_marks[name] = s.b_area
        return level

    def run(self) -> None:
        """Run to the horizon; returns nothing."""
        env = self.env
        self._busy_marks = {}
        for station in self.stations.values():
            station.start_rota()
        for source in self.sources:
            source.start()
        if self.warmup > 0:
            env.timeout(self.warmup).callbacks.append(self._end_warmup)
        width = self.horizon / self.points
        env.timeout(width, 0).callbacks.append(self._series_tick)
        # the last series point falls on the horizon itself, so run just past it
        env.run(until=self.horizon * (1 + 1e-12) + 1e-9)

    def results(self) -> dict[str, float]:
        """Return the scalar figures of the run (see :func:`scalar_names`)."""
        horizon = self.horizon
        span = horizon - self.warmup
        still_over = 0
        for s in self.stations.values():
            s.tick(horizon)
            for q in s.queues:
                for p in q:
                    if p[P_WAITING] and not p[P_SEEN] and horizon - p[P_REFERRED] > 126.0:
                        still_over += 1
        out: dict[str, float] = {}
        seen = self.wait.count
        out["referrals"] = float(self.referrals)
        out["referrals_per_week"] = self.referrals / span * 7 if span > 0 else math.nan
        out["seen"] = float(seen)
        out["wait_mean"] = self.wait.mean if seen else math.nan
        for name, w in zip(("urgent", "routine"), self.wait_by_priority, strict=True):
            out[f"wait_mean_{name}"] = w.mean if w.count else math.nan
        out["wait_median"] = self.sketch.quantile(0.5)
        out["wait_p92"] = self.sketch.quantile(0.92)
        out["breaches_18_weeks"] = float(self.over_18 + still_over)
        judged = seen + still_over
        out["within_18_weeks"] = (seen - self.over_18) / judged if judged else math.nan
        out["handoffs_per_patient"] = self.handoffs / self.exits if self.exits else math.nan
        out["admissions"] = float(self.admissions)
        out["admissions_per_1000"] = (
            1000.0 * self.admissions / self.referrals if self.referrals else math.nan
        )
        out["reneged"] = float(self.reneged)
        cap_total = 0.0
        busy_total = 0.0
        for name, s in self.stations.items():
            q0, b0, c0 = s.mark
            queued, b, c = s.q_area - q0, s.b_area - b0, s.c_area - c0
            cap_total += c
            busy_total += b
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
        out["utilisation"] = busy_total / cap_total if cap_total > 0 else math.nan
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
    sim.run()
    return ReplicationResult(
        scenario=system.scenario,
        replication=replication,
        seed=seed,
        warmup_days=warmup_days,
        horizon_days=horizon_days,
        scalars=sim.results(),
        series=sim.series(),
    )
