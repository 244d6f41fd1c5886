"""The engine against closed forms: Erlang C for M/M/c and product form for a Jackson network."""

from __future__ import annotations

import numpy as np
import pytest

from caseforchange.flow.model import FlowModel
from caseforchange.flow.runner import run_model
from caseforchange.flow.simulation import simulate
from caseforchange.flow.system import resolve

from .helpers import erlang_c, mmc_model


def test_erlang_c_formula_in_the_test_matches_the_published_figure() -> None:
    p_wait, wq = erlang_c(9.0, 1.0, 10)
    assert p_wait == pytest.approx(0.6687, abs=1e-4)
    assert wq == pytest.approx(0.6687, abs=1e-4)


def test_mmc_mean_wait_and_probability_of_waiting_match_erlang_c() -> None:
    model = mmc_model(9.0, 1.0, 10, horizon_days=4000, warmup_days=100, replications=8, seed=7)
    result = run_model(model)
    metrics = result.scenarios[0].metrics
    p_wait, wq = erlang_c(9.0, 1.0, 10)
    prob = metrics["team/t/wait_probability"]
    mean = metrics["team/t/wait_mean"]
    assert prob.low <= p_wait <= prob.high, prob
    assert mean.low <= wq <= mean.high, mean
    assert metrics["team/t/utilisation"].mean == pytest.approx(0.9, abs=0.01)


def test_mmc_wrong_capacity_is_detected() -> None:
    # the same check must fail for a different queue: the test can fail
    model = mmc_model(9.0, 1.0, 11, horizon_days=4000, warmup_days=100, replications=8, seed=7)
    mean = run_model(model).scenarios[0].metrics["team/t/wait_mean"]
    _, wq = erlang_c(9.0, 1.0, 10)
    assert not mean.low <= wq <= mean.high


def test_jackson_network_waits_match_product_form() -> None:
    servers = {"a": 3, "b": 2, "c": 4}
    mean_service = {"a": 0.5, "b": 0.4, "c": 0.8}
    routing = {
        "a": {"b": 0.3, "c": 0.2, "discharge": 0.5},
        "b": {"c": 0.5, "discharge": 0.5},
        "c": {"a": 0.1, "discharge": 0.9},
    }
    external = {"a": 3.0, "b": 2.0}
    model = FlowModel.model_validate(
        {
            "arrivals": [{"id": "x", "source": "s", "per_week": 35.0, "reasons": {"r": 1}}],
            "teams": [
                {
                    "id": n,
                    "staff": servers[n],
                    "service": {"kind": "exponential", "mean": mean_service[n]},
                    "after": routing[n],
                }
                for n in servers
            ],
            "triage": [{"to": {"a": 0.6, "b": 0.4}}],
            "run": {"horizon_days": 3000, "warmup_days": 50, "replications": 8, "seed": 4},
        }
    )
    names = list(servers)
    p = np.array([[routing[i].get(j, 0.0) for j in names] for i in names])
    gamma = np.array([external.get(n, 0.0) for n in names])
    rates = np.linalg.solve(np.eye(3) - p.T, gamma)
    metrics = run_model(model).scenarios[0].metrics
    for n, lam in zip(names, rates, strict=True):
        _, wq = erlang_c(float(lam), 1 / mean_service[n], servers[n])
        iv = metrics[f"team/{n}/wait_mean"]
        assert iv.low <= wq <= iv.high, (n, wq, iv)


def test_rota_changes_capacity_at_shift_boundaries() -> None:
    model = FlowModel.model_validate(
        {
            "arrivals": [{"id": "a", "source": "gp", "per_week": 70, "reasons": {"x": 1}}],
            "teams": [
                {
                    "id": "t",
                    "rota": [
                        {
                            "days": ["mon", "tue", "wed", "thu", "fri"],
                            "start": "09:00",
                            "end": "17:00",
                            "staff": 6,
                        },
                        {"days": ["sat", "sun"], "start": "09:00", "end": "17:00", "staff": 2},
                    ],
                    "service": {"kind": "fixed", "value": 0.1},
                }
            ],
            "triage": [{"to": "t"}],
        }
    )
    result = simulate(resolve(model), horizon_days=70, warmup_days=0, seed=1, replication=0)
    # (5 x 8h x 6 + 2 x 8h x 2) / 168h staff on average
    assert result.scalars["team/t/capacity_mean"] == pytest.approx((240 + 32) / 168, rel=1e-6)
    # nobody is seen out of hours, so some wait overnight
    assert result.scalars["team/t/wait_mean"] > 0.1


def test_reneging_patients_leave_to_admission() -> None:
    model = FlowModel.model_validate(
        {
            "arrivals": [{"id": "a", "source": "gp", "per_week": 70, "reasons": {"x": 1}}],
            "teams": [
                {
                    "id": "t",
                    "staff": 1,
                    "service": {"kind": "exponential", "mean": 1.5},
                    "reneging": {"patience": {"kind": "fixed", "value": 2}, "outcome": "admission"},
                }
            ],
            "triage": [{"to": "t"}],
        }
    )
    s = simulate(resolve(model), horizon_days=500, warmup_days=50, seed=1, replication=0).scalars
    assert s["reneged"] > 0
    assert s["admissions"] == s["reneged"]
    assert s["team/t/wait_mean"] <= 2.0 + 1e-9


def test_urgent_first_matches_cobham_priority_waits() -> None:
    # M/M/1 with non-preemptive priority: urgent 2/day, routine 6/day, mean service 0.1 day
    lam_u, lam_r, mean = 2.0, 6.0, 0.1
    rho_u, rho = lam_u * mean, (lam_u + lam_r) * mean
    w0 = (lam_u + lam_r) * 2 * mean**2 / 2  # sum of lambda E[S^2] / 2, E[S^2] = 2 mean^2
    expected = {"urgent": w0 / (1 - rho_u), "routine": w0 / ((1 - rho_u) * (1 - rho))}
    model = FlowModel.model_validate(
        {
            "arrivals": [
                {
                    "id": "u",
                    "source": "gp",
                    "per_week": lam_u * 7,
                    "reasons": {"x": 1},
                    "urgency": {"urgent": 1},
                },
                {"id": "r", "source": "gp", "per_week": lam_r * 7, "reasons": {"x": 1}},
            ],
            "teams": [{"id": "t", "staff": 1, "service": {"kind": "exponential", "mean": mean}}],
            "triage": [{"to": "t"}],
            "run": {"horizon_days": 3000, "warmup_days": 20, "replications": 6, "seed": 5},
        }
    )
    metrics = run_model(model).scenarios[0].metrics
    for name, value in expected.items():
        iv = metrics[f"wait_mean_{name}"]
        assert iv.low <= value <= iv.high, (name, value, iv)


def test_memory_state_is_bounded_by_series_points() -> None:
    model = mmc_model(9.0, 1.0, 10)
    result = simulate(
        resolve(model), horizon_days=300, warmup_days=10, seed=1, replication=0, series_points=50
    )
    assert all(len(v) == 50 for v in result.series.values())
