"""Assurance items decided from data: consultation length, analysis, "you said, we did"."""

from __future__ import annotations

from typing import Any

from caseforchange.assurance.status import checklist_status, readiness
from caseforchange.catalogue.reference import checklists
from caseforchange.domain.assurance import AssuranceStatus
from caseforchange.domain.consultation import Engagement
from caseforchange.domain.programme import Programme


def _programme(start: str | None, end: str | None, **extra: Any) -> Programme:
    activities = []
    if start:
        activities.append(
            {
                "id": "wc",
                "kind": "written_consultation",
                "title": "Consultation",
                "date": start,
                "end_date": end,
            }
        )
    return Programme.model_validate(
        {
            "id": "p",
            "title": "P",
            "commissioner": "pct",
            "scope": "s",
            "organisations": [{"id": "pct", "name": "PCT", "kind": "commissioner"}],
            "framework": {
                "id": "f",
                "name": "F",
                "criteria": [{"id": "x", "name": "X", "scale": "1-5"}],
            },
            "activities": activities,
            **extra,
        }
    )


def _by_item(p: Programme, engagement: Engagement | None = None) -> dict[str, Any]:
    return {s.item.id: s for s in checklist_status(checklists()["gunning"], p, engagement)}


def test_ten_week_consultation_is_not_adequate_time() -> None:
    # 11 Oct - 17 Dec 2010 (seed 000): 68 days counting both ends = 9.7 weeks < 12
    s = _by_item(_programme("2010-10-11", "2010-12-17"))["adequate-time"]
    assert s.status is AssuranceStatus.NOT_MET and s.decided
    assert "9.7 weeks" in s.reasons[0]
    # 84 days counting both ends is exactly 12 weeks
    assert (
        _by_item(_programme("2010-10-11", "2011-01-02"))["adequate-time"].status
        is AssuranceStatus.MET
    )


def test_consideration_needs_analysis_and_you_said_we_did() -> None:
    p = _programme("2010-10-11", "2011-01-02")
    s = _by_item(p)["conscientious-consideration"]
    assert s.status is AssuranceStatus.NOT_MET
    assert any("no analysis" in r for r in s.reasons)
    assert any("you said, we did" in r for r in s.reasons)
    analysed = _programme(
        "2010-10-11",
        "2011-01-02",
        assurance={
            "items": [
                {
                    "checklist": "gunning",
                    "item": "conscientious-consideration",
                    "status": "in_progress",
                    "evidence": [{"kind": "consultation_analysis", "ref": "q1"}],
                    "owner": "Engagement lead",
                }
            ]
        },
    )
    engagement = Engagement.model_validate(
        {"you_said_we_did": [{"issue": "i1", "response": "Staff FT"}]}
    )
    s = _by_item(analysed, engagement)["conscientious-consideration"]
    assert s.status is AssuranceStatus.MET and s.owner == "Engagement lead"
    assert '1 "you said, we did" response is recorded' in s.reasons


def test_without_consultation_recorded_status_stands_and_readiness_counts() -> None:
    p = _programme(
        None,
        None,
        assurance={"items": [{"checklist": "gunning", "item": "formative-stage", "status": "met"}]},
    )
    statuses = checklist_status(checklists()["gunning"], p)
    assert [s.status.value for s in statuses] == ["met", "open", "open", "open"]
    assert not any(s.decided for s in statuses)
    r = readiness(statuses)
    assert r.counts["gunning"]["met"] == 1 and r.counts["gunning"]["open"] == 3
    assert not r.ready and len(r.outstanding) == 3
