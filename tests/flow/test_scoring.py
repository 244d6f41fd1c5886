"""Suggested scores: best scenario at the top of the scale, labelled as derived from the model."""

from __future__ import annotations

from caseforchange.flow.model import FlowModel, Scoring
from caseforchange.flow.runner import run_model
from caseforchange.flow.scoring import PROVENANCE, suggest_scores

from .helpers import mmc_model


def test_scores_rank_scenarios_and_carry_provenance() -> None:
    base = mmc_model(9.0, 1.0, 10, horizon_days=300, warmup_days=20, replications=3)
    model = FlowModel.model_validate(
        {
            **base.model_dump(),
            "scenarios": [{"id": "now"}, {"id": "more", "team_changes": {"t": {"staff_add": 3}}}],
        }
    )
    scoring = Scoring.model_validate(
        {"scale_min": 1, "scale_max": 5, "criteria": {"speed": {"metric": "wait_mean"}}}
    )
    scores = {s.scenario: s for s in suggest_scores(run_model(model), scoring)}
    assert scores["more"].score == 5
    assert scores["now"].score == 1
    assert scores["now"].provenance == PROVENANCE
    assert "derived from the model" in PROVENANCE
