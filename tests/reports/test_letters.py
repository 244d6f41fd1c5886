"""Update letters carry what a recipient needs, in the one report model."""

from __future__ import annotations

from caseforchange.engagement.letters import letter_contexts
from caseforchange.examples import example_path
from caseforchange.io.folder import load_programme
from caseforchange.reports.blocks import Bullets, Paragraph, Report
from caseforchange.reports.letters import letter_report


def _letters() -> dict[str, Report]:
    programme = load_programme(example_path("shropshire-telford-2010")).programme
    return {c.group.id: letter_report(c) for c in letter_contexts(programme, "consultation-launch")}


def _text(report: Report, title: str) -> str:
    section = next(s for s in report.sections if s.title == title)
    parts = []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            parts.append(block.text)
        elif isinstance(block, Bullets):
            parts += block.items
    return " | ".join(parts)


def test_a_stakeholder_letter_says_what_how_by_when_where_and_who() -> None:
    letter = _letters()["links"]
    assert letter.kind == "letter"
    assert "new organisation by April 2011" in _text(letter, "What is proposed, and why")
    assert "Please send us your views by 17 December 2010." in _text(
        letter, "How and by when to respond"
    )
    drop_ins = _text(letter, "Come and talk to us")
    for town in ("Telford", "Shrewsbury", "Whitchurch", "Ludlow"):
        assert f"date to be confirmed, {town}" in drop_ins
    assert "please contact the programme team at NHS Telford and Wrekin" in _text(letter, "Contact")


def test_the_scrutiny_committee_letter_gives_next_steps() -> None:
    letter = _letters()["joint-hosc"]
    steps = _text(letter, "Next steps")
    assert "17 December 2010: Written consultation closes" in steps
    assert "End of 2010: Analysis and evaluation paper to the joint HOSC" in steps
    assert "Next steps" not in [s.title for s in _letters()["links"].sections]
