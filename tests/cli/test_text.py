"""``caseforchange text ...`` on the Shropshire illustrative answers and small files."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from caseforchange.cli.text import app
from caseforchange.examples import example_path

runner = CliRunner()
ENV = {"COLUMNS": "160"}
TEXT = example_path("shropshire-telford-2010") / "text"


def test_evaluate_writes_the_json_the_issue_asks_for(tmp_path: Path) -> None:
    out = tmp_path / "scores.json"
    result = runner.invoke(
        app,
        [
            "evaluate",
            str(TEXT / "comments-labelled.csv"),
            "--train-fraction",
            "0.8",
            "--seed",
            "0",
            "--json",
            str(out),
        ],
        env=ENV,
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert {"micro_f1", "macro_f1", "stance_macro_f1", "learning_curve"} <= set(data)
    assert data["train_rows"] + data["test_rows"] == 155
    assert data["learning_curve"][-1]["train_size"] == data["train_rows"]


def test_evaluate_missing_column_exits_2_with_a_location(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,comment\n1,hello\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(path)], env=ENV)
    assert result.exit_code == 2
    assert f"{path}:1: text: missing column" in result.stderr
    assert "Traceback" not in result.output


def test_evaluate_reads_a_windows_1252_file_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    rows = ["id,text,themes"] + [
        f"{n},café {n} {'good' if n % 2 else 'bad'} food,food" for n in range(40)
    ]
    path.write_bytes(("\n".join(rows) + "\n").encode("cp1252"))
    result = runner.invoke(app, ["evaluate", str(path)], env=ENV)
    assert result.exit_code == 0, result.output
    assert f"{path}: read as cp1252 (a guess" in result.output
    named = runner.invoke(app, ["evaluate", str(path), "--encoding", "cp1252"], env=ENV)
    assert named.exit_code == 0 and "a guess" not in named.output


def test_evaluate_with_an_unknown_encoding_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("id,text,themes\n1,hello,a\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(path), "--encoding", "klingon"], env=ENV)
    assert result.exit_code == 2
    assert f"{path}: encoding: unknown encoding 'klingon'" in result.stderr
    assert "Traceback" not in result.output


def test_campaigns_finds_the_two_template_letters(tmp_path: Path) -> None:
    out = tmp_path / "campaigns.json"
    result = runner.invoke(
        app, ["campaigns", str(TEXT / "comments-answers.csv"), "--json", str(out)], env=ENV
    )
    assert result.exit_code == 0, result.output
    sizes = [c["size"] for c in json.loads(out.read_text())]
    assert sizes == [30, 20]  # as written: 30 and 20 edited copies of two letters


def test_ledger_is_byte_identical_across_runs_and_lists_every_response(tmp_path: Path) -> None:
    args = [
        "ledger",
        str(TEXT / "comments-answers.csv"),
        "--codebook",
        str(TEXT / "comments-codebook.yaml"),
        "--codings",
        str(TEXT / "comments-codings.csv"),
    ]
    first = runner.invoke(app, [*args, "-o", str(tmp_path / "a")], env=ENV)
    second = runner.invoke(app, [*args, "-o", str(tmp_path / "b")], env=ENV)
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    a = (tmp_path / "a" / "ledger.csv").read_bytes()
    assert a == (tmp_path / "b" / "ledger.csv").read_bytes()
    rows = list(csv.DictReader((tmp_path / "a" / "ledger.csv").open(encoding="utf-8")))
    assert len(rows) == 217 == len({r["response"] for r in rows})
    assert sum(r["status"] == "empty" for r in rows) == 12
    assert sum(r["status"] == "campaign member" for r in rows) == 50
    assert (tmp_path / "a" / "ledger.xlsx").exists()


def test_report_from_a_programme_folder_question(tmp_path: Path) -> None:
    folder = tmp_path / "prog"
    shutil.copytree(example_path("shropshire-telford-2010"), folder)
    (folder / "responses").mkdir()
    answers = list(csv.DictReader((TEXT / "comments-answers.csv").open(encoding="utf-8")))
    with (folder / "responses" / "written-consultation.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["respondent", "group", "comments"])
        for row in answers:
            writer.writerow([row["id"], row["group"], row["text"]])
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "report",
            str(folder),
            "--question",
            "comments",
            "--codebook",
            str(TEXT / "comments-codebook.yaml"),
            "--codings",
            str(TEXT / "comments-codings.csv"),
            "-o",
            str(out),
        ],
        env=ENV,
    )
    assert result.exit_code == 0, result.output
    html = (out / "text-report.html").read_text(encoding="utf-8")
    assert "Every response considered" in html
    assert "You said, we did" in html
    assert "Illustrative data" in html
    assert "Dave" not in html and "dave.p@example.org" not in html  # redacted


def test_unknown_question_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["campaigns", str(example_path("shropshire-telford-2010")), "--question", "support"],
        env=ENV,
    )
    assert result.exit_code == 2
    assert "'support' is not an open question" in result.stderr
