"""Free-text coding in the browser: codebook, coding, model proposals, review queue, ledger."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from caseforchange.web.audit.chain import verify
from caseforchange.web.audit.models import AuditEntry
from caseforchange.web.consultation import coding, dispatch
from caseforchange.web.consultation.models import CodebookTheme, QuestionCodebook, TextCoding
from caseforchange.web.jobs.models import ResultStatus, StoredResult
from caseforchange.web.jobs.tasks import run_result
from caseforchange.web.programmes.models import ProgrammeRecord
from tests.web.test_consultation import SHROPSHIRE, shropshire  # noqa: F401 (a fixture)

BASE = f"/programmes/{SHROPSHIRE}/engagement/text/written-consultation/comments/"
HOSTILE = '=HYPERLINK("http://evil.example/","click me")'
SCRIPT = "<script>alert('x')</script> the car park is full, mail jane.doe@example.org"

#: Answers whose theme is obvious from the words: parking, or staff pensions.
PARKING = [
    "The car park is always full and parking costs too much.",
    "Parking at the hospital is impossible, there are never any spaces in the car park.",
    "Please build more parking spaces, the car park is too small.",
    "I could not find a parking space and missed my appointment; the car park was full.",
    "Car parking charges are too high and the car park is full by nine.",
    "More car parking please, the spaces fill up early.",
    "The car park needs more spaces for disabled parking.",
    "Parking is the biggest problem: the car park is full every day.",
]
PENSIONS = [
    "Staff must keep their NHS pension after the transfer.",
    "Will new staff still get the NHS pension scheme?",
    "My pension is my main worry; keep staff in the NHS pension.",
    "Protect staff pensions and terms and conditions in the new trust.",
    "The NHS pension for staff must not be lost in the transfer.",
    "I worry about my pension and whether new staff join the pension scheme.",
    "Staff pensions are the key issue for the workforce.",
    "Guarantee the NHS pension for every member of staff.",
]


def _answers() -> list[str]:
    """Sixteen readable answers, a hostile one, a script one and one left empty."""
    return [*PARKING, *PENSIONS, HOSTILE, SCRIPT, ""]


def _export(answers: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "respondent_id",
            "submitted",
            "group",
            "email",
            "support",
            "respondent-type",
            "priorities",
            "comments",
        ]
    )
    for n, text in enumerate(answers, start=1):
        writer.writerow(
            [n, "2010-10-12", "public", "", "Support", "Member of the public", "", text]
        )
    return out.getvalue()


@pytest.fixture
def imported(as_user: Any, shropshire: ProgrammeRecord) -> dict[str, str]:  # noqa: F811
    """The answers imported as a lead would, with a two-theme codebook; text -> respondent id."""
    coding.clear_cache()
    upload = SimpleUploadedFile(
        "answers.csv", _export(_answers()).encode("utf-8"), content_type="text/csv"
    )
    response = as_user("lead").post(
        f"/programmes/{SHROPSHIRE}/engagement/responses/",
        {"file": upload, "mapping": "generic", "questionnaire": "written-consultation"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    lead = as_user("lead")
    for name, definition in (
        ("Parking", "Car parks, parking spaces and charges."),
        ("Staff pensions", "The NHS pension and staff terms."),
    ):
        page = lead.post(
            BASE + "codebook/", {"action": "add", "name": name, "definition": definition}
        )
        assert page.status_code == 302, page.content.decode()[:3000]
    book = QuestionCodebook.objects.get()
    found = coding.find_question(_state(shropshire), "written-consultation", "comments")
    assert found is not None
    ids = {r.text: r.id for r in coding.question_responses(found)}
    assert len(ids) == 19 and book.themes.count() == 2
    return ids


def _state(row: ProgrammeRecord) -> Any:
    from caseforchange.web.consultation import repository
    from caseforchange.web.programmes import repository as programmes

    return repository.load(row, programmes.to_programme(row))


def _audit(action: str, rid: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the before and after of the one audit entry of ``action`` on answer ``rid``."""
    entry = AuditEntry.objects.get(action=action, target__endswith=f".codings[{rid}]")
    return entry.before or {}, entry.after or {}


def _code(client: Any, rid: str, themes: list[str], stance: str = "", **extra: Any) -> Any:
    data = {"response": rid, "themes": themes, "stance": stance, **extra}
    return client.post(BASE + "code/", data)


def _code_sample(client: Any, ids: dict[str, str]) -> None:
    """Code six parking and six pension answers, as a person would."""
    for text in PARKING[:6]:
        assert _code(client, ids[text], ["parking"], "against").status_code == 302
    for text in PENSIONS[:6]:
        assert _code(client, ids[text], ["staff-pensions"], "unclear").status_code == 302


ROUTES = ["", "codebook/", "codebook/parking/", "code/", "review/", "ledger.csv", "ledger.xlsx"]


def test_each_role_reads_or_codes_as_it_should(as_user: Any, imported: dict[str, str]) -> None:
    for name in ("admin", "lead", "facilitator", "viewer"):
        client = as_user(name)
        assert client.get(f"/programmes/{SHROPSHIRE}/engagement/text/").status_code == 200
        for route in ROUTES:
            assert client.get(BASE + route).status_code == 200, (name, route)
    anonymous = Client()
    for route in ROUTES:
        response = anonymous.get(BASE + route)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login")
    assert anonymous.post(BASE + "code/", {"response": "x"}).status_code == 302
    outsider = as_user("outsider")
    assert outsider.get(f"/programmes/{SHROPSHIRE}/engagement/text/").status_code == 403
    for route in ROUTES:
        assert outsider.get(BASE + route).status_code == 403, route
    # Viewers and facilitators read; only leads and administrators write.
    rid = imported[PARKING[0]]
    for name in ("viewer", "facilitator", "outsider"):
        client = as_user(name)
        assert _code(client, rid, ["parking"]).status_code == 403
        assert client.post(BASE + "codebook/", {"action": "add", "name": "X"}).status_code == 403
        assert client.post(BASE + "codebook/parking/", {"name": "Y"}).status_code == 403
        assert client.post(BASE + "review/", {"response": rid}).status_code == 403
    assert not TextCoding.objects.exists()
    assert CodebookTheme.objects.get(key="parking").name == "Parking"
    viewer_page = as_user("viewer").get(BASE + "code/").content.decode()
    assert "data-coding-form" not in viewer_page and "only programme leads code" in viewer_page
    assert _code(as_user("admin"), rid, ["parking"]).status_code == 302
    assert TextCoding.objects.get().coder == "admin"
    # An unknown question is a 404, not someone else's data.
    assert as_user("lead").get(BASE.replace("comments", "support") + "code/").status_code == 404


def test_a_coding_round_trip_is_stored_and_audited(as_user: Any, imported: dict[str, str]) -> None:
    lead = as_user("lead")
    rid = imported[PARKING[0]]
    response = _code(
        lead, rid, ["parking", "staff-pensions"], "against", evidence_rich="yes", note="vivid"
    )
    assert response.status_code == 302 and response["Location"] == BASE + "code/"
    stored = TextCoding.objects.get(response=rid)
    assert stored.themes == ["parking", "staff-pensions"] and stored.stance == "against"
    assert stored.evidence_rich and stored.note == "vivid" and stored.source == "person"
    entry = AuditEntry.objects.get(action="text coding saved")
    assert entry.target == f"{SHROPSHIRE}:text[written-consultation.comments].codings[{rid}]"
    assert entry.actor == "user lead" and entry.before is None
    assert _audit("text coding saved", rid)[1]["themes"] == ["parking", "staff-pensions"]
    # Changing it keeps the old coding in the trail.
    _code(lead, rid, ["parking"], "for")
    before, after = _audit("text coding changed", rid)
    assert before["themes"] == ["parking", "staff-pensions"]
    assert after["themes"] == ["parking"] and after["stance"] == "for"
    # Reading it back: the form shows the stored coding.
    page = lead.get(BASE + f"code/?response={rid}").content.decode()
    assert re.search(r'value="parking" data-key="1" checked', page)
    assert not re.search(r'value="staff-pensions" data-key="2" checked', page)
    assert re.search(r'value="for" data-key="f" checked', page)
    assert "coded by lead" in page
    assert verify().ok


def test_bad_codings_are_refused_on_their_fields(as_user: Any, imported: dict[str, str]) -> None:
    lead = as_user("lead")
    rid = imported[PARKING[0]]
    page = _code(lead, rid, [])
    assert page.status_code == 200
    assert "Choose at least one theme, or a reason why the answer has none" in page.content.decode()
    page = _code(lead, rid, ["parking"], reason="out of scope")
    assert "Choose themes or a reason for no theme, not both" in page.content.decode()
    page = _code(lead, rid, ["nonsense"])
    assert "Not a theme of the codebook: nonsense" in page.content.decode()
    page = _code(lead, rid, ["parking"], "maybe")
    assert "Choose a stance from the list" in page.content.decode()
    assert not TextCoding.objects.exists()
    # A reason alone is a decision too.
    assert _code(lead, rid, [], reason="out of scope").status_code == 302
    assert TextCoding.objects.get().reason == "out of scope"


def test_the_model_proposes_the_obvious_theme_once_a_sample_is_coded(
    as_user: Any, imported: dict[str, str]
) -> None:
    lead = as_user("lead")
    page = lead.get(BASE).content.decode()
    assert "No model yet: 0 of the 10 answers" in page
    _code_sample(lead, imported)
    book = QuestionCodebook.objects.get()
    found = coding.find_question(
        _state(book.engagement.programme), "written-consultation", "comments"
    )
    assert found is not None
    analysis = coding.analyse(book, found)
    assert analysis.model is not None
    # The two uncoded parking answers and the two uncoded pension answers get their theme.
    for text in PARKING[6:]:
        assert analysis.pending[imported[text]].themes == ("parking",), text
        assert analysis.pending[imported[text]].stance == "against"
    for text in PENSIONS[6:]:
        assert analysis.pending[imported[text]].themes == ("staff-pensions",), text
        assert analysis.pending[imported[text]].stance == "unclear"
    # Coded answers get no proposal; the empty answer is in the ledger as empty.
    assert imported[PARKING[0]] not in analysis.pending
    assert {e.status for e in analysis.ledger if e.response == imported[""]} == {"empty"}
    # The coding page now offers the answer the model is least sure of first, with its proposal.
    least = min(analysis.pending, key=lambda i: (analysis.pending[i].confidence,))
    assert analysis.next_to_code[0] == least
    page = lead.get(BASE + "code/").content.decode()
    assert f'name="response" value="{least}"' in page
    assert "The model proposes" in page
    summary = lead.get(BASE).content.decode()
    assert "Trained on 12 answers a person coded with themes" in summary
    # Renaming a theme makes a new revision but the same training data: no new training.
    lead.post(BASE + "codebook/parking/", {"name": "Car parking"})
    book.refresh_from_db()
    again = coding.analyse(book, found)
    assert again is not analysis and again.model is analysis.model
    assert again.codebook.theme("parking").name == "Car parking"  # type: ignore[union-attr]
    # A new coding is new training data: a new model.
    _code(lead, imported[PARKING[6]], ["parking"], "for")
    book.refresh_from_db()
    assert coding.analyse(book, found).model is not analysis.model


def test_review_queue_holds_low_confidence_proposals_and_accepting_is_audited(
    as_user: Any, imported: dict[str, str]
) -> None:
    lead = as_user("lead")
    _code_sample(lead, imported)
    book = QuestionCodebook.objects.get()
    found = coding.find_question(
        _state(book.engagement.programme), "written-consultation", "comments"
    )
    assert found is not None
    analysis = coding.analyse(book, found)
    queued = analysis.review
    assert queued, "expected some proposals below confidence 0.5"
    assert all(analysis.pending[i].confidence < 0.5 for i in queued)
    assert all(p.confidence >= 0.5 for i, p in analysis.pending.items() if i not in queued)
    page = lead.get(BASE + "review/").content.decode()
    listed = re.findall(r'<li class="nhsuk-card" data-response="([^"]+)"', page)
    assert listed == queued
    # Accept the first as it stands.
    rid = queued[0]
    proposal = analysis.pending[rid]
    response = lead.post(BASE + "review/", {"response": rid, "themes": ";".join(proposal.themes)})
    assert response.status_code == 302
    stored = TextCoding.objects.get(response=rid)
    assert stored.source == "model" and stored.reviewed_by == "lead"
    assert stored.confidence == proposal.confidence and stored.themes == list(proposal.themes)
    after = _audit("text proposal accepted", rid)[1]
    assert after["reviewed_by"] == "lead" and after["proposal"]["themes"] == list(proposal.themes)
    # A stale accept (the proposal shown is not the one now) changes nothing.
    other = queued[1] if len(queued) > 1 else next(iter(analysis.pending))
    lead.post(BASE + "review/", {"response": other, "themes": "nonsense"})
    assert not TextCoding.objects.filter(response=other).exists()
    # Changing a proposal on the coding page records the change with the proposal replaced.
    book.refresh_from_db()
    analysis = coding.analyse(book, found)
    rid2 = next(i for i in analysis.pending if i not in (rid,))
    flipped = ["staff-pensions"] if analysis.pending[rid2].themes == ("parking",) else ["parking"]
    back = _code(lead, rid2, flipped, "for", **{"from": "review"})
    assert back.status_code == 302 and back["Location"] == BASE + "review/"
    after = _audit("text proposal changed", rid2)[1]
    assert after["source"] == "person" and after["themes"] == flipped
    assert after["proposal"]["themes"] == list(analysis.pending[rid2].themes)
    # The ledger says who decided: the model with its confidence and reviewer, or the person.
    rows = {r["response"]: r for r in csv.DictReader(io.StringIO(_ledger_csv(lead)))}
    assert rows[rid]["decided_by"] == "model" and rows[rid]["reviewer"] == "lead"
    assert rows[rid]["confidence"] == f"{proposal.confidence:.3f}"
    assert rows[rid2]["decided_by"] == "person: lead"
    # The consultation report counts the same themes as the summary page.
    book.refresh_from_db()
    analysis = coding.analyse(book, found)
    themed = sum(1 for e in analysis.ledger if e.themes)
    report = lead.get(f"/programmes/{SHROPSHIRE}/engagement/consultation-report.html")
    html = report.content.decode()
    table = re.search(
        rf"<table(?:(?!</table>).)*Themes raised, of the {themed} responses"
        r" with a theme.*?</table>",
        html,
        re.S,
    )
    assert table, f"no themes table of {themed} responses in the report"
    for count in analysis.themes:
        row = re.search(rf"<tr[^>]*>\s*<t[hd][^>]*>{count.name}</t[hd]>.*?</tr>", table[0], re.S)
        assert row, count.name
        cells = [
            re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd].*?</t[hd]>", row[0])
        ]
        assert cells[1] == str(count.share.count), (count.name, cells)


def _ledger_csv(client: Any) -> str:
    response = client.get(BASE + "ledger.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text: str = response.content.decode("utf-8")
    return text


def test_ledger_downloads_are_formula_safe_and_list_every_response(
    as_user: Any, imported: dict[str, str]
) -> None:
    lead = as_user("lead")
    _code(lead, imported[HOSTILE], ["parking"], note="=1+1")
    viewer = as_user("viewer")
    text = _ledger_csv(viewer)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 19 and len({r["response"] for r in rows}) == 19
    hostile = next(r for r in rows if r["response"] == imported[HOSTILE])
    # The CSV cell starts with the guard apostrophe, so a spreadsheet shows it as words.
    assert hostile["text"] == "'" + HOSTILE and hostile["note"] == "'=1+1"
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())
    book = openpyxl.load_workbook(io.BytesIO(viewer.get(BASE + "ledger.xlsx").content))
    sheet = book.active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    cells = [dict(zip(header, (c for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    cell = next(c["text"] for c in cells if c["response"].value == imported[HOSTILE])
    assert cell.value == HOSTILE and cell.data_type == "s"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_user_text_is_escaped_and_personal_data_redacted(
    as_user: Any, imported: dict[str, str]
) -> None:
    lead = as_user("lead")
    lead.post(
        BASE + "codebook/",
        {"action": "add", "name": "<img src=x onerror=alert(1)>", "key": "xss"},
    )
    rid = imported[SCRIPT]
    pages = [
        lead.get(BASE + f"code/?response={rid}").content.decode(),
        lead.get(BASE + "codebook/").content.decode(),
    ]
    for page in pages:
        assert "<script>alert" not in page and "<img src=x" not in page
    shown = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; the car park is full, mail [email]"
    assert shown in pages[0]
    # Personal data is redacted wherever an answer is shown, and only there is it needed.
    review = lead.get(BASE + "review/").content.decode()
    assert not any("jane.doe@example.org" in page for page in [*pages, review])
    assert "&lt;img src=x onerror=alert(1)&gt;" in pages[1]


def test_codebook_adopts_renames_merges_and_ignores_candidates(
    as_user: Any, imported: dict[str, str]
) -> None:
    lead = as_user("lead")
    page = lead.get(BASE + "codebook/").content.decode()
    keys = re.findall(r'name="candidate" value="([^"]+)"', page)
    assert keys, "no candidate themes shown"
    first = keys[0]
    # Adopt: a person names it; nothing becomes a theme without that.
    assert CodebookTheme.objects.count() == 2
    lead.post(
        BASE + "codebook/",
        {"action": "adopt", "candidate": first, "name": "Getting there", "key": "access"},
    )
    adopted = CodebookTheme.objects.get(key="access")
    assert adopted.name == "Getting there" and adopted.includes
    assert AuditEntry.objects.filter(action="candidate theme adopted").exists()
    # Rename on the theme's page keeps its id (and so its codings).
    lead.post(BASE + "codebook/access/", {"name": "Travel and access", "definition": "Getting in"})
    adopted.refresh_from_db()
    assert adopted.name == "Travel and access" and adopted.key == "access"
    # Merge a candidate's examples into a theme.
    lead.post(BASE + "codebook/", {"action": "merge", "candidate": first, "into": "parking"})
    parking = CodebookTheme.objects.get(key="parking")
    assert set(adopted.includes) <= set(parking.includes)
    # Ignore hides it from the page.
    lead.post(BASE + "codebook/", {"action": "ignore", "candidate": first})
    page = lead.get(BASE + "codebook/").content.decode()
    assert f'value="{first}"' not in page and "ignored candidates are not shown" in page
    # A duplicate id is refused on its field; a theme in use cannot be removed.
    page = lead.post(BASE + "codebook/", {"action": "add", "name": "Parking"}).content.decode()
    assert "The codebook already has a theme &#39;parking&#39;" in page
    _code(lead, imported[PARKING[0]], ["parking"])
    page = lead.post(BASE + "codebook/parking/", {"action": "remove"}).content.decode()
    assert "1 codings give this theme" in page
    assert CodebookTheme.objects.filter(key="parking").exists()
    lead.post(BASE + "codebook/access/", {"action": "remove"})
    assert not CodebookTheme.objects.filter(key="access").exists()
    assert AuditEntry.objects.filter(action="codebook theme removed").exists()


def test_summary_counts_themes_with_wilson_intervals_and_feeds_the_report(
    as_user: Any, imported: dict[str, str]
) -> None:
    lead = as_user("lead")
    # Three parking answers and one pensions answer coded by a person; no model yet.
    for text in PARKING[:3]:
        _code(lead, imported[text], ["parking"], "against")
    _code(lead, imported[PENSIONS[0]], ["staff-pensions"])
    page = lead.get(BASE).content.decode()
    table = re.search(r'<table[^>]*id="theme-counts".*?</table>', page, re.S)
    assert table
    row = re.search(r'data-theme="parking".*?</tr>', table[0], re.S)
    assert row
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd].*?</t[hd]>", row[0])]
    # 3 of the 4 themed responses. Wilson 95% (z = 1.96): centre (0.75 + 1.9208/4) / (1 +
    # 3.8416/4) = 1.2302 / 1.9604 = 0.6275; half-width 1.96 * sqrt(0.75 * 0.25 / 4 + 3.8416
    # / 64) / 1.9604 = 1.96 * 0.3274 / 1.9604 = 0.3273; so 30.1% to 95.4%.
    assert cells == ["Parking", "3", "75.0%", "30.1% to 95.4%", "3"]
    counts = re.search(r'<table[^>]*id="ledger-counts".*?</table>', page, re.S)
    assert counts and 'data-status="total"' in counts[0]
    assert re.search(r'data-status="not yet coded".*?>(\d+)</td>', counts[0], re.S)[1] == "14"  # type: ignore[index]
    assert "Decided by a person: 4." in page and "Not yet coded: 14." in page
    assert "By rule (empty answers, campaign members without a decision): 1." in page
    # The consultation report now has the free-text sections of the question.
    report = lead.get(f"/programmes/{SHROPSHIRE}/engagement/consultation-report.html")
    html = report.content.decode()
    assert report.status_code == 200
    assert "How each of the 19 responses was considered" in html
    assert "Parking" in html and "Staff pensions" in html


def test_the_exported_folder_gives_the_command_line_the_same_ledger(
    as_user: Any, imported: dict[str, str], tmp_path: Any
) -> None:
    from typer.testing import CliRunner

    from caseforchange.cli.text import app

    lead = as_user("lead")
    book = QuestionCodebook.objects.get()
    # A person's codings only (no proposal on screen), so both sides name the same deciders.
    for text in [*PARKING[:6], *PENSIONS[:6]]:
        theme = "parking" if text in PARKING else "staff-pensions"
        submitted = coding.CodingInput((theme,), "against", "", False, "")
        coding.save_coding(book, imported[text], submitted, None, "lead", "user lead")
    for text, note in ((HOSTILE, "hostile"), (PARKING[7], "=2+2")):
        submitted = coding.CodingInput((), "", "out of scope", False, note)
        coding.save_coding(book, imported[text], submitted, None, "lead", "user lead")
    # A new import without the last three answers: the hostile answer's coding stays in the
    # database but is left out of the folder (the command line refuses codings of no answer).
    upload = SimpleUploadedFile(
        "answers.csv", _export([*PARKING, *PENSIONS]).encode("utf-8"), content_type="text/csv"
    )
    lead.post(
        f"/programmes/{SHROPSHIRE}/engagement/responses/",
        {"file": upload, "mapping": "generic", "questionnaire": "written-consultation"},
    )
    web = _ledger_csv(lead)
    assert len(web.splitlines()) == 1 + 16 and TextCoding.objects.count() == 14
    exported = lead.get(f"/programmes/{SHROPSHIRE}/export/folder/")
    with zipfile.ZipFile(io.BytesIO(exported.content)) as archive:
        archive.extractall(tmp_path)
    folder = tmp_path / SHROPSHIRE
    codings = (folder / "text" / "comments-codings.csv").read_text(encoding="utf-8")
    assert "'=2+2" in codings  # a downloaded file: the note stays words in a spreadsheet
    assert "hostile" not in codings and imported[HOSTILE] not in codings
    result = CliRunner().invoke(
        app,
        [
            "ledger",
            str(folder),
            "--question",
            "comments",
            "--codebook",
            str(folder / "text" / "comments-codebook.yaml"),
            "--codings",
            str(folder / "text" / "comments-codings.csv"),
            "-o",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 0, result.output
    cli = (tmp_path / "out" / "ledger.csv").read_text(encoding="utf-8")
    # The note reads back without the guard, so the two ledgers are identical.
    assert cli == web


LETTER = (
    "I am writing to oppose any plan that could close the community hospital beds in our town. "
    "Older people recover close to their families there, and the buses to the county "
    "hospital are slow and rare. Please record my objection. Regards, {name}"
)


def test_campaigns_are_shown_with_template_and_size(as_user: Any, imported: dict[str, str]) -> None:
    lead = as_user("lead")
    letters = [LETTER.format(name=n) for n in ("John Brown", "Mary Green", "Sam White")]
    upload = SimpleUploadedFile(
        "answers.csv", _export([*PARKING, *letters]).encode("utf-8"), content_type="text/csv"
    )
    response = lead.post(
        f"/programmes/{SHROPSHIRE}/engagement/responses/",
        {"file": upload, "mapping": "generic", "questionnaire": "written-consultation"},
    )
    assert response.status_code == 302
    page = lead.get(BASE).content.decode()
    card = re.search(r'id="campaign-([^"]+)".*?</div></div>', page, re.S)
    assert card, "no campaign shown"
    assert "3 responses" in card[0]
    # The template is one of the letters, redacted (the sign-off's name is personal data).
    assert "I am writing to oppose any plan that could close the community hospital" in card[0]
    assert not any(n in card[0] for n in ("John Brown", "Mary Green", "Sam White"))
    counts = re.search(r'data-status="campaign member".*?>(\d+)</td>', page, re.S)
    # Nothing is coded yet, so all three letters are in the ledger as campaign members.
    assert counts and counts[1] == "3"
    # Coding the template covers the campaign: the copies carry its themes in the ledger.
    template = re.search(r"\?response=([^\"&]+)\">Code the campaign", page)
    assert template
    _code(lead, template[1], ["parking"], "against")
    rows = list(csv.DictReader(io.StringIO(_ledger_csv(lead))))
    letters_rows = [r for r in rows if "I am writing to oppose" in r["text"]]
    assert len(letters_rows) == 3 and all(r["themes"] == "parking" for r in letters_rows)
    assert sorted(r["status"] for r in letters_rows) == [
        "campaign member",
        "campaign member",
        "coded",
    ]


def test_a_new_coding_makes_a_new_consultation_report(
    as_user: Any, imported: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from caseforchange.reports import consultation
    from caseforchange.web.jobs.models import StoredResult

    built: list[int] = []
    real = consultation.build_consultation

    def counting(loaded: Any) -> Any:
        built.append(1)
        return real(loaded)

    monkeypatch.setattr(consultation, "build_consultation", counting)
    lead = as_user("lead")
    url = f"/programmes/{SHROPSHIRE}/engagement/consultation-report.html"
    _code(lead, imported[PARKING[0]], ["parking"], "against")
    first = lead.get(url).content.decode()  # the immediate queue builds it in the request
    assert lead.get(url).content.decode() == first and built == [1]
    assert "How each of the 19 responses was considered" in first
    # One more coding: the stored report would be stale, so a new one is built.
    _code(lead, imported[PARKING[1]], ["parking"], "against")
    second = lead.get(url).content.decode()
    assert built == [1, 1] and second != first
    assert StoredResult.objects.filter(kind="consultation.html").count() == 2
    # A theme renamed is a change too.
    theme = CodebookTheme.objects.get(key="parking")
    page = lead.post(
        BASE + "codebook/parking/",
        {"action": "save", "name": "Parking and access roads", "definition": theme.definition},
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    third = lead.get(url).content.decode()
    assert built == [1, 1, 1] and "Parking and access roads" in third
    assert "Parking and access roads" not in second


def _import(client: Any, answers: list[str]) -> None:
    upload = SimpleUploadedFile(
        "answers.csv", _export(answers).encode("utf-8"), content_type="text/csv"
    )
    response = client.post(
        f"/programmes/{SHROPSHIRE}/engagement/responses/",
        {"file": upload, "mapping": "generic", "questionnaire": "written-consultation"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]


def test_candidates_are_a_background_job_built_once_per_import(
    as_user: Any,
    imported: dict[str, str],
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    StoredResult.objects.filter(kind=dispatch.CANDIDATES).delete()
    settings.JOBS_MODE = "database"  # no worker: the job waits in the queue
    calls: list[int] = []
    real = dispatch.suggest_themes

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(len(args[0]))
        return real(*args, **kwargs)

    monkeypatch.setattr(dispatch, "suggest_themes", counting)
    lead = as_user("lead")
    page = lead.get(BASE + "codebook/").content.decode()
    job = StoredResult.objects.get(kind=dispatch.CANDIDATES)
    assert job.status == ResultStatus.QUEUED and calls == []  # nothing computed in the request
    assert "Parking" in page and "Staff pensions" in page  # the themes show at once
    assert f'id="job-{job.pk}"' in page and "Finding candidate themes" in page
    assert 'name="candidate"' not in page

    assert run_result(job.pk) == "built"
    # 16 readable answers, the hostile one and the script one have words; no campaign.
    assert calls == [18]
    page = lead.get(BASE + "codebook/").content.decode()
    assert 'name="candidate"' in page and f'id="job-{job.pk}"' not in page
    members = {
        m
        for c in dispatch.stored_candidates(job.__class__.objects.get(pk=job.pk))
        for m in c.members
    }
    assert members == {i for t, i in imported.items() if t}

    # Adopting a candidate changes the codebook, not the answers: the candidates are reused.
    key = re.findall(r'name="candidate" value="([^"]+)"', page)[0]
    lead.post(BASE + "codebook/", {"action": "adopt", "candidate": key, "name": "Getting there"})
    assert CodebookTheme.objects.filter(name="Getting there").exists()
    assert 'name="candidate"' in lead.get(BASE + "codebook/").content.decode()
    assert calls == [18] and StoredResult.objects.filter(kind=dispatch.CANDIDATES).count() == 1

    # A new import of different answers makes a new result, queued again.
    _import(lead, [*PARKING, *PENSIONS])
    page = lead.get(BASE + "codebook/").content.decode()
    fresh = StoredResult.objects.filter(kind=dispatch.CANDIDATES).exclude(pk=job.pk).get()
    assert fresh.status == ResultStatus.QUEUED and f'id="job-{fresh.pk}"' in page
    assert run_result(fresh.pk) == "built" and calls == [18, 16]
    assert 'name="candidate"' in lead.get(BASE + "codebook/").content.decode()
