"""Small flow models written in tests, and closed forms computed independently of the engine."""

from __future__ import annotations

import math
from typing import Any

from caseforchange.flow.model import FlowModel


def erlang_c(arrival: float, service_rate: float, servers: int) -> tuple[float, float]:
    """Return (probability of waiting, mean wait in queue) of an M/M/c queue."""
    a = arrival / service_rate
    rho = a / servers
    top = a**servers / math.factorial(servers) / (1 - rho)
    bottom = sum(a**k / math.factorial(k) for k in range(servers)) + top
    p_wait = top / bottom
    return p_wait, p_wait / (servers * service_rate - arrival)


def mmc_model(arrival_per_day: float, mean_service: float, staff: int, **run: Any) -> FlowModel:
    """Return a flow model that is a single M/M/c queue."""
    return FlowModel.model_validate(
        {
            "arrivals": [
                {"id": "a", "source": "gp", "per_week": arrival_per_day * 7, "reasons": {"x": 1}}
            ],
            "teams": [
                {
                    "id": "t",
                    "staff": staff,
                    "service": {"kind": "exponential", "mean": mean_service},
                }
            ],
            "triage": [{"to": "t"}],
            "run": run,
        }
    )
