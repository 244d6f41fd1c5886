"""The panel's merger test on both sides of January 2009 and of £35m; the vertical check."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from caseforchange.catalogue.reference import competition_rules
from caseforchange.decision.competition import MergerStatus, merger_check, vertical_flags
from caseforchange.domain.programme import Programme


def _service(sid: str, provider: str) -> dict[str, str]:
    return {
        "id": sid,
        "name": sid,
        "client_group": "all",
        "tier": "universal",
        "current_provider": provider,
    }


def _option(oid: str, form: str, **where: Any) -> dict[str, Any]:
    return {"id": oid, "name": oid, "form": form, **where}


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
                {"id": "arm2", "name": "Arm 2", "kind": "provider_arm", "turnover_gbp": 16e6},
            ],
            "services": [_service("dn", "arm"), _service("pod", "arm"), _service("hv", "arm2")],
            "options": [
                _option(
                    "stay", "in-house", configuration={"dn": "arm", "pod": "arm", "hv": "arm2"}
                ),
                _option("join", "integrated-community-acute-trust", provider="ft"),
                _option(
                    "se",
                    "social-enterprise-cic",
                    configuration={"dn": "se", "pod": "se", "hv": "arm2"},
                ),
                _option("cft", "community-foundation-trust", provider="se"),
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
        # "join" sends every service to the FT, so arm, arm2 (16m) and the FT combine
        (10e6, 9e6, MergerStatus.BELOW_THRESHOLD),  # 10 + 16 + 9 = exactly £35m: not above
        (10e6, 9_000_001, MergerStatus.REVIEW_REQUIRED),  # a pound more is
        (1e6, 2e6, MergerStatus.BELOW_THRESHOLD),
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
    assert _check(p, "se") is MergerStatus.NO_MERGER  # one arm's services to a new body
    # two arms' services into one new body: the two arms combine, 20m + 16m = 36m > 35m
    assert _check(_programme(20e6, 1.0), "cft") is MergerStatus.REVIEW_REQUIRED
    assert _check(_programme(19e6, 1.0), "cft") is MergerStatus.BELOW_THRESHOLD  # exactly 35m
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
    p = _programme(10e6, 300e6, competition=recorded)
    assert _check(p, "join") is MergerStatus.BELOW_THRESHOLD  # 10m + 16m + 1m
    old = _programme(30e6, 300e6, timetable={"end": "2007-09-16"})
    old = old.model_copy(update={"decision_date": None})
    opt = next(o for o in old.options if o.id == "join")
    check = merger_check(old, opt, competition_rules())
    assert check.status is MergerStatus.NOT_IN_FORCE
    assert check.reason.startswith("the end of the timetable (16 September 2007)")


def test_a_known_combination_over_the_threshold_decides_despite_an_unknown_one() -> None:
    p = _programme(30e6, 300e6)
    split = _option("split", "split-between-providers", configuration={"dn": "ft", "pod": "ghost"})
    data = p.model_dump(mode="json")
    data["options"].append(split)
    data["organisations"].append({"id": "ghost", "name": "Unknown trust", "kind": "acute_trust"})
    p = Programme.model_validate(data)
    opt = next(o for o in p.options if o.id == "split")
    check = merger_check(p, opt, competition_rules())
    assert check.status is MergerStatus.REVIEW_REQUIRED
    assert check.reason.endswith("the turnover of Unknown trust is not recorded")
