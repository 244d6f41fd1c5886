"""Reading a workbook someone has edited: located problems for every kind of mistake."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from caseforchange.domain.problems import InvalidInput
from caseforchange.io.folder import load_programme
from caseforchange.io.workbook import read_workbook, write_workbook


@pytest.fixture
def workbook(small_folder: Path, tmp_path: Path) -> Path:
    """Return a workbook written from the small programme folder."""
    path = tmp_path / "in.xlsx"
    write_workbook(load_programme(small_folder).programme, path)
    return path


def edit(path: Path, change: Callable[[Workbook], None]) -> None:
    """Change a saved workbook with openpyxl, as a user would in Excel."""
    book = load_workbook(path)
    change(book)
    book.save(path)


def problems(path: Path) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        read_workbook(path)
    return [p.render() for p in caught.value.problems]


def test_text_in_a_number_cell(workbook: Path) -> None:
    edit(workbook, lambda b: b["Services"].__setitem__("E2", "lots"))
    [line] = problems(workbook)
    assert line.startswith(
        f"{workbook}:Services!E2: services[0].budget_gbp: 'lots' is not a number"
    )


def test_unknown_option_in_scores(workbook: Path) -> None:
    edit(workbook, lambda b: b["Scores"].__setitem__("A3", "nope"))
    [line] = problems(workbook)
    assert line.startswith(f"{workbook}:Scores!A3: scores[1].option: unknown option 'nope'")


def test_score_outside_its_scale(workbook: Path) -> None:
    edit(workbook, lambda b: b["Scores"].__setitem__("E4", 11))
    [line] = problems(workbook)
    assert line == (
        f"{workbook}:Scores!E4: scores[2].value: 11 is outside the scale 0..10 of criterion"
        " 'outcomes' (option 'stay', member 'chair')"
    )


def test_missing_required_column(workbook: Path) -> None:
    edit(workbook, lambda b: b["Options"].delete_cols(2))
    [line] = problems(workbook)
    assert line == f"{workbook}:Options!1:1: options: missing required column 'name'"


def test_missing_sheet(workbook: Path) -> None:
    edit(workbook, lambda b: b.remove(b["Criteria"]))
    [line] = problems(workbook)
    assert line == f"{workbook}: criteria: missing sheet 'Criteria'"


def test_unknown_column(workbook: Path) -> None:
    edit(workbook, lambda b: b["Options"].__setitem__("I1", "colour"))
    [line] = problems(workbook)
    assert line.startswith(f"{workbook}:Options!I1: options: unknown column 'colour' (allowed:")


def test_unknown_enumeration_value(workbook: Path) -> None:
    edit(workbook, lambda b: b["Services"].__setitem__("C3", "kids"))
    [line] = problems(workbook)
    assert line.startswith(
        f"{workbook}:Services!C3: services[1].client_group: 'kids' is not one of the choices"
    )
    assert "'children'" in line


def test_missing_required_value_points_at_the_empty_cell(workbook: Path) -> None:
    edit(workbook, lambda b: b["Organisations"].__setitem__("B3", None))
    [line] = problems(workbook)
    assert (
        line
        == f"{workbook}:Organisations!B3: organisations[1].name: is missing: a value is required"
    )


def test_unknown_programme_field_and_missing_title(workbook: Path) -> None:
    def change(book: Workbook) -> None:
        sheet = book["Programme"]
        for row in sheet.iter_rows(min_row=2):
            if row[0].value == "title":
                row[0].value = "titel"

    edit(workbook, change)
    lines = problems(workbook)
    assert lines[0].startswith(f"{workbook}:Programme!A3: titel: unknown field 'titel'")


def test_missing_programme_value(workbook: Path) -> None:
    edit(workbook, lambda b: b["Programme"].__setitem__("B3", None))
    assert problems(workbook) == [
        f"{workbook}:Programme!B3: title: is missing: a value is required"
    ]


def test_criterion_parent_must_be_above(workbook: Path) -> None:
    edit(workbook, lambda b: b["Criteria"].__setitem__("B4", "cost"))
    [line] = problems(workbook)
    assert line == (
        f"{workbook}:Criteria!B4: criteria.parent: parent 'cost' is not a criterion on a row"
        " above this one"
    )


def test_configuration_with_unknown_option_and_bad_destination(workbook: Path) -> None:
    def change(book: Workbook) -> None:
        book["Configuration"]["A2"] = "nowhere"
        book["Configuration"]["C3"] = "acute; mars"

    edit(workbook, change)
    lines = problems(workbook)
    assert lines == [
        f"{workbook}:Configuration!A2: configuration[0].option: unknown option 'nowhere'"
        " (not on the Options sheet)"
    ]
    edit(workbook, lambda b: b["Configuration"].__setitem__("A2", "vertical"))
    [line] = problems(workbook)
    assert line.startswith(
        f"{workbook}:Configuration!C3: options[1].configuration.aud: unknown destination"
        " organisation 'mars'"
    )


def test_bad_value_function_points(workbook: Path) -> None:
    edit(workbook, lambda b: b["Criteria"].__setitem__("K6", "0:1; 10"))
    [line] = problems(workbook)
    assert line.startswith(f"{workbook}:Criteria!K6: criteria[4].value_function_points: '10'")


def test_member_of_unknown_panel(workbook: Path) -> None:
    edit(workbook, lambda b: b["Members"].__setitem__("A3", "ghosts"))
    [line] = problems(workbook)
    assert line == f"{workbook}:Members!A3: members[1].panel: unknown panel 'ghosts'"


def test_every_problem_is_reported_at_once(workbook: Path) -> None:
    def change(book: Workbook) -> None:
        book["Services"]["D2"] = "niche"
        book["Scores"]["E2"] = "seven"

    edit(workbook, change)
    lines = problems(workbook)
    assert [line.split(": ")[0].split(":")[-1] for line in lines] == ["Services!D2", "Scores!E2"]


def test_what_excel_does_to_cells_is_undone(workbook: Path, small_folder: Path) -> None:
    """Excel turns typed ids into numbers and dates into datetimes; blank rows are skipped."""

    def change(book: Workbook) -> None:
        milestones = book["Milestones"]
        milestones["A2"] = 2010  # an id typed as a number
        milestones["C2"] = dt.datetime(2010, 10, 11)
        book["Activities"]["K2"] = 2010
        book["Activities"]["D2"] = "2010-09-22"  # a date typed as text
        book["Panels"]["D2"] = "2"  # a number typed as text
        book["Organisations"].insert_rows(3)  # a blank row in the middle
        book["Options"]["F2"] = "yes"

    edit(workbook, change)
    loaded = read_workbook(workbook).programme
    expected = load_programme(small_folder).programme
    assert loaded.milestones[0].id == "2010"
    assert loaded.activities[0].milestone == "2010"
    assert loaded.activities[0].date == dt.date(2010, 9, 22)
    assert loaded.panels[0].weight == 2.0
    assert [o.id for o in loaded.organisations] == [o.id for o in expected.organisations]


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    [line] = problems(path)
    assert line.startswith(f"{path}: (file): cannot read the workbook")
