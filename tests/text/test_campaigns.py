"""Campaigns: edited copies of a template grouped; short generic answers never."""

from __future__ import annotations

import pytest

from caseforchange.text.campaigns import clean, eligible, find_campaigns, shingles

TEMPLATE = [
    "I object to the closure of beds at our community hospital in Ludlow.",
    "Older people need to recover close to their families and friends.",
    "The bus service to Shrewsbury is too poor for daily visiting.",
    "Please guarantee in writing that every community hospital stays open.",
    "Local people raised the money for this hospital themselves.",
]

OTHERS = [
    "My district nurse is wonderful and I hope she keeps visiting me at home every week.",
    "Pensions for new staff worry me a great deal, please protect them in the new trust.",
    "GP practices must be involved in designing the services, not just told about them later.",
    "The consultation documents were hard to follow and full of jargon about governance.",
    "Parking at the health centre is impossible on market day, so I often miss appointments.",
]


def _campaign() -> list[tuple[str, str]]:
    return [
        ("c1", " ".join(TEMPLATE) + " Regards, Jane Morris"),
        ("c2", " ".join(TEMPLATE).replace(",", "").upper()),
        ("c3", " ".join(TEMPLATE[1:])),  # first sentence dropped
        ("c4", " ".join(reversed(TEMPLATE))),  # order changed
        ("c5", " ".join([*TEMPLATE, "I have lived in Ludlow all my life."])),
    ]


def test_clean_and_shingles() -> None:
    assert clean("  Keep it NHS!  Please, ") == "keep it nhs please"
    assert shingles("abcdefg", 6) == {"abcdef", "bcdefg"}
    assert shingles("short", 6) == set()


def test_generic_answers_are_never_eligible() -> None:
    assert not eligible("Nothing to add.")
    assert not eligible("No comment, thank you for asking")
    assert eligible(OTHERS[0])


def test_edited_copies_form_one_campaign_and_others_stay_out() -> None:
    answers = _campaign() + [(f"o{i}", t) for i, t in enumerate(OTHERS)]
    answers += [(f"n{i}", "Nothing to add.") for i in range(30)]
    found = find_campaigns(answers)
    assert len(found) == 1
    assert found[0].members == ("c1", "c2", "c3", "c4", "c5")
    assert found[0].size == 5
    assert found[0].id == "campaign-1"
    assert found[0].template_id in found[0].members


def test_two_small_groups_below_the_minimum_are_not_campaigns() -> None:
    answers = _campaign()[:2] + [(f"o{i}", t) for i, t in enumerate(OTHERS)]
    assert find_campaigns(answers) == []


def test_repeated_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="repeat"):
        find_campaigns([("a", OTHERS[0]), ("a", OTHERS[1])])
