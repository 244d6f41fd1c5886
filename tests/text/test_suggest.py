"""Candidate themes: clusters with distinctive words and examples, for a person to judge."""

from __future__ import annotations

import pytest

from caseforchange.text.suggest import default_clusters, suggest_themes

PENSIONS = [
    "my nhs pension worries me",
    "pension rights for new staff",
    "protect the pension scheme",
    "staff pension must be kept",
    "pension and terms for staff",
]
PARKING = [
    "parking at the clinic is awful",
    "no parking spaces near the clinic",
    "parking charges are too high",
    "clinic car parking is full",
    "cannot find parking on market day",
]


def test_two_clear_topics_make_two_candidates() -> None:
    answers = [(f"p{i}", t) for i, t in enumerate(PENSIONS)]
    answers += [(f"k{i}", t) for i, t in enumerate(PARKING)]
    found = suggest_themes(answers, clusters=2, seed=0)
    assert sorted(c.size for c in found) == [5, 5]
    members = {frozenset(c.members) for c in found}
    assert frozenset(f"p{i}" for i in range(5)) in members
    by_first = {c.members[0][0]: c for c in found}
    assert by_first["p"].words[0] == "pension"
    assert by_first["k"].words[0] == "parking"
    assert len(by_first["k"].examples) == 3


def test_default_number_of_candidates() -> None:
    # round(sqrt(n / 2)) kept between 2 and 15.
    assert default_clusters(8) == 2
    assert default_clusters(200) == 10
    assert default_clusters(100_000) == 15


def test_too_few_answers() -> None:
    with pytest.raises(ValueError, match="at least 4"):
        suggest_themes([("a", "x"), ("b", "y"), ("c", "")], seed=0)
