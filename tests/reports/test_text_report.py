"""The free-text report sections: counts, the themes chart, and hostile text escaped."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from caseforchange.domain.codebook import Codebook, Theme
from caseforchange.examples import example_path
from caseforchange.io.engagement_file import load_engagement
from caseforchange.reports.consultation import build_consultation
from caseforchange.reports.render import render
from caseforchange.reports.text_report import text_report, text_sections
from caseforchange.text.ledger import Entry

BOOK = Codebook(question="q", themes=[Theme(id="nhs", name="Staying <b>NHS</b>")])


def _entry(rid: str, group: str, text: str) -> Entry:
    return Entry(
        rid, group, "coded", ("nhs",), "for", "person: a", None, None, None, True, None, text
    )


def test_sections_and_escaping() -> None:
    entries = [_entry("r1", "staff", "<script>alert(1)</script>"), _entry("r2", "public", "ok")]
    sections = text_sections("q", entries, BOOK, [], {"coded": 2, "total": 2})
    titles = [s.title for s in sections]
    assert titles[0] == "Every response considered: q"
    assert "You said, we did" in titles
    html = render(text_report("Free text", sections, "Illustrative."), "html").decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "Staying &lt;b&gt;NHS&lt;/b&gt;" in html
    assert "<svg" in html  # the themes chart


def test_consultation_report_adds_coded_sections_and_redacts_the_answer_list(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "prog"
    shutil.copytree(example_path("shropshire-telford-2010"), folder)
    text = folder / "text"
    (folder / "responses").mkdir()
    answers = list(csv.DictReader((text / "comments-answers.csv").open(encoding="utf-8")))
    with (folder / "responses" / "written-consultation.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["respondent", "group", "comments"])
        for row in answers:
            writer.writerow([row["id"], row["group"], row["text"]])
    report = build_consultation(load_engagement(folder))
    titles = [s.title for s in report.sections]
    assert "Every response considered: comments" in titles
    html = render(report, "html").decode()
    assert "dave.p@example.org" not in html
    assert "[email]" in html
