"""The front sheet: what the Board is asked, the recommendation's reasons, what it must know."""

from __future__ import annotations

from caseforchange.appraisal.result import AppraisalResult
from caseforchange.appraisal.run import appraise
from caseforchange.configuration.rules import check_all
from caseforchange.examples import example_path
from caseforchange.io.folder import LoadedProgramme, load_programme
from caseforchange.reports.blocks import Bullets, Paragraph, Report
from caseforchange.reports.build import build_report
from caseforchange.reports.case import engagement_of
from caseforchange.reports.front_sheet import reasons

Built = tuple[LoadedProgramme, AppraisalResult, Report]


def _ask(report: Report) -> tuple[list[Bullets], str]:
    blocks = report.section("ask").blocks
    bullets = [b for b in blocks if isinstance(b, Bullets)]
    text = " ".join(b.text for b in blocks if isinstance(b, Paragraph))
    return bullets, text


def test_the_board_is_asked_to_resolve_what_the_programme_records(leicester: Built) -> None:
    _loaded, _, report = leicester
    bullets, _ = _ask(report)
    asked = next(b for b in bullets if b.lead == "The Board is asked to:")
    assert asked.items == [
        "Note the outputs of the children's stakeholder event of 12 May 2010",
        "Endorse the use of the event's material to support definitive plans for children's "
        "community services",
    ]


def test_reasons_are_the_contributions_that_make_the_gap(leicester: Built) -> None:
    _, result, report = leicester
    found = reasons(result)
    assert found is not None
    first, second = result.ranking[:2]
    # The differences of the contributions sum to the gap between the totals.
    diffs = {
        c: result.contributions[first][c] - result.contributions[second][c] for c in result.criteria
    }
    assert abs(sum(diffs.values()) - found.gap) < 1e-9
    named = sum(d for _, d in found.for_first)
    assert named > found.gap or len(found.for_first) == 3
    assert found.for_first[0][1] == max(diffs.values())
    _, text = _ask(report)
    assert "Recommendation:" in text and "It wins on" in text
    assert "How sure is this?" in text


def test_broken_hard_rules_are_stated_up_front(leicester: Built) -> None:
    loaded, result, report = leicester
    top = result.ranking[0]
    breaches = [b for b in check_all(loaded.programme).get(top, []) if b.hard]
    bullets, _ = _ask(report)
    flags = next((b for b in bullets if b.lead.startswith("Before deciding")), None)
    if breaches:
        assert flags is not None
        assert sum("breaks a hard rule" in item for item in flags.items) == len(breaches)
    else:
        assert flags is None


def test_the_decision_file_follows_the_appraisal_and_flags_failed_assurance() -> None:
    # Source 000: the written consultation ran 11 October to 17 December 2010, under the
    # 12 weeks the Gunning/Cabinet Office practice expects, so the assurance item is not met.
    loaded = load_programme(example_path("shropshire-telford-2010"))
    result = appraise(loaded.programme, samples=500, seed=3, file_hashes=loaded.file_hashes)
    report = build_report(loaded, result, engaged=engagement_of(loaded))
    keys = [s.key for s in report.part("body")]
    assert keys.index("assurance") > keys.index("appraisal")
    assert "decision-assurance" in [s.key for s in report.part("appendix")]
    bullets, _ = _ask(report)
    flags = next(b for b in bullets if b.lead.startswith("Before deciding"))
    assert any(item.startswith("Assurance not met") and "9.7 weeks" in item for item in flags.items)
