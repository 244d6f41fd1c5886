"""The decision file's summaries in the main body, checked against Plymouth's file by hand."""

from __future__ import annotations

import pytest

from caseforchange.appraisal.run import appraise
from caseforchange.decision.view import DecisionFile
from caseforchange.examples import example_path
from caseforchange.io.folder import load_programme
from caseforchange.reports.blocks import Bullets, Figure, Paragraph, Section, Table
from caseforchange.reports.decision_sections import decision_view
from caseforchange.reports.decision_summary import decision_summaries


@pytest.fixture(scope="module")
def plymouth() -> DecisionFile:
    """Return Plymouth's decision file with its appraisal (employee-owned leads)."""
    programme = load_programme(example_path("plymouth-2010")).programme
    return decision_view(programme, appraise(programme, samples=200, seed=3))


def _sections(d: DecisionFile, analysis: list[str] | None = None) -> dict[str, Section]:
    return {s.key: s for s in decision_summaries(d, analysis or [])}


def _text(section: Section) -> str:
    parts: list[str] = []
    for b in section.blocks:
        if isinstance(b, Paragraph):
            parts.append(b.text)
        elif isinstance(b, Bullets):
            parts += [b.lead, *b.items]
    return " ".join(parts)


def _table(section: Section) -> Table:
    return next(b for b in section.blocks if isinstance(b, Table))


def test_one_body_section_per_part_in_reading_order(plymouth: DecisionFile) -> None:
    sections = _sections(plymouth)
    assert list(sections) == [
        "finance",
        "workforce",
        "risks",
        "equality",
        "assurance",
        "competition",
    ]
    assert all(s.part == "body" and s.level == 2 for s in sections.values())
    for key in ("finance", "workforce", "risks", "equality", "assurance", "competition"):
        callout = next(b for b in sections[key].blocks if isinstance(b, Paragraph))
        assert callout.emphasis and callout.text.startswith("Illustrative figures:")
    # the summaries' charts are small, and still say they are illustrative
    charts = [b for s in sections.values() for b in s.blocks if isinstance(b, Figure)]
    assert len(charts) == 2 and all(c.width < 1 for c in charts)
    assert all("illustrative" in c.caption for c in charts)


def test_finance_is_one_table_of_cost_and_affordability(plymouth: DecisionFile) -> None:
    table = _table(_sections(plymouth)["finance"])
    row = next(r for r in table.rows if r[0] == "Employee-owned organisation")
    # Net revenue cost by year (£m): running costs and corporate functions, transition costs
    # in year 0, less income and savings; the envelope is 61.0, 59.8, 58.6, 57.4, 56.3.
    net = [61.2 + 0.9 + 2.8, 59.9 + 0.9 - 0.3 - 0.4, 58.7 + 0.9 - 0.6 - 0.8]
    net += [57.5 + 0.9 - 0.8 - 1.0, 56.4 + 0.9 - 1.0 - 1.1]
    npc = sum(1e6 * x / 1.035**t for t, x in enumerate(net))
    assert row[1] == pytest.approx(npc, abs=1.0)
    assert row[3] == 2_800_000
    assert row[4] == "no: over in 2011/12, 2012/13"
    assert table.columns == [
        "option",
        "net present cost",
        "equivalent annual cost",
        "transition costs",
        "affordable every year",
    ]


def test_workforce_is_one_roll_up_with_tupe_and_pensions(plymouth: DecisionFile) -> None:
    rows = {r[0]: r for r in _table(_sections(plymouth)["workforce"]).rows}
    # five services move to the new employee-owned body: 520+190+70+210+260 WTE,
    # 610+225+82+245+310 staff, all changing employer under TUPE, pension access uncertain
    owned = rows["Employee-owned organisation"]
    assert owned[1:6] == [1250.0, 1472, 1472, 1472, 1472]
    # in house: locality teams and children and families stay with their employer
    stay = rows["Stay in house (business as usual)"]
    assert stay[1:6] == [780.0, 920, 0, 0, 0]


def test_risks_merge_the_analysis_with_the_top_of_the_register(plymouth: DecisionFile) -> None:
    risks = _sections(plymouth, ["The lead is not robust to the weights."])["risks"]
    bullets = next(b for b in risks.blocks if isinstance(b, Bullets))
    assert bullets.items == ["The lead is not robust to the weights."]
    table = _table(risks)
    assert len(table.rows) == 5 and "5 of 7 risks" in table.caption
    # the highest: likelihood 3 x impact 5 = 15 before, 2 x 5 = 10 after mitigation
    assert table.rows[0][2:4] == ["15 (extreme)", "10 (high)"]
    assert any(isinstance(b, Figure) for b in risks.blocks)


def test_equality_shows_only_negative_and_unknown_impacts(plymouth: DecisionFile) -> None:
    equality = _sections(plymouth)["equality"]
    rows = _table(equality).rows
    assert ["Vertical integration with an acute trust", "Disability", "negative"] in [
        r[:3] for r in rows
    ]
    assert {r[2] for r in rows} == {"negative", "unknown"}
    assert any(r[3] == "none recorded" for r in rows)  # an unknown impact with no mitigation
    assert "Not yet assessed" in _text(equality)


def test_assurance_counts_and_nothing_found_not_met(plymouth: DecisionFile) -> None:
    assurance = _sections(plymouth)["assurance"]
    table = _table(assurance)
    # four checklists; the Gunning principles: four items, all open
    assert len(table.rows) == 4
    assert table.rows[-1][1:] == [0, 0, 4, 0, 0]
    assert "No item is found not met." in _text(assurance)


def test_competition_outcomes_market_and_peers_in_sentences(plymouth: DecisionFile) -> None:
    text = _text(_sections(plymouth)["competition"])
    # £60.2m (Plymouth provider services) + £350m (acute trust); + £45m (neighbouring provider)
    assert "a review would be required for Vertical integration" in text
    assert "(£410.2m)" in text and "(£105.2m)" in text
    assert "no two existing bodies combine under" in text
    assert "Market review (illustrative): 4 service lines reviewed" in text
    assert "4% of them intended social enterprise" in text
    assert not any(isinstance(b, Table) for b in _sections(plymouth)["competition"].blocks)


def test_without_a_decision_file_the_body_says_what_is_missing(plymouth: DecisionFile) -> None:
    bare = plymouth.programme.model_copy(
        update={
            "finance": None,
            "workforce": None,
            "risks": None,
            "equality": None,
            "assurance": None,
            "market": None,
        }
    )
    sections = _sections(decision_view(bare))
    assert list(sections) == ["finance", "risks", "equality", "competition"]
    assert "records no costs by option" in _text(sections["finance"])
    assert "equality impact assessment" in _text(sections["equality"])
    assert "no register is kept" in _text(sections["risks"])
