"""The report model: every section the issue asks for, with figures traced to the appraisal."""

from __future__ import annotations

import datetime as dt

from caseforchange.appraisal.result import AppraisalResult
from caseforchange.domain.engagement import DatePrecision, Milestone
from caseforchange.io.folder import LoadedProgramme
from caseforchange.reports.appraisal_sections import Reversal, confidence_words
from caseforchange.reports.blocks import Bullets, Figure, Paragraph, Report, Table
from caseforchange.reports.build import next_steps, purpose

Built = tuple[LoadedProgramme, AppraisalResult, Report]


def _text(report: Report, key: str) -> str:
    return " ".join(b.text for b in report.section(key).blocks if isinstance(b, Paragraph))


def test_sections_in_order(leicester: Built) -> None:
    _, _, report = leicester
    assert [s.key for s in report.sections] == [
        "purpose",
        "summary",
        "case",
        "options",
        "criteria",
        "scores",
        "results",
        "uncertainty",
        "engagement",
        "risks",
        "finance",
        "decision-finance",
        "decision-workforce",
        "decision-risks",
        "decision-equality",
        "decision-assurance",
        "decision-competition",
        "decision-market",
        "decision-peers",
        "next",
        "appendix",
    ]


def test_summary_recommends_the_top_option_with_its_total(leicester: Built) -> None:
    loaded, result, report = leicester
    top = result.ranking[0]
    name = next(o.name for o in loaded.programme.options if o.id == top)
    text = _text(report, "summary")
    assert f"Recommendation: {name}." in text
    assert f"{result.totals[top]:.3f}" in text
    share = result.smaa.rank_acceptability[result.smaa.options.index(top), 0]
    assert f"comes first in {100 * share:.1f}%" in text
    assert "Seed 11" in text


def test_illustrative_label_everywhere_it_is_shown(leicester: Built) -> None:
    _, _, report = leicester
    assert report.illustrative_note
    first = report.section("summary").blocks[0]
    assert isinstance(first, Paragraph) and first.emphasis and "illustrative" in first.text


def test_stacked_bar_data_equal_the_appraisal_contributions(leicester: Built) -> None:
    _, result, report = leicester
    (bars,) = [b for b in report.section("results").blocks if isinstance(b, Figure)]
    for row, option in zip(bars.data.rows, result.options, strict=True):
        expected = [result.contributions[option][c] for c in result.criteria]
        assert row[1:-1] == expected
        assert row[-1] == sum(expected)


def test_every_figure_has_alt_text_and_data(leicester: Built) -> None:
    _, _, report = leicester
    figures = [b for s in report.sections for b in s.blocks if isinstance(b, Figure)]
    assert len(figures) >= 5
    assert all(f.alt and f.data.rows for f in figures)


def test_appendix_lists_every_score_and_the_file_hashes(leicester: Built) -> None:
    loaded, _, report = leicester
    tables = {b.caption: b for b in report.section("appendix").blocks if isinstance(b, Table)}
    assert len(tables["Every score as entered"].rows) == len(loaded.programme.scores)
    provenance = dict(tables["Provenance"].rows)  # type: ignore[arg-type]
    assert provenance["SHA-256 of programme.yaml"] == loaded.file_hashes["programme.yaml"]
    assert provenance["SMAA seed"] == "11"


def test_the_panel_test_is_not_applied_to_the_services_budget(leicester: Built) -> None:
    # the services' budget is no merger's combined turnover: the competition section decides
    _, _, report = leicester
    assert "Co-operation and Competition Panel" not in _text(report, "finance")
    assert "Co-operation and Competition Panel" in _text(report, "decision-competition")


def test_confidence_words_and_reversal_size() -> None:
    assert confidence_words(0.95) == "very robust"
    assert confidence_words(0.6) == "contested"
    assert Reversal("c", 0.2, 0.45, "b").change == 0.25


def test_one_heat_map_combined_and_one_per_panel(leicester: Built) -> None:
    loaded, result, report = leicester
    maps = [b for b in report.section("scores").blocks if isinstance(b, Figure)]
    assert len(maps) == 1 + len(loaded.programme.panels)
    combined = maps[0]
    first = result.options[0]
    assert combined.data.rows[0][1:] == [result.values[first][c] for c in result.criteria]


def test_purpose_names_who_decides_what_and_when(leicester: Built) -> None:
    loaded, _, _ = leicester
    p = loaded.programme.model_copy(
        update={
            "decision": "to decide on the Integrated Business Plans",
            "decision_body": "the NHS Plymouth Board",
            "decision_date": dt.date(2010, 10, 1),
            "decision_date_precision": DatePrecision.MONTH,
        }
    )
    [paragraph] = purpose(p).blocks
    assert isinstance(paragraph, Paragraph)
    assert paragraph.text.startswith(
        "This paper asks the NHS Plymouth Board to decide on the Integrated Business Plans "
        "in October 2010, on the evidence"
    )
    plain = loaded.programme.model_copy(
        update={"decision": None, "decision_body": None, "decision_date": dt.date(2011, 3, 31)}
    )
    [paragraph] = purpose(plain).blocks
    assert isinstance(paragraph, Paragraph)
    assert "asks the Board to decide who should provide the services" in paragraph.text
    assert "by 31 March 2011" in paragraph.text


def test_next_steps_leave_out_achieved_milestones(leicester: Built) -> None:
    loaded, _, _ = leicester
    milestones = [
        Milestone(id="done", name="Shortlist agreed", achieved=True),
        Milestone(id="todo", name="Consultation opens", date=dt.date(2010, 10, 11)),
        Milestone(id="month", name="Board", date=dt.date(2010, 12, 1), date_precision="month"),
    ]
    p = loaded.programme.model_copy(update={"milestones": milestones, "decision_date": None})
    [bullets] = next_steps(p).blocks
    assert isinstance(bullets, Bullets)
    assert bullets.items == ["11 October 2010: Consultation opens", "December 2010: Board"]
