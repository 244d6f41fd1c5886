"""Validated description of a patient-flow system: teams, rotas, triage, arrivals, scenarios.

Time in the flow model is measured in **days** from a Monday at 00:00. Rates are written per
week because that is how commissioners count referrals; shift times are written as clock times.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from caseforchange.domain.base import Id, Model, Text

#: Days of the week, in the order used by rotas (day 0 of the simulation is a Monday).
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: Routing targets that are outcomes rather than teams. At triage, ``discharge`` is a
#: discharge with advice and ``declined`` a referral the single point of access declines.
DISCHARGE = "discharge"
ADMISSION = "admission"
DECLINED = "declined"
OUTCOMES: frozenset[str] = frozenset({DISCHARGE, ADMISSION, DECLINED})

#: Kinds of bed pool; patients admitted to a step-up bed are admissions avoided.
BED_KINDS = ("acute", "community-hospital", "step-up", "step-down")
STEP_UP = "step-up"

#: The id of the single point of access station when ``spa`` is set.
SPA_ID = "spa"

#: Tolerance on a row of routing probabilities summing to one.
ROW_TOLERANCE = 1e-6

#: Eighteen weeks, in days: the referral-to-treatment standard.
EIGHTEEN_WEEKS_DAYS = 126.0

#: Rates, durations and scales must be finite: an infinite rate would never finish.
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]
NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]

#: Most staff a team can have after scenario changes (far above any real community team).
MAX_TEAM_STAFF = 100_000

#: Longest horizon a run can have, in days (a hundred years).
MAX_HORIZON_DAYS = 36_500.0


class Exponential(Model):
    """Exponentially distributed duration with the given mean (days)."""

    kind: Literal["exponential"] = "exponential"
    mean: Positive


class Fixed(Model):
    """A duration that is always the same (days)."""

    kind: Literal["fixed"] = "fixed"
    value: NonNegative


class LogNormal(Model):
    """Log-normal duration given by its mean and standard deviation (days), not log-scale."""

    kind: Literal["lognormal"] = "lognormal"
    mean: Positive
    sd: Positive


class GammaDuration(Model):
    """Gamma duration given by its mean and coefficient of variation."""

    kind: Literal["gamma"] = "gamma"
    mean: Positive
    cv: Positive


class Triangular(Model):
    """Triangular duration with low <= mode <= high (days)."""

    kind: Literal["triangular"] = "triangular"
    low: NonNegative
    mode: NonNegative
    high: Positive

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise ValueError("need low <= mode <= high")
        return self


Distribution = Annotated[
    Exponential | Fixed | LogNormal | GammaDuration | Triangular, Field(discriminator="kind")
]


def distribution_mean(dist: Exponential | Fixed | LogNormal | GammaDuration | Triangular) -> float:
    """Return the mean of a duration distribution, in days."""
    if isinstance(dist, Fixed):
        return dist.value
    if isinstance(dist, Triangular):
        return (dist.low + dist.mode + dist.high) / 3.0
    return dist.mean


class Shift(Model):
    """Staff on duty on some weekdays between two clock times (``end`` may pass midnight)."""

    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(min_length=1)
    start: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
    end: Annotated[str, Field(pattern=r"^([01]\d|2[0-4]):[0-5]\d$")]
    staff: Annotated[int, Field(ge=0)]


class Reneging(Model):
    """Patients who wait longer than their patience leave the queue, to an outcome."""

    patience: Distribution
    outcome: Literal["leave", "admission"] = "leave"


class Match(Model):
    """Conditions on a referral; an empty list means any value.

    ``source`` names arrival streams (their ``id``), so that triage can treat, say, hospital
    discharges apart.
    """

    reason: list[str] = Field(default_factory=list)
    urgency: list[str] = Field(default_factory=list)
    locality: list[str] = Field(default_factory=list)
    source: list[str] = Field(default_factory=list)


class PatientClass(Model):
    """A class of a team's patients, matched by ``when``, with its own episode length.

    Patients matching ``when`` (referral reason, urgency) take ``service`` and, when ``after``
    is given, their own onward routes.
    """

    id: Id
    when: Match
    service: Distribution
    after: dict[str, float] | None = None

    @field_validator("after")
    @classmethod
    def _row(cls, row: dict[str, float] | None) -> dict[str, float] | None:
        return None if row is None else _check_row(row)


class Overflow(Model):
    """Overflow: at ``queue_over`` queued, new patients go to ``to`` if it has a free place.

    For example, a city-wide team taking a locality's work.
    """

    to: Id
    queue_over: Annotated[int, Field(ge=0)]


class Surge(Model):
    """Extra staff brought in while the queue is long.

    They come on at ``queue_over`` and go off again when the queue falls to ``queue_under``.
    """

    queue_over: Annotated[int, Field(ge=1)]
    queue_under: Annotated[int, Field(ge=0)] = 0
    extra_staff: Annotated[int, Field(ge=1, le=MAX_TEAM_STAFF)]

    @model_validator(mode="after")
    def _band(self) -> Surge:
        if self.queue_under >= self.queue_over:
            raise ValueError("queue_under must be below queue_over")
        return self


class GoLive(Model):
    """The state at the start of the run: patients in care and patients waiting."""

    caseload: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    waiting: Annotated[int, Field(ge=0, le=1_000_000)] = 0


class Team(Model):
    """A team or a bed pool: its capacity, how long each patient takes, and where they go next.

    ``staff`` times ``caseload_per_staff`` is the number of patients the team works with at the
    same time (its caseload capacity). A ``rota`` replaces ``staff`` by shifts per weekday.
    A bed pool gives ``beds`` (its capacity) and ``bed_kind``; ``service`` is then the length
    of stay. ``queue_limit`` caps the queue: when it is full, a patient handed on by another
    team waits where they are if ``when_full`` is ``block`` (a delayed transfer of care), and
    anyone else is turned away to ``turned_away_to``.
    """

    id: Id
    label: Text | None = None
    kind: Literal["locality", "citywide", "other"] = "other"
    staff: Annotated[int, Field(ge=0, le=MAX_TEAM_STAFF)] = 0
    rota: list[Shift] | None = None
    caseload_per_staff: Annotated[int, Field(ge=1, le=10_000)] = 1
    beds: Annotated[int, Field(ge=1, le=MAX_TEAM_STAFF)] | None = None
    bed_kind: Literal["acute", "community-hospital", "step-up", "step-down"] | None = None
    service: Distribution
    classes: list[PatientClass] = Field(default_factory=list)
    urgent_first: bool = True
    reneging: Reneging | None = None
    queue_limit: Annotated[int, Field(ge=0)] | None = None
    when_full: Literal["block", "turn-away"] = "block"
    turned_away_to: Literal["leave", "admission"] = "leave"
    overflow: Overflow | None = None
    surge: Surge | None = None
    go_live: GoLive | None = None
    contacts_per_week: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)] = 1.0
    hours_per_week: Annotated[float, Field(gt=0, le=168, allow_inf_nan=False)] = 37.5
    after: dict[str, float] = Field(default_factory=lambda: {DISCHARGE: 1.0})

    @field_validator("after")
    @classmethod
    def _row(cls, row: dict[str, float]) -> dict[str, float]:
        return _check_row(row)

    @model_validator(mode="after")
    def _has_staff(self) -> Team:
        if (self.beds is None) != (self.bed_kind is None):
            raise ValueError(f"team {self.id!r}: a bed pool needs both 'beds' and 'bed_kind'")
        if self.beds is not None:
            if self.rota or self.staff:
                raise ValueError(f"bed pool {self.id!r}: give 'beds', not staff or a rota")
            return self
        peak = max((s.staff for s in self.rota), default=0) if self.rota else self.staff
        if peak <= 0:
            raise ValueError(
                f"team {self.id!r} has no staff: give 'staff' >= 1 or a rota with staff"
            )
        return self


def _check_row(row: dict[str, float]) -> dict[str, float]:
    if not row:
        raise ValueError("routing row is empty")
    for target, p in row.items():
        if not (p >= 0 and math.isfinite(p)):
            raise ValueError(f"probability for {target!r} must be between 0 and 1, got {p}")
    total = sum(row.values())
    if abs(total - 1.0) > ROW_TOLERANCE:
        raise ValueError(f"routing probabilities must sum to 1, they sum to {total:.6g}")
    return row


class TriageRule(Model):
    """A rule at the single point of access: referrals that match go to teams with probabilities.

    Team names may contain ``{locality}``, replaced by the referral's locality.
    """

    when: Match = Field(default_factory=Match)
    to: dict[str, float]

    @field_validator("to", mode="before")
    @classmethod
    def _one_team(cls, value: object) -> object:
        return {value: 1.0} if isinstance(value, str) else value

    @field_validator("to")
    @classmethod
    def _row(cls, row: dict[str, float]) -> dict[str, float]:
        return _check_row(row)


class Arrivals(Model):
    """A stream of referrals from one source, with its mix of reasons, urgency and localities.

    ``day_of_week`` and ``hour_of_day`` give relative weights (scaled to average 1, so
    ``per_week`` stays the weekly rate); left out, demand is even through the week and day.
    """

    id: Id
    source: Text
    per_week: Annotated[float, Field(ge=0, le=1e7, allow_inf_nan=False)]
    day_of_week: dict[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"], NonNegative] = (
        Field(default_factory=dict)
    )
    hour_of_day: list[NonNegative] | None = Field(default=None, min_length=24, max_length=24)
    reasons: dict[str, float]
    urgency: dict[str, float] = Field(default_factory=lambda: {"routine": 1.0})
    localities: dict[str, float] = Field(default_factory=lambda: {"all": 1.0})

    @field_validator("reasons", "urgency", "localities")
    @classmethod
    def _row(cls, row: dict[str, float]) -> dict[str, float]:
        return _check_row(row)


class Seasonality(Model):
    """How the referral rate varies by week of the year: a yearly wave and named weeks.

    The multiplier for week ``w`` (1..52) is ``1 + amplitude * cos(2 pi (w - peak_week) / 52)``
    times ``weeks.get(w, 1)``.
    """

    amplitude: Annotated[float, Field(ge=0, lt=1)] = 0.0
    peak_week: Annotated[int, Field(ge=1, le=52)] = 1
    # week 53 is refused: the model's year has 52 weeks, so a 53rd would never be applied
    weeks: dict[
        Annotated[int, Field(ge=1, le=52)],
        Annotated[float, Field(ge=0, le=1e6, allow_inf_nan=False)],
    ] = Field(default_factory=dict)


class Calendar(Model):
    """Dates for the simulation: day 0 is ``start`` (a Monday), and the bank holidays.

    Bank holidays have their own demand factor (referrals are fewer when practices are closed).
    """

    start: dt.date
    bank_holidays: list[dt.date] = Field(default_factory=list)
    bank_holiday_factor: Annotated[float, Field(ge=0, le=10, allow_inf_nan=False)] = 0.2

    @field_validator("start")
    @classmethod
    def _monday(cls, day: dt.date) -> dt.date:
        if day.weekday() != 0:
            raise ValueError(f"start must be a Monday ({day} is a {day.strftime('%A')})")
        return day


class Spa(Model):
    """The single point of access as a station: staff who triage each referral.

    Triage takes ``service`` days each, before the referral goes where the triage rules send it.
    """

    staff: Annotated[int, Field(ge=0, le=MAX_TEAM_STAFF)] = 0
    rota: list[Shift] | None = None
    service: Distribution
    hours_per_week: Annotated[float, Field(gt=0, le=168, allow_inf_nan=False)] = 37.5

    @model_validator(mode="after")
    def _has_staff(self) -> Spa:
        peak = max((s.staff for s in self.rota), default=0) if self.rota else self.staff
        if peak <= 0:
            raise ValueError("spa has no staff: give 'staff' >= 1 or a rota with staff")
        return self


Money = Annotated[float, Field(ge=0, le=1e9, allow_inf_nan=False)]


class Costs(Model):
    """Unit costs in pounds.

    Per-team mappings name teams (or bed pools); ``default`` keys apply to teams not named.
    """

    per_contact: dict[str, Money] = Field(default_factory=dict)
    per_bed_day: dict[str, Money] = Field(default_factory=dict)
    per_staff_hour: dict[str, Money] = Field(default_factory=dict)
    per_admission: Money = 0.0
    illustrative: bool = True


class TeamChange(Model):
    """A change to a team's capacity in a scenario: scale then add staff."""

    staff_scale: Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)] = 1.0
    staff_add: Annotated[int, Field(ge=-MAX_TEAM_STAFF, le=MAX_TEAM_STAFF)] = 0


class Scenario(Model):
    """A delivery model to compare; unset fields come from ``based_on`` or the base model."""

    id: Id
    label: Text | None = None
    description: Text | None = None
    based_on: Id | None = None
    teams: list[Team] | None = None
    triage: list[TriageRule] | None = None
    team_changes: dict[str, TeamChange] = Field(default_factory=dict)
    demand_scale: Annotated[float, Field(gt=0, le=1e6, allow_inf_nan=False)] = 1.0
    demand_growth_per_year: Annotated[float, Field(gt=-1)] = 0.0
    flex_to_demand: list[str] | Literal["all"] = Field(default_factory=list)
    handoff_delay_days: NonNegative | None = None
    spa: Spa | None = None


class Criterion(Model):
    """How one appraisal criterion is suggested from a model output."""

    metric: Literal[
        "wait_mean",
        "wait_p92",
        "within_18_weeks",
        "handoffs_per_patient",
        "admissions_per_1000",
        "utilisation",
    ]
    label: Text | None = None


class Scoring(Model):
    """Suggested scores for named efficiency criteria, on the appraisal's scale."""

    scale_min: float = 0.0
    scale_max: float = 5.0
    criteria: dict[str, Criterion] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _scale(self) -> Scoring:
        if self.scale_max <= self.scale_min:
            raise ValueError("scale_max must be above scale_min")
        return self


class RunSettings(Model):
    """How long to run and how often: warm-up ``auto`` uses MSER-5 on pilot runs.

    ``max_referrals`` bounds the work of a whole run (expected referrals over every scenario,
    replication and pilot run), checked before anything runs; raise it for a bigger model.
    """

    horizon_days: Annotated[float, Field(gt=0, le=MAX_HORIZON_DAYS, allow_inf_nan=False)] = 364.0
    warmup_days: NonNegative | Literal["auto"] = "auto"
    replications: Annotated[int, Field(ge=2, le=10_000)] = 10
    seed: Annotated[int, Field(ge=0)] = 2010
    series_points: Annotated[int, Field(ge=10, le=2000)] = 200
    max_referrals: Annotated[int, Field(ge=1)] = 50_000_000

    @model_validator(mode="after")
    def _warmup_inside(self) -> RunSettings:
        if self.warmup_days != "auto" and self.warmup_days >= self.horizon_days:
            raise ValueError(
                f"warmup_days ({self.warmup_days:g}) must be shorter than horizon_days "
                f"({self.horizon_days:g})"
            )
        return self


class FlowModel(Model):
    """The whole ``flow.yaml``: a base system, the scenarios to compare, and run settings."""

    illustrative: bool = False
    note: Text | None = None
    localities: list[Id] = Field(default_factory=lambda: ["all"])
    arrivals: list[Arrivals] = Field(min_length=1)
    seasonality: Seasonality = Field(default_factory=Seasonality)
    teams: list[Team] = Field(min_length=1)
    triage: list[TriageRule] = Field(min_length=1)
    handoff_delay_days: NonNegative = 0.0
    spa: Spa | None = None
    calendar: Calendar | None = None
    costs: Costs | None = None
    scenarios: list[Scenario] = Field(default_factory=list)
    run: RunSettings = Field(default_factory=RunSettings)
    scoring: Scoring = Field(default_factory=Scoring)
