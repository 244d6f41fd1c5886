"""Flow metrics against small data sets counted by hand."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest

from caseforchange.flow.metrics import flow_metrics, nearest_rank
from caseforchange.io.referrals import Columns, Mapping, load_referrals

DATA = """\
ref,referred,source,team,triage,first_contact,discharged,onward
R1,2010-01-04,gp,nursing,accepted,2010-01-05,2010-01-20,therapy
R2,2010-01-05,gp,nursing,accepted,2010-01-08,2010-01-10,
R3,2010-01-21,nursing,therapy,accepted,2010-02-01,2010-03-01,
R4,2010-01-06,gp,therapy,rejected,,,
R5,2009-09-01,gp,therapy,accepted,2010-01-25,,
R6,2009-10-01,gp,therapy,accepted,,,
"""

MAPPING = Mapping(
    columns=Columns(
        referral_id="ref",
        referral_date="referred",
        source="source",
        team="team",
        triage_outcome="triage",
        first_contact_date="first_contact",
        discharge_date="discharged",
        onward_referral="onward",
    )
)


@pytest.fixture()
def metrics(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "d.csv"
    path.write_text(DATA)
    return flow_metrics(load_referrals(path, MAPPING))


def test_nearest_rank() -> None:
    assert nearest_rank([5, 1, 3], 0.5) == 3
    assert nearest_rank([5, 1, 3], 0.92) == 5
    assert nearest_rank(list(range(1, 101)), 0.92) == 92
    assert math.isnan(nearest_rank([], 0.5))


def test_waits_counted_by_hand(metrics) -> None:  # type: ignore[no-untyped-def]
    # waits: R1 1, R2 3, R3 11, R5 146 days
    w = metrics.waits
    assert w.seen == 4
    assert w.median_days == 3
    assert w.p92_days == 146
    assert w.mean_days == pytest.approx((1 + 3 + 11 + 146) / 4)
    assert w.within_18_weeks == pytest.approx(3 / 4)
    # R6 unseen since 2009-10-01, more than 126 days before the end (2010-03-01); R4 rejected
    assert w.waiting_over_18_weeks == 1
    assert metrics.waits_by_team["nursing"].median_days == 1


def test_demand_counted_by_hand(metrics) -> None:  # type: ignore[no-untyped-def]
    assert metrics.referrals == 6
    assert metrics.rejected == 1
    assert metrics.demand_by_week[dt.date(2010, 1, 4)] == 3
    assert metrics.demand_by_week[dt.date(2010, 1, 18)] == 1
    assert metrics.demand_by_source == {"gp": 5, "nursing": 1}
    assert metrics.demand_by_team == {"nursing": 2, "therapy": 4}


def test_handoffs_and_caseload_counted_by_hand(metrics) -> None:  # type: ignore[no-untyped-def]
    assert metrics.handoffs == 1
    assert metrics.patients == 5  # referrals whose source is not a team
    assert metrics.handoffs_per_patient == pytest.approx(0.2)
    nursing = metrics.caseload_by_week["nursing"]
    assert nursing[dt.date(2010, 1, 4)] == 1  # R1 open at Sunday 10 Jan; R2 discharged that day
    assert nursing[dt.date(2010, 1, 11)] == 1
    assert nursing[dt.date(2010, 1, 18)] == 0
    therapy = metrics.caseload_by_week["therapy"]
    assert therapy[dt.date(2010, 2, 1)] == 2  # R3 and R5 (never discharged)


def test_patient_ids_define_patients(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text(
        "ref,pid,referred,team,onward\nA,p1,2010-01-04,t,u\nB,p1,2010-01-09,u,\n"
        "C,p2,2010-01-09,t,\n"
    )
    mapping = Mapping(
        columns=Columns(
            referral_id="ref",
            referral_date="referred",
            team="team",
            patient_id="pid",
            onward_referral="onward",
        )
    )
    m = flow_metrics(load_referrals(path, mapping))
    assert m.patients == 2
    assert m.handoffs_per_patient == pytest.approx(0.5)
