"""Checks of an engagement plan: consultation length, clashes, pre-election periods, letters.

The checks return warnings rather than raising: a plan that breaks a convention may still be
right, but the engagement lead should see and answer each point.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import combinations

from caseforchange.domain.consultation import EngagementSettings
from caseforchange.domain.engagement import Activity, ActivityKind
from caseforchange.domain.problems import Path
from caseforchange.domain.programme import Programme

#: Activities that happen over a span of weeks rather than at a time on a day.
_SPANNING = {ActivityKind.WRITTEN_CONSULTATION, ActivityKind.UPDATE_LETTER, ActivityKind.NEWSLETTER}


@dataclass(frozen=True)
class PlanWarning:
    """One point about the plan, tied to the activity or milestone it concerns."""

    code: str
    message: str
    path: Path
    subject: str

    def render(self, location: str | None = None) -> str:
        """Return ``LOCATION: subject: message`` (location omitted when unknown)."""
        prefix = f"{location}: " if location else ""
        return f"{prefix}{self.subject}: {self.message}"


def consultation_days(activity: Activity) -> int | None:
    """Return the length in days of an activity with both dates, counting both ends."""
    if activity.date is None or activity.end_date is None:
        return None
    return (activity.end_date - activity.date).days + 1


def _span(activity: Activity) -> tuple[dt.datetime, dt.datetime] | None:
    """Return when a timed activity starts and ends, or None without a date and start time.

    Activities without a start time are left out of the clash check: a day alone does not say
    whether two sessions overlap (the tables of one workshop share a day, for instance).
    """
    if activity.date is None or activity.start_time is None:
        return None
    end_date = activity.end_date or activity.date
    start = dt.datetime.combine(activity.date, activity.start_time)
    end = dt.datetime.combine(end_date, activity.end_time or dt.time.max)
    return start, end


def check_plan(programme: Programme, settings: EngagementSettings) -> list[PlanWarning]:
    """Return the plan's warnings, in the order: length, clashes, elections, letters."""
    warnings: list[PlanWarning] = []
    warnings += _short_consultations(programme, settings)
    warnings += _clashes(programme)
    warnings += _pre_election(programme, settings)
    warnings += _missing_letters(programme, settings)
    return warnings


def _short_consultations(programme: Programme, settings: EngagementSettings) -> list[PlanWarning]:
    minimum = settings.minimum_consultation_weeks
    out: list[PlanWarning] = []
    for i, activity in enumerate(programme.activities):
        if activity.kind is not ActivityKind.WRITTEN_CONSULTATION:
            continue
        days = consultation_days(activity)
        if days is None:
            out.append(
                PlanWarning(
                    "consultation-dates",
                    "written consultation has no start and end date, so its length is unknown",
                    ("activities", i),
                    activity.id,
                )
            )
        elif days < minimum * 7:
            out.append(
                PlanWarning(
                    "consultation-short",
                    f"written consultation runs {days / 7:.1f} weeks ({activity.date} to "
                    f"{activity.end_date}, {days} days), shorter than the minimum of {minimum} "
                    "weeks; record why a shorter period is justified or extend it",
                    ("activities", i, "end_date"),
                    activity.id,
                )
            )
    return out


def _clashes(programme: Programme) -> list[PlanWarning]:
    timed = [
        (i, a, span)
        for i, a in enumerate(programme.activities)
        if a.kind not in _SPANNING and (span := _span(a)) is not None
    ]
    out: list[PlanWarning] = []
    for (i, a, (a0, a1)), (_, b, (b0, b1)) in combinations(timed, 2):
        if a0 < b1 and b0 < a1:
            shared = sorted(set(a.audience) & set(b.audience))
            why = f"; both are for {', '.join(shared)}" if shared else ""
            same_venue = a.venue and b.venue and a.venue == b.venue
            venue = f"; both at {a.venue}" if same_venue else ""
            out.append(
                PlanWarning(
                    "clash",
                    f"clashes with '{b.id}' ({b.title}) on {b.date}{why}{venue}",
                    ("activities", i, "date"),
                    a.id,
                )
            )
    return out


def _pre_election(programme: Programme, settings: EngagementSettings) -> list[PlanWarning]:
    out: list[PlanWarning] = []
    for i, activity in enumerate(programme.activities):
        if activity.date is None:
            continue
        end = activity.end_date or activity.date
        for period in settings.pre_election_periods:
            if activity.date <= period.end and period.start <= end:
                out.append(
                    PlanWarning(
                        "pre-election",
                        f"falls in the pre-election period '{period.name}' ({period.start} to "
                        f"{period.end}); public engagement is normally paused then",
                        ("activities", i, "date"),
                        activity.id,
                    )
                )
    return out


def _missing_letters(programme: Programme, settings: EngagementSettings) -> list[PlanWarning]:
    wanted = settings.letter_milestones
    lettered = {
        a.milestone
        for a in programme.activities
        if a.kind is ActivityKind.UPDATE_LETTER and a.milestone
    }
    out: list[PlanWarning] = []
    for i, milestone in enumerate(programme.milestones):
        if wanted is not None and milestone.id not in wanted:
            continue
        if milestone.id not in lettered:
            out.append(
                PlanWarning(
                    "no-update-letter",
                    f"milestone '{milestone.name}' has no update letter planned "
                    "(add an activity of kind update_letter with this milestone)",
                    ("milestones", i),
                    milestone.id,
                )
            )
    return out
