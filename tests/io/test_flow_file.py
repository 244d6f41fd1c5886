"""Reading flow.yaml and referral data: located problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseforchange.domain.problems import InvalidInput
from caseforchange.io.flow_file import load_flow_model
from caseforchange.io.referrals import load_mapping, load_referrals

EXAMPLE = Path(__file__).parents[2] / "src/caseforchange/examples/plymouth-2010"


def test_plymouth_example_loads_and_is_labelled_illustrative() -> None:
    model = load_flow_model(EXAMPLE)
    assert model.illustrative
    assert {s.id for s in model.scenarios} >= {"separate", "integrated"}


def test_plymouth_referrals_load_against_the_model() -> None:
    from caseforchange.flow.system import all_team_names

    model = load_flow_model(EXAMPLE)
    records = load_referrals(EXAMPLE / "referrals.csv", known_teams=all_team_names(model))
    assert len(records) > 5000


def test_yaml_syntax_error_is_located(tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text("arrivals: [\n  x: 1\n")
    with pytest.raises(InvalidInput) as info:
        load_flow_model(tmp_path)
    assert info.value.problems[0].location is not None
    assert "flow.yaml:" in info.value.problems[0].location


def test_unknown_field_in_scenario_is_located(tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(
        "arrivals: [{id: a, source: s, per_week: 1, reasons: {x: 1}}]\n"
        "teams: [{id: t, staff: 1, service: {kind: fixed, value: 1}}]\n"
        "triage: [{to: t}]\n"
        "scenarios:\n"
        "  - id: s1\n"
        "    colour: red\n"
    )
    with pytest.raises(InvalidInput) as info:
        load_flow_model(tmp_path)
    problem = info.value.problems[0]
    assert problem.location is not None and problem.location.endswith("flow.yaml:6")
    assert problem.field() == "scenarios[0].colour"


def test_unknown_team_in_scenario_routing_is_located(tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(
        "arrivals: [{id: a, source: s, per_week: 1, reasons: {x: 1}}]\n"
        "teams: [{id: t, staff: 1, service: {kind: fixed, value: 1}}]\n"
        "triage: [{to: t}]\n"
        "scenarios:\n"
        "  - id: s1\n"
        "    triage:\n"
        "      - to: {t: 0.5, ghost: 0.5}\n"
    )
    with pytest.raises(InvalidInput) as info:
        load_flow_model(tmp_path)
    problem = info.value.problems[0]
    assert problem.location is not None and problem.location.endswith("flow.yaml:7")
    assert "ghost" in problem.message


def test_bad_date_and_missing_column(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text("columns: {referral_id: id, referral_date: d, team: t}\n")
    data = tmp_path / "x.csv"
    data.write_text("id,d,t\n1,2010-13-01,a\n")
    with pytest.raises(InvalidInput) as info:
        load_referrals(data, load_mapping(tmp_path / "m.yaml"))
    assert info.value.problems[0].location == f"{data}:2"
    data.write_text("id,date,t\n1,2010-01-01,a\n")
    with pytest.raises(InvalidInput) as info:
        load_referrals(data, load_mapping(tmp_path / "m.yaml"))
    assert info.value.problems[0].location == f"{data}:1"
