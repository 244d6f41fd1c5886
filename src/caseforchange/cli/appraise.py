"""``caseforchange appraise``: run the appraisal of a programme and print or save the result."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from caseforchange.appraisal.result import AppraisalResult
from caseforchange.appraisal.run import appraise as run_appraisal
from caseforchange.chunks import ChunkMap
from caseforchange.cli.cluster import CLUSTER_HELP, on_cluster
from caseforchange.cli.errors import make_console, plain, user_errors
from caseforchange.domain.problems import InvalidInput
from caseforchange.io.atomic import check_file_target, write_file
from caseforchange.io.folder import LoadedProgramme
from caseforchange.io.sources import load_any

console = make_console()

#: Below this many samples the run is quick enough to need no progress bar.
PROGRESS_FROM = 200_000


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def print_result(result: AppraisalResult, out: Console) -> None:
    """Print the ranking, totals, screening, sensitivity, SMAA and cross-check as tables."""
    names = result.criterion_names
    if result.provenance.get("illustrative"):
        note = plain(result.provenance.get("illustrative_note"))
        out.print(f"[bold]Illustrative data[/bold]: {note}")
    screening = Table("option", "short list", "reason", title="Hurdles")
    for d in result.screening.decisions:
        screening.add_row(plain(d.option), "kept" if d.kept else "dropped", plain(d.reason))
    out.print(screening)

    ranking = Table("rank", "option", "total", title="Weighted totals (0..1)")
    for option in result.ranking:
        ranking.add_row(str(result.ranks[option]), plain(option), f"{result.totals[option]:.3f}")
    out.print(ranking)
    for group in result.ties:
        out.print(f"tie: {plain(', '.join(group))} share rank {result.ranks[group[0]]}")

    sens = Table(
        "criterion",
        "weight",
        f"{result.ranking[0]} stays first between",
        "then leads",
        title="Sensitivity to each weight (others rescaled proportionally)",
    )
    for s in result.sensitivity.criteria:
        lo, hi = s.top_interval
        leads = ", ".join(
            x
            for x in (
                f"below: {s.below}" if s.below else "",
                f"above: {s.above}" if s.above else "",
            )
            if x
        )
        label = names.get(s.criterion, s.criterion) + ("" if s.is_leaf else " (group)")
        sens.add_row(plain(label), f"{s.weight:.3f}", f"{lo:.3f} .. {hi:.3f}", plain(leads) or "-")
    out.print(sens)

    smaa = result.smaa
    ranks = len(smaa.options)
    table = Table(
        "option",
        *[f"rank {r + 1}" for r in range(ranks)],
        "confidence",
        "holistic",
        title=(
            f"SMAA-2: rank acceptability ({smaa.samples:,} samples, seed {smaa.seed}, "
            f"weights: {result.weight_information})"
        ),
    )
    for i, option in enumerate(smaa.options):
        table.add_row(
            plain(option),
            *[_pct(p) for p in smaa.rank_acceptability[i]],
            _pct(float(smaa.confidence[i])),
            f"{smaa.holistic[i]:.3f}",
        )
    out.print(table)

    check = result.crosscheck
    methods = list(check.ranks)
    cross = Table("option", *methods, title="Method cross-check (ranks)")
    for option in result.ranking:
        cross.add_row(plain(option), *[str(check.ranks[m][option]) for m in methods])
    out.print(cross)
    if check.dropped_criteria:
        out.print(
            f"cross-check left out criteria that do not separate the options: "
            f"{plain(', '.join(check.dropped_criteria))}"
        )
    for warning in result.warnings:
        out.print(f"[yellow]warning[/yellow]: {plain(warning)}", soft_wrap=True)


def _run(
    loaded: LoadedProgramme,
    samples: int | None,
    seed: int | None,
    planned: int,
    chunk_map: ChunkMap | None,
) -> AppraisalResult:
    """Run the appraisal, with a progress bar when it is long or runs on a cluster."""
    if planned < PROGRESS_FROM and chunk_map is None:
        return run_appraisal(loaded.programme, samples, seed, file_hashes=loaded.file_hashes)
    with Progress(
        TextColumn("sampling"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=make_console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("smaa", total=None)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return run_appraisal(
            loaded.programme,
            samples,
            seed,
            report,
            file_hashes=loaded.file_hashes,
            chunk_map=chunk_map,
        )


def appraise(
    path: Path = typer.Argument(..., help="A programme folder or .xlsx workbook"),
    samples: int | None = typer.Option(
        None, "--samples", help="SMAA weight samples (default: the programme's setting)"
    ),
    seed: int | None = typer.Option(None, "--seed", help="Random seed (default: the programme's)"),
    json_out: Path | None = typer.Option(None, "--json", help="Also write the result as JSON"),
    cluster: str | None = typer.Option(None, "--cluster", help=CLUSTER_HELP),
) -> None:
    """Appraise the options: hurdles, weighted totals, sensitivity, SMAA-2 and a cross-check.

    With ``--cluster`` the SMAA chunks run on a Dask cluster; the result is the same.
    """
    with user_errors():
        if json_out is not None:
            check_file_target(json_out)
        loaded = load_any(path)
        programme = loaded.programme
        planned = samples if samples is not None else programme.appraisal.samples
        with on_cluster(cluster, make_console(stderr=True)) as chunk_map:
            try:
                result = _run(loaded, samples, seed, planned, chunk_map)
            except InvalidInput as error:
                raise InvalidInput(loaded.source.place(error.problems)) from None
        print_result(result, console)
        if json_out is not None:
            text = json.dumps(result.to_json(), indent=2, allow_nan=False) + "\n"
            write_file(json_out, text.encode("utf-8"))
            console.print(f"wrote {plain(json_out)}")


def register(app: typer.Typer) -> None:
    """Add the ``appraise`` command to the command line."""
    app.command("appraise")(appraise)
