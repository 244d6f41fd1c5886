"""The peer picture from seed 003 and its comparison with a recommendation."""

from __future__ import annotations

from caseforchange.catalogue.reference import peer_picture
from caseforchange.decision.peers import compare


def test_survey_shares_and_comparison() -> None:
    picture = peer_picture()
    assert picture.respondents == 83
    assert [(s.label, s.percent) for s in picture.shares] == [
        ("Stay in house", 29),
        ("Community foundation trust", 28),
        ("Social enterprise", 4),
    ]
    found = compare(picture, "social-enterprise-cic")
    assert found.share is not None and found.share.percent == 4
    assert found.other_percent == 39  # 100 - 29 - 28 - 4
    assert compare(picture, "care-trust").share is None
    facts = {f.id: f for f in picture.facts}
    assert facts["integrated-care-pilots"].figures["pilots"] == 16
    assert facts["seif"].figures["fund_gbp"] == 100_000_000
