"""Resolving scenarios, checking references, rotas and the traffic equations."""

from __future__ import annotations

import pytest

from caseforchange.flow.model import FlowModel, Team
from caseforchange.flow.system import check_model, offered_load, resolve, traffic, weekly_capacity

from .helpers import mmc_model


def test_weekly_capacity_with_a_night_shift_wrapping_sunday() -> None:
    team = Team.model_validate(
        {
            "id": "t",
            "rota": [
                {"days": ["mon"], "start": "08:00", "end": "16:00", "staff": 3},
                {"days": ["sun"], "start": "20:00", "end": "08:00", "staff": 1},
            ],
            "service": {"kind": "fixed", "value": 1},
        }
    )
    points = dict(weekly_capacity(team))
    assert points[0.0] == 1  # Sunday night runs into Monday morning
    assert points[8 / 24] == 3
    assert points[16 / 24] == 0
    assert points[6 + 20 / 24] == 1


def test_scenario_chain_and_changes() -> None:
    model = FlowModel.model_validate(
        {
            **mmc_model(9.0, 1.0, 10).model_dump(),
            "scenarios": [
                {"id": "a", "demand_scale": 1.1},
                {"id": "b", "based_on": "a", "team_changes": {"t": {"staff_scale": 1.5}}},
            ],
        }
    )
    b = resolve(model, "b")
    assert b.teams[0].staff == 15
    assert b.demand_scale == pytest.approx(1.1)
    assert traffic(b)["t"] == pytest.approx(9.9)
    assert offered_load(b)["t"] == pytest.approx(9.9 / 15)


def test_unmatched_referral_is_reported() -> None:
    model = FlowModel.model_validate(
        {
            "arrivals": [
                {"id": "a", "source": "s", "per_week": 1, "reasons": {"x": 0.5, "y": 0.5}}
            ],
            "teams": [{"id": "t", "staff": 1, "service": {"kind": "fixed", "value": 1}}],
            "triage": [{"when": {"reason": ["x"]}, "to": "t"}],
        }
    )
    problems = check_model(model)
    assert len(problems) == 1 and "'y'" in problems[0].message
