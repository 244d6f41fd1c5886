"""The decision file's sheets: written from the programme, read back, errors at their cells."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from caseforchange.domain.problems import InvalidInput
from caseforchange.examples import example_path
from caseforchange.io.folder import load_programme
from caseforchange.io.workbook_read import read_workbook
from caseforchange.io.workbook_write import write_workbook


@pytest.fixture(scope="module")
def plymouth_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("book") / "plymouth.xlsx"
    write_workbook(load_programme(example_path("plymouth-2010")).programme, path)
    return path


def test_each_part_has_its_sheet(plymouth_book: Path) -> None:
    book = load_workbook(plymouth_book)
    for name in (
        "Envelope",
        "FinanceLines",
        "StaffMoves",
        "Risks",
        "Equality",
        "Assurance",
        "AssuranceEvidence",
        "MarketReview",
        "Turnovers",
        "Referrals",
    ):
        assert name in book.sheetnames, name
    lines = book["FinanceLines"]
    header = [c.value for c in lines[1]]
    assert header[:4] == ["option", "kind", "label", "amounts_gbp"]
    # amounts stay text, one per year: 61500000; 60300000; ...
    assert str(lines["D2"].value).startswith("61500000; 60300000")


def test_an_unknown_service_is_located_at_its_cell(plymouth_book: Path, tmp_path: Path) -> None:
    book = load_workbook(plymouth_book)
    book["StaffMoves"]["B3"] = "ghost-service"
    broken = tmp_path / "broken.xlsx"
    book.save(broken)
    with pytest.raises(InvalidInput) as caught:
        read_workbook(broken)
    rendered = [p.render() for p in caught.value.problems]
    assert any(
        r.startswith(f"{broken}:StaffMoves!B3: workforce.options[0].moves[1].service: unknown")
        for r in rendered
    ), rendered


def test_envelope_years_must_follow_the_first_year(plymouth_book: Path, tmp_path: Path) -> None:
    book = load_workbook(plymouth_book)
    book["Envelope"]["A3"] = 2013  # should be 2012
    broken = tmp_path / "years.xlsx"
    book.save(broken)
    with pytest.raises(InvalidInput) as caught:
        read_workbook(broken)
    assert any("Envelope!A3" in p.render() and "2012" in p.render() for p in caught.value.problems)
