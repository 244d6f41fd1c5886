"""A questionnaire's responses, analysed: who responded, and each closed question's result.

The consultation report and the web app's responses page show the same analysis, so both ask
this module for it rather than each assembling the statistics.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from caseforchange.domain.consultation import Questionnaire, QuestionType
from caseforchange.domain.programme import Programme
from caseforchange.engagement.statistics import QuestionResult, analyse_tally, tally_rows

#: The group a respondent who gave none is counted under.
NO_GROUP = "(no group)"


def organisation_of(programme: Programme) -> dict[str, str]:
    """Return stakeholder group id -> its organisation's id, for groups that belong to one."""
    return {g.id: g.organisation for g in programme.stakeholders if g.organisation}


def respondents_by_group(rows: Iterable[Mapping[str, str]]) -> dict[str, int]:
    """Return how many respondents each group has, in order of first appearance."""
    counts: dict[str, int] = {}
    for row in rows:
        group = row.get("group") or NO_GROUP
        counts[group] = counts.get(group, 0) + 1
    return counts


def closed_question_results(
    programme: Programme, questionnaire: Questionnaire, rows: list[dict[str, str]]
) -> list[QuestionResult]:
    """Return the result of every question with answer options, in the questionnaire's order.

    Single and multi-select questions alike: shares with Wilson intervals and the cross-tabs by
    group.
    """
    closed = [
        (q.id, q.text, q.options, q.type is QuestionType.MULTI_SELECT)
        for q in questionnaire.questions
        if q.options
    ]
    tally = tally_rows(rows, {qid: multi for qid, _, _, multi in closed})
    return analyse_tally(tally, closed, organisation_of(programme))
