"""Survey uploads on the web: located errors with the user's file name, no 500, encodings."""

from __future__ import annotations

import io
import re
import resource
import time
import zipfile
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from caseforchange.examples import example_path
from caseforchange.io.sources import load_any
from caseforchange.io.workbook import write_workbook
from caseforchange.web.consultation.models import ResponseSet
from caseforchange.web.programmes.models import ProgrammeRecord
from tests.web.test_consultation import GOOD_CSV, SHROPSHIRE, shropshire  # noqa: F401

URL = f"/programmes/{SHROPSHIRE}/engagement/responses/"


def _post(client: Any, data: bytes, name: str, **extra: Any) -> Any:
    form = {
        "file": SimpleUploadedFile(name, data),
        "mapping": "generic",
        "questionnaire": "written-consultation",
        **extra,
    }
    return client.post(URL, form)


def test_free_text_column_under_generic_is_located(
    as_user: Any,
    shropshire: ProgrammeRecord,  # noqa: F811
) -> None:
    data = b"respondent_id,support,Any other comments\n1,Support,hello\n"
    page = _post(as_user("lead"), data, "mine.csv")
    html = page.content.decode()
    assert page.status_code == 200
    assert "mine.csv:1: header: column &#39;Any other comments&#39; is not a question id" in html
    assert ResponseSet.objects.count() == 0


def test_programme_workbook_uploaded_as_responses(
    as_user: Any,
    shropshire: ProgrammeRecord,
    tmp_path: Any,  # noqa: F811
) -> None:
    path = tmp_path / "book.xlsx"
    write_workbook(load_any(example_path(SHROPSHIRE)).programme, path)
    page = _post(as_user("lead"), path.read_bytes(), "book.xlsx")
    assert page.status_code == 200
    assert "book.xlsx: (file): this is a programme workbook" in page.content.decode()


def test_a_sheet_too_large_is_refused_from_its_dimensions(
    as_user: Any,
    shropshire: ProgrammeRecord,  # noqa: F811
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["respondent_id", "support"])
    raw = io.BytesIO()
    book.save(raw)
    # Claim 3 million rows in the sheet's header, as a 0.9 MB export once did.
    source = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:B3000000"/>', body)
            target.writestr(item, body)
    lead = as_user("lead")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.process_time()
    page = _post(lead, out.getvalue(), "huge.xlsx")
    assert time.process_time() - started < 2
    # ru_maxrss is in KiB on Linux: the refusal must not grow the process by 200 MB.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024
    html = page.content.decode()
    assert "huge.xlsx:Sheet!A1: (file): the sheet is 3,000,000 rows by 2 columns" in html


def test_cp1252_is_detected_and_the_choice_is_shown(
    as_user: Any,
    shropshire: ProgrammeRecord,  # noqa: F811
) -> None:
    text = GOOD_CSV.replace("Keep services local", "Keep services local – £5 café")
    lead = as_user("lead")
    response = _post(lead, text.encode("cp1252"), "windows.csv")
    assert response.status_code == 302, response.content.decode()[:2000]
    page = lead.get(response["Location"]).content.decode()
    assert "Text read as cp1252 (detected)" in page
    assert "£5 café" in ResponseSet.objects.get().csv_text


def test_chosen_encoding_is_used_and_shown(
    as_user: Any,
    shropshire: ProgrammeRecord,  # noqa: F811
) -> None:
    lead = as_user("lead")
    response = _post(lead, GOOD_CSV.encode("utf-16"), "unicode.csv", encoding="utf-16")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Text read as utf-16 (as chosen)" in lead.get(response["Location"]).content.decode()
    # A wrong choice is a located error, not a 500.
    page = _post(lead, GOOD_CSV.encode("utf-16"), "unicode.csv", encoding="utf-8")
    assert page.status_code == 200 and "unicode.csv:1: (file): not utf-8 text" in (
        page.content.decode()
    )
