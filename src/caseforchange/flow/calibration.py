"""Fitting the model's baseline to flow metrics measured from referral data, and showing the fit.

What is fitted, each straight from the data (no search, so the result is quick and explainable):

* **demand**: every arrival rate is scaled so that the model's referrals from outside per week
  equal those observed (records whose source is not a team);
* **episode length**: each team with at least ``MIN_EPISODES`` finished episodes gets a
  log-normal duration with the observed mean and standard deviation (first contact to discharge);
* **capacity**: each team's staff is set so that its caseload capacity equals the 95th centile
  of its observed weekly caseload (a team that is working flat out sits at its capacity).

The fit is then shown by simulating the fitted baseline and setting each simulated figure, with
its 95% confidence interval, beside the observed one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from caseforchange.flow.metrics import FlowMetrics, nearest_rank
from caseforchange.flow.model import FlowModel, LogNormal, RunSettings, Team
from caseforchange.flow.runner import run_model
from caseforchange.flow.statistics import Interval
from caseforchange.flow.system import resolve, scenario_ids

MIN_EPISODES = 20


@dataclass(frozen=True)
class FitRow:
    """One figure: observed in the data, and simulated by the fitted model."""

    name: str
    observed: float
    simulated: Interval

    @property
    def inside(self) -> bool:
        """Return whether the observed value lies inside the simulated interval."""
        return self.simulated.low <= self.observed <= self.simulated.high


@dataclass(frozen=True)
class Calibration:
    """The fitted baseline model, what was changed, and the fit."""

    model: FlowModel
    changes: list[str]
    rows: list[FitRow]


def fit_model(
    model: FlowModel, metrics: FlowMetrics, scenario: str | None = None
) -> tuple[FlowModel, list[str]]:
    """Return the baseline (``scenario``, default the first) fitted to ``metrics``, and the changes.

    The fitted model has no scenarios: it is the baseline alone, ready to be compared.
    """
    sid = scenario or scenario_ids(model)[0]
    system = resolve(model, sid)
    changes: list[str] = []
    external_per_week = metrics.external_referrals() / metrics.weeks
    modelled = sum(a.per_week for a in system.arrivals) * system.demand_scale
    scale = external_per_week / modelled if modelled > 0 else 1.0
    arrivals = [a.model_copy(update={"per_week": a.per_week * scale}) for a in system.arrivals]
    changes.append(
        f"arrival rates x {scale:.3f} ({modelled:.1f} -> {external_per_week:.1f} referrals a week)"
    )
    teams: list[Team] = []
    for team in system.teams:
        update: dict[str, object] = {}
        mean = metrics.episode_days_mean_by_team.get(team.id)
        sd = metrics.episode_days_sd_by_team.get(team.id)
        finished = metrics.episodes_by_team.get(team.id, 0)
        if mean and sd and finished >= MIN_EPISODES:
            update["service"] = LogNormal(mean=max(mean, 0.01), sd=max(sd, 0.01))
            changes.append(f"{team.id}: episode log-normal mean {mean:.1f}, sd {sd:.1f} days")
        caseload = list(metrics.caseload_by_week.get(team.id, {}).values())
        if caseload and not team.rota:
            p95 = nearest_rank([float(c) for c in caseload], 0.95)
            staff = max(1, math.ceil(p95 / team.caseload_per_staff))
            update["staff"] = staff
            changes.append(
                f"{team.id}: staff {team.staff} -> {staff} (95th centile caseload {p95:.0f})"
            )
        teams.append(team.model_copy(update=update))
    fitted = FlowModel(
        illustrative=model.illustrative,
        note=model.note,
        localities=list(system.localities),
        arrivals=arrivals,
        seasonality=system.seasonality,
        teams=teams,
        triage=list(system.triage),
        handoff_delay_days=system.handoff_delay_days,
        run=model.run,
        scoring=model.scoring,
    )
    return fitted, changes


def calibrate(
    model: FlowModel,
    metrics: FlowMetrics,
    *,
    scenario: str | None = None,
    replications: int = 5,
    seed: int | None = None,
    jobs: int = 1,
) -> Calibration:
    """Return the fitted baseline with its fit against ``metrics`` (see the module docstring).

    Raises:
        InvalidInput: an unknown scenario was named.
    """
    fitted, changes = fit_model(model, metrics, scenario)
    runnable = fitted.model_copy(
        update={"run": RunSettings(**{**fitted.run.model_dump(), "replications": replications})}
    )
    result = run_model(runnable, replications=replications, seed=seed, jobs=jobs)
    sim = result.scenarios[0].metrics
    rows = [
        FitRow(
            "referrals a week from outside",
            metrics.external_referrals() / metrics.weeks,
            sim["referrals_per_week"],
        ),
        FitRow("mean wait (days)", metrics.waits.mean_days, sim["wait_mean"]),
        FitRow("median wait (days)", metrics.waits.median_days, sim["wait_median"]),
        FitRow("92nd centile wait (days)", metrics.waits.p92_days, sim["wait_p92"]),
        FitRow("seen within 18 weeks", metrics.waits.within_18_weeks, sim["within_18_weeks"]),
        FitRow("hand-offs per patient", metrics.handoffs_per_patient, sim["handoffs_per_patient"]),
    ]
    for team in fitted.teams:
        caseload = list(metrics.caseload_by_week.get(team.id, {}).values())
        key = f"team/{team.id}/caseload_mean"
        if caseload and key in sim:
            rows.append(FitRow(f"{team.id} mean caseload", sum(caseload) / len(caseload), sim[key]))
    return Calibration(model=fitted, changes=changes, rows=rows)
