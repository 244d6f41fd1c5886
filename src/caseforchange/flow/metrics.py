"""Flow metrics computed from referral records: demand, waits, 18 weeks, hand-offs, caseload.

Definitions (also in ``docs/flow.md``):

* **week**: the Monday-to-Sunday week containing the date, named by its Monday.
* **wait**: days from referral to first contact, for referrals with a first contact.
* **median / 92nd centile**: nearest rank: the smallest wait with at least that share of waits
  at or below it (the way the 18-week standard is reported, no interpolation).
* **seen within 18 weeks**: share of waits of at most 126 days.
* **waiting over 18 weeks**: referrals with no first contact, referred more than 126 days before
  the end of the data, that were not rejected at triage.
* **hand-off**: a record with an onward referral to another team. **Patients** are distinct
  ``patient_id`` values when mapped, otherwise referrals whose source is not a team.
* **caseload**: per team, the episodes open at the end of each week (first contact on or before
  that Sunday, and no discharge by then).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from caseforchange.flow.model import EIGHTEEN_WEEKS_DAYS
from caseforchange.flow.records import ReferralRecord

#: Triage outcomes that mean the referral was not accepted (compared in lower case).
REJECTED = frozenset({"rejected", "declined", "not accepted", "redirected"})


def nearest_rank(values: list[float], q: float) -> float:
    """Return the nearest-rank ``q``-quantile (0 < q <= 1) of ``values``, NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[rank - 1]


def week_start(day: dt.date) -> dt.date:
    """Return the Monday of the week containing ``day``."""
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class WaitSummary:
    """Waits to first contact for a group of referrals."""

    seen: int
    median_days: float
    p92_days: float
    mean_days: float
    within_18_weeks: float
    waiting_over_18_weeks: int

    def as_dict(self) -> dict[str, float | int | None]:
        """Return a JSON-ready mapping (NaN becomes None)."""
        return {
            k: (None if isinstance(v, float) and math.isnan(v) else v)
            for k, v in self.__dict__.items()
        }


@dataclass
class FlowMetrics:
    """Flow metrics of a set of referral records."""

    start: dt.date
    end: dt.date
    referrals: int
    rejected: int
    demand_by_week: dict[dt.date, int]
    demand_by_source: dict[str, int]
    demand_by_team: dict[str, int]
    demand_by_week_team: dict[str, dict[dt.date, int]]
    waits: WaitSummary
    waits_by_team: dict[str, WaitSummary]
    patients: int
    handoffs: int
    handoffs_per_patient: float
    caseload_by_week: dict[str, dict[dt.date, int]]
    episode_days_mean_by_team: dict[str, float] = field(default_factory=dict)
    episode_days_sd_by_team: dict[str, float] = field(default_factory=dict)
    onward_share_by_team: dict[str, dict[str, float]] = field(default_factory=dict)
    episodes_by_team: dict[str, int] = field(default_factory=dict)

    def external_referrals(self) -> int:
        """Return the referrals from outside: those whose source is not one of the teams."""
        teams = set(self.demand_by_team)
        return sum(n for src, n in self.demand_by_source.items() if src not in teams)

    @property
    def weeks(self) -> float:
        """Return the length of the data period in weeks."""
        return ((self.end - self.start).days + 1) / 7

    def as_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping (dates as ISO text)."""

        def dates(m: dict[dt.date, int]) -> dict[str, int]:
            return {d.isoformat(): n for d, n in sorted(m.items())}

        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "referrals": self.referrals,
            "rejected": self.rejected,
            "demand_by_week": dates(self.demand_by_week),
            "demand_by_source": dict(sorted(self.demand_by_source.items())),
            "demand_by_team": dict(sorted(self.demand_by_team.items())),
            "waits": self.waits.as_dict(),
            "waits_by_team": {t: w.as_dict() for t, w in sorted(self.waits_by_team.items())},
            "patients": self.patients,
            "handoffs": self.handoffs,
            "handoffs_per_patient": None
            if math.isnan(self.handoffs_per_patient)
            else self.handoffs_per_patient,
            "caseload_by_week": {t: dates(c) for t, c in sorted(self.caseload_by_week.items())},
        }


def _waits(records: list[ReferralRecord], end: dt.date) -> WaitSummary:
    waits = [
        float((r.first_contact_date - r.referral_date).days)
        for r in records
        if r.first_contact_date is not None
    ]
    over = sum(
        1
        for r in records
        if r.first_contact_date is None
        and not _rejected(r)
        and (end - r.referral_date).days > EIGHTEEN_WEEKS_DAYS
    )
    within = sum(1 for w in waits if w <= EIGHTEEN_WEEKS_DAYS)
    return WaitSummary(
        seen=len(waits),
        median_days=nearest_rank(waits, 0.5),
        p92_days=nearest_rank(waits, 0.92),
        mean_days=sum(waits) / len(waits) if waits else math.nan,
        within_18_weeks=within / len(waits) if waits else math.nan,
        waiting_over_18_weeks=over,
    )


def _rejected(r: ReferralRecord) -> bool:
    return (r.triage_outcome or "").strip().lower() in REJECTED


def flow_metrics(records: list[ReferralRecord], end: dt.date | None = None) -> FlowMetrics:
    """Return the flow metrics of ``records``; ``end`` defaults to the latest date in them.

    Raises:
        ValueError: when there are no records.
    """
    if not records:
        raise ValueError("no referral records")
    start = min(r.referral_date for r in records)
    if end is None:
        end = max(
            d
            for r in records
            for d in (r.referral_date, r.first_contact_date, r.discharge_date)
            if d is not None
        )
    by_week: Counter[dt.date] = Counter(week_start(r.referral_date) for r in records)
    by_source: Counter[str] = Counter(r.source or "(none)" for r in records)
    by_team: Counter[str] = Counter(r.team for r in records)
    by_week_team: dict[str, Counter[dt.date]] = defaultdict(Counter)
    grouped: dict[str, list[ReferralRecord]] = defaultdict(list)
    for r in records:
        by_week_team[r.team][week_start(r.referral_date)] += 1
        grouped[r.team].append(r)
    teams = set(by_team)
    handoffs = sum(1 for r in records if r.onward_referral)
    if any(r.patient_id for r in records):
        patients = len({r.patient_id for r in records if r.patient_id})
    else:
        patients = sum(1 for r in records if (r.source or "") not in teams)
    caseload: dict[str, dict[dt.date, int]] = {}
    first_week = week_start(start)
    for team, rs in grouped.items():
        series: dict[dt.date, int] = {}
        week = first_week
        while week <= end:
            sunday = week + dt.timedelta(days=6)
            series[week] = sum(
                1
                for r in rs
                if r.first_contact_date is not None
                and r.first_contact_date <= sunday
                and (r.discharge_date is None or r.discharge_date > sunday)
            )
            week += dt.timedelta(days=7)
        caseload[team] = series
    episode_mean: dict[str, float] = {}
    episode_sd: dict[str, float] = {}
    onward: dict[str, dict[str, float]] = {}
    episodes: dict[str, int] = {}
    for team, rs in grouped.items():
        lengths = [
            float((r.discharge_date - r.first_contact_date).days)
            for r in rs
            if r.first_contact_date is not None and r.discharge_date is not None
        ]
        episodes[team] = len(lengths)
        if lengths:
            m = sum(lengths) / len(lengths)
            episode_mean[team] = m
            var = sum((x - m) ** 2 for x in lengths) / max(1, len(lengths) - 1)
            episode_sd[team] = math.sqrt(var)
        ended = [r for r in rs if r.discharge_date is not None]
        if ended:
            counts = Counter(r.onward_referral or "discharge" for r in ended)
            onward[team] = {k: v / len(ended) for k, v in sorted(counts.items())}
    return FlowMetrics(
        start=start,
        end=end,
        referrals=len(records),
        rejected=sum(1 for r in records if _rejected(r)),
        demand_by_week=dict(sorted(by_week.items())),
        demand_by_source=dict(by_source),
        demand_by_team=dict(by_team),
        demand_by_week_team={t: dict(sorted(c.items())) for t, c in by_week_team.items()},
        waits=_waits(records, end),
        waits_by_team={t: _waits(rs, end) for t, rs in grouped.items()},
        patients=patients,
        handoffs=handoffs,
        handoffs_per_patient=handoffs / patients if patients else math.nan,
        caseload_by_week=caseload,
        episode_days_mean_by_team=episode_mean,
        episode_days_sd_by_team=episode_sd,
        onward_share_by_team=onward,
        episodes_by_team=episodes,
    )
