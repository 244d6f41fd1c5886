"""``caseforchange flow``: flow metrics from referral data, and simulated delivery models."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from caseforchange.cli.cluster import ClusterOption, on_cluster
from caseforchange.cli.errors import handles_user_errors
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.flow.metrics import FlowMetrics, flow_metrics
from caseforchange.flow.model import FlowModel
from caseforchange.flow.records import ReferralRecord
from caseforchange.flow.runner import RunResult, run_model
from caseforchange.flow.scoring import PROVENANCE, suggest_scores
from caseforchange.flow.statistics import Interval
from caseforchange.flow.system import all_team_names, scenario_ids
from caseforchange.io.flow_file import FLOW_FILE, flow_file_path, load_flow_model
from caseforchange.io.referrals import default_mapping_path, load_mapping, load_referrals

if TYPE_CHECKING:  # matplotlib is imported only when charts are asked for
    from caseforchange.chartstyle import Chart

app = typer.Typer(
    help="Patient flow: metrics from referral data, and simulation of delivery models.",
    no_args_is_help=True,
)
console = Console(highlight=False)

#: Figures in the comparison table: key, label, decimals.
COMPARISON = (
    ("referrals_per_week", "referrals a week", 1),
    ("wait_mean", "mean wait to first contact (days)", 1),
    ("wait_median", "median wait (days)", 1),
    ("wait_p92", "92nd centile wait (days)", 1),
    ("within_18_weeks", "seen within 18 weeks", 3),
    ("breaches_18_weeks", "18-week breaches", 0),
    ("handoffs_per_patient", "hand-offs per patient", 3),
    ("admissions", "admissions", 0),
    ("admissions_per_1000", "admissions per 1000 referrals", 1),
    ("reneged", "left the queue", 0),
    ("left_unseen", "left or turned away unseen", 0),
    ("turned_away", "turned away (queue or beds full)", 0),
    ("triage_advice", "discharged with advice at triage", 0),
    ("triage_declined", "declined at triage", 0),
    ("delayed_transfer_days", "bed-days lost to delayed transfers", 0),
    ("admissions_avoided", "admissions avoided (step-up beds)", 0),
    ("utilisation", "utilisation (all teams)", 3),
    ("cost_per_year", "cost per year (pounds)", 0),
    ("cost_per_referral", "cost per referral (pounds)", 0),
)

#: An empty cell for a figure a scenario does not have (e.g. costs in a model without them).
_MISSING = Interval(math.nan, math.nan, math.nan, 0)


def _fmt(x: float, decimals: int) -> str:
    return "-" if math.isnan(x) else f"{x:,.{decimals}f}"


def _interval(iv: Interval, decimals: int) -> str:
    if iv.n <= 1 or math.isnan(iv.low):
        return _fmt(iv.mean, decimals)
    return f"{_fmt(iv.mean, decimals)} [{_fmt(iv.low, decimals)}, {_fmt(iv.high, decimals)}]"


def _writable(path: Path | None, option: str, is_dir: bool = False) -> None:
    if path is None:
        return
    parent = path if is_dir else path.parent
    if is_dir and path.exists() and not path.is_dir():
        raise InvalidInput([Problem((option,), "not a folder", str(path))])
    if not is_dir and not parent.exists():
        raise InvalidInput([Problem((option,), f"folder {parent} does not exist", str(path))])


def _save_charts(folder: Path, charts: dict[str, Chart | None]) -> None:
    """Write each chart record's SVG as ``NAME.svg`` in ``folder``; returns nothing."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, chart in charts.items():
        if chart is not None:
            (folder / f"{name}.svg").write_text(chart.svg, encoding="utf-8")
    console.print(f"wrote charts to {folder}")


def _programme_flow(path: Path) -> Path:
    if path.is_dir() and not (path / FLOW_FILE).exists():
        raise InvalidInput([Problem((), f"no {FLOW_FILE} in this programme folder", str(path))])
    return path


FolderArg = Annotated[Path, typer.Argument(help="Programme folder holding flow.yaml.")]
DataArg = Annotated[Path, typer.Argument(help="Referral records (CSV or XLSX).")]
MappingOption = Annotated[
    Path | None,
    typer.Option(help="Column mapping (default: DATA's name + '-mapping.yaml')."),
]


def _model_and_records(
    path: Path, data: Path, mapping: Path | None
) -> tuple[FlowModel, list[ReferralRecord]]:
    """Return the folder's flow model and the referral records read through the mapping.

    Raises:
        InvalidInput: when flow.yaml, the mapping or the data has problems, or holds no records.
    """
    model = load_flow_model(_programme_flow(path))
    mapping_model = load_mapping(mapping or default_mapping_path(data))
    records = load_referrals(data, mapping_model, known_teams=all_team_names(model))
    if not records:
        raise InvalidInput([Problem((), "no referral records", str(data))])
    return model, records


@app.command()
@handles_user_errors
def metrics(
    path: FolderArg,
    data: DataArg,
    mapping: MappingOption = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write the metrics as JSON.")
    ] = None,
    charts: Annotated[Path | None, typer.Option(help="Write SVG charts into this folder.")] = None,
) -> None:
    """Compute demand, waits, 18-week performance, hand-offs and caseload from referral data."""
    _writable(json_out, "--json")
    _writable(charts, "--charts", is_dir=True)
    _, records = _model_and_records(path, data, mapping)
    result = flow_metrics(records)
    _print_metrics(result)
    if json_out is not None:
        json_out.write_text(json.dumps(result.as_dict(), indent=2), encoding="utf-8")
        console.print(f"wrote {json_out}")
    if charts is not None:
        from caseforchange.flow.charts import caseload_chart, demand_chart

        _save_charts(charts, {"demand": demand_chart(result), "caseload": caseload_chart(result)})


@app.command()
@handles_user_errors
def calibrate(
    path: FolderArg,
    data: DataArg,
    mapping: MappingOption = None,
    scenario: Annotated[
        str | None, typer.Option(help="Baseline scenario to fit (default: the first).")
    ] = None,
    replications: Annotated[int, typer.Option(min=2, help="Replications of the fit.")] = 5,
    seed: Annotated[int | None, typer.Option(help="Seed (default: flow.yaml's).")] = None,
    jobs: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    chart: Annotated[
        Path | None, typer.Option(help="Write the observed-against-simulated chart (SVG).")
    ] = None,
) -> None:
    """Fit the baseline to the referral data and show the fit, figure by figure."""
    from caseforchange.flow.calibration import calibrate as fit

    _writable(chart, "--chart")
    model, records = _model_and_records(path, data, mapping)
    result = fit(
        model,
        flow_metrics(records),
        scenario=scenario,
        replications=replications,
        seed=seed,
        jobs=jobs,
    )
    console.print("[bold]Changes to the baseline[/]")
    for change in result.changes:
        console.print(f"  {change}", markup=False)
    table = Table(title="Fit: observed against the fitted model (mean [95% CI])")
    for column in ("figure", "observed", "simulated", "inside CI"):
        table.add_column(column)
    for row in result.rows:
        table.add_row(
            row.name,
            _fmt(row.observed, 2),
            _interval(row.simulated, 2),
            "yes" if row.inside else "no",
        )
    console.print(table)
    if chart is not None:
        from caseforchange.flow.charts import calibration_chart

        rows = [(r.name, r.observed, r.simulated.mean) for r in result.rows]
        record = calibration_chart(rows, "Observed against the fitted baseline")
        chart.write_text(record.svg, encoding="utf-8")
        console.print(f"wrote {chart}")


def _print_metrics(m: FlowMetrics) -> None:
    console.print(
        f"[bold]{m.referrals:,}[/] referrals from {m.start} to {m.end} ({m.weeks:.1f} weeks); "
        f"{m.rejected:,} rejected at triage"
    )
    table = Table(title="Waits to first contact, by team")
    for col in (
        "team",
        "referrals",
        "seen",
        "median (days)",
        "92nd centile",
        "within 18 wks",
        "waiting > 18 wks",
    ):
        table.add_column(col, justify="left" if col == "team" else "right")
    rows = [
        ("all", m.referrals, m.waits),
        *((t, m.demand_by_team[t], w) for t, w in sorted(m.waits_by_team.items())),
    ]
    for name, n, w in rows:
        table.add_row(
            name,
            f"{n:,}",
            f"{w.seen:,}",
            _fmt(w.median_days, 0),
            _fmt(w.p92_days, 0),
            _fmt(w.within_18_weeks, 3),
            f"{w.waiting_over_18_weeks:,}",
        )
    console.print(table)
    sources = Table(title="Demand by source")
    sources.add_column("source")
    sources.add_column("referrals", justify="right")
    sources.add_column("per week", justify="right")
    for src, n in sorted(m.demand_by_source.items()):
        sources.add_row(src, f"{n:,}", f"{n / m.weeks:.1f}")
    console.print(sources)
    console.print(
        f"hand-offs: {m.handoffs:,} for {m.patients:,} patients = "
        f"{_fmt(m.handoffs_per_patient, 3)} per patient"
    )


@app.command()
@handles_user_errors
def run(
    path: FolderArg,
    scenario: Annotated[
        list[str] | None, typer.Option(help="Scenario to run (repeat for several; default all).")
    ] = None,
    replications: Annotated[
        int | None, typer.Option(min=2, help="Replications per scenario.")
    ] = None,
    jobs: Annotated[int, typer.Option(min=1, help="Processes to run replications on.")] = 1,
    seed: Annotated[int | None, typer.Option(min=0, help="Seed (default: from flow.yaml).")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write results as JSON.")] = None,
    charts: Annotated[Path | None, typer.Option(help="Write SVG charts into this folder.")] = None,
    go_live_data: Annotated[
        Path | None,
        typer.Option(help="Referral data giving each team's caseload and waiting list at go-live."),
    ] = None,
    go_live_date: Annotated[
        str | None, typer.Option(help="The go-live date (YYYY-MM-DD) read from --go-live-data.")
    ] = None,
    mapping: MappingOption = None,
    cluster: ClusterOption = None,
) -> None:
    """Simulate the scenarios with common random numbers and compare them side by side.

    With ``--cluster`` the replications run on a Dask cluster; the figures are the same.
    """
    _writable(json_out, "--json")
    _writable(charts, "--charts", is_dir=True)
    model = load_flow_model(_programme_flow(path))
    if go_live_data is not None:
        model = _with_go_live(model, go_live_data, go_live_date, mapping)
    ids = list(scenario) if scenario else scenario_ids(model)
    if model.illustrative:
        console.print("[bold yellow]ILLUSTRATIVE MODEL[/]: " + (model.note or ""))
    with on_cluster(cluster, console) as chunk_map, _replication_bar() as progress:
        try:
            result = run_model(
                model,
                scenarios=ids,
                replications=replications,
                seed=seed,
                jobs=jobs,
                progress=progress,
                chunk_map=chunk_map,
            )
        except InvalidInput as error:
            raise _at_flow_file(error, path) from None
    for warning in result.warnings:
        console.print("[yellow]warning:[/] " + escape(warning))
    _print_run(result)
    if model.costs is not None and model.costs.illustrative:
        console.print("[bold yellow]Costs use ILLUSTRATIVE unit costs[/] (costs.illustrative)")
    scores = suggest_scores(result, model.scoring)
    if scores:
        table = Table(title=f"Suggested scores ({PROVENANCE})")
        for col in ("criterion", "scenario", "model figure", "suggested score [95% CI]"):
            table.add_column(col)
        for s in scores:
            table.add_row(
                s.label,
                s.scenario,
                f"{s.metric} = {_fmt(s.value, 3)}",
                f"{s.score:.1f} [{s.score_low:.1f}, {s.score_high:.1f}]",
            )
        console.print(table)
    if json_out is not None:
        record = result.as_dict()
        record["suggested_scores"] = [s.__dict__ for s in scores]
        json_out.write_text(json.dumps(record, indent=2, default=str), encoding="utf-8")
        console.print(f"wrote {json_out}")
    if charts is not None:
        from caseforchange.flow.charts import comparison_chart, queue_chart, warmup_chart

        _save_charts(
            charts,
            {
                "comparison": comparison_chart(result),
                "in-system": queue_chart(result),
                "warmup": warmup_chart(result),
            },
        )


@contextmanager
def _replication_bar() -> Iterator[Callable[[int, int], None]]:
    """Show replications done out of the total while a run goes on; yields the callback."""
    with Progress(
        TextColumn("replications"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("run", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield progress


def _at_flow_file(error: InvalidInput, path: Path) -> InvalidInput:
    """Return the run's problems, those without a place located at the flow.yaml."""
    where = str(flow_file_path(_programme_flow(path)))
    return InvalidInput(
        [p if p.location else Problem(p.path, p.message, where) for p in error.problems]
    )


SWEEP_MEASURES = {
    "within_18_weeks": ("seen within 18 weeks", 3),
    "wait_mean": ("mean wait (days)", 1),
    "wait_median": ("median wait (days)", 1),
    "wait_p92": ("92nd centile wait (days)", 1),
    "handoffs_per_patient": ("hand-offs per patient", 3),
    "admissions_per_1000": ("admissions per 1000", 1),
    "utilisation": ("utilisation", 3),
    "cost_per_year": ("cost per year (pounds)", 0),
    "cost_per_referral": ("cost per referral (pounds)", 0),
}


@app.command()
@handles_user_errors
def sweep(
    path: FolderArg,
    grid: Annotated[
        Path, typer.Argument(help="Sweep file (YAML): base scenario, staff scales, growths.")
    ],
    replications: Annotated[
        int | None, typer.Option(min=2, help="Replications per point (default: the sweep's).")
    ] = None,
    seed: Annotated[int | None, typer.Option(min=0, help="Seed (default: the sweep's).")] = None,
    jobs: Annotated[int, typer.Option(min=1, help="Processes to run replications on.")] = 1,
    csv_out: Annotated[
        Path | None, typer.Option("--csv", help="Write the tidy table (one row a point/measure).")
    ] = None,
    chart: Annotated[Path | None, typer.Option(help="Write the trade-off chart (SVG).")] = None,
    cluster: ClusterOption = None,
) -> None:
    """Run a grid of scenarios (staff levels x demand growth), each with replications.

    Prints each point's figures with 95% intervals; ``--csv`` writes them as a tidy table and
    ``--chart`` draws 18-week performance against cost (or staff).
    """
    from caseforchange.flow.sweep import COLUMNS, run_sweep, tidy_rows
    from caseforchange.io.atomic import check_file_target, staged_file, write_file
    from caseforchange.io.cells import CsvWriter
    from caseforchange.io.sweep_file import load_sweep

    for target in (csv_out, chart):
        if target is not None:
            check_file_target(target)
    model = load_flow_model(_programme_flow(path))
    spec, source = load_sweep(grid)
    from caseforchange.flow.sweep import expand

    try:
        expand(model, spec)
    except InvalidInput as error:
        raise InvalidInput(source.place(error.problems)) from None
    if model.illustrative:
        console.print("[bold yellow]ILLUSTRATIVE MODEL[/]: " + escape(model.note or ""))
    with on_cluster(cluster, console) as chunk_map, _replication_bar() as progress:
        try:
            result = run_sweep(
                model,
                spec,
                replications=replications,
                seed=seed,
                jobs=jobs,
                progress=progress,
                chunk_map=chunk_map,
            )
        except InvalidInput as error:
            raise _at_flow_file(error, path) from None
    for warning in result.run.warnings:
        console.print("[yellow]warning:[/] " + escape(warning))
    console.print(
        f"sweep of {result.base!r}: {len(result.points)} points, seed {result.run.seed}, "
        f"{result.run.replications} replications each; mean [95% CI]",
        markup=False,
    )
    table = Table(title="Sweep: staff scale x demand growth")
    for column in ("staff", "growth", *(SWEEP_MEASURES[m][0] for m in result.measures)):
        table.add_column(column, justify="right")
    for point in result.points:
        cells = []
        for measure in result.measures:
            iv = result.metric(point, measure)
            cells.append("-" if iv is None else _interval(iv, SWEEP_MEASURES[measure][1]))
        table.add_row(f"x{point.staff_scale:g}", f"{point.demand_growth_per_year:+.1%}", *cells)
    console.print(table)
    if model.costs is not None and model.costs.illustrative:
        console.print("[bold yellow]Costs use ILLUSTRATIVE unit costs[/] (costs.illustrative)")
    if csv_out is not None:
        with staged_file(csv_out) as temp, temp.open("w", encoding="utf-8", newline="") as handle:
            writer = CsvWriter(handle)
            writer.writerow(COLUMNS)
            writer.writerows(tidy_rows(result))
        console.print(f"wrote {csv_out}", markup=False)
    if chart is not None:
        from caseforchange.flow.charts import tradeoff_chart

        write_file(chart, tradeoff_chart(result).svg.encode("utf-8"))
        console.print(f"wrote {chart}", markup=False)


def _with_go_live(model: FlowModel, data: Path, day: str | None, mapping: Path | None) -> FlowModel:
    """Return the model with the teams' go-live state read from referral data.

    Raises:
        InvalidInput: the date is missing or malformed, or the data have problems.
    """
    from caseforchange.flow.golive import state_on, with_go_live

    try:
        when = dt.date.fromisoformat(day or "")
    except ValueError:
        raise InvalidInput(
            [Problem(("--go-live-date",), "give the go-live date as YYYY-MM-DD", "command line")]
        ) from None
    mapping_model = load_mapping(mapping or default_mapping_path(data))
    records = load_referrals(data, mapping_model, known_teams=all_team_names(model))
    state = state_on(records, when)
    for team, start in state.items():
        console.print(
            f"go-live {when}: {team} {start.caseload} in care, {start.waiting} waiting",
            markup=False,
        )
    return with_go_live(model, state)


def _print_run(result: RunResult) -> None:
    console.print(
        f"seed {result.seed}, {result.replications} replications per scenario, horizon "
        f"{result.horizon_days:g} days, warm-up ({result.warmup_method}): "
        + ", ".join(f"{s.scenario} {s.warmup_days:g} days" for s in result.scenarios)
        + "; mean [95% CI]"
    )
    table = Table(title="Scenarios compared")
    table.add_column("figure")
    for s in result.scenarios:
        table.add_column(s.scenario, justify="right")
    for key, label, decimals in COMPARISON:
        if not any(key in s.metrics for s in result.scenarios):
            continue
        table.add_row(
            label,
            *(_interval(s.metrics.get(key, _MISSING), decimals) for s in result.scenarios),
        )
    console.print(table)
    teams = Table(title="Teams: utilisation and mean queue length")
    for col in ("scenario", "team", "utilisation", "mean queue", "mean wait (days)"):
        teams.add_column(col)
    for s in result.scenarios:
        names = sorted({k.split("/")[1] for k in s.metrics if k.startswith("team/")})
        for name in names:
            teams.add_row(
                s.scenario,
                name,
                _interval(s.metrics[f"team/{name}/utilisation"], 3),
                _interval(s.metrics[f"team/{name}/queue_mean"], 1),
                _interval(s.metrics[f"team/{name}/wait_mean"], 1),
            )
    console.print(teams)


if __name__ == "__main__":  # ``python -m caseforchange.cli.flow run ...``: flow commands only
    app()
