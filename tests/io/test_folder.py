"""Reading and writing programme folders, and the located errors for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseforchange.domain.problems import InvalidInput
from caseforchange.io.folder import load_programme, write_programme
from tests.conftest import replace_in


def _problems(folder: Path) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        load_programme(folder)
    return [p.render() for p in caught.value.problems]


def test_valid_folder_loads_with_hashes(small_folder: Path) -> None:
    loaded = load_programme(small_folder)
    p = loaded.programme
    assert [o.id for o in p.options] == ["stay", "vertical"]
    assert p.services[0].budget_gbp == 1_000_000
    assert len(p.scores) == 5
    assert p.scores[4].low == 4 and p.scores[4].high == 8
    assert set(loaded.file_hashes) == {"programme.yaml", "scores.csv"}
    assert all(len(h) == 64 for h in loaded.file_hashes.values())


def test_yaml_syntax_error_is_located(small_folder: Path) -> None:
    replace_in(small_folder / "programme.yaml", "scope: Two community services", "scope: [open")
    (line,) = _problems(small_folder)
    assert line.startswith(f"{small_folder / 'programme.yaml'}:")
    assert "YAML syntax error" in line
    assert "started on line 4" in line


def test_weight_that_is_not_a_number_names_line_and_field(small_folder: Path) -> None:
    replace_in(small_folder / "programme.yaml", "weight: 2", "weight: heavy")
    (line,) = _problems(small_folder)
    assert line.startswith(f"{small_folder / 'programme.yaml'}:41: panels[0].weight:")
    assert "'heavy' is not a number" in line


def test_duplicate_id_is_located(small_folder: Path) -> None:
    replace_in(small_folder / "programme.yaml", "{id: acute, name: Test acute", "{id: arm, name: X")
    lines = _problems(small_folder)
    where = f"{small_folder / 'programme.yaml'}:11"
    assert f"{where}: organisations[2].id: duplicate organisation id 'arm'" in lines


def test_unknown_reference_is_located(small_folder: Path) -> None:
    replace_in(small_folder / "programme.yaml", "provider: acute\n", "provider: nobody\n")
    (line,) = _problems(small_folder)
    assert line.startswith(
        f"{small_folder / 'programme.yaml'}:24: options[1].provider: unknown organisation 'nobody'"
    )


def test_unknown_form_is_located(small_folder: Path) -> None:
    replace_in(small_folder / "programme.yaml", "form: in-house", "form: charity")
    (line,) = _problems(small_folder)
    assert ":20: options[0].form: unknown organisational form 'charity'" in line


def test_score_outside_scale_names_row_option_criterion_member(small_folder: Path) -> None:
    replace_in(
        small_folder / "scores.csv", "stay,outcomes,board,nurse,7", "stay,outcomes,board,nurse,11"
    )
    (line,) = _problems(small_folder)
    assert line.startswith(f"{small_folder / 'scores.csv'}:5: scores[3].value: 11 is outside")
    assert "criterion 'outcomes'" in line and "option 'stay'" in line and "member 'nurse'" in line


def test_hurdle_score_must_be_pass_or_fail(small_folder: Path) -> None:
    replace_in(small_folder / "scores.csv", "stay,gate,board,,1", "stay,gate,board,,0.5")
    (line,) = _problems(small_folder)
    assert ":2: scores[0].value: hurdle 'gate' takes pass (1) or fail (0)" in line


def test_missing_required_csv_column(small_folder: Path) -> None:
    csv_path = small_folder / "scores.csv"
    csv_path.write_text("option,value\nstay,3\n", encoding="utf-8")
    (line,) = _problems(small_folder)
    assert line == f"{csv_path}:1: scores: missing required column 'criterion'"


def test_not_a_number_in_csv_cell(small_folder: Path) -> None:
    replace_in(small_folder / "scores.csv", "chair,5", "chair,five")
    (line,) = _problems(small_folder)
    assert line.startswith(
        f"{small_folder / 'scores.csv'}:4: scores[2].value: 'five' is not a number"
    )


def test_unknown_member_of_panel(small_folder: Path) -> None:
    replace_in(small_folder / "scores.csv", "board,chair", "board,ceo")
    (line,) = _problems(small_folder)
    assert ":4: scores[2].member: unknown member 'ceo' of panel 'board'" in line


def test_duplicate_yaml_key_is_an_error(small_folder: Path) -> None:
    replace_in(
        small_folder / "programme.yaml", "title: A small programme\n", "title: A\ntitle: B\n"
    )
    (line,) = _problems(small_folder)
    assert line.endswith("title: duplicate key (first given on line 2)")
    assert ":3:" in line


def test_dates_must_be_ordered(small_folder: Path) -> None:
    replace_in(small_folder / "programme.yaml", "end: 2011-04-01", "end: 2009-04-01")
    (line,) = _problems(small_folder)
    assert ":6: timetable:" in line and "before start" in line


def test_write_then_read_is_lossless(small_folder: Path, tmp_path: Path) -> None:
    original = load_programme(small_folder).programme
    write_programme(original, tmp_path / "copy")
    again = load_programme(tmp_path / "copy").programme
    assert again == original


def test_missing_folder_and_file(tmp_path: Path) -> None:
    assert _problems(tmp_path) == [f"{tmp_path}: (file): no programme.yaml in this folder"]
