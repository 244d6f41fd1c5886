"""The illustrative data set is reproducible and is the one shipped with the example."""

from __future__ import annotations

from pathlib import Path

from caseforchange.examples.plymouth_referrals import generate, write

EXAMPLE = Path(__file__).parents[2] / "src/caseforchange/examples/plymouth-2010"


def test_same_seed_same_rows_and_matches_shipped_file(tmp_path: Path) -> None:
    data, mapping = write(tmp_path)
    assert data.read_bytes() == (EXAMPLE / "referrals.csv").read_bytes()
    assert mapping.read_text() == (EXAMPLE / "referrals-mapping.yaml").read_text()
    assert data.stat().st_size < 1_000_000


def test_other_seed_differs() -> None:
    assert generate(1)[1:50] != generate(2)[1:50]
