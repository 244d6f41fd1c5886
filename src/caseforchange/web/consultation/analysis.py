"""What the engagement pages show, computed by the engine from the stored data.

Statistics come from :mod:`caseforchange.engagement.statistics` (Wilson intervals, cross-tabs,
chi-square) and charts from :mod:`caseforchange.engagement.charts`, exactly as in the
consultation report; this module only arranges them for the templates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from caseforchange.domain.consultation import Questionnaire, QuestionType
from caseforchange.domain.programme import Programme
from caseforchange.engagement.charts import (
    stakeholder_map_chart,
    timeline_chart,
    views_by_group_chart,
)
from caseforchange.engagement.plan import PlanWarning, check_plan
from caseforchange.engagement.questionnaires import closed_question_results, respondents_by_group
from caseforchange.engagement.stakeholders import stakeholder_map
from caseforchange.engagement.statistics import QuestionResult
from caseforchange.web.charts import ChartImage, chart_image
from caseforchange.web.consultation.models import ResponseSet
from caseforchange.web.consultation.repository import EngagementState, response_rows

#: Free-text answers listed on the page per question; the report lists them all.
OPEN_LISTED = 50


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
    counts = respondents_by_group(rows)
    by_group = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    view = QuestionnaireView(questionnaire, responses, len(rows), by_group)
    for result in closed_question_results(programme, questionnaire, rows):
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
