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
    # the affordability chart, then one cost tornado per option with cost assumptions
    assert len(figures) == 1 + 5
    assert all(s.part == "appendix" and s.level == 3 for s in sections.values())
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


def test_the_risk_register_in_full_holds_every_risk() -> None:
    programme = load_programme(example_path("plymouth-2010")).programme
    assert programme.risks is not None
    risks = next(s for s in decision_sections(programme) if s.key == "decision-risks")
    table = next(b for b in risks.blocks if isinstance(b, Table))
    assert len(table.rows) == len(programme.risks.risks) == 7  # the summary shows 5
    first = programme.risks.risks[0]
    row = next(r for r in table.rows if r[0] == first.title)
    score = first.likelihood * first.impact
    assert row[3] == f"{first.likelihood}×{first.impact} = {score}"


def test_staff_moves_in_full_carry_headcount() -> None:
    programme = load_programme(example_path("plymouth-2010")).programme
    assert programme.workforce is not None
    workforce = next(s for s in decision_sections(programme) if s.key == "decision-workforce")
    table = next(b for b in workforce.blocks if isinstance(b, Table))
    moves = [m for o in programme.workforce.options for m in o.moves]
    assert len(table.rows) == len(moves)
    assert sum(int(r[4] or 0) for r in table.rows) == sum(m.headcount for m in moves)
