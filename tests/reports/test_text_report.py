"""The free-text report sections: counts, the themes chart, and hostile text escaped."""

from __future__ import annotations

from caseforchange.domain.codebook import Codebook, Theme
from caseforchange.reports.consultation import render_consultation_html
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
    html = render_consultation_html(text_report("Free text", sections, "Illustrative."))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "Staying &lt;b&gt;NHS&lt;/b&gt;" in html
    assert "<svg" in html  # the themes chart
