"""The decision file's report sections: one per part, labelled illustrative, dated rules."""

from __future__ import annotations

from caseforchange.examples import example_path
from caseforchange.io.folder import load_programme
from caseforchange.reports.blocks import Bullets, Figure, Paragraph, Table
from caseforchange.reports.decision_sections import decision_sections


def _text(blocks: list[object]) -> str:
    parts: list[str] = []
    for b in blocks:
        if isinstance(b, Paragraph):
            parts.append(b.text)
        elif isinstance(b, Bullets):
            parts += b.items
        elif isinstance(b, Table):
            parts += [str(c) for row in b.rows for c in row]
    return " ".join(parts)


def test_every_illustrative_part_says_so_and_has_its_charts() -> None:
    programme = load_programme(example_path("plymouth-2010")).programme
    sections = {s.key: s for s in decision_sections(programme)}
    assert list(sections) == [
        "decision-finance",
        "decision-workforce",
        "decision-risks",
        "decision-equality",
        "decision-assurance",
        "decision-competition",
        "decision-market",
        "decision-peers",
    ]
    for key in ("decision-finance", "decision-workforce", "decision-risks", "decision-market"):
        first = sections[key].blocks[0]
        assert isinstance(first, Paragraph) and first.emphasis
        assert first.text.startswith("Illustrative figures:")
    figures = [b for b in sections["decision-finance"].blocks if isinstance(b, Figure)]
    assert figures and all("illustrative" in f.caption for f in figures)
    assert any(isinstance(b, Figure) for b in sections["decision-risks"].blocks)
    # 83 provider arms: 29% in house, 28% community foundation trust, 4% social enterprise
    shares = next(b for b in sections["decision-peers"].blocks if isinstance(b, Table))
    assert shares.rows[:3] == [
        ["Stay in house", 0.29],
        ["Community foundation trust", 0.28],
        ["Social enterprise", 0.04],
    ]


def test_hertfordshire_2007_gets_no_panel_review() -> None:
    programme = load_programme(example_path("hertfordshire-2007")).programme
    competition = next(s for s in decision_sections(programme) if s.key == "decision-competition")
    table = next(b for b in competition.blocks if isinstance(b, Table))
    assert {row[1] for row in table.rows} == {"not in force"}
    assert "January 2009" in _text(competition.blocks)


def test_a_programme_without_decision_parts_gets_competition_and_peers_only() -> None:
    programme = load_programme(example_path("plymouth-2010")).programme
    bare = programme.model_copy(
        update={
            "finance": None,
            "workforce": None,
            "risks": None,
            "equality": None,
            "assurance": None,
            "market": None,
            "competition": None,
        }
    )
    assert [s.key for s in decision_sections(bare)] == ["decision-competition", "decision-peers"]
