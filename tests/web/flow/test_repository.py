"""Stored flow models: loaded with the examples, validated on the way in and out, audited."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from caseforchange.domain.problems import InvalidInput
from caseforchange.examples import example_path
from caseforchange.io.flow_file import load_flow_model
from caseforchange.web.audit.chain import verify
from caseforchange.web.audit.models import AuditEntry
from caseforchange.web.flow import repository
from caseforchange.web.flow.models import FlowRecord
from caseforchange.web.programmes.models import ProgrammeRecord


def test_load_examples_stores_the_plymouth_flow_model(db: Any) -> None:
    call_command("load_examples", stdout=StringIO())
    row = ProgrammeRecord.objects.get(slug="plymouth-2010")
    state = repository.load(row)
    assert state.model == load_flow_model(example_path("plymouth-2010"))
    assert state.record is not None and state.record.source_name == "flow.yaml"
    # Only Plymouth ships a flow model.
    assert FlowRecord.objects.count() == 1
    assert verify().ok


def test_the_document_reads_like_the_file(plymouth_flow: ProgrammeRecord) -> None:
    document = FlowRecord.objects.get(programme=plymouth_flow).document
    # Fields the file leaves out are not written in (defaults stay defaults).
    first = document["teams"][0]
    assert "queue_limit" not in first and "hours_per_week" not in first
    assert first["service"] == {"kind": "lognormal", "mean": 28.0, "sd": 20.0}
    assert document["calendar"]["start"] == "2011-04-04"


def test_a_save_audits_each_changed_figure_and_a_bad_one_changes_nothing(
    plymouth_flow: ProgrammeRecord,
) -> None:
    state = repository.load(plymouth_flow)
    data = state.data
    data["arrivals"][0]["per_week"] = 100
    data["teams"][1]["staff"] = 11
    found = repository.save(plymouth_flow, data, "user lead", "flow edited", 1)
    assert sorted(path for path, _, _ in found) == [
        "arrivals[gp].per_week",
        "teams[nursing-central].staff",
    ]
    targets = set(AuditEntry.objects.filter(action="flow edited").values_list("target", flat=True))
    assert targets == {
        "plymouth-2010:flow.arrivals[gp].per_week",
        "plymouth-2010:flow.teams[nursing-central].staff",
    }
    data["teams"][1]["after"] = {"discharge": 0.5}
    with pytest.raises(InvalidInput) as error:
        repository.save(plymouth_flow, data, "user lead", "flow edited", 2)
    assert error.value.problems[0].path[:3] == ("teams", 1, "after")
    assert FlowRecord.objects.get(programme=plymouth_flow).revision == 2
    with pytest.raises(repository.StaleFlowEdit):
        repository.save(plymouth_flow, repository.load(plymouth_flow).data, "x", "y", 1)
