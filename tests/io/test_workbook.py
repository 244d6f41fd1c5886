"""The programme workbook: lossless round trips, and what the written workbook offers users."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl import load_workbook

from caseforchange.domain.programme import Programme
from caseforchange.examples import EXAMPLE_IDS, example_path
from caseforchange.io.folder import load_programme, write_programme
from caseforchange.io.workbook import read_workbook, write_workbook
from tests.strategies import programmes

# Each example writes and reads a whole workbook; keep the suite quick on two shared cores.
ROUND_TRIPS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@ROUND_TRIPS
@given(programme=programmes())
def test_programme_workbook_programme_is_lossless(
    programme: Programme, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("wb") / "programme.xlsx"
    write_workbook(programme, path)
    loaded = read_workbook(path)
    assert loaded.programme == programme
    assert list(loaded.file_hashes) == ["programme.xlsx"]


@ROUND_TRIPS
@given(programme=programmes())
def test_folder_workbook_folder_is_lossless(
    programme: Programme, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("folder")
    write_programme(programme, root / "before")
    before = load_programme(root / "before").programme
    write_workbook(before, root / "programme.xlsx")
    write_programme(read_workbook(root / "programme.xlsx").programme, root / "after")
    assert load_programme(root / "after").programme == before
    for name in ("programme.yaml", "scores.csv"):
        old, new = root / "before" / name, root / "after" / name
        assert old.exists() == new.exists()
        if old.exists():
            assert new.read_bytes() == old.read_bytes()


def test_small_folder_round_trip(small_folder: Path, tmp_path: Path) -> None:
    programme = load_programme(small_folder).programme
    write_workbook(programme, tmp_path / "small.xlsx")
    assert read_workbook(tmp_path / "small.xlsx").programme == programme


@pytest.mark.parametrize("example_id", EXAMPLE_IDS)
def test_examples_round_trip(example_id: str, tmp_path: Path) -> None:
    folder = example_path(example_id)
    if not (folder / "programme.yaml").exists():
        pytest.skip(f"example {example_id} is not written yet")
    programme = load_programme(folder).programme
    write_workbook(programme, tmp_path / "example.xlsx")
    assert read_workbook(tmp_path / "example.xlsx").programme == programme


def test_workbook_layout_for_people(small_folder: Path, tmp_path: Path) -> None:
    path = tmp_path / "small.xlsx"
    write_workbook(load_programme(small_folder).programme, path)
    book = load_workbook(path)
    assert book.sheetnames[:2] == ["README", "Programme"]
    assert {"Options", "Configuration", "Criteria", "Scores", "Lists"} <= set(book.sheetnames)
    assert "AHP" not in book.sheetnames  # no AHP matrices in this programme
    assert book["Lists"].sheet_state == "hidden"
    readme = [c for row in book["README"].iter_rows(values_only=True) for c in row if c]
    assert "ILLUSTRATIVE DATA" in readme and "Scores are made up for tests." in readme

    services = book["Services"]
    assert services.freeze_panes == "A2"
    assert all(cell.font.b for cell in services[1])
    assert services["E2"].value == 1_000_000 and services["E2"].number_format == "£#,##0"
    assert services["F2"].number_format == "0.0"
    assert services.column_dimensions["B"].width > 10
    programme_rows = {row[0].value: row[1] for row in book["Programme"].iter_rows(min_row=2)}
    assert programme_rows["decision_date"].value == dt.datetime(2011, 3, 31)
    assert programme_rows["decision_date"].is_date

    lists = {str(dv.sqref)[:1]: dv.formula1 for dv in services.data_validations.dataValidation}
    assert lists["C"] == "=list_client_group"
    assert lists["G"] == "='Organisations'!$A$2:$A$2000"
    assert "list_client_group" in book.defined_names
    configuration = {
        str(dv.sqref): dv.formula1 for dv in book["Configuration"].data_validations.dataValidation
    }
    assert "='Options'!$A$2:$A$2000" in configuration.values()


def test_texts_that_look_like_formulas_or_numbers_stay_texts(
    small_folder: Path, tmp_path: Path
) -> None:
    programme = load_programme(small_folder).programme
    changed = programme.model_copy(
        update={"title": "=SUM(A1:A3)", "scope": "2010", "characteristics": ["TRUE", "0.50"]}
    )
    write_workbook(changed, tmp_path / "x.xlsx")
    assert read_workbook(tmp_path / "x.xlsx").programme == changed


def test_writing_is_all_or_nothing(small_folder: Path, tmp_path: Path) -> None:
    programme = load_programme(small_folder).programme
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"previous")
    service = programme.services[0].model_copy(update={"localities": ["a; b"]})
    broken = programme.model_copy(update={"services": [service, *programme.services[1:]]})
    with pytest.raises(Exception, match="separate items"):
        write_workbook(broken, path)
    assert path.read_bytes() == b"previous"
    write_workbook(programme, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx", "small"]
