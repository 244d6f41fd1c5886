"""A questionnaire's responses: who responded, and each closed question's result."""

from __future__ import annotations

import pytest

from caseforchange.domain.consultation import Questionnaire
from caseforchange.engagement.questionnaires import (
    NO_GROUP,
    closed_question_results,
    organisation_of,
    respondents_by_group,
)
from caseforchange.examples import example_path
from caseforchange.io.folder import load_programme

QUESTIONNAIRE = Questionnaire.model_validate(
    {
        "id": "q",
        "title": "Test",
        "questions": [
            {"id": "support", "text": "Support?", "type": "closed", "options": ["Yes", "No"]},
            {"id": "why", "text": "Why?", "type": "open"},
        ],
    }
)
ROWS = [
    {"respondent": "r1", "group": "public", "support": "Yes", "why": "x"},
    {"respondent": "r2", "group": "public", "support": "Yes", "why": ""},
    {"respondent": "r3", "group": "", "support": "No", "why": ""},
]


def test_respondents_are_counted_by_group_in_order_of_appearance() -> None:
    assert respondents_by_group(ROWS) == {"public": 2, NO_GROUP: 1}


def test_only_questions_with_options_are_analysed() -> None:
    programme = load_programme(example_path("shropshire-telford-2010")).programme
    (result,) = closed_question_results(programme, QUESTIONNAIRE, ROWS)
    assert result.question_id == "support" and result.respondents == 3
    shares = {s.answer: s for s in result.overall}
    # 2 of 3 said yes: Wilson 95% interval (z = 1.96) is 0.2077 to 0.9385 by hand.
    assert shares["Yes"].count == 2 and shares["Yes"].fraction == pytest.approx(2 / 3)
    assert (shares["Yes"].low, shares["Yes"].high) == pytest.approx((0.2077, 0.9385), abs=1e-4)
    assert shares["No"].count == 1


def test_organisation_of_lists_only_groups_that_belong_to_one() -> None:
    programme = load_programme(example_path("shropshire-telford-2010")).programme
    found = organisation_of(programme)
    # From the example's stakeholders: 11 of its 18 groups name an organisation.
    assert len(found) == 11
    assert (
        found["staff-telford"] == "tw-provider" and found["tw-scrutiny"] == "telford-wrekin-council"
    )
    assert "public" not in found
