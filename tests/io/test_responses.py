"""Importing survey exports: mapping, privacy, pseudonyms, and all-or-nothing on bad input."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from caseforchange.domain.problems import InvalidInput
from caseforchange.io.engagement_file import load_engagement
from caseforchange.io.responses import (
    SALT_FILE,
    builtin_mappings,
    import_responses,
    load_mapping,
    parse_date,
    responses_path,
)
from tests.engagement.helpers import DECIDIM_EXPORT, write_engagement, write_export


def _import(folder: Path, text: str = DECIDIM_EXPORT, name: str = "export.csv"):  # type: ignore[no-untyped-def]
    loaded = load_engagement(write_engagement(folder))
    export = write_export(folder, text, name)
    return import_responses(loaded, export, load_mapping(folder.parent / "mapping.yaml"))


def _rows(folder: Path) -> list[dict[str, str]]:
    with responses_path(folder, "survey").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_shipped_mappings() -> None:
    assert {"decidim", "generic", "timestamped-form"} <= set(builtin_mappings())
    for name in builtin_mappings():
        assert load_mapping(name).name == name


def test_decidim_import_drops_ip_and_pseudonymises(small_folder: Path) -> None:
    summary = _import(small_folder)
    assert summary.rows == 4 and summary.dropped == ["ip_hash"]
    rows = _rows(small_folder)
    assert list(rows[0]) == [
        "respondent",
        "group",
        "submitted",
        "support",
        "who",
        "matters",
        "comments",
    ]
    assert rows[0]["group"] == "Staff" and rows[0]["submitted"] == "2010-10-12"
    assert rows[2]["comments"] == "Please, think of\nrural areas"
    text = responses_path(small_folder, "survey").read_text(encoding="utf-8")
    # Neither the IP hash nor the export's own respondent id (101) survives as a cell; "101"
    # as a substring could occur by chance inside a salted pseudonym's hex digits.
    assert "9f86d081884c" not in text
    assert not any(cell == "101" for row in rows for cell in row.values())
    first = rows[0]["respondent"]
    assert first.startswith("r-") and len(first) == 18
    # Stable: the same export imported again gives the same ids (the salt is kept).
    assert (small_folder / SALT_FILE).exists()
    _import(small_folder)
    assert _rows(small_folder)[0]["respondent"] == first


def test_personal_columns_are_dropped_unless_kept(small_folder: Path) -> None:
    loaded = load_engagement(write_engagement(small_folder))
    export = small_folder.parent / "generic.csv"
    export.write_text(
        "respondent_id,submitted,group,Email,Name,support\n"
        "a1,11/10/2010,staff,a@example.org,Ann,Yes\n",
        encoding="utf-8",
    )
    summary = import_responses(loaded, export, load_mapping("generic"))
    assert sorted(summary.dropped) == ["Email", "Name"]
    assert "a@example.org" not in responses_path(small_folder, "survey").read_text()
    keep = small_folder.parent / "keep.yaml"
    keep.write_text("name: keep\nextends: generic\nkeep: [Email]\n", encoding="utf-8")
    summary = import_responses(loaded, export, load_mapping(keep))
    assert summary.kept == ["Email"] and summary.dropped == ["Name"]
    assert "a@example.org" in responses_path(small_folder, "survey").read_text()


def test_xlsx_import(small_folder: Path) -> None:
    from openpyxl import Workbook

    loaded = load_engagement(write_engagement(small_folder))
    book = Workbook()
    sheet = book.active
    sheet.append(["respondent_id", "submitted", "group", "support", "matters"])
    sheet.append([1, "2010-10-12", "staff", "yes", "NHS;Quality"])
    sheet.append([2, "2010-10-13", "public", "Not sure", None])
    path = small_folder.parent / "export.xlsx"
    book.save(path)
    summary = import_responses(loaded, path, load_mapping("generic"))
    assert summary.rows == 2
    rows = _rows(small_folder)
    assert rows[0]["support"] == "Yes"  # spelt as in the questionnaire
    assert rows[0]["matters"] == "NHS;Quality"


BAD_CASES = [
    pytest.param(
        DECIDIM_EXPORT.replace(",4. Anything else?", ""),
        ":1: header: mapping 'test-decidim' takes questions by position: the export has 3",
        id="columns-do-not-match",
    ),
    pytest.param(
        DECIDIM_EXPORT.replace("registered,Not sure", "registered,Perhaps"),
        ":6: support: 'Perhaps' is not an option of closed question 'support'",
        id="answer-outside-options",
    ),
    pytest.param(
        DECIDIM_EXPORT.replace("2010-10-13 10:00:00 UTC", "13th of Octember"),
        ":3: created_at: '13th of Octember' is not a date",
        id="date-does-not-parse",
    ),
    pytest.param(
        DECIDIM_EXPORT.replace("104,", "102,"),
        ":6: id: respondent id '102' was already given on line 3",
        id="duplicated-respondent",
    ),
    pytest.param("", ": (file): the file is empty", id="empty-file"),
    pytest.param(
        DECIDIM_EXPORT.splitlines()[0] + "\n",
        ": (file): the file has a header but no responses",
        id="header-only",
    ),
    pytest.param(
        DECIDIM_EXPORT.replace("Local care;NHS", "Local care;Parking"),
        ":2: matters: 'Parking' is not an option of multi_select question 'matters'",
        id="multi-select-outside-options",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BAD_CASES)
def test_bad_input_is_located_and_nothing_is_written(
    small_folder: Path, text: str, expected: str
) -> None:
    _import(small_folder)  # a good import first: a bad one must not touch it
    before = responses_path(small_folder, "survey").read_bytes()
    with pytest.raises(InvalidInput) as caught:
        _import(small_folder, text, "bad.csv")
    rendered = "\n".join(p.render() for p in caught.value.problems)
    assert f"{small_folder.parent / 'bad.csv'}{expected}" in rendered, rendered
    assert responses_path(small_folder, "survey").read_bytes() == before
    leftovers = [p.name for p in (small_folder / "responses").iterdir()]
    assert leftovers == ["survey.csv"]


def test_nothing_written_when_first_import_fails(small_folder: Path) -> None:
    with pytest.raises(InvalidInput):
        _import(small_folder, DECIDIM_EXPORT.replace("No,Public", "Nope,Public"), "bad.csv")
    assert not responses_path(small_folder, "survey").exists()


def test_explicit_mapping_rejects_unmapped_columns(small_folder: Path) -> None:
    loaded = load_engagement(write_engagement(small_folder))
    export = small_folder.parent / "e.csv"
    export.write_text("rid,Q1,Extra\nx,Yes,1\n", encoding="utf-8")
    mapping = small_folder.parent / "m.yaml"
    mapping.write_text(
        "name: m\nquestionnaire: survey\nid_column: rid\n"
        "questions:\n  - {column: Q1, id: support, type: closed}\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as caught:
        import_responses(loaded, export, load_mapping(mapping))
    assert "column 'Extra' is not in mapping 'm'" in str(caught.value)


def test_mapping_file_errors_are_located(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("name: m\ndelimiter: ';;'\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_mapping(path)
    assert caught.value.problems[0].render().startswith(f"{path}:2: delimiter:")


def test_parse_date_forms() -> None:
    assert parse_date("2010-10-11 09:00:00 UTC").isoformat() == "2010-10-11"
    assert parse_date("11/10/2010").isoformat() == "2010-10-11"
    with pytest.raises(ValueError):
        parse_date("10/31/2010")


GENERIC_HEADER = "respondent_id,submitted,group,support,comments"


def _generic(folder: Path, data: bytes, name: str = "e.csv"):  # type: ignore[no-untyped-def]
    loaded = load_engagement(write_engagement(folder))
    export = folder.parent / name
    export.write_bytes(data)
    return import_responses(loaded, export, load_mapping("generic"))


def test_free_text_column_under_generic_is_a_located_error(small_folder: Path) -> None:
    data = b"respondent_id,support,Any other comments\n1,Yes,hello\n"
    with pytest.raises(InvalidInput) as caught:
        _generic(small_folder, data)
    text = str(caught.value)
    assert f"{small_folder.parent / 'e.csv'}:1: header: column 'Any other comments'" in text
    assert not (small_folder / SALT_FILE).exists() and not (small_folder / "responses").exists()


def test_semicolon_export_gets_a_hint(small_folder: Path) -> None:
    data = (GENERIC_HEADER.replace(",", ";") + "\n1;2010-10-12;Staff;Yes;x\n").encode()
    with pytest.raises(InvalidInput) as caught:
        _generic(small_folder, data)
    assert "looks ';'-separated" in caught.value.problems[0].message


@pytest.mark.parametrize("encoding", ["utf-16", "cp1252", "utf-8-sig"])
def test_encodings_read_without_being_named(small_folder: Path, encoding: str) -> None:
    text = f"{GENERIC_HEADER}\n1,2010-10-12,Staff,Yes,café £5\n"
    summary = _generic(small_folder, text.encode(encoding))
    assert summary.decoded is not None and summary.decoded.guessed
    assert _rows(small_folder)[0]["comments"] == "café £5"


def test_programme_workbook_is_not_a_survey_export(small_folder: Path) -> None:
    from caseforchange.io.folder import load_programme
    from caseforchange.io.workbook import write_workbook

    book = small_folder.parent / "programme.xlsx"
    write_workbook(load_programme(small_folder).programme, book)
    with pytest.raises(InvalidInput) as caught:
        _generic(small_folder, book.read_bytes(), "programme.xlsx")
    assert "this is a programme workbook" in caught.value.problems[0].message


def test_salt_file_is_private(small_folder: Path) -> None:
    _generic(small_folder, f"{GENERIC_HEADER}\n1,2010-10-12,Staff,Yes,x\n".encode())
    assert (small_folder / SALT_FILE).stat().st_mode & 0o777 == 0o600
