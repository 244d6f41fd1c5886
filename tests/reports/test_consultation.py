"""The consultation report: sections, figures traceable to inputs, HTML and DOCX."""

from __future__ import annotations

from pathlib import Path

from caseforchange.chartstyle import Chart
from caseforchange.examples import example_path
from caseforchange.io.engagement_file import load_engagement
from caseforchange.io.responses import import_responses, load_mapping
from caseforchange.reports.blocks import Paragraph, Table
from caseforchange.reports.consultation import build_consultation
from caseforchange.reports.render import render
from tests.engagement.helpers import write_engagement, write_export


def test_report_from_imported_responses(small_folder: Path, tmp_path: Path) -> None:
    loaded = load_engagement(write_engagement(small_folder))
    export = write_export(small_folder)
    import_responses(loaded, export, load_mapping(small_folder.parent / "mapping.yaml"))
    report = build_consultation(loaded)
    titles = [s.title for s in report.sections]
    assert "The engagement plan as run" in titles
    assert "Do you support the proposal?" in titles
    assert "You said, we did" in titles
    html = render(report, "html").decode("utf-8")
    assert "<svg" in html and "95% Wilson" in html
    assert "Keep the district nurses" in html  # free text is listed
    assert "9f86d081884c" not in html  # no IP hashes
    # You said, we did: iss1 has a response; iss2 has none and says so.
    assert "We published a list of where each service will be based." in html
    assert "NO RESPONSE RECORDED" in html
    assert "Illustrative data:" in html
    import io

    from docx import Document

    document = Document(io.BytesIO(render(report, "docx")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "You said, we did" in headings
    assert len(document.tables) >= 5


def test_shropshire_ballot_split_of_views() -> None:
    report = build_consultation(load_engagement(example_path("shropshire-telford-2010")))
    ballot = next(s for s in report.sections if s.title.startswith("Ballot"))
    notes = [b.text for b in ballot.blocks if isinstance(b, Paragraph)]
    assert notes and notes[0].startswith("Illustrative counts.")
    by_group = next(
        b for b in ballot.blocks if isinstance(b, Table) and "by respondent group" in b.caption
    )
    assert [r[0] for r in by_group.rows] == [
        "NHS Telford and Wrekin community staff",
        "Shropshire County PCT community staff",
        "LINks (Local Involvement Networks)",
    ]
    chart = next(b for b in ballot.blocks if isinstance(b, Chart))
    assert "most chose" in chart.alt
    overall = next(b for b in ballot.blocks if isinstance(b, Table) and "Wilson" in b.caption)
    # Numbers as numbers: the interval's ends are shares in their own columns.
    assert overall.columns == ["answer", "count", "share", "95% low", "95% high"]
    assert all(isinstance(r[3], float) and r[3] <= r[2] <= r[4] for r in overall.rows)  # type: ignore[operator]


def test_shropshire_coded_free_text_from_the_text_folder() -> None:
    # No responses are imported: the example's answers file in text/ is analysed instead.
    report = build_consultation(load_engagement(example_path("shropshire-telford-2010")))
    considered = next(s for s in report.sections if s.key == "text-comments-considered")
    lead = considered.blocks[0]
    assert isinstance(lead, Paragraph) and lead.emphasis
    assert lead.text.startswith("The answers analysed are text/comments-answers.csv.")
    assert "Illustrative: the answers, the codings" in lead.text
    assert lead.text.count("Illustrative") == 1
    status = next(b for b in considered.blocks if isinstance(b, Table))
    assert status.rows[-1] == ["total", 217]  # every answer in the file, once
