"""``caseforchange decision``: tables, JSON written whole, located errors and exit code 2."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import typer
from typer.testing import CliRunner

from caseforchange.cli.decision import register
from tests.cli.test_appraise import COMPLETE_SCORES

DECISION = textwrap.dedent(
    """\
    finance:
      envelope_gbp: [100000, 100000]
      options:
        - option: stay
          lines:
            - {kind: cost, label: Running, amounts_gbp: [100000, 100000]}
        - option: vertical
          lines:
            - {kind: cost, label: Running, amounts_gbp: [90000, 90000]}
            - {kind: transition, category: legal, label: Legal, amounts_gbp: [20000]}
    risks:
      risks:
        - {id: r1, title: Staff leave, category: workforce, likelihood: 4, impact: 5, owner: HR}
        - {id: r2, title: Costs rise, category: finance, likelihood: 2, impact: 2, owner: Finance,
           option: vertical}
    """
)


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def main() -> None:
        """Keep ``decision`` as a named sub-command."""

    return app


def _with_decision(folder: Path, extra: str = DECISION) -> Path:
    path = folder / "programme.yaml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    (folder / "scores.csv").write_text(COMPLETE_SCORES, encoding="utf-8")
    return folder


def test_finance_part_prints_and_writes_json(small_folder: Path, tmp_path: Path) -> None:
    folder = _with_decision(small_folder)
    out = tmp_path / "deep" / "finance.json"
    result = CliRunner().invoke(
        _app(),
        ["decision", str(folder), "--part", "finance", "--json", str(out), "--samples", "200"],
    )
    assert result.exit_code == 0, result.output
    assert "Value for money" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "caseforchange.decision/1" and data["part"] == "finance"
    costs = {o["option"]: o for o in data["finance"]["options"]}
    # stay: 100,000 + 100,000/1.035 = 196,618.36; vertical: 110,000 + 90,000/1.035 = 196,956.52
    assert round(costs["stay"]["npc_gbp"], 2) == 196_618.36
    assert round(costs["vertical"]["npc_gbp"], 2) == 196_956.52
    assert costs["vertical"]["years_short"] == ["2011/12"]  # 110,000 against 100,000
    assert not list(out.parent.glob(".*tmp"))  # the temporary file was renamed away


def test_risks_json_and_charts(small_folder: Path, tmp_path: Path) -> None:
    folder = _with_decision(small_folder)
    out = tmp_path / "risks.json"
    charts = tmp_path / "charts"
    args = ["decision", str(folder), "--part", "risks", "--json", str(out), "--charts", str(charts)]
    result = CliRunner().invoke(_app(), [*args, "--samples", "200"])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))["risks"]
    assert data["matrix"][4][3] == 1 and data["matrix"][1][1] == 1  # I5 L4 and I2 L2
    assert data["top"] == ["r1", "r2"] and data["grades"]["extreme"] == 1
    assert (charts / "risk-matrix.svg").read_text(encoding="utf-8").startswith("<svg")
    assert (charts / "value-for-money.svg").exists()


def test_unknown_option_is_located_and_nothing_is_written(
    small_folder: Path, tmp_path: Path
) -> None:
    folder = _with_decision(
        small_folder, DECISION.replace("option: vertical\n", "option: nowhere\n")
    )
    out = tmp_path / "x.json"
    result = CliRunner().invoke(_app(), ["decision", str(folder), "--json", str(out)])
    assert result.exit_code == 2
    lines = (folder / "programme.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "option: nowhere" in text)
    assert f"programme.yaml:{line}: finance.options[1].option: unknown option 'nowhere'" in (
        result.output
    )
    assert "Traceback" not in result.output and not out.exists()


def test_unknown_part_exits_2(small_folder: Path) -> None:
    result = CliRunner().invoke(_app(), ["decision", str(small_folder), "--part", "money"])
    assert result.exit_code == 2
    assert "unknown part 'money'" in result.output


def test_without_scores_the_rest_still_runs(small_folder: Path) -> None:
    path = small_folder / "programme.yaml"
    path.write_text(path.read_text(encoding="utf-8") + DECISION, encoding="utf-8")
    result = CliRunner().invoke(_app(), ["decision", str(small_folder), "--samples", "200"])
    assert result.exit_code == 0, result.output
    assert "value for money left out" in result.output
    assert "Risk matrix" in result.output and "merger test" in result.output


def test_money_is_printed_whole_and_right_aligned_in_a_narrow_terminal(
    small_folder: Path,
) -> None:
    folder = _with_decision(small_folder)
    result = CliRunner().invoke(
        _app(),
        ["decision", str(folder), "--part", "finance", "--samples", "200"],
        env={"COLUMNS": "60"},
    )
    assert result.exit_code == 0, result.output
    # stay: 100,000 + 100,000/1.035 = £196,618 (NPC); never cut to "£196,6…".
    rows = [line for line in result.output.splitlines() if "£196,618" in line]
    assert rows and "…" not in rows[0]
    # Right-aligned, header too: "NPC" ends where the amount ends.
    header = next(line for line in result.output.splitlines() if "NPC" in line)
    assert header.index("NPC") + 3 == rows[0].index("£196,618") + len("£196,618")


#: An M/M/10 with only staff costed: 10 staff x 37.5 hours x £30 x 365 / 7 days = £586,607.14
#: a year in every replication, whatever the patients do.
FLOW = textwrap.dedent(
    """\
    arrivals: [{id: gp, source: GP, per_week: 63, reasons: {any: 1.0}}]
    teams: [{id: nursing, staff: 10, service: {kind: exponential, mean: 1}}]
    triage: [{to: nursing}]
    costs: {per_staff_hour: {default: 30}}
    scenarios: [{id: now}, {id: more, team_changes: {nursing: {staff_add: 2}}}]
    run: {horizon_days: 60, warmup_days: 5, replications: 2, seed: 3}
    """
)


def test_flow_costs_are_compared_with_the_options_recurrent_costs(small_folder: Path) -> None:
    linked = DECISION.replace("- option: stay\n", "- option: stay\n      flow_scenario: now\n")
    folder = _with_decision(small_folder, linked)
    (folder / "flow.yaml").write_text(FLOW, encoding="utf-8")
    result = CliRunner().invoke(
        _app(), ["decision", str(folder), "--part", "finance", "--flow-costs", "--samples", "200"]
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    # Simulated £586,607 against recorded £100,000 in the first year: £486,607 more.
    assert "£586,607" in text and "£100,000" in text and "£486,607" in text


def test_a_flow_scenario_that_does_not_exist_is_located(small_folder: Path) -> None:
    linked = DECISION.replace("- option: stay\n", "- option: stay\n      flow_scenario: later\n")
    folder = _with_decision(small_folder, linked)
    (folder / "flow.yaml").write_text(FLOW, encoding="utf-8")
    result = CliRunner().invoke(_app(), ["decision", str(folder), "--flow-costs"])
    assert result.exit_code == 2
    assert "finance.options[0].flow_scenario: flow.yaml has no scenario 'later'" in result.output
    assert "Traceback" not in result.output
