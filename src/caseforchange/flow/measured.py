"""Measured scores for an appraisal criterion: each option's figure from its flow scenario.

An option names a flow scenario (``finance.options[].flow_scenario``); a measured criterion's
value function names a unit. A run result's figure for that scenario (a mean with its 95%
interval over replications) becomes the option's score, converted into the criterion's unit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from caseforchange.flow.runner import RunResult

#: Measures that can score a criterion: the unit they are in, and words a unit must contain.
MEASURES: dict[str, tuple[str, tuple[str, ...]]] = {
    "cost_per_year": ("£ a year", ("£", "pound", "gbp")),
    "cost_per_referral": ("£ per referral", ("£", "pound", "gbp")),
    "wait_mean": ("days", ("day",)),
    "wait_median": ("days", ("day",)),
    "wait_p92": ("days", ("day",)),
    "within_18_weeks": ("share 0-1, or % with a % unit", ("%", "percent", "share", "proportion")),
    "utilisation": ("share 0-1, or % with a % unit", ("%", "percent", "share", "proportion")),
    "handoffs_per_patient": ("hand-offs per patient", ("hand-off", "handoff")),
    "admissions_per_1000": ("admissions per 1000 referrals", ("admission",)),
}

#: Measures the simulation reports as shares (0 to 1).
SHARE_MEASURES = frozenset({"within_18_weeks", "utilisation"})


@dataclass(frozen=True)
class MeasuredScore:
    """One option's measured figure on a criterion: the mean and its 95% interval.

    Figures are in the criterion's unit (a share becomes a percentage for a % unit).
    """

    option: str
    scenario: str
    measure: str
    mean: float
    low: float
    high: float


def unit_factor(measure: str, unit: str) -> float | None:
    """Return what to multiply ``measure`` by to put it in ``unit``, None when they differ.

    A money measure needs a unit naming £ (or pounds, GBP), a wait one naming days; a share
    is kept as a share, or multiplied by 100 when the unit is a percentage.

    Raises:
        KeyError: when ``measure`` is not one of :data:`MEASURES`.
    """
    words = MEASURES[measure][1]
    text = unit.casefold()
    if not any(w in text for w in words):
        return None
    if measure in SHARE_MEASURES and ("%" in text or "percent" in text):
        return 100.0
    return 1.0


def measured_scores(
    result: RunResult, links: Mapping[str, str], measure: str, factor: float = 1.0
) -> list[MeasuredScore]:
    """Return each linked option's figure for ``measure`` from its scenario in ``result``.

    ``links`` maps an option to its flow scenario, in the order the scores are wanted;
    options whose scenario is not in the run, or has no such figure (or a missing one, NaN),
    are left out. Each
    figure is multiplied by ``factor`` (see :func:`unit_factor`).
    """
    by_scenario = {s.scenario: s for s in result.scenarios}
    out: list[MeasuredScore] = []
    for option, scenario in links.items():
        summary = by_scenario.get(scenario)
        if summary is None or measure not in summary.metrics:
            continue
        iv = summary.metrics[measure]
        if math.isnan(iv.mean):
            continue
        out.append(
            MeasuredScore(
                option, scenario, measure, iv.mean * factor, iv.low * factor, iv.high * factor
            )
        )
    return out
