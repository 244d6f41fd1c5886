"""The go-live state from referral data: each team's caseload and waiting list on a date."""

from __future__ import annotations

import datetime as dt

from caseforchange.flow.metrics import REJECTED
from caseforchange.flow.model import FlowModel, GoLive, Team
from caseforchange.flow.records import ReferralRecord


def state_on(records: list[ReferralRecord], day: dt.date) -> dict[str, GoLive]:
    """Return, per team, the patients in care and waiting at the end of ``day``.

    In care: first contact on or before ``day`` and no discharge by then. Waiting: referred on
    or before ``day``, not rejected at triage, and no first contact by then.
    """
    caseload: dict[str, int] = {}
    waiting: dict[str, int] = {}
    for r in records:
        if r.referral_date > day:
            continue
        if r.first_contact_date is not None and r.first_contact_date <= day:
            if r.discharge_date is None or r.discharge_date > day:
                caseload[r.team] = caseload.get(r.team, 0) + 1
        elif (r.triage_outcome or "").strip().lower() not in REJECTED:
            waiting[r.team] = waiting.get(r.team, 0) + 1
    return {
        team: GoLive(caseload=caseload.get(team, 0), waiting=waiting.get(team, 0))
        for team in sorted(set(caseload) | set(waiting))
    }


def with_go_live(model: FlowModel, state: dict[str, GoLive]) -> FlowModel:
    """Return the model with each named team's go-live state replaced.

    The state is replaced in every scenario that has a team of that name; teams not in
    ``state`` keep theirs.
    """

    def apply(teams: list[Team]) -> list[Team]:
        return [
            t.model_copy(update={"go_live": state[t.id]}) if t.id in state else t for t in teams
        ]

    scenarios = [
        s.model_copy(update={"teams": apply(s.teams)}) if s.teams is not None else s
        for s in model.scenarios
    ]
    return model.model_copy(update={"teams": apply(model.teams), "scenarios": scenarios})
