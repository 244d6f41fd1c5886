"""Generate the illustrative Plymouth referral data set (fixed seed; not real patients).

Run ``python -m caseforchange.examples.plymouth_referrals OUT_DIR`` to write ``referrals.csv`` and
``referrals-mapping.yaml``. The data are made up so that the flow metrics and calibration can be
shown end to end without personal data. How each row is made:

1. Referrals from outside arrive at each source as a Poisson number per day, at the weekly rates
   of ``flow.yaml`` with a winter peak (15% above average in early January).
2. Each referral gets a reason, urgency and locality from the source's mix and is sent to a team
   by the same triage rules as the "separate teams" model.
3. Its wait to first contact is gamma-distributed with a team-specific mean, longer in winter; its
   episode is log-normal. 3% of referrals are rejected at triage and never seen.
4. At discharge the team refers onwards with the team's onward shares; the onward referral is a
   new row for the same patient, dated five days after the discharge.

Dates run from 1 April 2009 for one year; episodes still open at 31 March 2010 have no discharge.
"""

from __future__ import annotations

import csv
import datetime as dt
import heapq
import math
import sys
from pathlib import Path

import numpy as np

from caseforchange.io.cells import csv_row

SEED = 2010
START = dt.date(2009, 4, 1)
DAYS = 365

#: (source, referrals per week, reasons, urgent share)
SOURCES: tuple[tuple[str, float, dict[str, float], float], ...] = (
    (
        "gp",
        90.0,
        {
            "frailty": 0.3,
            "wound-care": 0.25,
            "rehabilitation": 0.2,
            "mental-health": 0.15,
            "social-care": 0.1,
        },
        0.15,
    ),
    ("hospital", 30.0, {"frailty": 0.3, "rehabilitation": 0.5, "wound-care": 0.2}, 0.4),
    ("social", 15.0, {"social-care": 0.6, "mental-health": 0.4}, 0.0),
)
LOCALITIES = {"north": 0.35, "central": 0.4, "south": 0.25}

#: team -> (mean wait days, mean episode days, sd episode days, onward shares)
TEAMS: dict[str, tuple[float, float, float, dict[str, float]]] = {
    "nursing": (6.0, 28.0, 20.0, {"therapy": 0.12, "social-work": 0.1, "mental-health": 0.03}),
    "therapy": (21.0, 35.0, 21.0, {"social-work": 0.1, "nursing": 0.08}),
    "social-work": (18.0, 42.0, 29.0, {"therapy": 0.05, "nursing": 0.05}),
    "mental-health": (30.0, 56.0, 40.0, {"social-work": 0.08}),
    "rapid-response": (0.2, 3.7, 1.2, {"nursing": 0.3, "therapy": 0.1}),
}

HEADER = [
    "ref",
    "patient",
    "referred",
    "source",
    "team",
    "triage",
    "first_contact",
    "discharged",
    "onward_to",
]

MAPPING = """\
# Illustrative Plymouth referral data, made up: see examples/plymouth_referrals.py.
file: referrals.csv
date_format: "%Y-%m-%d"
columns:
  referral_id: ref
  patient_id: patient
  referral_date: referred
  source: source
  team: team
  triage_outcome: triage
  first_contact_date: first_contact
  discharge_date: discharged
  onward_referral: onward_to
"""


def _team(reason: str, urgent: bool, locality: str) -> str:
    if urgent and reason in {"frailty", "rehabilitation"}:
        return "rapid-response"
    if reason in {"frailty", "wound-care"}:
        return f"nursing-{locality}"
    if reason == "rehabilitation":
        return "therapy"
    if reason == "mental-health":
        return "mental-health"
    return "social-work"


def _season(day: dt.date) -> float:
    week = day.isocalendar()[1]
    return 1.0 + 0.15 * math.cos(2 * math.pi * (week - 2) / 52)


def generate(seed: int = SEED) -> list[list[str]]:
    """Return the rows of the illustrative data set (header first), the same for the same seed."""
    rng = np.random.default_rng(seed)
    end = START + dt.timedelta(days=DAYS - 1)
    pending: list[tuple[dt.date, str, str, str]] = []  # (referred, patient, source, team)
    patients = 0
    for offset in range(DAYS):
        day = START + dt.timedelta(days=offset)
        for source, per_week, reasons, urgent_share in SOURCES:
            n = int(rng.poisson(per_week / 7 * _season(day)))
            for _ in range(n):
                reason = str(rng.choice(list(reasons), p=list(reasons.values())))
                urgent = bool(rng.random() < urgent_share)
                locality = str(rng.choice(list(LOCALITIES), p=list(LOCALITIES.values())))
                patients += 1
                pid = f"P{patients:05d}|{locality}"
                pending.append((day, pid, source, _team(reason, urgent, locality)))
    rows: list[list[str]] = [HEADER]
    count = 0
    heapq.heapify(pending)
    while pending:
        referred, patient, source, team = heapq.heappop(pending)
        pid, locality = patient.split("|")
        base = team.split("-")[0] if team.startswith("nursing") else team
        mean_wait, mean_ep, sd_ep, onward = TEAMS[base]
        count += 1
        ref = f"R{count:05d}"
        if rng.random() < 0.03:
            rows.append([ref, pid, referred.isoformat(), source, team, "rejected", "", "", ""])
            continue
        wait = rng.gamma(2.0, mean_wait * _season(referred) / 2.0)
        first = referred + dt.timedelta(days=round(wait))
        sigma2 = math.log(1 + (sd_ep / mean_ep) ** 2)
        length = rng.lognormal(math.log(mean_ep) - sigma2 / 2, math.sqrt(sigma2))
        discharged = first + dt.timedelta(days=max(1, round(length)))
        next_team = ""
        u = rng.random()
        total = 0.0
        for target, share in onward.items():
            total += share
            if u < total:
                next_team = f"nursing-{locality}" if target == "nursing" else target
                break
        if first > end:
            rows.append([ref, pid, referred.isoformat(), source, team, "accepted", "", "", ""])
            continue
        if discharged > end:
            rows.append(
                [
                    ref,
                    pid,
                    referred.isoformat(),
                    source,
                    team,
                    "accepted",
                    first.isoformat(),
                    "",
                    "",
                ]
            )
            continue
        rows.append(
            [
                ref,
                pid,
                referred.isoformat(),
                source,
                team,
                "accepted",
                first.isoformat(),
                discharged.isoformat(),
                next_team,
            ]
        )
        onward_date = discharged + dt.timedelta(days=5)
        if next_team and onward_date <= end:
            heapq.heappush(pending, (onward_date, patient, team, next_team))
    return rows


def write(out_dir: Path, seed: int = SEED) -> tuple[Path, Path]:
    """Write ``referrals.csv`` and ``referrals-mapping.yaml`` into ``out_dir``; return both."""
    out_dir.mkdir(parents=True, exist_ok=True)
    data = out_dir / "referrals.csv"
    with data.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(csv_row(r) for r in generate(seed))
    mapping = out_dir / "referrals-mapping.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    return data, mapping


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: write the data set to the folder given; return the exit code."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m caseforchange.examples.plymouth_referrals OUT_DIR", file=sys.stderr)
        return 2
    data, mapping = write(Path(args[0]))
    print(f"wrote {data} and {mapping} (illustrative, seed {SEED})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
