"""A scenario's annual cost, from the simulation's measures and the unit costs in flow.yaml.

It feeds the decision file's finance and the appraisal's sustainability criterion.

Costs come from the ``costs`` section of ``flow.yaml`` (pounds per contact, bed-day, admission
and staff hour) applied to what the simulation measured after warm-up, then scaled to a year.
"""

from __future__ import annotations

from dataclasses import dataclass

from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.flow.model import FlowModel
from caseforchange.flow.runner import RunResult, run_model
from caseforchange.flow.statistics import Interval


@dataclass(frozen=True)
class ScenarioCost:
    """A scenario's cost per year in total and per team, and its cost per referral.

    Each is a mean with its 95% interval; ``illustrative`` when the unit costs are made up.
    """

    scenario: str
    per_year: Interval
    per_referral: Interval
    by_team: dict[str, Interval]
    illustrative: bool


def scenario_costs(result: RunResult, illustrative: bool = True) -> list[ScenarioCost]:
    """Return the cost figures of every scenario in a run that had unit costs.

    Raises:
        ValueError: when the run was made without a ``costs`` section.
    """
    out: list[ScenarioCost] = []
    for s in result.scenarios:
        if "cost_per_year" not in s.metrics:
            raise ValueError("the model has no costs section")
        by_team = {
            key.split("/")[1]: iv
            for key, iv in s.metrics.items()
            if key.startswith("cost/") and key.endswith("/per_year")
        }
        out.append(
            ScenarioCost(
                scenario=s.scenario,
                per_year=s.metrics["cost_per_year"],
                per_referral=s.metrics["cost_per_referral"],
                by_team=by_team,
                illustrative=illustrative,
            )
        )
    return out


def annual_cost(
    model: FlowModel,
    scenario: str,
    *,
    replications: int | None = None,
    seed: int | None = None,
    jobs: int = 1,
) -> ScenarioCost:
    """Return the simulated annual cost of one scenario (run on its own, with its warm-up).

    Raises:
        InvalidInput: the model has no ``costs`` section, or the scenario is unknown.
    """
    if model.costs is None:
        raise InvalidInput([Problem(("costs",), "the flow model has no costs section")])
    result = run_model(model, scenarios=[scenario], replications=replications, seed=seed, jobs=jobs)
    return scenario_costs(result, model.costs.illustrative)[0]
