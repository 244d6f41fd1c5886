"""The four example programmes load, validate and carry the facts of their source documents."""

from __future__ import annotations

import datetime as dt

import pytest

from caseforchange.domain.programme import Programme
from caseforchange.examples import EXAMPLE_IDS, example_path
from caseforchange.io.folder import load_programme


def _load(example_id: str) -> Programme:
    return load_programme(example_path(example_id)).programme


@pytest.mark.parametrize("example_id", EXAMPLE_IDS)
def test_example_is_valid_and_labelled_illustrative(example_id: str) -> None:
    p = _load(example_id)
    assert p.id == example_id
    assert p.provenance.illustrative and p.provenance.note
    assert p.provenance.sources
    assert p.scores, "every example is scored (illustratively)"


def test_shropshire_four_bidders_presented_three_continued() -> None:
    p = _load("shropshire-telford-2010")
    bidders = [o for o in p.options if o.id.startswith("bidder-")]
    assert len(bidders) == 4
    hurdle = next(c.id for c in p.framework.walk() if c.hurdle)
    failed = {s.option for s in p.scores if s.criterion == hurdle and s.value == 0}
    assert len([b for b in bidders if b.id not in failed]) == 3


def test_shropshire_consultation_dates_and_events() -> None:
    p = _load("shropshire-telford-2010")
    consultation = next(a for a in p.activities if a.kind == "written_consultation")
    assert (consultation.date, consultation.end_date) == (
        dt.date(2010, 10, 11),
        dt.date(2010, 12, 17),
    )
    events = {a.date: a for a in p.activities if a.kind == "event"}
    assert events[dt.date(2010, 9, 22)].start_time == dt.time(9, 0)
    assert "Whitehouse" in (events[dt.date(2010, 9, 22)].venue or "")
    assert "ProStar" in (events[dt.date(2010, 10, 4)].venue or "")
    towns = " ".join(a.venue or a.title for a in p.activities if a.kind == "drop_in")
    for town in ("Telford", "Shrewsbury", "Whitchurch", "Ludlow"):
        assert town in towns


def test_leicester_split_sends_specialist_to_acute_and_universal_to_community() -> None:
    p = _load("leicester-children-2010")
    split = next(o for o in p.options if o.configuration and o.form == "split-between-providers")
    tiers = {s.id: s.tier.value for s in p.services}
    assert split.configuration is not None
    for service, destination in split.configuration.items():
        if isinstance(destination, list):
            continue  # safeguarding is divided
        expected_acute = tiers[service] == "specialist"
        assert (destination == "uhl") == expected_acute, service
    # 14 services named in Appendix One, plus the Specialist Health Visitors that the
    # stakeholders' variation names separately.
    assert len(p.services) == 15


def test_frameworks_follow_their_sources() -> None:
    assert len(_load("hertfordshire-2007").framework.leaves()) >= 12
    assert {c.name for c in _load("leicester-children-2010").framework.criteria} >= {
        "Quality / Efficiencies",
        "Whole Systems Fit",
    }
    plymouth = _load("plymouth-2010")
    assert "Quality Improvement" in {c.name for c in plymouth.framework.criteria}
    assert len(plymouth.characteristics) == 5
