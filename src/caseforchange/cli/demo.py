"""``caseforchange demo``: the main job over the four example programmes."""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import typer

from caseforchange.cli.errors import handles_user_errors, make_console
from caseforchange.cli.report import check_formats, make_report
from caseforchange.cli.summary import print_summary
from caseforchange.examples import EXAMPLE_IDS, example_path
from caseforchange.io.sources import load_any
from caseforchange.reports.render import FORMATS

console = make_console()


def build_example(example_id: str, out: str) -> list[str]:
    """Validate one example and write its four reports into ``out/<id>``; return the paths."""
    loaded = load_any(example_path(example_id))
    return [str(p) for p in make_report(loaded, Path(out) / example_id, list(FORMATS))]


def register(app: typer.Typer) -> None:
    """Add the ``demo`` command to ``app``."""

    @app.command()
    @handles_user_errors
    def demo(
        out: Path = typer.Option(Path("out"), "--out", help="Folder for the reports"),
        quiet: bool = typer.Option(False, "--quiet", help="Print only the paths written"),
        jobs: int = typer.Option(2, "--jobs", min=1, help="Examples built in parallel"),
    ) -> None:
        """Validate and summarise the example programmes and build their four reports each."""
        check_formats(list(FORMATS))
        for example_id in EXAMPLE_IDS:
            loaded = load_any(example_path(example_id))
            if not quiet:
                print_summary(loaded.programme, console)
            console.print(f"[green]valid[/]: {example_id}")
        started = time.perf_counter()
        with (
            console.status("Appraising and writing reports ..."),
            ProcessPoolExecutor(max_workers=jobs) as pool,
        ):
            futures = {e: pool.submit(build_example, e, str(out)) for e in EXAMPLE_IDS}
            for example_id, future in futures.items():
                for path in future.result():
                    console.print(f"{example_id}: wrote {path}")
        console.print(
            f"Reports for {len(EXAMPLE_IDS)} programmes in {time.perf_counter() - started:.1f} s"
        )
