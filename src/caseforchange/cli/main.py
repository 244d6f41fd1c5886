"""The ``caseforchange`` command line: a thin adapter over the engine."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import typer
from rich.table import Table

from caseforchange import __version__
from caseforchange.catalogue.frameworks import frameworks
from caseforchange.cli.errors import handles_user_errors, make_console, plain
from caseforchange.cli.summary import print_summary
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.domain.programme import Programme
from caseforchange.examples import EXAMPLE_IDS, example_path
from caseforchange.io.atomic import staged_folder
from caseforchange.io.scaffold import scaffold
from caseforchange.io.sources import load_any

app = typer.Typer(
    help="Options appraisal, engagement and patient-flow modelling for community services.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
examples_app = typer.Typer(help="The example programmes from the source documents.")
app.add_typer(examples_app, name="examples")
console = make_console()


@app.command()
@handles_user_errors
def validate(path: Path = typer.Argument(..., help="A programme folder or .xlsx workbook")) -> None:
    """Check a programme; print one line per problem (FILE:LINE: field: message), exit 2."""
    loaded = load_any(path)
    p = loaded.programme
    typer.echo(
        f"{path}: valid — {len(p.organisations)} organisations, {len(p.services)} services, "
        f"{len(p.options)} options, {len(p.framework.leaves())} criteria, "
        f"{len(p.panels)} panels, {len(p.scores)} scores"
    )


@app.command()
@handles_user_errors
def show(path: Path = typer.Argument(..., help="A programme folder or .xlsx workbook")) -> None:
    """Print a readable summary of a programme."""
    print_summary(load_any(path).programme, console)


@app.command()
@handles_user_errors
def new(
    directory: Path = typer.Argument(..., help="Folder to create"),
    framework: str = typer.Option("plymouth-2010", "--framework", help="Built-in framework id"),
) -> None:
    """Scaffold a new programme folder from a built-in criteria framework."""
    for written in scaffold(directory, framework):
        console.print(f"wrote {plain(written)}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the programme file (generated from the models)."""
    typer.echo(json.dumps(Programme.model_json_schema(), indent=2))


@app.command()
def frameworks_list() -> None:
    """List the built-in criteria frameworks."""
    table = Table("id", "name", "source")
    for fw in frameworks().values():
        table.add_row(plain(fw.id), plain(fw.name), plain(fw.source or ""))
    console.print(table)


@examples_app.command("list")
def examples_list() -> None:
    """List the example programmes shipped with caseforchange."""
    table = Table("id", "title", "illustrative")
    for example_id in EXAMPLE_IDS:
        p = load_any(example_path(example_id)).programme
        table.add_row(example_id, plain(p.title), "yes" if p.provenance.illustrative else "no")
    console.print(table)


@examples_app.command("copy")
@handles_user_errors
def examples_copy(
    example_id: str = typer.Argument(..., help="Example id (see 'examples list')"),
    directory: Path = typer.Argument(..., help="Folder to copy it into"),
) -> None:
    """Copy an example programme into a folder you can edit."""
    try:
        source = example_path(example_id)
    except KeyError:
        raise InvalidInput(
            [Problem((), f"unknown example '{example_id}' (known: {', '.join(EXAMPLE_IDS)})")]
        ) from None
    if directory.exists() and any(directory.iterdir()):
        raise InvalidInput([Problem((), "folder exists and is not empty", str(directory))])
    with staged_folder(directory) as staging:
        shutil.copytree(
            source, staging.folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__*")
        )
    console.print(f"copied {example_id} to {plain(directory)}")


@app.command()
def version() -> None:
    """Print the package version."""
    typer.echo(__version__)


def _register_optional() -> None:
    """Attach the command groups of the other contexts."""
    from caseforchange.cli import (
        appraise,
        decision,
        demo,
        engagement,
        flow,
        report,
        text,
        workbook,
    )

    appraise.register(app)
    decision.register(app)
    workbook.register(app)
    demo.register(app)
    report.register(app)
    # Importing flow_scores adds its ``flow scores`` command to flow.app.
    from caseforchange.cli import flow_scores  # noqa: F401

    app.add_typer(flow.app, name="flow")
    app.add_typer(engagement.app, name="engagement")
    app.add_typer(text.app, name="text")


_register_optional()


if __name__ == "__main__":
    app()
