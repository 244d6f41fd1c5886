"""What the engagement pages show, computed by the engine from the stored data.

Statistics come from :mod:`caseforchange.engagement.statistics` (Wilson intervals, cross-tabs,
chi-square) and charts from :mod:`caseforchange.engagement.charts`, exactly as in the
consultation report; this module only arranges them for the templates.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from caseforchange.domain.consultation import Questionnaire, QuestionType
from caseforchange.domain.programme import Programme
from caseforchange.engagement.charts import (
    Chart,
    stakeholder_map_chart,
    timeline_chart,
    views_by_group_chart,
)
from caseforchange.engagement.plan import PlanWarning, check_plan
from caseforchange.engagement.stakeholders import stakeholder_map
from caseforchange.engagement.statistics import QuestionResult, analyse_tally, tally_rows
from caseforchange.web.consultation.models import ResponseSet
from caseforchange.web.consultation.repository import EngagementState, response_rows

#: Free-text answers listed on the page per question; the report lists them all.
OPEN_LISTED = 50


@dataclass(frozen=True)
class ChartImage:
    """A chart ready for an ``<img>``: the strict CSP forbids the inline styles of an SVG."""

    title: str
    alt: str
    src: str
    columns: list[str]
    rows: list[list[str]]


def chart_image(chart: Chart) -> ChartImage:
    """Return the chart as a ``data:`` URI with its text alternative and data table."""
    data = base64.b64encode(chart.svg.encode("utf-8")).decode("ascii")
    return ChartImage(
        chart.title, chart.alt, f"data:image/svg+xml;base64,{data}", chart.columns, chart.rows
    )


@dataclass
class Overview:
    """The plan at a glance: warnings from the checks, and the two charts."""

    warnings: list[PlanWarning]
    timeline: ChartImage | None
    stakeholder_map: ChartImage | None
    unrated: list[str]


def overview(programme: Programme, state: EngagementState) -> Overview:
    """Return the plan checks and charts for a programme and its engagement settings."""
    warnings = check_plan(programme, state.engagement.settings)
    timeline = None
    if any(a.date for a in programme.activities):
        timeline = chart_image(timeline_chart(programme))
    mapped, unrated = stakeholder_map(programme.stakeholders)
    chart = chart_image(stakeholder_map_chart(mapped)) if mapped else None
    return Overview(warnings, timeline, chart, [g.name for g in unrated])


@dataclass
class QuestionView:
    """One closed, multi-select or demographic question: the engine's result and its chart."""

    result: QuestionResult
    chart: ChartImage | None


@dataclass
class QuestionnaireView:
    """A questionnaire's imported responses, analysed."""

    questionnaire: Questionnaire
    responses: ResponseSet
    respondents: int
    by_group: list[tuple[str, int]]
    questions: list[QuestionView] = field(default_factory=list)
    open_answers: list[tuple[str, int, list[tuple[str, str]]]] = field(default_factory=list)


def group_names(programme: Programme) -> dict[str, str]:
    """Return stakeholder group and organisation ids -> names, for labelling results."""
    names = {o.id: o.short_name or o.name for o in programme.organisations}
    names.update({g.id: g.name for g in programme.stakeholders})
    return names


def analyse(
    programme: Programme, questionnaire: Questionnaire, responses: ResponseSet
) -> QuestionnaireView:
    """Return the analysis of one questionnaire's stored responses, as the report gives it."""
    rows = response_rows(responses)
    names = group_names(programme)
    counts: dict[str, int] = {}
    for row in rows:
        group = row.get("group") or "(no group)"
        counts[group] = counts.get(group, 0) + 1
    by_group = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    closed = [
        (q.id, q.text, q.options, q.type is QuestionType.MULTI_SELECT)
        for q in questionnaire.questions
        if q.options
    ]
    organisation_of = {g.id: g.organisation for g in programme.stakeholders if g.organisation}
    tally = tally_rows(rows, {qid: multi for qid, _, _, multi in closed})
    view = QuestionnaireView(questionnaire, responses, len(rows), by_group)
    for result in analyse_tally(tally, closed, organisation_of):
        # As in the report: a stacked bar only for single-choice questions (shares add to 100%).
        chart = None
        if result.by_group.groups and not result.multi:
            chart = chart_image(views_by_group_chart(result, names))
        view.questions.append(QuestionView(result, chart))
    for question in questionnaire.questions:
        if question.type is QuestionType.OPEN:
            given = [
                (row["respondent"], text)
                for row in rows
                if (text := (row.get(question.id) or "").strip())
            ]
            view.open_answers.append((question.text, len(given), given[:OPEN_LISTED]))
    return view
