"""Suggested scores for named efficiency criteria, derived from the model.

These are suggestions for a scoring panel, never scores in their own right: every one is
labelled as derived from the model. For each criterion the model output it follows is read for
every scenario compared; the best scenario gets the top of the scale, the worst the bottom,
and the rest fall in between in proportion to their value. The ends of each scenario's
confidence interval are put through the same line, to show how sure the suggestion is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from caseforchange.flow.model import Scoring
from caseforchange.flow.runner import RunResult

#: Outputs for which a higher value is better; for the rest lower is better.
HIGHER_IS_BETTER = frozenset({"within_18_weeks", "utilisation"})

#: Shown beside every suggested score.
PROVENANCE = "suggested score, derived from the model (not a panel's judgement)"


@dataclass(frozen=True)
class SuggestedScore:
    """One scenario's suggested score on one criterion."""

    criterion: str
    label: str
    scenario: str
    metric: str
    value: float
    score: float
    score_low: float
    score_high: float
    provenance: str = PROVENANCE


def suggest_scores(result: RunResult, scoring: Scoring) -> list[SuggestedScore]:
    """Return a suggested score per criterion and scenario (empty when no criteria are named)."""
    out: list[SuggestedScore] = []
    lo_s, hi_s = scoring.scale_min, scoring.scale_max
    for name, criterion in scoring.criteria.items():
        metric = criterion.metric
        values = [s.metrics[metric].mean for s in result.scenarios]
        finite = [v for v in values if not math.isnan(v)]
        if not finite:
            continue
        higher = metric in HIGHER_IS_BETTER
        best = max(finite) if higher else min(finite)
        worst = min(finite) if higher else max(finite)

        def place(x: float, best: float = best, worst: float = worst) -> float:
            if math.isnan(x):
                return math.nan
            if best == worst:
                return (lo_s + hi_s) / 2
            share = (x - worst) / (best - worst)
            return lo_s + (hi_s - lo_s) * min(1.0, max(0.0, share))

        for s in result.scenarios:
            iv = s.metrics[metric]
            ends = sorted((place(iv.low), place(iv.high)))
            out.append(
                SuggestedScore(
                    criterion=name,
                    label=criterion.label or name,
                    scenario=s.scenario,
                    metric=metric,
                    value=iv.mean,
                    score=place(iv.mean),
                    score_low=ends[0],
                    score_high=ends[1],
                )
            )
    return out
