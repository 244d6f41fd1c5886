"""System Control features: SPA triage, demand by day and calendar, overflow, surge, go-live
state, bed pools with step-up, costs, and common random numbers per patient."""

from __future__ import annotations

import math
from typing import Any

import pytest

from caseforchange.flow.costs import annual_cost
from caseforchange.flow.model import FlowModel
from caseforchange.flow.runner import run_model


def _model(teams: list[dict[str, Any]], per_week: float, **extra: Any) -> FlowModel:
    run = {"horizon_days": 200, "warmup_days": 20, "replications": 3, "seed": 9}
    run.update(extra.pop("run", {}))
    arrivals = {"id": "a", "source": "s", "per_week": per_week, "reasons": {"x": 1}}
    arrivals.update(extra.pop("arrivals", {}))
    return FlowModel.model_validate(
        {
            "arrivals": [arrivals],
            "teams": teams,
            "triage": extra.pop("triage", [{"to": teams[0]["id"]}]),
            "run": run,
            **extra,
        }
    )


FAST = {"kind": "fixed", "value": 0.01}


def test_spa_time_is_the_wait_when_teams_are_never_full() -> None:
    team = {"id": "t", "staff": 1000, "service": FAST}
    spa = {"staff": 1000, "service": {"kind": "fixed", "value": 0.5}}
    metrics = run_model(_model([team], 70, spa=spa)).scenarios[0].metrics
    assert metrics["wait_mean"].mean == pytest.approx(0.5)
    assert metrics["team/spa/started"].mean == pytest.approx(metrics["referrals"].mean, abs=2)


def test_no_referrals_at_the_weekend_when_weighted_zero() -> None:
    team = {"id": "t", "staff": 1000, "service": FAST}
    model = _model(
        [team],
        700,
        arrivals={"day_of_week": {"sat": 0, "sun": 0}},
        run={"horizon_days": 70, "warmup_days": 0, "series_points": 70},
    )
    result = run_model(model)
    series = result.scenarios[0].series["in_system"]
    weekend = [series[d] for d in range(70) if d % 7 in (5, 6)]
    weekday = [series[d] for d in range(70) if d % 7 < 5]
    assert max(weekend) < 0.02  # only the tail of Friday's last patients
    # 700 a week over five days = 140 a day x 0.01 days each = 1.4 in the system
    assert sum(weekday) / len(weekday) == pytest.approx(1.4, rel=0.05)
    assert result.scenarios[0].metrics["referrals_per_week"].mean == pytest.approx(700, rel=0.03)


def test_bank_holidays_take_their_factor() -> None:
    team = {"id": "t", "staff": 1000, "service": FAST}
    calendar = {
        "start": "2011-04-04",
        "bank_holidays": ["2011-04-22", "2011-04-25", "2011-05-02", "2011-05-30"],
        "bank_holiday_factor": 0.0,
    }
    model = _model([team], 700, calendar=calendar, run={"horizon_days": 70, "warmup_days": 0})
    # 70 days at 100 a day, four of them closed: 6,600 expected (Poisson sd 81)
    referrals = run_model(model).scenarios[0].metrics["referrals"].mean
    assert referrals == pytest.approx(6600, abs=3 * 81 / math.sqrt(3))


def test_overflow_to_a_citywide_team_is_erlang_loss_at_the_locality() -> None:
    locality = {
        "id": "loc",
        "staff": 1,
        "service": {"kind": "exponential", "mean": 1.0},
        "overflow": {"to": "city", "queue_over": 0},
    }
    city = {"id": "city", "staff": 100, "service": {"kind": "exponential", "mean": 1.0}}
    result = run_model(_model([locality, city], 14, run={"horizon_days": 2000}))
    metrics = result.scenarios[0].metrics
    # Erlang B with one server and load 2: two thirds of referrals find it busy
    reps = result.scenarios[0].replications
    shares = [r.scalars["team/loc/overflowed"] / r.scalars["referrals"] for r in reps]
    assert sum(shares) / len(shares) == pytest.approx(2 / 3, abs=0.01)
    assert metrics["wait_mean"].mean == 0.0  # nobody ever waits
    assert metrics["team/loc/utilisation"].mean == pytest.approx(2 / 3, abs=0.01)


def test_surge_staff_cap_the_queue() -> None:
    team = {"id": "t", "staff": 2, "service": {"kind": "exponential", "mean": 1.0}}
    surged = {**team, "surge": {"queue_over": 5, "queue_under": 1, "extra_staff": 4}}
    plain = run_model(_model([team], 12.6)).scenarios[0].metrics  # load 0.9
    surge = run_model(_model([surged], 12.6)).scenarios[0].metrics
    assert surge["team/t/queue_mean"].mean < plain["team/t/queue_mean"].mean / 2
    assert surge["team/t/capacity_mean"].mean > 2.0  # extra staff were on for a while


def test_go_live_state_starts_with_caseload_and_waiting_list() -> None:
    team = {
        "id": "t",
        "staff": 10,
        "service": {"kind": "fixed", "value": 4.0},
        "go_live": {"caseload": 10, "waiting": 5},
    }
    model = _model([team], 0, run={"horizon_days": 20, "warmup_days": 0})
    metrics = run_model(model).scenarios[0].metrics
    assert metrics["referrals"].mean == 0
    assert metrics["seen"].mean == 5  # those waiting are seen as places free
    # they start as the five shortest remaining episodes end, each within 4 days
    assert 0 < metrics["wait_mean"].mean < 4.0


def test_step_up_beds_count_admissions_avoided_and_blocking_counts_bed_days_lost() -> None:
    acute = {
        "id": "acute",
        "beds": 50,
        "bed_kind": "acute",
        "service": {"kind": "exponential", "mean": 5.0},
        "after": {"community": 1.0},
    }
    community = {
        "id": "community",
        "beds": 3,
        "bed_kind": "step-down",
        "service": {"kind": "exponential", "mean": 10.0},
        "queue_limit": 0,
    }
    step_up = {"id": "stepup", "beds": 20, "bed_kind": "step-up", "service": FAST}
    triage = [{"to": {"acute": 0.7, "stepup": 0.3}}]
    model = _model([acute, community, step_up], 7, triage=triage, run={"horizon_days": 400})
    metrics = run_model(model).scenarios[0].metrics
    assert metrics["admissions_avoided"].mean == metrics["team/stepup/started"].mean
    assert metrics["admissions_avoided"].mean == pytest.approx(0.3 * 380, rel=0.2)
    # 0.7 a day need 7 community beds on average and there are 3: patients wait in acute beds
    assert metrics["team/acute/bed_days_lost"].mean > 100
    assert metrics["delayed_transfer_days"].mean == metrics["team/acute/bed_days_lost"].mean


def test_costs_of_staff_admissions_and_bed_days() -> None:
    team = {
        "id": "t",
        "staff": 2,
        "hours_per_week": 37.5,
        "service": {"kind": "exponential", "mean": 1.0},
        "after": {"beds": 0.5, "admission": 0.5},
    }
    beds = {"id": "beds", "beds": 5, "bed_kind": "community-hospital", "service": FAST}
    costs = {
        "per_staff_hour": {"t": 30.0},
        "per_bed_day": {"default": 200.0},
        "per_admission": 1000.0,
    }
    model = _model([team, beds], 7, costs=costs)
    result = run_model(model)
    for rep in result.scenarios[0].replications:
        s = rep.scalars
        span = 180.0
        # two staff x 37.5 hours a week x 30 pounds, for a year of 365 days
        assert s["cost/t/per_year"] == pytest.approx(2 * 37.5 * 30 * 365 / 7)
        assert s["cost/beds/per_year"] == pytest.approx(
            s["team/beds/occupied_bed_days"] * 200 * 365 / span
        )
        total = s["cost/t/per_year"] + s["cost/beds/per_year"] + s["admissions"] * 1000 * 365 / span
        assert s["cost_per_year"] == pytest.approx(total)
    cost = annual_cost(model, "base")
    assert cost.by_team["t"].mean == pytest.approx(2 * 37.5 * 30 * 365 / 7)
    assert cost.illustrative


def test_paired_differences_share_each_patients_numbers_across_structures() -> None:
    # the same patients through two teams in turn, or one integrated team
    separate = [
        {
            "id": "n",
            "staff": 3,
            "service": {"kind": "exponential", "mean": 1.0},
            "after": {"th": 0.5, "discharge": 0.5},
        },
        {"id": "th", "staff": 2, "service": {"kind": "exponential", "mean": 1.0}},
    ]
    model = _model(separate, 17.5, run={"horizon_days": 400, "replications": 6})
    data = model.model_dump()
    data["scenarios"] = [
        {"id": "separate"},
        {
            "id": "integrated",
            "teams": [{"id": "i", "staff": 5, "service": {"kind": "exponential", "mean": 1.5}}],
            "triage": [{"to": "i"}],
        },
    ]
    result = run_model(FlowModel.model_validate(data))
    first, second = result.scenarios
    diff = second.difference["wait_mean"]
    assert diff.half_width < max(
        first.metrics["wait_mean"].half_width, second.metrics["wait_mean"].half_width
    )


def test_hour_of_day_profile_keeps_the_weekly_rate_and_empties_the_night() -> None:
    team = {"id": "t", "staff": 1000, "service": {"kind": "fixed", "value": 0.001}}
    hours = [0.0] * 9 + [1.0] * 8 + [0.0] * 7  # referrals only from 09:00 to 17:00
    model = _model(
        [team],
        700,
        arrivals={"hour_of_day": hours},
        run={"horizon_days": 28, "warmup_days": 0, "series_points": 28 * 24},
    )
    result = run_model(model)
    series = result.scenarios[0].series["in_system"]
    night = [series[h] for h in range(28 * 24) if h % 24 < 9 or h % 24 >= 18]
    assert max(night) == 0.0
    assert result.scenarios[0].metrics["referrals_per_week"].mean == pytest.approx(700, rel=0.03)


def test_patients_turned_away_count_against_the_18_week_share() -> None:
    # M/M/1/1 at load 1: half the referrals find the place taken and are turned away unseen
    team = {
        "id": "t",
        "staff": 1,
        "service": {"kind": "exponential", "mean": 1.0},
        "queue_limit": 0,
        "when_full": "turn-away",
    }
    metrics = run_model(_model([team], 7, run={"horizon_days": 2000})).scenarios[0].metrics
    assert metrics["within_18_weeks"].mean == pytest.approx(0.5, abs=0.02)
    assert metrics["left_unseen"].mean == pytest.approx(metrics["seen"].mean, rel=0.05)
