"""The engagement area: stored engagement files, plan checks, response imports, report, export."""

from __future__ import annotations

import io
import re
import resource
import time
import zipfile
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.examples import example_path
from caseforchange.io.engagement_file import load_engagement
from caseforchange.io.sources import load_any
from caseforchange.io.workbook import write_workbook
from caseforchange.web.accounts.models import Membership, Role
from caseforchange.web.audit.models import AuditEntry
from caseforchange.web.consultation import repository as engagement_repository
from caseforchange.web.consultation.models import EngagementRecord, ResponseSet
from caseforchange.web.jobs.models import ResultStatus, StoredResult
from caseforchange.web.jobs.tasks import run_result
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.models import ProgrammeRecord

SHROPSHIRE = "shropshire-telford-2010"

#: Four respondents to the Shropshire questionnaire, in the shipped ``generic`` layout. The
#: email column must be dropped; "support" in lower case must be stored as "Support".
GOOD_CSV = (
    "respondent_id,submitted,group,email,support,respondent-type,priorities,comments\n"
    "1,2010-10-12,public,a@example.org,Support,Member of the public,"
    "Care close to home;Staying in the NHS,Keep services local\n"
    "2,2010-10-13,public,b@example.org,support,Member of the public,Care close to home,\n"
    "3,2010-10-20,staff-telford,,Oppose,Member of staff,Staying in the NHS,Worried about pensions\n"
    "4,11/11/2010,staff-telford,,Strongly support,Member of staff,Joined-up services,\n"
)


@pytest.fixture
def shropshire(users: dict[str, Any]) -> ProgrammeRecord:
    """The Shropshire example with its engagement.yaml, the same users holding the same roles."""
    root = example_path(SHROPSHIRE)
    loaded = load_engagement(root)
    row = repository.create(loaded.programme, "test", loaded.loaded.file_hashes, "example loaded")
    text = (root / "engagement.yaml").read_text(encoding="utf-8")
    engagement_repository.store(row, loaded.engagement, text, "engagement.yaml", "test")
    for name, role in (
        ("lead", Role.LEAD),
        ("facilitator", Role.FACILITATOR),
        ("viewer", Role.VIEWER),
    ):
        Membership.objects.create(user=users[name], programme=row, role=role)
    return row


def _upload(client: Any, csv_text: str, name: str = "answers.csv", **extra: Any) -> Any:
    data = {
        "file": SimpleUploadedFile(name, csv_text.encode("utf-8"), content_type="text/csv"),
        "mapping": "generic",
        "questionnaire": "written-consultation",
        **extra,
    }
    return client.post(f"/programmes/{SHROPSHIRE}/engagement/responses/", data)


def _table(html: str, table_id: str) -> str:
    """Return one table's HTML, so a check cannot be satisfied by another part of the page."""
    match = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert match, f"no table {table_id}"
    return match.group(0)


def _row(table: str, answer: str) -> list[str]:
    """Return the cells of the row for ``answer`` as text."""
    match = re.search(rf'<tr[^>]*data-answer="{re.escape(answer)}".*?</tr>', table, re.S)
    assert match, f"no row for {answer}"
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd].*?</t[hd]>", match[0])]


def test_examples_load_with_their_engagement_files(db: Any) -> None:
    call_command("load_examples", stdout=io.StringIO())
    stored = {r.programme.slug: r for r in EngagementRecord.objects.select_related("programme")}
    assert set(stored) == {SHROPSHIRE, "leicester-children-2010"}
    for slug, record in stored.items():
        root = example_path(slug)
        # The same meaning as the engine reads from the folder, and the text as shipped.
        expected = load_engagement(root).engagement
        row = ProgrammeRecord.objects.get(slug=slug)
        state = engagement_repository.load(row, repository.to_programme(row))
        assert state.engagement == expected and state.usable
        assert record.source_text == (root / "engagement.yaml").read_text(encoding="utf-8")
        assert AuditEntry.objects.filter(
            programme=slug, action="engagement file stored", target=f"{slug}:engagement.yaml"
        ).exists()
    # Loading again changes nothing.
    call_command("load_examples", stdout=io.StringIO())
    assert EngagementRecord.objects.count() == 2


def test_overview_warns_of_a_short_consultation(as_user: Any, shropshire: ProgrammeRecord) -> None:
    page = as_user("viewer").get(f"/programmes/{SHROPSHIRE}/engagement/")
    html = page.content.decode()
    assert page.status_code == 200
    # By hand: 11 Oct to 17 Dec 2010 counting both ends is 21 (Oct 11-31) + 30 (Nov)
    # + 17 (Dec 1-17) = 68 days, 68 / 7 = 9.7 weeks, under the 12-week minimum.
    callout = re.search(r'id="plan-warnings".*?</ul>', html, re.S)
    assert callout, "the plan warnings are not in a warning callout"
    assert "Written public consultation (10 weeks)" in callout[0]
    assert (
        "written consultation runs 9.7 weeks (2010-10-11 to 2010-12-17, 68 days), "
        "shorter than the minimum of 12 weeks" in callout[0]
    )
    # Both charts, as images with text alternatives, and the plan tables.
    assert 'id="timeline-chart"' in html and 'id="stakeholder-map-chart"' in html
    assert html.count('src="data:image/svg+xml;base64,') == 2
    assert "Timeline of " in html and "Scatter of " in html
    assert "Written public consultation (10 weeks)" in _table(html, "activities-table")
    assert "11 Oct 2010 to 17 Dec 2010" in _table(html, "activities-table")
    milestones = _table(html, "milestones-table")
    assert "Launch of the written consultation" in milestones and "Not dated" in milestones
    # A viewer sees no upload form.
    assert 'name="engagement"' not in html


def test_good_upload_shows_shares_by_hand(as_user: Any, shropshire: ProgrammeRecord) -> None:
    lead = as_user("lead")
    response = _upload(lead, GOOD_CSV)
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = ResponseSet.objects.get()
    assert stored.rows == 4 and stored.dropped == ["email"]
    assert "example.org" not in stored.csv_text
    # Ids are pseudonyms (r- and 16 hex digits), not the survey tool's 1, 2, 3, 4.
    first = stored.csv_text.splitlines()[1].split(",")
    assert re.fullmatch(r"r-[0-9a-f]{16}", first[0]) and first[1:3] == ["public", "2010-10-12"]
    entry = AuditEntry.objects.get(action="responses imported")
    assert entry.target == f"{SHROPSHIRE}:responses[written-consultation]"
    assert entry.after == {
        "rows": 4,
        "sha256": stored.file_sha256,
        "file": "answers.csv",
        "mapping": "generic",
        "dropped_columns": ["email"],
    }
    assert entry.actor == "user lead" and entry.before is None

    page = lead.get(response["Location"])
    html = page.content.decode()
    assert "Imported 4 responses" in html
    support = _table(html, "shares-support")
    # 4 answers: Support 2 (50.0%), Strongly support 1, Oppose 1 (25.0% each), the rest 0.
    # Wilson 95%, z = 1.96: for 2 of 4 the centre is (0.5 + z²/8) / (1 + z²/4) = 0.5 and the
    # half-width z·sqrt(0.25/4 + z²/64) / (1 + z²/4) = 0.350, so 15.0% to 85.0%; for 1 of 4,
    # centre (0.25 + 0.480) / 1.960 = 0.3726 and half-width 1.96·sqrt(0.0469 + 0.0600) / 1.960
    # = 0.3269, so 4.6% to 69.9%; for 0 of 4, 0.0% to 2·0.480 / 1.960 = 49.0%.
    assert _row(support, "Support") == ["Support", "2", "50.0%", "15.0% to 85.0%"]
    assert _row(support, "Strongly support") == ["Strongly support", "1", "25.0%", "4.6% to 69.9%"]
    assert _row(support, "Oppose") == ["Oppose", "1", "25.0%", "4.6% to 69.9%"]
    assert _row(support, "Neither") == ["Neither", "0", "0.0%", "0.0% to 49.0%"]
    # By group, public [0, 2, 0] and staff [1, 0, 1] over Strongly support / Support / Oppose
    # (empty answers dropped); every expected count is 2·c/4 = 0.5, 1, 0.5, so
    # chi² = 2·(0.5 + 1 + 0.5) = 4.00 on (2-1)(3-1) = 2 df, p = exp(-4/2) = 0.135.
    assert "chi² = 4.00, 2 degrees of freedom, p = 0.135" in html
    assert "The wider public" in _table(html, "groups-support")
    assert 'id="chart-support"' in html
    # Multi-select: shares of the 4 respondents; two ticked "Care close to home".
    priorities = _table(html, "shares-priorities")
    assert _row(priorities, "Care close to home")[:3] == ["Care close to home", "2", "50.0%"]
    assert "no chi-square test" in html
    assert "2 respondents answered." in html  # the open question
    assert "example.org" not in html

    report = lead.get(f"/programmes/{SHROPSHIRE}/engagement/consultation-report.html")
    assert report.status_code == 200 and b"Consultation report" in report.content
    assert b"Strongly support" in report.content
    docx = as_user("viewer").get(f"/programmes/{SHROPSHIRE}/engagement/consultation-report.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_missing_column_is_located_and_nothing_is_stored(
    as_user: Any, shropshire: ProgrammeRecord
) -> None:
    lead = as_user("lead")
    no_id = GOOD_CSV.replace("respondent_id,", "", 1).replace("\n1,", "\n").replace("\n2,", "\n")
    no_id = re.sub(r"\n[34],", "\n", no_id)
    page = _upload(lead, no_id, name="no-ids.csv")
    html = page.content.decode()
    assert page.status_code == 200
    assert "There is a problem" in html
    assert "no-ids.csv:1: header: mapping &#39;generic&#39; expects a respondent id column" in html
    assert "&#39;respondent_id&#39;" in html
    assert "/tmp" not in html and "cfc-" not in html
    # A bad answer on line 3 is named by file, line and column; still nothing is stored.
    bad = GOOD_CSV.replace("support,Member of the public", "Maybe,Member of the public")
    html = _upload(lead, bad, name="bad.csv").content.decode()
    assert "bad.csv:3: support: &#39;Maybe&#39; is not an option" in html
    assert ResponseSet.objects.count() == 0
    assert not AuditEntry.objects.filter(action="responses imported").exists()


def test_only_leads_upload(as_user: Any, shropshire: ProgrammeRecord) -> None:
    for name in ("viewer", "facilitator"):
        client = as_user(name)
        assert _upload(client, GOOD_CSV).status_code == 403
        yaml_file = SimpleUploadedFile("engagement.yaml", b"settings: {}\n")
        refused = client.post(
            f"/programmes/{SHROPSHIRE}/engagement/engagement.yaml", {"engagement": yaml_file}
        )
        assert refused.status_code == 403
        # They still see the pages, without the forms.
        page = client.get(f"/programmes/{SHROPSHIRE}/engagement/responses/")
        assert page.status_code == 200 and 'name="file"' not in page.content.decode()
    assert as_user("outsider").get(f"/programmes/{SHROPSHIRE}/engagement/").status_code == 403
    assert ResponseSet.objects.count() == 0
    assert EngagementRecord.objects.get().revision == 1


def test_engagement_file_upload_is_validated_and_replaces(
    as_user: Any, shropshire: ProgrammeRecord
) -> None:
    lead = as_user("lead")
    url = f"/programmes/{SHROPSHIRE}/engagement/engagement.yaml"
    original = lead.get(url)
    assert original.status_code == 200
    text = original.content.decode()
    broken = text.replace("activity: written-consultation", "activity: no-such-activity")
    page = lead.post(url, {"engagement": SimpleUploadedFile("engagement.yaml", broken.encode())})
    html = page.content.decode()
    line = broken.splitlines().index("    activity: no-such-activity") + 1
    assert f"engagement.yaml:{line}: questionnaires[0].activity: unknown activity" in html
    assert EngagementRecord.objects.get().revision == 1
    # Responses to a questionnaire whose questions change are removed with the new file.
    assert _upload(lead, GOOD_CSV).status_code == 302
    changed = text.replace("Is there anything else", "Anything else")
    ok = lead.post(url, {"engagement": SimpleUploadedFile("engagement.yaml", changed.encode())})
    assert ok.status_code == 302
    assert EngagementRecord.objects.get().revision == 2
    assert ResponseSet.objects.count() == 0
    assert AuditEntry.objects.filter(action="engagement file replaced").exists()
    assert AuditEntry.objects.filter(action="responses removed (questionnaire changed)").exists()


def _folder_zip(slug: str, extra: dict[str, bytes] | None = None) -> bytes:
    root = example_path(slug)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("programme.yaml", "scores.csv", "engagement.yaml"):
            archive.write(root / name, f"{slug}/{name}")
        for name, data in (extra or {}).items():
            archive.writestr(f"{slug}/{name}", data)
    return buffer.getvalue()


def test_folder_import_and_export_keep_engagement_yaml(
    as_user: Any, programme: ProgrammeRecord
) -> None:
    lead = as_user("lead")
    upload = SimpleUploadedFile("shropshire.zip", _folder_zip(SHROPSHIRE))
    assert lead.post("/programmes/import/", {"file": upload}).status_code == 302
    row = ProgrammeRecord.objects.get(slug=SHROPSHIRE)
    assert EngagementRecord.objects.filter(programme=row).exists()
    assert _upload(lead, GOOD_CSV).status_code == 302

    exported = lead.get(f"/programmes/{SHROPSHIRE}/export/folder/")
    assert exported.status_code == 200
    with zipfile.ZipFile(io.BytesIO(exported.content)) as archive:
        names = set(archive.namelist())
        text = archive.read(f"{SHROPSHIRE}/engagement.yaml").decode("utf-8")
        responses = archive.read(f"{SHROPSHIRE}/responses/written-consultation.csv").decode()
    assert {f"{SHROPSHIRE}/programme.yaml", f"{SHROPSHIRE}/scores.csv"} <= names
    original = (example_path(SHROPSHIRE) / "engagement.yaml").read_text(encoding="utf-8")
    programme_now = repository.to_programme(row)
    again = engagement_repository.parse_engagement(text, "engagement.yaml", programme_now)
    assert again == load_engagement(example_path(SHROPSHIRE)).engagement
    assert text == original  # comments (the provenance notes) survive too
    assert responses.splitlines()[0].startswith("respondent,group,submitted,support")
    assert "example.org" not in responses


def test_folder_import_with_a_bad_engagement_file_stores_nothing(
    as_user: Any, programme: ProgrammeRecord
) -> None:
    bad = (example_path(SHROPSHIRE) / "engagement.yaml").read_text(encoding="utf-8")
    bad = bad.replace("group: links", "group: no-such-group")
    data = _folder_zip(SHROPSHIRE)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename.endswith("engagement.yaml"):
                body = bad.encode("utf-8")
            target.writestr(item.filename, body)
    upload = SimpleUploadedFile("shropshire.zip", buffer.getvalue())
    page = as_user("lead").post("/programmes/import/", {"file": upload})
    html = page.content.decode()
    assert page.status_code == 200
    line = bad.splitlines().index(next(x for x in bad.splitlines() if "no-such-group" in x)) + 1
    assert f"shropshire.zip: engagement.yaml:{line}: ballots[0].results[2].group" in html
    assert not ProgrammeRecord.objects.filter(slug=SHROPSHIRE).exists()
    assert not EngagementRecord.objects.exists()


def test_every_example_renders_its_engagement_pages(db: Any) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from caseforchange.examples import EXAMPLE_IDS

    call_command("load_examples", stdout=io.StringIO())
    admin = get_user_model().objects.create_superuser("root", password="a-test-password-123")
    client = Client()
    client.force_login(admin)
    for slug in EXAMPLE_IDS:
        base = f"/programmes/{slug}/engagement/"
        for path in (base, base + "responses/", base + "consultation-report.html"):
            response = client.get(path)
            assert response.status_code == 200, (path, response.content[:1000])
    # Leicester's stored workshop reaches the report built from the database.
    report = client.get("/programmes/leicester-children-2010/engagement/consultation-report.html")
    assert b"Workshop: " in report.content and b"You said, we did" in report.content
    none_stored = client.get("/programmes/hertfordshire-2007/engagement/").content.decode()
    assert "No engagement file is stored" in none_stored


def test_a_programme_edit_that_breaks_the_file_is_shown(
    as_user: Any, shropshire: ProgrammeRecord
) -> None:
    # Remove the activity the staff ballot belongs to. Nothing else in the programme refers to
    # it, so the edit is a valid programme and is saved the way the editor saves one; only the
    # engagement file breaks. (The questionnaire's activity would not do: the programme's own
    # assurance evidence cites it, so removing it is refused as a programme edit.)
    data = repository.data_of(shropshire)
    data["activities"] = [a for a in data["activities"] if a["id"] != "staff-ballot"]
    edited = repository.validate(data, "the edit")
    repository.save(shropshire, edited, "test", "programme edited", shropshire.revision)
    lead = as_user("lead")
    html = lead.get(f"/programmes/{SHROPSHIRE}/engagement/").content.decode()
    assert "The engagement file no longer matches the programme" in html
    assert "ballots[0].activity: unknown activity &#39;staff-ballot&#39;" in html
    refused = _upload(lead, GOOD_CSV).content.decode()
    assert "unknown activity" in refused and ResponseSet.objects.count() == 0
    report = lead.get(f"/programmes/{SHROPSHIRE}/engagement/consultation-report.html")
    assert report.status_code == 302


def test_own_mapping_file(as_user: Any, shropshire: ProgrammeRecord) -> None:
    lead = as_user("lead")
    broken = SimpleUploadedFile("mine.yaml", b"name: mine\nextends: generic\ndelimiter: ';;'\n")
    html = _upload(lead, GOOD_CSV, mapping="own", mapping_file=broken).content.decode()
    assert "mine.yaml:3: delimiter:" in html
    assert 'href="#f-mapping"' in html and ResponseSet.objects.count() == 0
    # Choosing a shipped mapping while also sending a file is ambiguous, so it is refused.
    extra = SimpleUploadedFile("mine.yaml", b"name: mine\nextends: generic\n")
    html = _upload(lead, GOOD_CSV, mapping_file=extra).content.decode()
    assert "you chose the shipped mapping" in html and ResponseSet.objects.count() == 0
    # Only shipped names are accepted: never a path on the server.
    html = _upload(lead, GOOD_CSV, mapping="/etc/passwd").content.decode()
    assert "Choose a mapping (decidim, generic, timestamped-form" in html
    good = SimpleUploadedFile("mine.yaml", b"name: mine\nextends: generic\n")
    assert _upload(lead, GOOD_CSV, mapping="own", mapping_file=good).status_code == 302
    assert ResponseSet.objects.get().mapping == "mine"


# Uploads: located errors with the user's file name, no 500, encodings (issues 10, 11).

UPLOAD_URL = f"/programmes/{SHROPSHIRE}/engagement/responses/"


def _post(client: Any, data: bytes, name: str, **extra: Any) -> Any:
    form = {
        "file": SimpleUploadedFile(name, data),
        "mapping": "generic",
        "questionnaire": "written-consultation",
        **extra,
    }
    return client.post(UPLOAD_URL, form)


def test_free_text_column_under_generic_is_located(
    as_user: Any,
    shropshire: ProgrammeRecord,
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
    tmp_path: Any,
) -> None:
    path = tmp_path / "book.xlsx"
    write_workbook(load_any(example_path(SHROPSHIRE)).programme, path)
    page = _post(as_user("lead"), path.read_bytes(), "book.xlsx")
    assert page.status_code == 200
    assert "book.xlsx: (file): this is a programme workbook" in page.content.decode()


def test_a_sheet_too_large_is_refused_from_its_dimensions(
    as_user: Any,
    shropshire: ProgrammeRecord,
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
    shropshire: ProgrammeRecord,
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
    shropshire: ProgrammeRecord,
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


REPORT = f"/programmes/{SHROPSHIRE}/engagement/consultation-report"


@pytest.mark.parametrize("name", ["admin", "lead", "facilitator", "viewer", "outsider"])
def test_consultation_report_by_role(
    as_user: Any, shropshire: ProgrammeRecord, settings: Any, name: str
) -> None:
    settings.JOBS_MODE = "database"  # no worker: each format's job waits in the queue
    client = as_user(name)
    for fmt in ("html", "docx"):
        response = client.get(f"{REPORT}.{fmt}")
        if name == "outsider":
            assert response.status_code == 403
            continue
        assert response.status_code == 200 and "being built" in response.content.decode()
    kinds = set(StoredResult.objects.values_list("kind", flat=True))
    assert kinds == (set() if name == "outsider" else {"consultation.html", "consultation.docx"})
    assert client.get(f"{REPORT}.odt").status_code == (403 if name == "outsider" else 404)


def test_consultation_report_is_built_once_per_inputs(
    as_user: Any, shropshire: ProgrammeRecord, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from caseforchange.reports import consultation

    built: list[int] = []
    real = consultation.build_consultation

    def counting(loaded: Any) -> Any:
        built.append(1)
        return real(loaded)

    monkeypatch.setattr(consultation, "build_consultation", counting)
    settings.JOBS_MODE = "database"
    lead, viewer = as_user("lead"), as_user("viewer")
    assert _upload(lead, GOOD_CSV).status_code == 302

    waiting = viewer.get(f"{REPORT}.html").content.decode()
    job = StoredResult.objects.get(kind="consultation.html")
    assert job.status == ResultStatus.QUEUED and built == []  # nothing built in the request
    assert f'hx-get="/jobs/{job.pk}/?next={REPORT}.html"' in waiting
    assert "Consultation report (HTML)" in waiting
    assert run_result(job.pk) == "built" and built == [1]  # what the worker does

    first = viewer.get(f"{REPORT}.html")
    again = lead.get(f"{REPORT}.html")
    assert first.status_code == 200 and b"Strongly support" in first.content
    assert (
        first.content == again.content == bytes(StoredResult.objects.get(pk=job.pk).payload_bytes)
    )
    assert (
        'filename="shropshire-telford-2010-consultation-report.html"'
        in first["Content-Disposition"]
    )
    assert built == [1] and StoredResult.objects.count() == 1  # served, not built again

    # A new import makes a new result; the old one is not served for the new responses.
    fewer = "\n".join(GOOD_CSV.splitlines()[:3]) + "\n"
    assert _upload(lead, fewer).status_code == 302
    viewer.get(f"{REPORT}.html")
    newer = StoredResult.objects.exclude(pk=job.pk).get(kind="consultation.html")
    assert run_result(newer.pk) == "built" and built == [1, 1]
    newer.refresh_from_db()
    assert viewer.get(f"{REPORT}.html").content == bytes(newer.payload_bytes)
    assert bytes(newer.payload_bytes) != first.content


def test_a_consultation_report_that_cannot_be_built_says_why(
    as_user: Any, shropshire: ProgrammeRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    from caseforchange.reports import consultation

    def refuse(loaded: Any) -> Any:
        raise InvalidInput([Problem(("codebook",), "a refused codebook", "text/q.yaml")])

    monkeypatch.setattr(consultation, "build_consultation", refuse)
    viewer = as_user("viewer")
    response = viewer.get(f"{REPORT}.html")
    assert response.status_code == 302 and response["Location"].endswith("/engagement/")
    assert StoredResult.objects.get().status == ResultStatus.FAILED
    page = viewer.get(response["Location"]).content.decode()
    assert "The consultation report cannot be built: text/q.yaml" in page
    assert "a refused codebook" in page
