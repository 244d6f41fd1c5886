"""Referral records: open-ended sentinels, empty workbook rows, far-away cells, limits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from caseforchange.domain.problems import InvalidInput
from caseforchange.flow.metrics import flow_metrics
from caseforchange.io.referrals import Columns, Mapping, ReferralLimits, load_referrals

MAPPING = Mapping(
    columns=Columns(
        referral_id="ref",
        referral_date="referred",
        team="team",
        first_contact_date="seen",
        discharge_date="discharged",
    )
)
HEADER = ["ref", "referred", "team", "seen", "discharged"]


def _csv(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "data.csv"
    path.write_text("\n".join([",".join(HEADER), *rows]) + "\n")
    return path


def test_open_ended_sentinel_discharge_is_an_open_episode(tmp_path: Path) -> None:
    data = _csv(tmp_path, "R1,2010-01-04,t,2010-01-05,9999-12-31", "R2,2010-01-04,t,2010-01-06,")
    records = load_referrals(data, MAPPING)
    assert [r.discharge_date for r in records] == [None, None]
    metrics = flow_metrics(records)  # no overflow: both episodes are simply still open
    assert metrics.referrals == 2


def test_implausible_date_is_located(tmp_path: Path) -> None:
    data = _csv(tmp_path, "R1,2010-01-04,t,2010-01-05,", "R2,0001-01-01,t,,")
    with pytest.raises(InvalidInput) as info:
        load_referrals(data, MAPPING)
    (problem,) = info.value.problems
    assert problem.location == f"{data}:3"
    assert "not a plausible date" in problem.message


def test_row_limit_is_a_located_error(tmp_path: Path) -> None:
    data = _csv(tmp_path, *(f"R{i},2010-01-04,t,," for i in range(5)))
    with pytest.raises(InvalidInput) as info:
        load_referrals(data, MAPPING, limits=ReferralLimits(max_rows=3))
    assert info.value.problems[0].location == f"{data}:5"
    assert "more than 3 rows" in info.value.problems[0].message


def _workbook(tmp_path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(["R1", dt.date(2010, 1, 4), "t", dt.date(2010, 1, 5), None])
    sheet.append([None] * 5)  # an empty row in the middle
    sheet.append(["R2", dt.date(2010, 1, 6), "t", None, None])
    sheet["A10"] = ""  # an empty string cell further down: still an empty row
    sheet["XFD60000"] = "stray"  # a far-away cell must cost nothing and not be a column
    path = tmp_path / "data.xlsx"
    book.save(path)
    return path


def test_empty_workbook_rows_are_skipped_not_missing(tmp_path: Path) -> None:
    records = load_referrals(_workbook(tmp_path), MAPPING)
    assert [r.referral_id for r in records] == ["R1", "R2"]
    assert records[0].location.endswith("Sheet!A2")
