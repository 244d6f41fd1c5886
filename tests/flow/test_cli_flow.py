"""The flow commands through Typer: outputs, and every bad input as a located error, exit 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from caseforchange.cli.flow import app

EXAMPLE = Path(__file__).parents[2] / "src/caseforchange/examples/plymouth-2010"

SMALL = """\
arrivals:
  - id: gp
    source: GP
    per_week: 20
    reasons: {frailty: 1}
teams:
  - id: nursing
    staff: 3
    service: {kind: exponential, mean: 0.5}
    after: {discharge: 0.8, therapy: 0.2}
  - id: therapy
    staff: 2
    service: {kind: exponential, mean: 0.5}
triage:
  - to: nursing
scenarios:
  - id: separate
  - id: bigger
    team_changes: {nursing: {staff_add: 1}}
run: {horizon_days: 200, warmup_days: 10, replications: 3, seed: 1}
"""

DATA = """\
ref,referred,source,team,first_contact,discharged,onward
R1,2010-01-04,gp,nursing,2010-01-05,2010-01-20,therapy
R2,2010-01-05,gp,nursing,2010-01-08,2010-01-10,
R3,2010-01-21,nursing,therapy,2010-02-01,2010-03-01,
"""

MAPPING = """\
columns:
  referral_id: ref
  referral_date: referred
  source: source
  team: team
  first_contact_date: first_contact
  discharge_date: discharged
  onward_referral: onward
"""

runner = CliRunner()


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    (tmp_path / "flow.yaml").write_text(SMALL)
    (tmp_path / "data.csv").write_text(DATA)
    (tmp_path / "data-mapping.yaml").write_text(MAPPING)
    return tmp_path


def _break(folder: Path, old: str, new: str) -> None:
    path = folder / "flow.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_run_prints_comparison_and_writes_json(folder: Path) -> None:
    out = folder / "out.json"
    result = runner.invoke(app, ["run", str(folder), "--json", str(out), "--seed", "4"])
    assert result.exit_code == 0, result.output
    assert "Scenarios compared" in result.output
    record = json.loads(out.read_text())
    assert record["seed"] == 4
    assert [s["id"] for s in record["scenarios"]] == ["separate", "bigger"]
    assert record["scenarios"][1]["difference_from_first"]["wait_mean"]["mean"] < 0


def test_run_one_scenario_in_parallel_equals_serial(folder: Path) -> None:
    outs = []
    for jobs in ("1", "2"):
        out = folder / f"out{jobs}.json"
        result = runner.invoke(
            app, ["run", str(folder), "--scenario", "bigger", "--jobs", jobs, "--json", str(out)]
        )
        assert result.exit_code == 0, result.output
        outs.append(json.loads(out.read_text())["scenarios"])
    assert outs[0] == outs[1]


def test_metrics_prints_waits(folder: Path) -> None:
    result = runner.invoke(app, ["metrics", str(folder), str(folder / "data.csv")])
    assert result.exit_code == 0, result.output
    assert "hand-offs: 1 for 2 patients" in result.output


def _assert_located(result: Result, text: str, folder: Path) -> None:
    assert result.exit_code == 2, result.output
    assert text in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert not list(folder.glob("*.json"))


@pytest.mark.parametrize(
    ("old", "new", "located"),
    [
        (
            "{discharge: 0.8, therapy: 0.2}",
            "{discharge: 0.8, therapy: 0.1}",
            "flow.yaml:10: teams[0].after: routing probabilities must sum to 1",
        ),
        ("staff: 2\n", "staff: 0\n", "flow.yaml:11: teams[1]: team 'therapy' has no staff"),
        ("per_week: 20", "per_week: -3", "flow.yaml:4: arrivals[0].per_week"),
        (
            "  - to: nursing",
            "  - to: nursing-team",
            "flow.yaml:15: triage[0].to.nursing-team: unknown team",
        ),
    ],
    ids=["row-not-summing-to-one", "team-without-staff", "negative-rate", "unknown-triage-team"],
)
def test_bad_flow_yaml_is_located_and_nothing_runs(
    folder: Path, old: str, new: str, located: str
) -> None:
    _break(folder, old, new)
    out = folder / "out.json"
    result = runner.invoke(app, ["run", str(folder), "--json", str(out)])
    _assert_located(result, located, folder)


def test_discharge_before_referral_is_located(folder: Path) -> None:
    data = folder / "data.csv"
    data.write_text(DATA.replace("2010-01-08,2010-01-10", "2010-01-08,2010-01-01"))
    result = runner.invoke(
        app, ["metrics", str(folder), str(data), "--json", str(folder / "m.json")]
    )
    _assert_located(result, "data.csv:3: discharge_date: discharge 2010-01-01 precedes", folder)


def test_unknown_team_in_data_is_located(folder: Path) -> None:
    data = folder / "data.csv"
    data.write_text(DATA.replace("R3,2010-01-21,nursing,therapy", "R3,2010-01-21,nursing,physio"))
    result = runner.invoke(app, ["metrics", str(folder), str(data)])
    _assert_located(result, "data.csv:4: team: unknown team 'physio'", folder)


def test_unknown_team_in_xlsx_is_located_by_cell(folder: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Referrals"
    for line in DATA.replace("nursing,therapy", "nursing,physio").splitlines():
        sheet.append(line.split(","))
    book.save(folder / "data.xlsx")
    (folder / "data-mapping.yaml").write_text(MAPPING + "sheet: Referrals\n")
    result = runner.invoke(app, ["metrics", str(folder), str(folder / "data.xlsx")])
    _assert_located(result, "data.xlsx:Referrals!D4: team: unknown team 'physio'", folder)


def test_unknown_scenario_exits_2(folder: Path) -> None:
    result = runner.invoke(app, ["run", str(folder), "--scenario", "nope"])
    _assert_located(result, "unknown scenario 'nope'", folder)


def test_plymouth_example_runs(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE / "flow.yaml", tmp_path / "flow.yaml")
    text = (tmp_path / "flow.yaml").read_text().replace("horizon_days: 1092", "horizon_days: 200")
    (tmp_path / "flow.yaml").write_text(text.replace("warmup_days: auto", "warmup_days: 20"))
    result = runner.invoke(
        app,
        [
            "run",
            str(tmp_path),
            "--scenario",
            "separate",
            "--scenario",
            "integrated",
            "--replications",
            "2",
            "--charts",
            str(tmp_path / "charts"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "ILLUSTRATIVE" in result.output
    assert "derived from the model" in result.output
    assert (tmp_path / "charts" / "comparison.svg").exists()


def test_calibrate_shows_changes_and_fit_table(folder: Path) -> None:
    chart = folder / "fit.svg"
    result = runner.invoke(
        app,
        [
            "calibrate",
            str(folder),
            str(folder / "data.csv"),
            "--replications",
            "2",
            "--chart",
            str(chart),
        ],
        env={"COLUMNS": "160"},
    )
    assert result.exit_code == 0, result.output
    assert "arrival rates x" in result.output
    assert "referrals a week from outside" in result.output
    assert chart.read_text().lstrip().startswith(("<?xml", "<svg"))


def test_calibrate_unknown_team_in_data_exits_2(folder: Path) -> None:
    data = folder / "data.csv"
    data.write_text(data.read_text().replace("gp,nursing,2010-01-08", "gp,nowhere,2010-01-08"))
    result = runner.invoke(app, ["calibrate", str(folder), str(data)])
    assert result.exit_code == 2
    assert f"{data}:3" in result.output and "nowhere" in result.output


def test_run_starts_from_the_go_live_state_in_referral_data(folder: Path) -> None:
    result = runner.invoke(
        app,
        [
            "run",
            str(folder),
            "--scenario",
            "separate",
            "--go-live-data",
            str(folder / "data.csv"),
            "--go-live-date",
            "2010-01-09",
        ],
    )
    assert result.exit_code == 0, result.output
    # R1 (seen 5 Jan, out 20 Jan) is in care; R2 was discharged on the 10th, after the date
    assert "go-live 2010-01-09: nursing 2 in care, 0 waiting" in result.output


def test_go_live_without_a_date_exits_2(folder: Path) -> None:
    result = runner.invoke(app, ["run", str(folder), "--go-live-data", str(folder / "data.csv")])
    _assert_located(result, "command line: --go-live-date: give the go-live date", folder)


SWEEP = """\
base: bigger
staff_scale: [1, 2]
demand_growth_per_year: [0, 0.5]
replications: 2
measures: [within_18_weeks, wait_mean]
"""


def test_sweep_writes_the_tidy_table_and_the_chart(folder: Path) -> None:
    (folder / "sweep.yaml").write_text(SWEEP)
    out, chart = folder / "sweep.csv", folder / "tradeoff.svg"
    result = runner.invoke(
        app,
        [
            "sweep",
            str(folder),
            str(folder / "sweep.yaml"),
            "--csv",
            str(out),
            "--chart",
            str(chart),
        ],
    )
    assert result.exit_code == 0, result.output
    lines = out.read_text().splitlines()
    assert (
        lines[0]
        == "scenario,staff_scale,demand_growth_per_year,measure,mean,low,high,replications,seed"
    )
    assert len(lines) == 1 + 4 * 2  # four points, two measures
    assert lines[1].startswith("sweep-staff-1-growth-0,1.0,0.0,within_18_weeks,")
    assert lines[-1].startswith("sweep-staff-2-growth-0.5,2.0,0.5,wait_mean,")
    assert chart.read_text().startswith("<svg")


@pytest.mark.parametrize(
    ("text", "located"),
    [
        ("base: bigger\nstaff_scale: [1, -2]\n", "sweep.yaml:2: staff_scale[1]"),
        ("base: smaller\n", "sweep.yaml:1: base: unknown scenario 'smaller'"),
        ("teams: [nursing, physio]\n", "sweep.yaml:1: teams[1]: scenario 'separate' has no team"),
        ("staff_scale: [1]\nrepetitions: 3\n", "sweep.yaml:2: repetitions"),
    ],
)
def test_a_bad_sweep_file_is_located_and_nothing_written(
    folder: Path, text: str, located: str
) -> None:
    (folder / "sweep.yaml").write_text(text)
    out = folder / "sweep.csv"
    result = runner.invoke(
        app, ["sweep", str(folder), str(folder / "sweep.yaml"), "--csv", str(out)]
    )
    assert result.exit_code == 2, result.output
    assert located in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()
