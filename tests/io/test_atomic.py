"""Atomic outputs: all files or none, the target unchanged on failure, modes as promised."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from caseforchange.domain.problems import InvalidInput
from caseforchange.io.atomic import staged_file, staged_folder, write_file


def test_folder_appears_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "out"
    with pytest.raises(RuntimeError), staged_folder(target) as staging:
        staging.write_text("one.txt", "1")
        raise RuntimeError("rendering failed")
    assert list(tmp_path.iterdir()) == []  # no staging left, no parents made
    with staged_folder(target) as staging:
        staging.write_text("one.txt", "1")
        staging.write_text("sub/two.txt", "2")
    assert (target / "one.txt").read_text() == "1" and (target / "sub" / "two.txt").exists()
    assert [p.name for p in target.parent.iterdir()] == ["out"]


def test_existing_folder_keeps_other_files_and_old_files_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    (target / "report.html").write_text("old")
    with pytest.raises(KeyboardInterrupt), staged_folder(target) as staging:
        staging.write_text("report.html", "new")
        raise KeyboardInterrupt
    assert (target / "report.html").read_text() == "old"
    with staged_folder(target) as staging:
        staging.write_text("report.html", "new")
    assert (target / "report.html").read_text() == "new"
    assert (target / "keep.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_file_in_place_of_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("x")
    with pytest.raises(InvalidInput) as raised, staged_folder(tmp_path / "out" / "sub"):
        pass
    assert "is a file" in raised.value.problems[0].message


def test_modes_follow_umask_and_private_is_0600(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        write_file(tmp_path / "a.json", b"{}")
        write_file(tmp_path / "salt", b"x", private=True)
    finally:
        os.umask(old)
    assert (tmp_path / "a.json").stat().st_mode & 0o777 == 0o600
    old = os.umask(0o022)
    try:
        write_file(tmp_path / "b.json", b"{}")
        write_file(tmp_path / "salt", b"y", private=True)
        with staged_file(tmp_path / "c.xlsx") as path:
            path.write_bytes(b"pk")
    finally:
        os.umask(old)
    assert (tmp_path / "b.json").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "c.xlsx").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "salt").stat().st_mode & 0o777 == 0o600


def test_staged_file_failure_leaves_old_file(tmp_path: Path) -> None:
    target = tmp_path / "book.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(ValueError), staged_file(target) as path:
        path.write_bytes(b"half")
        raise ValueError
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]
