"""The market picture groups service lines by route and contestability."""

from __future__ import annotations

from caseforchange.decision.market import market_picture
from caseforchange.domain.market import Market


def test_groups_and_providers() -> None:
    m = Market.model_validate(
        {
            "reviews": [
                {
                    "service": "a",
                    "contestability": "high",
                    "route": "competitive_dialogue",
                    "rationale": "scale",
                    "potential_providers": ["CIC", "Acute trust"],
                },
                {
                    "service": "b",
                    "contestability": "low",
                    "route": "transfer",
                    "rationale": "core",
                    "potential_providers": ["CIC"],
                },
            ]
        }
    )
    pic = market_picture(m)
    assert pic.by_route == {
        "competitive_tender": [],
        "competitive_dialogue": ["a"],
        "transfer": ["b"],
    }
    assert pic.by_contestability["high"] == ["a"] and pic.by_contestability["none"] == []
    assert pic.providers == ["CIC", "Acute trust"]
