"""Workshop outputs, the stakeholder map and letter contexts."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseforchange.domain.checks.engagement import workshop_categories
from caseforchange.domain.consultation import OutputKind
from caseforchange.domain.problems import InvalidInput
from caseforchange.engagement.letters import letter_contexts
from caseforchange.engagement.stakeholders import Quadrant, quadrant
from caseforchange.engagement.workshop import NO_TABLE, summarise_workshop
from caseforchange.examples import example_path
from caseforchange.io.engagement_file import load_engagement
from tests.engagement.helpers import write_engagement


def test_counts_and_pairs(small_folder: Path) -> None:
    loaded = load_engagement(write_engagement(small_folder))
    workshop = loaded.engagement.workshops[0]
    summary = summarise_workshop(workshop, workshop_categories(workshop, loaded.programme))
    assert summary.counts[OutputKind.ISSUE]["access"] == {"t1": 1, "t2": 0}
    assert summary.counts[OutputKind.MITIGATION]["access"] == {"t1": 0, "t2": 1}
    assert [p.issue.id for p in summary.pairs] == ["iss1", "iss2"]
    assert [m.id for m in summary.pairs[0].mitigations] == ["mit1"]
    assert [p.issue.id for p in summary.pairs if not p.mitigations] == ["iss2"]


def test_leicester_outputs_by_category() -> None:
    loaded = load_engagement(example_path("leicester-children-2010"))
    workshop = loaded.engagement.workshops[0]
    summary = summarise_workshop(workshop, workshop_categories(workshop, loaded.programme))
    assert list(summary.categories)[:6] == [
        "quality-efficiencies",
        "service-integration",
        "stakeholder-engagement",
        "infrastructure",
        "sustainability",
        "whole-systems-fit",
    ]
    assert summary.columns[-1] == NO_TABLE  # the source does not say which table said what
    advantages = summary.counts[OutputKind.ADVANTAGE]
    assert sum(advantages["quality-efficiencies"].values()) == 8
    assert {p.issue.id for p in summary.pairs if not p.mitigations} == {
        "i-in-estates",
        "i-ws-no-split",
    }


@pytest.mark.parametrize(
    ("interest", "influence", "expected"),
    [
        (5, 5, Quadrant.MANAGE_CLOSELY),
        (2, 5, Quadrant.KEEP_SATISFIED),
        (5, 2, Quadrant.KEEP_INFORMED),
        (1, 2, Quadrant.MONITOR),
        (3, 3, Quadrant.MANAGE_CLOSELY),
    ],
)
def test_quadrants(interest: int, influence: int, expected: Quadrant) -> None:
    assert quadrant(interest, influence) is expected


def test_letter_recipients_are_the_letter_audience() -> None:
    loaded = load_engagement(example_path("shropshire-telford-2010"))
    contexts = letter_contexts(loaded.programme, "consultation-launch")
    assert {c.group.id for c in contexts} == {
        "tw-council",
        "shropshire-council",
        "joint-hosc",
        "links",
        "gps",
        "staff-side",
        "acute-trust",
    }
    links = next(c for c in contexts if c.group.id == "links")
    assert [a.id for a in links.next_steps] == ["written-consultation"]
    with pytest.raises(InvalidInput):
        letter_contexts(loaded.programme, "no-such-milestone")
