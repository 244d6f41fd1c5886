"""The workbook layout: it matches the domain model, and the docs describe it as it is."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

from pydantic import BaseModel

from caseforchange.domain.assurance import Evidence
from caseforchange.domain.criteria import Criterion, Scale, ScalePoint
from caseforchange.domain.engagement import Activity, Milestone, StakeholderGroup
from caseforchange.domain.equality import EqualityFinding
from caseforchange.domain.finance import CostAssumption, FinanceLine
from caseforchange.domain.market import MarketReview, Referral, Turnover
from caseforchange.domain.options import Option
from caseforchange.domain.organisations import Organisation
from caseforchange.domain.panels import Member, Panel, Score
from caseforchange.domain.programme import Programme
from caseforchange.domain.risks import Risk
from caseforchange.domain.services import DependencyRule, Service
from caseforchange.domain.workforce import StaffMove
from caseforchange.io.workbook_layout import PROGRAMME_FIELDS, SHEETS, layout_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs" / "workbook.md"

# Fields that live on another sheet rather than in a column of their record's sheet.
ELSEWHERE = {"configuration", "children", "value_function", "points", "members", "evidence"}
MODELS: dict[str, type[BaseModel]] = {
    "Organisations": Organisation,
    "Services": Service,
    "Dependencies": DependencyRule,
    "Options": Option,
    "Criteria": Criterion,
    "Scales": Scale,
    "ScalePoints": ScalePoint,
    "Panels": Panel,
    "Members": Member,
    "Scores": Score,
    "Stakeholders": StakeholderGroup,
    "Activities": Activity,
    "Milestones": Milestone,
    "CostAssumptions": CostAssumption,
    "FinanceLines": FinanceLine,
    "StaffMoves": StaffMove,
    "Risks": Risk,
    "Equality": EqualityFinding,
    "AssuranceEvidence": Evidence,
    "MarketReview": MarketReview,
    "Turnovers": Turnover,
    "Referrals": Referral,
}


def test_every_model_field_has_a_column() -> None:
    sheets = {sheet.name: sheet for sheet in SHEETS}
    for name, model in MODELS.items():
        columns = {c.name for c in sheets[name].columns}
        fields = set(model.model_fields) - ELSEWHERE
        if name == "Criteria":
            fields |= {"value_function_unit", "value_function_points"}
        assert fields <= columns, f"{name} lacks columns for {fields - columns}"


def test_every_programme_field_is_reachable() -> None:
    for column in PROGRAMME_FIELDS:
        model: type[BaseModel] | None = Programme
        for part in column.name.split("."):
            assert model is not None and part in model.model_fields, column.name
            annotation = model.model_fields[part].annotation
            # An optional part (``Finance | None``) is reached through its model.
            found = [annotation, *get_args(annotation)]
            model = next(
                (a for a in found if isinstance(a, type) and issubclass(a, BaseModel)), None
            )


def test_docs_describe_the_layout() -> None:
    assert layout_markdown() in DOCS.read_text(encoding="utf-8"), (
        "docs/workbook.md is out of date: paste layout_markdown() into it"
    )
