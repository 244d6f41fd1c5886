"""Loaders for the decision file's reference data: checklists, competition rules, peers, TUPE.

The data ships as JSON beside this module (see loader.py for why not YAML):
- assurance.json: built-in assurance checklists. Each item names its source; items with
  ``rules`` are decided by the engine from the programme's own data (assurance/status.py).
  Where a source's published wording could not be found, the checklist's ``note`` says so and
  ships only what the sources name.
- competition.json: competition rules with their sources and the dates from which they applied.
- peers.json: what other PCT provider arms chose, and national facts beside them (seed 003).
- workforce.json: whether staff transfer rules apply when services move to an organisational
  form. A form not listed is assumed to mean a change of employer (TUPE applies); a move whose
  destination is the service's current provider is no transfer at all. Users may override.
"""

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
    return {c.id: c for c in (Checklist.model_validate(x) for x in read_data("assurance.json"))}


def checklist_items() -> dict[str, list[str]]:
    """Return each checklist id with its item ids (what the programme checks need)."""
    return {cid: [item.id for item in c.items] for cid, c in checklists().items()}


@cache
def competition_rules() -> CompetitionRules:
    """Return the competition catalogue: the merger test, the vertical check and context."""
    return CompetitionRules.model_validate(read_data("competition.json"))


@cache
def peer_picture() -> PeerPicture:
    """Return the peer picture: the 2009 survey of 83 provider arms and national facts."""
    return PeerPicture.model_validate(read_data("peers.json"))


@cache
def tupe_rules() -> dict[str, TupeRule]:
    """Return the forms whose staff transfer rule differs from the default, keyed by form id."""
    return {r.form: r for r in (TupeRule.model_validate(x) for x in read_data("workforce.json"))}


def decision_catalogue() -> DecisionCatalogue:
    """Return the built-in reference data the decision engines take."""
    return DecisionCatalogue(
        forms(), tupe_rules(), checklists(), competition_rules(), peer_picture()
    )
