"""Stated limits: defaults, overrides from the environment, shortened values."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseforchange.domain.problems import InvalidInput
from caseforchange.io.limits import Limits, limits, read_limited, shorten


def test_override_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEFORCHANGE_MAX_ROWS", "2_000_000")
    assert limits().max_rows == 2_000_000
    assert limits().max_columns == Limits().max_columns


def test_bad_override_is_located(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEFORCHANGE_MAX_ROWS", "lots")
    with pytest.raises(InvalidInput) as raised:
        limits()
    assert raised.value.problems[0].location == "environment CASEFORCHANGE_MAX_ROWS"


def test_file_over_the_limit_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 11)
    monkeypatch.setenv("CASEFORCHANGE_MAX_FILE_BYTES", "10")
    with pytest.raises(InvalidInput) as raised:
        read_limited(path, "big.csv")
    assert "11 bytes, over the limit of 10" in raised.value.problems[0].message
    monkeypatch.setenv("CASEFORCHANGE_MAX_FILE_BYTES", "11")
    assert read_limited(path, "big.csv") == b"x" * 11


def test_shorten_keeps_short_text_and_counts_long() -> None:
    assert shorten("short") == "short"
    long = "y" * 1_000_000
    cut = shorten(long)
    assert len(cut) < 100 and cut.endswith("(1,000,000 characters)")
