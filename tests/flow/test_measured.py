"""Measured scores from a run result: each linked option's figure, in the criterion's unit."""

from __future__ import annotations

import math

import pytest

from caseforchange.flow.measured import MeasuredScore, measured_scores, unit_factor
from caseforchange.flow.runner import RunResult, ScenarioSummary
from caseforchange.flow.statistics import Interval


def _summary(scenario: str, metrics: dict[str, Interval]) -> ScenarioSummary:
    return ScenarioSummary(scenario, scenario, metrics, {}, {}, [])


def _result(*summaries: ScenarioSummary) -> RunResult:
    return RunResult(3, 5, 100.0, 10.0, "fixed", 10, True, None, list(summaries))


@pytest.mark.parametrize(
    ("measure", "unit", "factor"),
    [
        ("cost_per_year", "£ a year", 1.0),
        ("cost_per_year", "GBP", 1.0),
        ("cost_per_referral", "pounds per referral", 1.0),
        ("cost_per_year", "days", None),
        ("wait_mean", "Days to first contact", 1.0),
        ("wait_p92", "£", None),
        ("within_18_weeks", "% within 18 weeks", 100.0),
        ("within_18_weeks", "share seen in 18 weeks", 1.0),
        ("utilisation", "days", None),
        ("handoffs_per_patient", "hand-offs per patient", 1.0),
        ("admissions_per_1000", "admissions per 1000", 1.0),
    ],
)
def test_unit_factor(measure: str, unit: str, factor: float | None) -> None:
    assert unit_factor(measure, unit) == factor


def test_each_linked_option_gets_its_scenarios_figure_times_the_factor() -> None:
    result = _result(
        _summary("now", {"within_18_weeks": Interval(0.8, 0.75, 0.85, 5)}),
        _summary("more", {"within_18_weeks": Interval(0.9, 0.88, 0.92, 5)}),
        _summary("empty", {"within_18_weeks": Interval(math.nan, math.nan, math.nan, 5)}),
    )
    links = {"b": "more", "a": "now", "c": "gone", "d": "empty", "e": "now"}
    got = measured_scores(result, links, "within_18_weeks", 100.0)
    # "gone" is not in the run and "empty" has no figure: c and d are left out.
    assert [(m.option, m.scenario) for m in got] == [("b", "more"), ("a", "now"), ("e", "now")]
    assert got[1] == MeasuredScore("a", "now", "within_18_weeks", 80.0, 75.0, 85.0)
    assert (got[0].mean, got[0].low, got[0].high) == pytest.approx((90.0, 88.0, 92.0))


def test_a_measure_the_run_does_not_have_scores_nobody() -> None:
    result = _result(_summary("now", {"wait_mean": Interval(2.0, 1.0, 3.0, 5)}))
    assert measured_scores(result, {"a": "now"}, "cost_per_year") == []
