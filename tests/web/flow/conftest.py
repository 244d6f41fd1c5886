"""Fixtures for the flow pages: Plymouth with its flow model, and a small M/M/c model."""

from __future__ import annotations

from typing import Any

import pytest

from caseforchange.examples import example_path
from caseforchange.io.flow_file import load_flow_model, parse_flow_model
from caseforchange.io.folder import load_programme
from caseforchange.web.accounts.models import Membership, Role
from caseforchange.web.flow import repository as flow_repository
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.models import ProgrammeRecord

#: An M/M/10 at load 0.9 (63 referrals a week = 9 a day; episodes of 1 day), with costs.
SMALL = """\
illustrative: true
note: A made-up test model.
arrivals:
  - {id: gp, source: GP practices, per_week: 63, reasons: {any: 1.0}}
teams:
  - id: nursing
    staff: 10
    service: {kind: exponential, mean: 1}
  - id: beds
    beds: 4
    bed_kind: step-up
    service: {kind: triangular, low: 1, mode: 2, high: 4}
triage:
  - to: {nursing: 0.95, beds: 0.05}
costs:
  per_staff_hour: {default: 30}
  per_bed_day: {step-up: 100}
scenarios:
  - {id: now, label: Now}
  - {id: more, based_on: now, team_changes: {nursing: {staff_add: 2}}}
run: {horizon_days: 60, warmup_days: 5, replications: 2, seed: 7, series_points: 20}
"""


@pytest.fixture
def plymouth_flow(users: dict[str, Any]) -> ProgrammeRecord:
    """The Plymouth example with its flow model, a lead and a viewer."""
    root = example_path("plymouth-2010")
    loaded = load_programme(root)
    row = repository.create(loaded.programme, "test", loaded.file_hashes, "example loaded")
    flow_repository.store(row, load_flow_model(root), "flow.yaml", "test")
    Membership.objects.create(user=users["viewer"], programme=row, role=Role.VIEWER)
    Membership.objects.create(user=users["lead"], programme=row, role=Role.LEAD)
    return row


@pytest.fixture
def small_flow(programme: ProgrammeRecord, users: dict[str, Any]) -> ProgrammeRecord:
    """The Leicester example (lead and viewer already members) with the small model."""
    flow_repository.store(programme, parse_flow_model(SMALL), "small.yaml", "test")
    return programme
