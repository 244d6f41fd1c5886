"""Risk ratings lie on 1-5 and residual ratings come in pairs."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from caseforchange.domain.risks import Risk

BASE = {"id": "r", "title": "t", "category": "finance", "likelihood": 3, "impact": 3, "owner": "o"}


def test_ratings_and_residual_pairs() -> None:
    with pytest.raises(ValidationError):
        Risk.model_validate({**BASE, "impact": 6})
    with pytest.raises(ValidationError, match="both residual"):
        Risk.model_validate({**BASE, "residual_likelihood": 2})
    assert Risk.model_validate({**BASE, "residual_likelihood": 2, "residual_impact": 1})
