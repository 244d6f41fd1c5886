"""Risk scores (likelihood x impact), the 5x5 matrix, grades and the top risks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from caseforchange.domain.risks import Risk


def grade(score: int) -> str:
    """Return the grade of a 1-25 score on the NPSA 5x5 matrix bands.

    1-3 low, 4-6 moderate, 8-12 high, 15-25 extreme (no product of two 1-5 ratings is 7, 13
    or 14). Raises ValueError for a score outside 1..25.
    """
    if not 1 <= score <= 25:
        raise ValueError(f"a risk score lies in 1..25, not {score}")
    if score <= 3:
        return "low"
    if score <= 6:
        return "moderate"
    if score <= 12:
        return "high"
    return "extreme"


@dataclass(frozen=True)
class ScoredRisk:
    """A risk with its score before and after mitigation (residual None when not assessed)."""

    risk: Risk
    score: int
    residual: int | None

    @property
    def grade(self) -> str:
        """Return the grade of the score before mitigation."""
        return grade(self.score)

    @property
    def residual_grade(self) -> str | None:
        """Return the grade after mitigation, or None when not assessed."""
        return None if self.residual is None else grade(self.residual)

    @property
    def current(self) -> int:
        """Return the residual score where assessed, otherwise the score before mitigation."""
        return self.score if self.residual is None else self.residual


def score(risk: Risk) -> ScoredRisk:
    """Return ``risk`` with likelihood x impact before and after mitigation."""
    residual = None
    if risk.residual_likelihood is not None and risk.residual_impact is not None:
        residual = risk.residual_likelihood * risk.residual_impact
    return ScoredRisk(risk, risk.likelihood * risk.impact, residual)


def matrix(risks: Sequence[Risk], *, residual: bool = False) -> list[list[int]]:
    """Return the 5x5 counts: ``m[impact - 1][likelihood - 1]`` risks in each cell.

    With ``residual``, risks are placed by their residual ratings (those without are left out).
    """
    m = [[0] * 5 for _ in range(5)]
    for r in risks:
        if residual:
            if r.residual_likelihood is None or r.residual_impact is None:
                continue
            m[r.residual_impact - 1][r.residual_likelihood - 1] += 1
        else:
            m[r.impact - 1][r.likelihood - 1] += 1
    return m


def top_risks(risks: Sequence[Risk], n: int = 5) -> list[ScoredRisk]:
    """Return the ``n`` highest risks: by current score, then score before mitigation, then id."""
    scored = [score(r) for r in risks]
    return sorted(scored, key=lambda s: (-s.current, -s.score, s.risk.id))[:n]


def for_option(risks: Sequence[Risk], option: str | None) -> list[Risk]:
    """Return the risks of one option (``None``: the programme-wide risks)."""
    return [r for r in risks if r.option == option]


def grade_counts(risks: Sequence[Risk]) -> dict[str, int]:
    """Return how many risks fall in each grade before mitigation (every grade present)."""
    counts = dict.fromkeys(("low", "moderate", "high", "extreme"), 0)
    for r in risks:
        counts[grade(r.likelihood * r.impact)] += 1
    return counts
