"""Plan checks: short consultations, clashes, pre-election periods and missing letters."""

from __future__ import annotations

import datetime as dt

from caseforchange.domain.consultation import EngagementSettings, Period
from caseforchange.domain.engagement import Activity, ActivityKind, Milestone
from caseforchange.engagement.plan import check_plan
from caseforchange.examples import example_path
from caseforchange.io.engagement_file import load_engagement
from caseforchange.io.folder import load_programme


def _programme(small_folder):  # type: ignore[no-untyped-def]
    return load_programme(small_folder).programme


def test_shropshire_ten_week_consultation_is_flagged() -> None:
    loaded = load_engagement(example_path("shropshire-telford-2010"))
    warnings = check_plan(loaded.programme, loaded.engagement.settings)
    short = [w for w in warnings if w.code == "consultation-short"]
    assert len(short) == 1
    assert short[0].subject == "written-consultation"
    assert "shorter than the minimum of 12 weeks" in short[0].message
    # The letters promised at each milestone are all planned.
    assert not [w for w in warnings if w.code == "no-update-letter"]


def test_a_twelve_week_minimum_can_be_lowered(small_folder) -> None:  # type: ignore[no-untyped-def]
    programme = _programme(small_folder)
    programme.activities.append(
        Activity(
            id="wc",
            kind=ActivityKind.WRITTEN_CONSULTATION,
            title="Consultation",
            date=dt.date(2010, 10, 11),
            end_date=dt.date(2010, 12, 19),
        )
    )
    codes = [w.code for w in check_plan(programme, EngagementSettings())]
    assert "consultation-short" in codes
    codes = [
        w.code for w in check_plan(programme, EngagementSettings(minimum_consultation_weeks=10))
    ]
    assert "consultation-short" not in codes


def test_overlapping_timed_events_clash(small_folder) -> None:  # type: ignore[no-untyped-def]
    programme = _programme(small_folder)
    programme.activities.append(
        Activity(
            id="ev2",
            kind=ActivityKind.DROP_IN,
            title="Drop-in",
            date=dt.date(2010, 9, 22),
            start_time=dt.time(12, 0),
            end_time=dt.time(14, 0),
            audience=["staff-group"],
        )
    )
    clashes = [w for w in check_plan(programme, EngagementSettings()) if w.code == "clash"]
    assert len(clashes) == 1
    assert clashes[0].subject == "ev1" and "ev2" in clashes[0].message
    assert "staff-group" in clashes[0].message
    # Back-to-back is not a clash.
    programme.activities[-1].start_time = dt.time(13, 0)
    assert not [w for w in check_plan(programme, EngagementSettings()) if w.code == "clash"]


def test_pre_election_and_missing_letter(small_folder) -> None:  # type: ignore[no-untyped-def]
    programme = _programme(small_folder)
    programme.milestones.append(Milestone(id="decision", name="Board decision"))
    settings = EngagementSettings(
        pre_election_periods=[
            Period(name="Local elections", start=dt.date(2010, 9, 1), end=dt.date(2010, 9, 30))
        ]
    )
    warnings = check_plan(programme, settings)
    assert [w.subject for w in warnings if w.code == "pre-election"] == ["ev1"]
    assert {w.subject for w in warnings if w.code == "no-update-letter"} == {"launch", "decision"}
    only_decision = EngagementSettings(letter_milestones=["decision"])
    missing = [
        w.subject for w in check_plan(programme, only_decision) if w.code == "no-update-letter"
    ]
    assert missing == ["decision"]
