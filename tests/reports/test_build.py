"""The Board paper's model: parts in order, figures traced to the appraisal, one rounding."""

from __future__ import annotations

import datetime as dt

from caseforchange.appraisal.result import AppraisalResult
from caseforchange.chartstyle import Chart
from caseforchange.domain.engagement import DatePrecision, Milestone
from caseforchange.io.folder import LoadedProgramme
from caseforchange.reports.appraisal_sections import Reversal, confidence_words
from caseforchange.reports.blocks import Bullets, Paragraph, Report, Table, chart_table
from caseforchange.reports.build import case_section
from caseforchange.reports.programme_sections import timetable

Built = tuple[LoadedProgramme, AppraisalResult, Report]


def _text(report: Report, key: str) -> str:
    return " ".join(b.text for b in report.section(key).blocks if isinstance(b, Paragraph))


def test_front_body_and_appendices_in_order(leicester: Built) -> None:
    _, _, report = leicester
    assert [s.key for s in report.part("front")] == ["ask"]
    assert [s.key for s in report.part("body")] == [
        "case",
        "options",
        "appraisal",
        "finance",
        "workforce",
        "risks",
        "equality",
        "assurance",
        "competition",
        "engagement",
        "timetable",
    ]
    assert [s.key for s in report.part("appendix")] == [
        "scores",
        "uncertainty",
        "decision-file",
        "decision-finance",
        "decision-workforce",
        "decision-risks",
        "decision-equality",
        "decision-assurance",
        "decision-competition",
        "decision-market",
        "decision-peers",
        "engagement-detail",
        "provenance",
    ]
    # The decision file's detail sits under one appendix heading.
    assert [s.level for s in report.part("appendix")].count(2) == 5


def test_paper_is_dated_by_its_meeting_not_today(leicester: Built) -> None:
    _loaded, _, report = leicester
    meta = dict(report.meta)
    assert meta["Meeting"] == "Children and Young People's Executive"
    # The Executive is asked to note and endorse, not to approve.
    assert meta["Paper for"] == "endorsement"
    # The source gives no date for the Executive's meeting, so the paper claims none.
    assert meta["Date of meeting"] == "not recorded"
    assert report.date == ""


def test_same_rounded_total_in_text_table_and_chart(leicester: Built) -> None:
    _, result, report = leicester
    top = result.ranking[0]
    shown = f"{result.totals[top]:.3f}"
    assert shown in _text(report, "ask")
    ranking = next(
        b
        for b in report.section("appraisal").blocks
        if isinstance(b, Table) and b.sheet == "Totals"
    )
    assert ranking.rows[0][2] == result.totals[top] and ranking.format_of(2) == "dec3"
    bars = next(
        b
        for b in report.section("appraisal").blocks
        if isinstance(b, Chart) and "stacked" in b.title
    )
    row = next(r for r in bars.rows if r[0] == ranking.rows[0][1])
    assert row[-1] == result.totals[top]
    assert f"{ranking.rows[0][1]} {shown}" in bars.alt
    assert f">{shown}<" in bars.svg  # the bar's label, as drawn


def test_stacked_bar_data_equal_the_appraisal_contributions(leicester: Built) -> None:
    _, result, report = leicester
    bars = next(
        b
        for b in report.section("appraisal").blocks
        if isinstance(b, Chart) and "stacked" in b.title
    )
    for row, option in zip(bars.rows, result.options, strict=True):
        expected = [result.contributions[option][c] for c in result.criteria]
        assert list(row[1:-1]) == expected
        assert abs(sum(expected) - result.totals[option]) < 1e-9


def test_every_chart_has_alt_text_and_data(leicester: Built) -> None:
    _, _, report = leicester
    figures = [b for s in report.sections for b in s.blocks if isinstance(b, Chart)]
    assert len(figures) >= 5
    assert all(f.alt and chart_table(f).rows for f in figures)


def test_scores_appendix_lists_every_score_by_name(leicester: Built) -> None:
    loaded, _, report = leicester
    (table,) = [b for b in report.section("scores").blocks if isinstance(b, Table)]
    p = loaded.programme
    assert len(table.rows) == len(p.scores)
    assert table.wide and table.columns[-1] == "rationale"
    option_names = {o.name for o in p.options}
    assert {r[1] for r in table.rows} <= option_names  # names, not codes
    assert not {r[1] for r in table.rows} & {o.id for o in p.options}


def test_provenance_has_hashes_seed_and_one_version(leicester: Built) -> None:
    loaded, _, report = leicester
    (table,) = [
        b
        for b in report.section("provenance").blocks
        if isinstance(b, Table) and b.sheet == "Provenance"
    ]
    provenance = {str(k): str(v) for k, v in table.rows}
    assert provenance["SHA-256 of programme.yaml"] == loaded.file_hashes["programme.yaml"]
    assert provenance["SMAA seed"] == "11"
    assert provenance["made by"].count("caseforchange") == 1


def test_the_panel_test_is_not_applied_to_the_services_budget(leicester: Built) -> None:
    # the services' budget is no merger's combined turnover: the competition section decides
    _, _, report = leicester
    assert "Co-operation and Competition Panel" not in _text(report, "finance")
    assert "Co-operation and Competition Panel" in _text(report, "competition")
    assert "Co-operation and Competition Panel" in _text(report, "decision-competition")


def test_confidence_words_and_reversal_size() -> None:
    assert confidence_words(0.95) == "very robust"
    assert confidence_words(0.6) == "contested"
    assert Reversal("c", 0.2, 0.45, "b").change == 0.25


def test_combined_heat_map_in_body_and_one_per_panel_in_appendix(leicester: Built) -> None:
    loaded, result, report = leicester
    (combined,) = [
        b
        for b in report.section("appraisal").blocks
        if isinstance(b, Chart) and "Combined" in b.title
    ]
    first = result.options[0]
    assert list(combined.rows[0][1:]) == [result.values[first][c] for c in result.criteria]
    panels = [
        b
        for b in report.section("uncertainty").blocks
        if isinstance(b, Chart) and b.title.startswith("Scores of the")
    ]
    assert len(panels) == len(loaded.programme.panels)


def test_no_empty_sensitivity_statement(leicester: Built) -> None:
    _, _, report = leicester
    alts = [b.alt for s in report.sections for b in s.blocks if isinstance(b, Chart)]
    assert not any("between 0.000 and 1.000" in a for a in alts)


def test_engagement_evidence_is_in_the_paper(leicester: Built) -> None:
    _, _, report = leicester
    tables = [b for b in report.section("engagement").blocks if isinstance(b, Table)]
    captions = [t.caption for t in tables]
    assert any("points raised, by category" in c for c in captions)
    assert any(c.startswith("You said, we did") for c in captions)


def test_equal_weights_are_called_equal_only_when_they_are(leicester: Built) -> None:
    from caseforchange.appraisal.run import appraise
    from caseforchange.examples import example_path
    from caseforchange.io.folder import load_programme
    from caseforchange.reports.appraisal_sections import weights_statement

    _, leicester_result, _ = leicester
    plymouth = load_programme(example_path("plymouth-2010")).programme
    result = appraise(plymouth, samples=100, seed=1)
    shares = [result.weights[c] for c in result.criteria]
    # Plymouth's method is "equal" within groups of different sizes: the shares differ.
    assert plymouth.framework.weighting.method.value == "equal" and max(shares) > min(shares)
    text = weights_statement(plymouth, result)
    assert "are not equal" in text and "same weight" not in text
    leicester_shares = [leicester_result.weights[c] for c in leicester_result.criteria]
    if max(leicester_shares) - min(leicester_shares) < 1e-12:
        assert "carries the same weight" in weights_statement(
            leicester[0].programme, leicester_result
        )


def test_the_case_names_who_decides_what_and_when(leicester: Built) -> None:
    loaded, _, _ = leicester
    p = loaded.programme.model_copy(
        update={
            "decision": "to decide on the Integrated Business Plans",
            "decision_body": "the NHS Plymouth Board",
            "decision_date": dt.date(2010, 10, 1),
            "decision_date_precision": DatePrecision.MONTH,
        }
    )
    paragraph = case_section(p).blocks[0]
    assert isinstance(paragraph, Paragraph)
    assert paragraph.text.startswith(
        "This paper asks the NHS Plymouth Board to decide on the Integrated Business Plans "
        "in October 2010, on the evidence"
    )
    plain = loaded.programme.model_copy(
        update={"decision": None, "decision_body": None, "decision_date": dt.date(2011, 3, 31)}
    )
    paragraph = case_section(plain).blocks[0]
    assert isinstance(paragraph, Paragraph)
    assert "asks the Board to decide who should provide the services" in paragraph.text
    assert "by 31 March 2011" in paragraph.text


def test_the_timetable_counts_achieved_milestones_as_done(leicester: Built) -> None:
    loaded, _, _ = leicester
    milestones = [
        Milestone(id="done", name="Shortlist agreed", achieved=True),
        Milestone(id="todo", name="Consultation opens", date=dt.date(2010, 10, 11)),
        Milestone(id="month", name="Board", date=dt.date(2010, 12, 1), date_precision="month"),
    ]
    p = loaded.programme.model_copy(
        update={"milestones": milestones, "decision_date": dt.date(2010, 9, 1)}
    )
    p = p.model_copy(update={"board": p.board.model_copy(update={"date": None})})
    done, todo = [b for b in timetable(p).blocks if isinstance(b, Table)]
    assert [r[1] for r in done.rows] == ["Shortlist agreed"]
    assert todo.rows == [["11 October 2010", "Consultation opens"], ["December 2010", "Board"]]


def test_without_a_meeting_date_only_achieved_milestones_are_done(leicester: Built) -> None:
    loaded, _, _ = leicester
    milestones = [
        Milestone(id="done", name="Shortlist agreed", achieved=True),
        Milestone(id="todo", name="Consultation opens", date=dt.date(2010, 10, 11)),
    ]
    p = loaded.programme.model_copy(update={"milestones": milestones, "decision_date": None})
    p = p.model_copy(update={"board": p.board.model_copy(update={"date": None})})
    done, rest = [b for b in timetable(p).blocks if isinstance(b, Table)]
    assert done.rows == [["date not given", "Shortlist agreed"]]
    assert rest.rows == [["11 October 2010", "Consultation opens"]]
    assert rest.sheet == "Milestones"


def test_old_risk_finance_and_equality_say_each_thing_once(leicester: Built) -> None:
    loaded, result, report = leicester
    keys = [s.key for s in report.sections]
    assert keys.count("risks") == keys.count("finance") == keys.count("equality") == 1
    # The services' budget is the services table's total row, not a second paragraph.
    budget = f"£{sum(s.budget_gbp or 0 for s in loaded.programme.services):,.0f}"
    assert budget not in _text(report, "finance")
    # The illustrative scores are said on the front sheet, not again under risks.
    risks = report.section("risks")
    items = [i for b in risks.blocks if isinstance(b, Bullets) for i in b.items]
    assert not any("scores are illustrative" in i for i in items)
    # What only the appraisal sees stays: the leading option's broken rules, form uncertainty.
    top = result.ranking[0]
    name = next(o.name for o in loaded.programme.options if o.id == top)
    assert any(
        i.startswith(f"{name} breaks 4 service dependency rules (2 of them hard") for i in items
    )
    assert any(
        i.startswith("Organisational form (Services divided between providers)") for i in items
    )
