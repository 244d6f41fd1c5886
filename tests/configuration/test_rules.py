"""Dependency rules against options' configurations."""

from __future__ import annotations

from pathlib import Path

from caseforchange.configuration.rules import check_all, check_configuration, destinations
from caseforchange.examples import example_path
from caseforchange.io.folder import load_programme


def test_small_programme_breaches(small_folder: Path) -> None:
    p = load_programme(small_folder).programme
    stay, vertical = p.options
    # 'stay' has no configuration: both services stay with its provider.
    assert destinations(stay, "dn") == ("arm",)
    assert check_configuration(p, stay) == []
    (breach,) = check_configuration(p, vertical)
    assert breach.rule == "together" and breach.hard
    # Destinations are named, not coded.
    assert breach.detail == (
        "sends these services to different destinations (Test acute trust, Test provider arm)"
    )


def test_leicester_split_divides_safeguarding() -> None:
    p = load_programme(example_path("leicester-children-2010")).programme
    breaches = check_all(p)
    split = [b for b in breaches["proposed-split"] if b.kind.value == "do_not_split"]
    assert split and "Safeguarding" in split[0].detail
    assert not [b for b in breaches["all-acute"] if b.hard]
