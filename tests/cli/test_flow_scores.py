"""``caseforchange flow scores``: a measured criterion scored from the options' flow scenarios."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

import caseforchange.cli.flow_scores  # noqa: F401  (registers ``flow scores``)
from caseforchange.cli.appraise import register
from caseforchange.cli.flow import app
from tests.cli.test_appraise import COMPLETE_SCORES
from tests.cli.test_decision import DECISION, FLOW

LINKED = DECISION.replace("- option: stay\n", "- option: stay\n      flow_scenario: now\n").replace(
    "- option: vertical\n", "- option: vertical\n      flow_scenario: more\n"
)
SCALED_COST = '- {id: cost, name: Cost, scale: "1-5", weight: 1}'
MEASURED_COST = (
    "- {id: cost, name: Cost, weight: 1, value_function: "
    '{unit: "£ a year", points: [[500000, 1], [700000, 0]]}}'
)
# Only staff are costed and staff numbers are fixed, so every replication gives the same cost:
# 10 staff x 37.5 h x £30 x 365/7 = £586,607.14 a year ("now"); 12 staff: £703,928.57 ("more").


def _folder(folder: Path, decision: str = LINKED, cost: str = MEASURED_COST) -> Path:
    path = folder / "programme.yaml"
    text = path.read_text(encoding="utf-8").replace(SCALED_COST, cost)
    path.write_text(text + decision, encoding="utf-8")
    (folder / "scores.csv").write_text(COMPLETE_SCORES, encoding="utf-8")
    (folder / "flow.yaml").write_text(FLOW, encoding="utf-8")
    return folder


def _scores(folder: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["scores", str(folder), *args])
    return result.exit_code, " ".join(result.output.split())


def test_prints_each_options_measured_cost_and_writes_nothing(small_folder: Path) -> None:
    folder = _folder(small_folder)
    code, text = _scores(folder, "--criterion", "cost", "--measure", "cost_per_year")
    assert code == 0, text
    assert "586,607 [586,607, 586,607]" in text and "703,929 [703,929, 703,929]" in text
    assert "not scored" not in text
    assert (folder / "scores.csv").read_text(encoding="utf-8") == COMPLETE_SCORES


def test_write_replaces_the_panels_scores_and_appraise_uses_them(
    small_folder: Path, tmp_path: Path
) -> None:
    folder = _folder(small_folder)
    code, text = _scores(
        folder, "--criterion", "cost", "--measure", "cost_per_year", "--panel", "board",
        "--seed", "5", "--write",
    )  # fmt: skip
    assert code == 0, text
    rows = (folder / "scores.csv").read_text(encoding="utf-8").splitlines()
    cost = [r for r in rows if ",cost," in r]
    # No spread between replications: written as points, rounded to the penny.
    assert len(cost) == 2 and cost[0].startswith("stay,cost,board,,586607.14,,,,")
    assert "flow scenario 'now'" in cost[0] and "2 replications, seed 5" in cost[0]
    assert cost[1].startswith("vertical,cost,board,,703928.57,,,,")
    assert "stay,cost,board,,4," not in rows  # the scale score it replaced is gone

    appraise_app = typer.Typer()
    register(appraise_app)

    @appraise_app.callback()
    def main() -> None:
        """Keep ``appraise`` as a named sub-command."""

    out = tmp_path / "result.json"
    result = CliRunner().invoke(
        appraise_app, ["appraise", str(folder), "--samples", "200", "--json", str(out)]
    )
    assert result.exit_code == 0, result.output
    values = json.loads(out.read_text())["values"]
    # (700000 - 586607.14) / 200000 = 0.566964; 703928.57 is past the worst point: 0.
    assert values["stay"]["cost"] == pytest.approx(0.566964, abs=1e-5)
    assert values["vertical"]["cost"] == 0


def test_an_option_without_a_scenario_is_not_scored_and_keeps_its_score(
    small_folder: Path,
) -> None:
    only_stay = DECISION.replace("- option: stay\n", "- option: stay\n      flow_scenario: now\n")
    folder = _folder(small_folder, only_stay)
    code, text = _scores(
        folder, "--criterion", "cost", "--measure", "cost_per_year", "--panel", "board", "--write"
    )
    assert code == 0, text
    assert (
        "not scored (no flow_scenario, or no figure): vertical; "
        "any scores they have on cost are kept, and read in '£ a year'" in text
    )
    rows = (folder / "scores.csv").read_text(encoding="utf-8").splitlines()
    assert "vertical,cost,board,,3,,,," in rows
    stay = next(r for r in rows if r.startswith("stay,cost,"))
    assert stay.startswith("stay,cost,board,,586607.14,,,,")


def test_a_share_goes_into_a_percentage_unit(small_folder: Path) -> None:
    within = (
        "- {id: cost, name: Cost, weight: 1, value_function: "
        '{unit: "% seen within 18 weeks", points: [[50, 0], [100, 1]]}}'
    )
    folder = _folder(small_folder, cost=within)
    code, text = _scores(folder, "--criterion", "cost", "--measure", "within_18_weeks")
    assert code == 0, text
    # 63 referrals a week against 10 staff seeing one an hour: nobody waits 18 weeks.
    assert "100.0 [100.0, 100.0]" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--criterion", "nope", "--measure", "cost_per_year"],
            "--criterion: the framework has no criterion 'nope' (scored ones: gate, outcomes,",
        ),
        (
            ["--criterion", "cost", "--measure", "nope"],
            "--measure: unknown measure 'nope' (use: cost_per_year,",
        ),
        (
            ["--criterion", "outcomes", "--measure", "cost_per_year"],
            "framework.criteria[1].children[0]: criterion 'outcomes' (Outcomes) is scored on a "
            "scale, not measured: give it a value_function whose unit is £ a year",
        ),
        (
            ["--criterion", "quality", "--measure", "cost_per_year"],
            "criterion 'quality' (Quality) is a group",
        ),
        (
            ["--criterion", "cost", "--measure", "wait_mean"],
            "framework.criteria[2].value_function.unit: criterion 'cost' (Cost) has a value "
            "function in '£ a year', but wait_mean is in days",
        ),
        (
            ["--criterion", "cost", "--measure", "cost_per_year", "--panel", "nope"],
            "--panel: no panel 'nope' (panels: board, staff)",
        ),
    ],
)
def test_bad_requests_are_located_exit_2_and_write_nothing(
    small_folder: Path, args: list[str], message: str
) -> None:
    folder = _folder(small_folder)
    code, text = _scores(folder, *args, "--write")
    assert code == 2
    assert message in text
    # An option's problem is placed at the command line, the programme's by file and line.
    where = "command line: " if message.startswith("--") else "programme.yaml:"
    assert where + (message if message.startswith("--") else "") in " ".join(text.split())
    assert "Traceback" not in text
    assert (folder / "scores.csv").read_text(encoding="utf-8") == COMPLETE_SCORES


def test_an_unknown_scenario_and_a_model_without_costs_are_located(small_folder: Path) -> None:
    folder = _folder(small_folder, LINKED.replace("flow_scenario: more", "flow_scenario: later"))
    code, text = _scores(folder, "--criterion", "cost", "--measure", "cost_per_year", "--write")
    assert code == 2
    assert "finance.options[1].flow_scenario: flow.yaml has no scenario 'later'" in text
    assert "programme.yaml:" in text

    (folder / "programme.yaml").write_text(
        (folder / "programme.yaml")
        .read_text(encoding="utf-8")
        .replace("scenario: later", "scenario: more"),
        encoding="utf-8",
    )
    flow = folder / "flow.yaml"
    flow.write_text(FLOW.replace("costs: {per_staff_hour: {default: 30}}\n", ""), encoding="utf-8")
    code, text = _scores(folder, "--criterion", "cost", "--measure", "cost_per_year", "--write")
    assert code == 2
    assert "flow.yaml" in text and "the flow model has no costs section" in text
    assert (folder / "scores.csv").read_text(encoding="utf-8") == COMPLETE_SCORES


def test_a_programme_whose_options_name_no_scenario_is_refused(small_folder: Path) -> None:
    folder = _folder(small_folder, DECISION)
    code, text = _scores(folder, "--criterion", "cost", "--measure", "cost_per_year", "--write")
    assert code == 2
    assert "programme.yaml:" in text and "finance.options: no option names a flow_scenario" in text
    assert (folder / "scores.csv").read_text(encoding="utf-8") == COMPLETE_SCORES
