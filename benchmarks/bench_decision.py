"""Decision file speed: prints its figures and PASS/FAIL per target.

Targets (issue 12), on a 2-core machine:
- the whole decision file (every engine, no appraisal) of a large programme, 40 options with
  12 finance lines over 30 years, 2,000 risks and 40 equality assessments: <= 2 s.
- the four example programmes' decision files, each: <= 0.5 s.

The large programme is generated with a fixed seed. Run:
``PYTHONPATH=src python benchmarks/bench_decision.py``. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import random
import sys
import time

from caseforchange.catalogue.reference import decision_catalogue
from caseforchange.decision.view import decision_file
from caseforchange.domain.programme import Programme
from caseforchange.examples import EXAMPLE_IDS, example_path
from caseforchange.io.folder import load_programme

SEED = 2010
OPTIONS, LINES, YEARS, RISKS = 40, 12, 30, 2_000
LARGE_SECONDS, EXAMPLE_SECONDS = 2.0, 0.5


def large_programme() -> Programme:
    """Return a synthetic programme with every decision part filled in."""
    rng = random.Random(SEED)
    options = [
        {
            "id": f"o{i}",
            "name": f"Option {i}",
            "form": "community-foundation-trust",
            "provider": f"p{i}",
        }
        for i in range(OPTIONS)
    ]
    kinds = ["cost", "cost", "income", "saving", "capital", "transition"]
    finance_options = [
        {
            "option": f"o{i}",
            "lines": [
                {
                    "kind": (k := kinds[j % len(kinds)]),
                    "label": f"line {j}",
                    "amounts_gbp": [rng.uniform(0, 1e6) for _ in range(YEARS)],
                    **({"category": "it"} if k == "transition" else {}),
                    "assumption": f"a{j % 4}",
                }
                for j in range(LINES)
            ],
        }
        for i in range(OPTIONS)
    ]
    return Programme.model_validate(
        {
            "id": "bench",
            "title": "Benchmark",
            "commissioner": "pct",
            "scope": "s",
            "decision_date": "2010-10-01",
            "organisations": [
                {"id": "pct", "name": "PCT", "kind": "commissioner"},
                {"id": "arm", "name": "Arm", "kind": "provider_arm", "turnover_gbp": 40e6},
            ]
            + [
                {
                    "id": f"p{i}",
                    "name": f"P{i}",
                    "kind": "candidate_provider",
                    "turnover_gbp": rng.choice([0, 5e6, 300e6]),
                }
                for i in range(OPTIONS)
            ],
            "services": [
                {
                    "id": f"s{k}",
                    "name": f"S{k}",
                    "client_group": "all",
                    "tier": "universal",
                    "current_provider": "arm",
                }
                for k in range(20)
            ],
            "options": options,
            "framework": {
                "id": "f",
                "name": "F",
                "criteria": [{"id": "x", "name": "X", "scale": "1-5"}],
            },
            "finance": {
                "envelope_gbp": [3e6] * YEARS,
                "assumptions": [
                    {"id": f"a{j}", "name": f"A{j}", "low": 0.9, "high": 1.2} for j in range(4)
                ],
                "options": finance_options,
            },
            "risks": {
                "risks": [
                    {
                        "id": f"r{n}",
                        "title": "t",
                        "category": "delivery",
                        "likelihood": rng.randint(1, 5),
                        "impact": rng.randint(1, 5),
                        "owner": "o",
                        "option": f"o{n % OPTIONS}",
                    }
                    for n in range(RISKS)
                ]
            },
            "equality": {
                "options": [
                    {
                        "option": f"o{i}",
                        "findings": [{"characteristic": "age", "impact": "neutral"}],
                    }
                    for i in range(OPTIONS)
                ]
            },
        }
    )


def timed(programme: Programme) -> float:
    """Return the seconds one decision file of ``programme`` takes."""
    catalogue = decision_catalogue()
    values = {o.id: random.Random(SEED).random() for o in programme.options}
    start = time.perf_counter()
    decision_file(programme, catalogue, values, programme.options[0].id)
    return time.perf_counter() - start


def main() -> int:
    """Run the benchmark, print its figures and return the exit status."""
    failed = False
    seconds = timed(large_programme())
    ok = seconds <= LARGE_SECONDS
    failed |= not ok
    print(
        f"large decision file ({OPTIONS} options x {LINES} lines x {YEARS} years,"
        f" {RISKS} risks): {seconds:.3f} s (target <= {LARGE_SECONDS} s) "
        f"{'PASS' if ok else 'FAIL'}"
    )
    for example in EXAMPLE_IDS:
        seconds = timed(load_programme(example_path(example)).programme)
        ok = seconds <= EXAMPLE_SECONDS
        failed |= not ok
        print(
            f"{example}: {seconds:.3f} s (target <= {EXAMPLE_SECONDS} s) {'PASS' if ok else 'FAIL'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
