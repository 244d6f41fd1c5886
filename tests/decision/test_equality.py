"""Equality roll-up: unassessed characteristics count as unknown; unmitigated harms listed."""

from __future__ import annotations

from caseforchange.decision.equality import equality_summary
from caseforchange.domain.equality import Equality


def test_rollup_counts_all_ten() -> None:
    eq = Equality.model_validate(
        {
            "options": [
                {
                    "option": "o",
                    "findings": [
                        {"characteristic": "age", "impact": "positive"},
                        {
                            "characteristic": "disability",
                            "impact": "negative",
                            "mitigation": "Home visits",
                        },
                        {"characteristic": "race", "impact": "negative"},
                        {"characteristic": "sex", "impact": "neutral"},
                    ],
                }
            ]
        }
    )
    (s,) = equality_summary(eq)
    # 9 protected characteristics + health inequalities = 10; 6 not assessed -> unknown
    assert s.counts == {"positive": 1, "neutral": 1, "negative": 2, "unknown": 6}
    assert len(s.not_assessed) == 6 and "health_inequalities" in s.not_assessed
    assert s.negative_without_mitigation == ["race"]
