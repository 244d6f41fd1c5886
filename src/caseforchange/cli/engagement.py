"""``caseforchange engagement ...``: plan checks, seating, letters, responses, the report."""

from __future__ import annotations

import io
from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from caseforchange.cli.errors import handles_user_errors, make_console, plain, require_module
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.engagement.letters import letter_contexts
from caseforchange.engagement.plan import check_plan
from caseforchange.engagement.seating import mixing_cost, recorded_plan, solve_workshop
from caseforchange.io.atomic import check_folder_target, staged_folder, write_file
from caseforchange.io.cells import CsvWriter
from caseforchange.io.engagement_file import ENGAGEMENT_FILE, load_engagement
from caseforchange.io.responses import import_responses, load_mapping
from caseforchange.reports.letters import write_letters

app = typer.Typer(
    help="Engagement and consultation: plan checks, workshop seating, update letters, "
    "survey responses and the consultation report.",
    no_args_is_help=True,
)
console = make_console()
progress_console = make_console(stderr=True)


@app.command()
@handles_user_errors
def check(
    path: Path = typer.Argument(..., help="A programme folder"),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when there are warnings"),
) -> None:
    """Check the engagement plan: consultation length, clashes, pre-election periods, letters."""
    loaded = load_engagement(path)
    warnings = check_plan(loaded.programme, loaded.engagement.settings)
    for warning in warnings:
        location = loaded.loaded.source.locate(warning.path)
        console.print(f"warning: {warning.render(location)}", markup=False, soft_wrap=True)
    e = loaded.engagement
    console.print(
        f"{path}: {len(loaded.programme.activities)} activities, "
        f"{len(loaded.programme.milestones)} milestones, {len(e.workshops)} workshops, "
        f"{len(e.questionnaires)} questionnaires, {len(e.ballots)} ballots; "
        f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}",
        markup=False,
    )
    if strict and warnings:
        raise typer.Exit(1)


@app.command()
@handles_user_errors
def seating(
    path: Path = typer.Argument(..., help="A programme folder"),
    workshop: str = typer.Argument(..., help="Workshop id in engagement.yaml"),
    time_limit: float = typer.Option(10.0, "--time-limit", help="Seconds HiGHS may take"),
    output: Path | None = typer.Option(None, "--csv", help="Also write the plan as CSV"),
) -> None:
    """Seat a workshop's participants so that organisations mix (MILP, HiGHS)."""
    loaded = load_engagement(path)
    found = loaded.engagement.workshop(workshop)
    if found is None:
        known = ", ".join(w.id for w in loaded.engagement.workshops) or "none defined"
        raise InvalidInput(
            [
                Problem(
                    ("workshops",),
                    f"unknown workshop '{workshop}' (known: {known})",
                    str(path / ENGAGEMENT_FILE),
                )
            ]
        )
    try:
        plan = solve_workshop(found, time_limit=time_limit)
    except InvalidInput as error:
        index = loaded.engagement.workshops.index(found)
        raise InvalidInput(
            loaded.source.place(
                [Problem(("workshops", index, *p.path), p.message) for p in error.problems]
            )
        ) from None
    labels = {p.id: p.label or p.id for p in found.participants}
    for table_id, members in plan.table_members().items():
        grid = Table(title=f"{plain(table_id)} ({len(members)} people)", title_justify="left")
        grid.add_column("role")
        grid.add_column("organisation")
        grid.add_column("person")
        for seat in members:
            grid.add_row(plain(seat.role.value), plain(seat.organisation), plain(labels[seat.id]))
        console.print(grid)
    gap = "n/a" if plan.gap is None else f"{plan.gap:.2%}"
    console.print(
        f"status: {plan.status}; objective (sum of squared same-organisation counts per "
        f"table): {plan.objective:g}; ideal: {plan.ideal:g}; gap: {gap}; "
        f"time: {plan.seconds:.2f} s",
        markup=False,
    )
    recorded = recorded_plan(found)
    if recorded is not None:
        console.print(
            f"the seating as recorded scores {mixing_cost(plan.people, recorded)} "
            "on the same measure",
            markup=False,
        )
    if output is not None:
        buffer = io.StringIO()
        writer = CsvWriter(buffer)
        writer.writerow(["participant", "label", "organisation", "role", "table"])
        for seat in plan.people:
            writer.writerow(
                [
                    seat.id,
                    labels[seat.id],
                    seat.organisation,
                    seat.role.value,
                    plan.assignment[seat.id],
                ]
            )
        write_file(output, buffer.getvalue().encode("utf-8"))
        console.print(f"wrote {output}", markup=False)


@app.command()
@handles_user_errors
def letters(
    path: Path = typer.Argument(..., help="A programme folder"),
    milestone: str = typer.Argument(..., help="Milestone id"),
    out: Path = typer.Option(..., "-o", "--out", help="Folder to write the letters into"),
    formats: str = typer.Option("html,docx", "--format", help="Comma-separated: html, docx"),
) -> None:
    """Write an update letter per stakeholder group for a milestone (HTML and DOCX)."""
    wanted = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    bad = [f for f in wanted if f not in ("html", "docx")]
    if bad or not wanted:
        raise InvalidInput([Problem(("--format",), f"unknown format(s) {bad}; use html, docx")])
    if "docx" in wanted:
        require_module("docx", "Word letters (--format docx)")
    loaded = load_engagement(path)
    try:
        contexts = letter_contexts(loaded.programme, milestone)
    except InvalidInput as error:
        raise InvalidInput(loaded.loaded.source.place(error.problems)) from None
    with staged_folder(out) as staging:
        staged = write_letters(contexts, staging.folder, programme_root=path, formats=wanted)
    written = [out / p.relative_to(staging.folder) for p in staged]
    console.print(
        f"wrote {len(written)} files for {len(contexts)} stakeholder groups to {out}",
        markup=False,
    )


@app.command("import-responses")
@handles_user_errors
def import_responses_command(
    path: Path = typer.Argument(..., help="A programme folder"),
    export: Path = typer.Argument(..., help="The survey tool's CSV or XLSX export"),
    mapping: str = typer.Option(
        ..., "--mapping", help="Mapping file, or a shipped one: decidim, generic, ..."
    ),
    questionnaire: str | None = typer.Option(
        None, "--questionnaire", help="Questionnaire id (if the mapping does not say)"
    ),
) -> None:
    """Import survey responses; all-or-nothing, personal columns dropped, ids pseudonymised."""
    loaded = load_engagement(path)
    spec = load_mapping(mapping)
    if not export.exists():
        raise InvalidInput([Problem((), "no such file", str(export))])
    with Progress(
        TextColumn("importing"),
        BarColumn(),
        TextColumn("{task.completed:,} rows"),
        console=progress_console,
        transient=True,
        disable=not progress_console.is_terminal,
    ) as progress:
        task = progress.add_task("import", total=None)

        def advance(amount: int) -> None:
            progress.advance(task, amount)

        summary = import_responses(
            loaded, export, spec, questionnaire_id=questionnaire, progress=advance
        )
    if summary.decoded is not None and summary.decoded.note(str(export)):
        console.print(summary.decoded.note(str(export)), markup=False)
    console.print(
        f"imported {summary.rows} responses to '{summary.questionnaire}' into {summary.path}",
        markup=False,
    )
    if summary.dropped:
        console.print(f"dropped personal columns: {', '.join(summary.dropped)}", markup=False)
    if summary.kept:
        console.print(
            f"kept personal columns (the mapping asks to): {', '.join(summary.kept)}",
            markup=False,
        )


@app.command("consultation-report")
@handles_user_errors
def consultation_report(
    path: Path = typer.Argument(..., help="A programme folder"),
    out: Path = typer.Option(..., "-o", "--out", help="Folder to write the report into"),
) -> None:
    """Write the consultation report (HTML and DOCX)."""
    from caseforchange.reports.consultation import build_consultation
    from caseforchange.reports.render import render_all

    require_module("docx", "the consultation report's Word copy", option="consultation-report")
    check_folder_target(out)
    loaded = load_engagement(path)
    rendered = render_all(build_consultation(loaded), ("html", "docx"))
    with staged_folder(out) as staging:
        for fmt, body in rendered.items():
            staging.write_bytes(f"consultation-report.{fmt}", body)
    for fmt in rendered:
        console.print(f"wrote {out / f'consultation-report.{fmt}'}", markup=False)
