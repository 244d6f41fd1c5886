"""The panel's merger test on both sides of January 2009 and of £35m; the vertical check."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from caseforchange.catalogue.reference import competition_rules
from caseforchange.decision.competition import MergerStatus, merger_check, vertical_flags
from caseforchange.domain.programme import Programme


def _programme(arm: float | None, ft: float | None, **extra: Any) -> Programme:
    return Programme.model_validate(
        {
            "id": "p",
            "title": "P",
            "commissioner": "pct",
            "scope": "s",
            "decision_date": "2010-10-01",
            "organisations": [
                {"id": "pct", "name": "PCT", "kind": "commissioner"},
                {"id": "arm", "name": "Arm", "kind": "provider_arm", "turnover_gbp": arm},
                {"id": "ft", "name": "FT", "kind": "acute_trust", "turnover_gbp": ft},
                {"id": "se", "name": "New SE", "kind": "candidate_provider", "turnover_gbp": 0},
            ],
            "services": [
                {
                    "id": "dn",
                    "name": "DN",
                    "client_group": "adults",
                    "tier": "universal",
                    "current_provider": "arm",
                },
                {
                    "id": "pod",
                    "name": "Pod",
                    "client_group": "adults",
                    "tier": "specialist",
                    "current_provider": "arm",
                },
            ],
            "options": [
                {"id": "stay", "name": "Stay", "form": "in-house", "provider": "arm"},
                {
                    "id": "join",
                    "name": "Join FT",
                    "form": "integrated-community-acute-trust",
                    "provider": "ft",
                },
                {
                    "id": "se",
                    "name": "Social enterprise",
                    "form": "social-enterprise-cic",
                    "provider": "se",
                },
            ],
            "framework": {
                "id": "f",
                "name": "F",
                "criteria": [{"id": "x", "name": "X", "scale": "1-5"}],
            },
            **extra,
        }
    )


def _check(p: Programme, option: str, when: dt.date | None = None) -> MergerStatus:
    opt = next(o for o in p.options if o.id == option)
    return merger_check(p, opt, competition_rules(), when).status


@pytest.mark.parametrize(
    ("arm", "ft", "expected"),
    [
        (20e6, 15e6, MergerStatus.BELOW_THRESHOLD),  # exactly £35m is not above the threshold
        (20e6, 15_000_001, MergerStatus.REVIEW_REQUIRED),  # a pound more is
        (5e6, 10e6, MergerStatus.BELOW_THRESHOLD),  # budgets alone never decide it
    ],
)
def test_threshold_on_combined_turnover(arm: float, ft: float, expected: MergerStatus) -> None:
    assert _check(_programme(arm, ft), "join") is expected


def test_panel_applies_only_from_january_2009() -> None:
    p = _programme(30e6, 300e6)
    assert _check(p, "join", dt.date(2008, 12, 31)) is MergerStatus.NOT_IN_FORCE
    assert _check(p, "join", dt.date(2009, 1, 1)) is MergerStatus.REVIEW_REQUIRED
    assert _check(p, "join", dt.date(2007, 9, 16)) is MergerStatus.NOT_IN_FORCE


def test_no_merger_cases_and_missing_turnover() -> None:
    p = _programme(30e6, 300e6)
    assert _check(p, "stay") is MergerStatus.NO_MERGER  # nothing changes provider
    assert _check(p, "se") is MergerStatus.NO_MERGER  # a new body (turnover 0)
    assert _check(_programme(30e6, None), "join") is MergerStatus.TURNOVER_UNKNOWN
    undated = _programme(30e6, 300e6).model_copy(update={"decision_date": None})
    assert undated.timetable.end is None
    assert _check(undated, "join") is MergerStatus.DATE_UNKNOWN


def test_vertical_integration_flags() -> None:
    p = _programme(1.0, 1.0)
    # no referrals recorded: the vertical option is flagged as uncertain, asking for them
    (flag,) = vertical_flags(p, competition_rules())
    assert (flag.option, flag.destination, flag.certain) == ("join", "ft", False)
    assert "patient" in flag.question
    # a recorded referral from district nursing to the FT makes it certain, for that service
    p = _programme(1.0, 1.0, competition={"referrals": [{"service": "dn", "refers_to": ["ft"]}]})
    (flag,) = vertical_flags(p, competition_rules())
    assert (flag.option, flag.services, flag.certain) == ("join", ("dn",), True)


def test_turnover_records_override_and_timetable_end_is_the_fallback_date() -> None:
    recorded = {"turnovers": [{"organisation": "ft", "turnover_gbp": 1e6, "year": "2009/10"}]}
    p = _programme(20e6, 300e6, competition=recorded)
    assert _check(p, "join") is MergerStatus.BELOW_THRESHOLD  # 20m + 1m
    old = _programme(30e6, 300e6, timetable={"end": "2007-09-16"})
    old = old.model_copy(update={"decision_date": None})
    opt = next(o for o in old.options if o.id == "join")
    check = merger_check(old, opt, competition_rules())
    assert check.status is MergerStatus.NOT_IN_FORCE
    assert check.reason.startswith("the end of the timetable (16 September 2007)")
