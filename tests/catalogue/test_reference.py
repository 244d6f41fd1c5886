"""The decision file's reference data: sources on every item, dates where they matter."""

from __future__ import annotations

import datetime as dt

from caseforchange.catalogue.forms import forms
from caseforchange.catalogue.reference import (
    checklist_items,
    checklists,
    competition_rules,
    peer_picture,
    tupe_rules,
)


def test_every_checklist_item_names_its_source() -> None:
    found = checklists()
    assert set(found) == {
        "sha-east-of-england-2007",
        "dh-tcs-assurance-2010",
        "four-tests-2010",
        "transaction-milestones",
        "gunning",
    }
    assert all(item.source for c in found.values() for item in c.items)
    assert len(found["gunning"].items) == 4 and len(found["four-tests-2010"].items) == 4
    assert len(found["sha-east-of-england-2007"].items) == 12  # six in each group (seed 001)
    assert [i.text for i in found["four-tests-2010"].items] == [
        "Support from GP commissioners",
        "Strengthened public and patient engagement",
        "Clarity on the clinical evidence base",
        "Consistency with current and prospective need for patient choice",
    ]
    # the DH wording was not found: the checklist says so rather than inventing it
    dh = found["dh-tcs-assurance-2010"]
    assert dh.date == dt.date(2010, 2, 1) and "not found" in (dh.note or "")
    # Bevan Brittan's 2010 briefing: "a clear emphasis on quality improvement, including
    # integration of services, contributing to efficiency and sustainability in the assurance
    # framework"; shipped, and marked as a secondary source.
    quality = next(i for i in dh.items if i.id == "quality-integration-efficiency")
    assert "secondary source" in quality.source and "integrating services" in quality.text
    assert checklist_items()["transaction-milestones"] == [
        "ibp-submitted",
        "sha-approval",
        "ccp-feedback",
        "transaction-board",
    ]


def test_competition_rules_are_dated() -> None:
    rules = competition_rules()
    assert rules.merger.applies_from == dt.date(2009, 1, 1)
    assert rules.merger.threshold_gbp == 35_000_000
    assert "combined" in rules.merger.basis
    assert {c.id for c in rules.context} == {"principles-2007", "contestability"}


def test_peer_forms_and_tupe_rules_name_catalogue_forms() -> None:
    known = set(forms())
    assert all(f in known for s in peer_picture().shares for f in s.forms)
    assert set(tupe_rules()) <= known
