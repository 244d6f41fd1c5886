"""Loaders for the decision file's reference data: checklists, competition rules, peers, TUPE."""

from __future__ import annotations

from functools import cache

from caseforchange.catalogue.forms import forms
from caseforchange.catalogue.loader import read_data
from caseforchange.domain.reference import (
    Checklist,
    CompetitionRules,
    DecisionCatalogue,
    PeerPicture,
    TupeRule,
)


@cache
def checklists() -> dict[str, Checklist]:
    """Return the built-in assurance checklists keyed by id, in catalogue order."""
    return {c.id: c for c in (Checklist.model_validate(x) for x in read_data("assurance.yaml"))}


def checklist_items() -> dict[str, list[str]]:
    """Return each checklist id with its item ids (what the programme checks need)."""
    return {cid: [item.id for item in c.items] for cid, c in checklists().items()}


@cache
def competition_rules() -> CompetitionRules:
    """Return the competition catalogue: the merger test, the vertical check and context."""
    return CompetitionRules.model_validate(read_data("competition.yaml"))


@cache
def peer_picture() -> PeerPicture:
    """Return the peer picture: the 2009 survey of 83 provider arms and national facts."""
    return PeerPicture.model_validate(read_data("peers.yaml"))


@cache
def tupe_rules() -> dict[str, TupeRule]:
    """Return the forms whose staff transfer rule differs from the default, keyed by form id."""
    return {r.form: r for r in (TupeRule.model_validate(x) for x in read_data("workforce.yaml"))}


def decision_catalogue() -> DecisionCatalogue:
    """Return the built-in reference data the decision engines take."""
    return DecisionCatalogue(
        forms(), tupe_rules(), checklists(), competition_rules(), peer_picture()
    )
