"""The go-live state read from referral records, counted by hand."""

from __future__ import annotations

import datetime as dt

from caseforchange.flow.golive import state_on, with_go_live
from caseforchange.flow.model import FlowModel
from caseforchange.flow.records import ReferralRecord


def _record(
    ref: str, referred: str, first: str | None, out: str | None, triage: str | None = None
) -> ReferralRecord:
    day = dt.date.fromisoformat
    return ReferralRecord(
        referral_id=ref,
        referral_date=day(referred),
        team="t",
        source=None,
        triage_outcome=triage,
        first_contact_date=day(first) if first else None,
        discharge_date=day(out) if out else None,
        onward_referral=None,
        patient_id=None,
        location="x",
    )


def test_state_on_counts_caseload_and_waiting_list() -> None:
    records = [
        _record("1", "2011-03-01", "2011-03-05", None),  # in care
        _record("2", "2011-03-01", "2011-03-05", "2011-03-20"),  # discharged before
        _record("3", "2011-03-10", "2011-04-10", None),  # waiting on 1 April
        _record("4", "2011-03-20", None, None),  # waiting
        _record("5", "2011-03-20", None, None, triage="rejected"),  # not waiting
        _record("6", "2011-04-02", None, None),  # after go-live
        _record("7", "2011-03-01", "2011-03-02", "2011-04-05"),  # in care
    ]
    state = state_on(records, dt.date(2011, 4, 1))
    assert state["t"].caseload == 2
    assert state["t"].waiting == 2


def test_with_go_live_sets_the_team_in_every_scenario() -> None:
    team = {"id": "t", "staff": 1, "service": {"kind": "fixed", "value": 1}}
    model = FlowModel.model_validate(
        {
            "arrivals": [{"id": "a", "source": "s", "per_week": 1, "reasons": {"x": 1}}],
            "teams": [team],
            "triage": [{"to": "t"}],
            "scenarios": [{"id": "one"}, {"id": "two", "teams": [team]}],
        }
    )
    state = state_on([_record("1", "2011-03-01", "2011-03-05", None)], dt.date(2011, 4, 1))
    changed = with_go_live(model, state)
    assert changed.teams[0].go_live is not None and changed.teams[0].go_live.caseload == 1
    scenario_teams = changed.scenarios[1].teams
    assert scenario_teams is not None and scenario_teams[0].go_live == changed.teams[0].go_live
