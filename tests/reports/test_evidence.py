"""The Board paper's engagement evidence: free-text themes when the programme has coded text."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest

from caseforchange.examples import example_path
from caseforchange.io.folder import load_programme
from caseforchange.reports import consultation
from caseforchange.reports.blocks import Bullets, Paragraph, Table
from caseforchange.reports.case import engagement_of
from caseforchange.reports.evidence import evidence_section

CODEBOOK = """question: comments
illustrative: true
note: Invented answers for the test.
stances: [for, against, unclear]
themes:
  - {id: nhs, name: Staying in the NHS, definition: Whether it stays NHS.}
  - {id: local, name: Local services, definition: Care close to home.}
"""


def _wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """The 95% Wilson score interval, worked out here from its formula."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def _folder(tmp_path: Path) -> Path:
    """Shropshire with its text folder replaced by ten answers a person coded by hand."""
    root = tmp_path / "shropshire"
    shutil.copytree(example_path("shropshire-telford-2010"), root)
    text = root / "text"
    shutil.rmtree(text)
    text.mkdir()
    (text / "comments-codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    answers = ["id,group,text"]
    codings = ["id,themes,stance,evidence_rich,coder"]
    # Eight raise staying in the NHS (five for, two against, one unclear); three of them and
    # one more raise local services; one answer is empty; r10 (NHS, for) is the evidence-rich
    # quote.
    plan = [
        ("r01", "nhs", "for"),
        ("r02", "nhs", "for"),
        ("r03", "nhs", "for"),
        ("r04", "nhs", "for"),
        ("r05", "nhs", "against"),
        ("r06", "nhs;local", "for"),
        ("r07", "nhs;local", "against"),
        ("r08", "nhs;local", "unclear"),
        ("r09", "local", "unclear"),
    ]
    for rid, themes, stance in plan:
        answers.append(f"{rid},public,Answer {rid} about {themes.replace(';', ' and ')}")
        codings.append(f"{rid},{themes},{stance},,analyst-1")
    answers.append("r10,staff,Keep us in the NHS so my pension is safe; call me on 01743 123456")
    codings.append("r10,nhs,for,yes,analyst-1")
    answers.append("r11,public,")
    (text / "comments-answers.csv").write_text("\n".join(answers) + "\n", encoding="utf-8")
    (text / "comments-codings.csv").write_text("\n".join(codings) + "\n", encoding="utf-8")
    return root


def test_themes_with_shares_intervals_stance_and_a_quote(tmp_path: Path) -> None:
    loaded = load_programme(_folder(tmp_path))
    section = evidence_section(loaded.programme, engagement_of(loaded))
    table = next(
        b for b in section.blocks if isinstance(b, Table) and b.caption.startswith("Free-text")
    )
    assert table.caption.endswith("(illustrative)")
    assert table.columns == [
        "theme", "responses", "share", "95% low", "95% high", "for", "against", "unclear"
    ]  # fmt: skip
    assert table.formats == ["text", "int", "pct", "pct", "pct", "int", "int", "int"]
    assert table.sheet == "Free-text themes"
    nhs, local = table.rows
    # Ten answers carry a theme: nine raise staying in the NHS, four local services.
    assert nhs[:2] == ["Staying in the NHS", 9] and local[:2] == ["Local services", 4]
    assert nhs[2] == pytest.approx(0.9) and local[2] == pytest.approx(0.4)
    assert (nhs[3], nhs[4]) == pytest.approx(_wilson(9, 10))
    assert (local[3], local[4]) == pytest.approx(_wilson(4, 10))
    assert nhs[5:] == [6, 2, 1] and local[5:] == [1, 1, 2]
    text = " ".join(b.text for b in section.blocks if isinstance(b, Paragraph))
    assert "(11 responses, from text/comments-answers.csv): 10 raised at least one" in text
    assert "A person coded 10." in text and "Invented answers for the test." in text
    assert "a model trained" not in text  # every answer with words was coded by a person
    quotes = next(
        b for b in section.blocks if isinstance(b, Bullets) and "representative" in b.lead
    )
    # The evidence-rich coding is the quote, with the phone number redacted.
    assert quotes.items[0].startswith("Staying in the NHS: “Keep us in the NHS so my pension")
    assert "(r10)" in quotes.items[0] and "01743" not in quotes.items[0]


def test_no_codebook_no_themes() -> None:
    loaded = load_programme(example_path("leicester-children-2010"))
    section = evidence_section(loaded.programme, engagement_of(loaded))
    assert not any(isinstance(b, Table) and "Free-text" in b.caption for b in section.blocks)


def test_without_the_text_extra_the_paper_says_how_to_get_the_themes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(consultation, "installed", lambda module: module != "sklearn")
    loaded = load_programme(_folder(tmp_path))
    section = evidence_section(loaded.programme, engagement_of(loaded))
    text = " ".join(b.text for b in section.blocks if isinstance(b, Paragraph))
    assert "pip install 'caseforchange[text]'" in text
    assert not any(isinstance(b, Table) and "Free-text" in b.caption for b in section.blocks)


def test_the_shropshire_paper_shows_its_illustrative_themes() -> None:
    loaded = load_programme(example_path("shropshire-telford-2010"))
    section = evidence_section(loaded.programme, engagement_of(loaded))
    table = next(b for b in section.blocks if isinstance(b, Table) and "Free-text" in b.caption)
    assert "(illustrative); the 6 largest of 9" in table.caption
    assert len(table.rows) == 6
    emphasis = [b.text for b in section.blocks if isinstance(b, Paragraph) and b.emphasis]
    assert any(t.startswith("Illustrative: the answers, the codings") for t in emphasis)
