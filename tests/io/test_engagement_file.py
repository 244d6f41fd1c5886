"""engagement.yaml: validation with FILE:LINE locations and cross-references."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseforchange.domain.problems import InvalidInput
from caseforchange.examples import example_path
from caseforchange.io.engagement_file import load_engagement
from tests.conftest import replace_in
from tests.engagement.helpers import write_engagement


def test_valid_file_loads(small_folder: Path) -> None:
    loaded = load_engagement(write_engagement(small_folder))
    workshop = loaded.engagement.workshop("ws")
    assert workshop is not None and len(workshop.participants) == 8
    assert loaded.engagement.questionnaire("survey") is not None


def test_missing_file_means_no_engagement_data(small_folder: Path) -> None:
    loaded = load_engagement(small_folder)
    assert loaded.engagement.workshops == []


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "message"),
    [
        (
            "organisation: acute, label",
            "organisation: nobody, label",
            16,
            "workshops[0].participants[4].organisation",
            "unknown organisation 'nobody'",
        ),
        (
            "category: cost",
            "category: price",
            26,
            "workshops[0].outputs[3].category",
            "unknown category 'price'",
        ),
        (
            "responds_to: iss1",
            "responds_to: adv1",
            25,
            "workshops[0].outputs[2].responds_to",
            "unknown issue 'adv1'",
        ),
        (
            "{group: staff-group",
            "{group: patients",
            44,
            "ballots[0].results[0].group",
            "unknown stakeholder group 'patients'",
        ),
        (
            "option: vertical}",
            "option: sideways}",
            42,
            "ballots[0].choices[1].option",
            "unknown option 'sideways'",
        ),
        (
            "{issue: iss1",
            "{issue: iss9",
            48,
            "you_said_we_did[0].issue",
            "unknown workshop issue 'iss9'",
        ),
        (
            "{issue: iss1",
            "{issue: iss1, activity: nowhere",
            48,
            "you_said_we_did[0].activity",
            "unknown activity 'nowhere'",
        ),
        (
            "{issue: iss1",
            "{said: Too far to travel, issue: iss1",
            48,
            "you_said_we_did[0]",
            "give either issue (a workshop output id) or said (free text)",
        ),
        (
            "kind: advantage",
            "kind: benefit",
            23,
            "workshops[0].outputs[0].kind",
            "'benefit' is not one of the choices",
        ),
        (
            "type: open}",
            "type: open, options: [a, b]}",
            35,
            "questionnaires[0].questions[3]",
            "an open question has no options",
        ),
    ],
)
def test_problems_are_located(
    small_folder: Path, old: str, new: str, line: int, field: str, message: str
) -> None:
    write_engagement(small_folder)
    replace_in(small_folder / "engagement.yaml", old, new)
    with pytest.raises(InvalidInput) as caught:
        load_engagement(small_folder)
    rendered = [p.render() for p in caught.value.problems]
    expected = f"{small_folder / 'engagement.yaml'}:{line}: {field}: {message}"
    assert any(r.startswith(expected) for r in rendered), rendered


def test_unquoted_yes_no_options_get_a_helpful_message(small_folder: Path) -> None:
    write_engagement(small_folder)
    replace_in(small_folder / "engagement.yaml", '["Yes", "No", Not sure]', "[Yes, No, Not sure]")
    with pytest.raises(InvalidInput) as caught:
        load_engagement(small_folder)
    assert 'put such options in quotes ("Yes")' in str(caught.value)


@pytest.mark.parametrize("example", ["shropshire-telford-2010", "leicester-children-2010"])
def test_examples_load(example: str) -> None:
    loaded = load_engagement(example_path(example))
    assert loaded.engagement.workshops or loaded.engagement.ballots


def test_leicester_seating_matches_the_source_counts() -> None:
    loaded = load_engagement(example_path("leicester-children-2010"))
    workshop = loaded.engagement.workshop("children-stakeholder-event")
    assert workshop is not None
    sizes = {t: sum(1 for p in workshop.participants if p.table == t) for t in workshop.tables}
    assert sizes == {"table-1": 10, "table-2": 13, "table-3": 9, "table-4": 10}
    for table in workshop.tables:
        roles = [p.role.value for p in workshop.participants if p.table == table]
        assert roles.count("facilitator") == 1 and roles.count("scribe") == 1
