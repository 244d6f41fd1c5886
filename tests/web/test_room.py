"""The room's controls: cap, remove and merge, only submitted scores count, hide and reveal one
option, withdraw a score, the room's export, named or anonymous sessions, personal data."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.test import Client
from openpyxl import load_workbook

from caseforchange.web.audit.chain import verify
from caseforchange.web.audit.models import AuditEntry
from caseforchange.web.programmes.models import ProgrammeRecord
from caseforchange.web.workshops.models import Participant, SessionScore, WorkshopSession
from tests.web.test_workshop import join, open_session, score_all

HOSTILE = '=HYPERLINK("http://example.invalid/x","Open")'


def _close(facilitator: Client, session: WorkshopSession) -> None:
    facilitator.post(f"/sessions/{session.pk}/action/", {"action": "close"})


def test_the_cap_turns_away_the_next_joiner(as_user: Any, programme: ProgrammeRecord) -> None:
    session = open_session(as_user("facilitator"), programme.slug, cap=2)
    join(session.code)
    join(session.code)
    phone = Client()
    phone.post("/join/", {"code": session.code})
    response = phone.post("/join/you/", {"group": session.groups[0]["id"]})
    assert response.status_code == 200 and "This session is full" in response.content.decode()
    assert session.participants.count() == 2


def test_the_cap_must_be_a_whole_number(as_user: Any, programme: ProgrammeRecord) -> None:
    response = as_user("facilitator").post(
        f"/programmes/{programme.slug}/sessions/",
        {"panel": "workshop", "names": "named", "cap": "0"},
    )
    assert "a whole number from 1 to 2000" in response.content.decode()
    assert not WorkshopSession.objects.exists()


def test_only_submitted_scores_count(as_user: Any, programme: ProgrammeRecord) -> None:
    facilitator = as_user("facilitator")
    session = open_session(facilitator, programme.slug)
    score_all(join(session.code), session, 2)
    score_all(join(session.code), session, 8)
    score_all(join(session.code), session, 10, submit=False)  # never submitted
    page = facilitator.get(f"/sessions/{session.pk}/").content.decode()
    assert "2 submitted of 3 joined" in page
    facilitator.post(f"/sessions/{session.pk}/action/", {"action": "reveal"})
    results = facilitator.get(f"/sessions/{session.pk}/results/").content.decode()
    first = session.criteria[0]["id"]
    assert f'data-criterion="{first}"' in results
    assert 'data-value="5.0"' in results  # (2 + 8) / 2: the unsubmitted 10 is left out
    assert 'data-value="6.666' not in results
    as_user("lead").post(f"/sessions/{session.pk}/action/", {"action": "apply"})
    row = ProgrammeRecord.objects.get(pk=programme.pk)
    mine = [s for s in row.scores if str(s.get("member", "")).startswith(f"ws{session.pk}-")]
    assert {s["value"] for s in mine} == {2, 8}


def test_not_yet_submitted_list_stays_open(as_user: Any, programme: ProgrammeRecord) -> None:
    facilitator = as_user("facilitator")
    session = open_session(facilitator, programme.slug)
    score_all(join(session.code, "Ann"), session, 3)
    join(session.code, "Bo")
    page = facilitator.get(f"/sessions/{session.pk}/?people=1").content.decode()
    assert 'id="not-submitted"' in page and "Bo" in page
    # The polled fragment and the refresh link keep the list shown.
    assert f"/sessions/{session.pk}/progress/?people=1" in page
    fragment = facilitator.get(f"/sessions/{session.pk}/progress/?people=1").content.decode()
    assert 'id="not-submitted"' in fragment and "Bo" in fragment and "Ann" not in fragment
    closed = facilitator.get(f"/sessions/{session.pk}/progress/").content.decode()
    assert 'id="not-submitted"' not in closed


def test_hide_reopen_and_reveal_one_option(as_user: Any, programme: ProgrammeRecord) -> None:
    facilitator = as_user("facilitator")
    session = open_session(facilitator, programme.slug)
    phone = join(session.code)
    score_all(phone, session, 4)
    first, second = session.options[0], session.options[1]
    facilitator.post(
        f"/sessions/{session.pk}/action/", {"action": "reveal_option", "option": first["id"]}
    )
    session.refresh_from_db()
    assert not session.is_open and session.revealed_options == [first["id"]]
    shown = phone.get("/w/results/").content.decode()
    assert f'data-option="{first["id"]}"' in shown
    assert f'data-option="{second["id"]}"' not in shown
    viewer = as_user("viewer").get(f"/sessions/{session.pk}/results/").content.decode()
    assert f'data-option="{second["id"]}"' not in viewer
    # The hide button hides everything again.
    facilitator.post(f"/sessions/{session.pk}/action/", {"action": "hide"})
    assert phone.get("/w/results/").status_code == 403
    # Reveal all, then reopen: phones no longer see results.
    facilitator.post(f"/sessions/{session.pk}/action/", {"action": "reveal"})
    assert phone.get("/w/results/").status_code == 200
    facilitator.post(f"/sessions/{session.pk}/action/", {"action": "reopen"})
    session.refresh_from_db()
    assert session.is_open and not session.anything_revealed
    assert phone.get("/w/results/").status_code == 403
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "session hidden" in actions and verify().ok


def test_remove_and_merge_participants(as_user: Any, programme: ProgrammeRecord) -> None:
    facilitator = as_user("facilitator")
    session = open_session(facilitator, programme.slug)
    fake = join(session.code, "Fake")
    score_all(fake, session, 1)
    twice_a, twice_b = join(session.code, "Cy"), join(session.code, "Cy again")
    option = session.options[0]["id"]
    first, second = session.criteria[0]["id"], session.criteria[1]["id"]
    twice_a.post(f"/w/score/{option}/", {f"score-{first}": "3", f"score-{second}": "4"})
    twice_b.post(f"/w/score/{option}/", {f"score-{first}": "7"})
    twice_a.post("/w/submit/")
    url = f"/sessions/{session.pk}/participants/"
    assert "Fake" in facilitator.get(url).content.decode()
    facilitator.post(url, {"action": "remove", "number": "1"})
    assert not Participant.objects.filter(session=session, number=1).exists()
    assert not SessionScore.objects.filter(session=session, value=1).exists()
    facilitator.post(url, {"action": "merge", "source": "2", "into": "3"})
    merged = Participant.objects.get(session=session)
    assert merged.number == 3 and merged.submitted_at is not None
    # Participant 3 keeps their own 7; participant 2's 4 on the other criterion moves over.
    values = {s.criterion: s.value for s in merged.scores.all()}
    assert values == {first: 7, second: 4}
    page = facilitator.get(url)
    assert facilitator.post(url, {"action": "merge", "source": "3", "into": "3"}).status_code == 302
    assert Participant.objects.filter(session=session).count() == 1 and page.status_code == 200
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"participant removed", "participants merged"} <= actions and verify().ok


def test_a_participant_withdraws_a_score(as_user: Any, programme: ProgrammeRecord) -> None:
    session = open_session(as_user("facilitator"), programme.slug)
    phone = join(session.code)
    option, criterion = session.options[0]["id"], session.criteria[0]["id"]
    phone.post(f"/w/score/{option}/", {f"score-{criterion}": "6"})
    page = phone.get(f"/w/score/{option}/").content.decode()
    assert "You scored 6" in page and "Withdraw this score" in page
    response = phone.post("/w/withdraw/", {"option": option, "withdraw": criterion})
    assert response.status_code == 302
    assert not SessionScore.objects.filter(session=session).exists()
    assert AuditEntry.objects.filter(action="workshop score withdrawn").count() == 1
    assert phone.post("/w/withdraw/", {"option": option, "withdraw": "nope"}).status_code == 404


def test_room_export_keeps_user_text_as_text(as_user: Any, programme: ProgrammeRecord) -> None:
    facilitator = as_user("facilitator")
    session = open_session(facilitator, programme.slug)
    phone = join(session.code, HOSTILE)
    option, criterion = session.options[0]["id"], session.criteria[0]["id"]
    phone.post(
        f"/w/score/{option}/", {f"score-{criterion}": "6", f"rationale-{criterion}": "+1 cost"}
    )
    phone.post("/w/outputs/", {"table": "@1", "kind": "issue", "text": "-parking"})
    scores = facilitator.get(f"/sessions/{session.pk}/export/scores.csv")
    assert scores["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(scores.content.decode("utf-8-sig"))))
    assert rows[0][0] == "participant" and len(rows) == 2
    assert rows[1][0] == "'" + HOSTILE and rows[1][7] == "6.0" and rows[1][8] == "'+1 cost"
    outputs = facilitator.get(f"/sessions/{session.pk}/export/outputs.csv").content
    out_rows = list(csv.reader(io.StringIO(outputs.decode("utf-8-sig"))))
    assert out_rows[1][0] == "'@1" and out_rows[1][4] == "'-parking"
    book = load_workbook(
        io.BytesIO(facilitator.get(f"/sessions/{session.pk}/export/room.xlsx").content)
    )
    sheet = book["Scores"]
    assert sheet.cell(2, 1).value == HOSTILE and sheet.cell(2, 1).data_type == "s"
    assert sheet.cell(2, 8).value == 6 and sheet.cell(2, 9).value == "+1 cost"
    assert book["Table outputs"].cell(2, 5).value == "-parking"
    assert not any(c.data_type == "f" for ws in book for r in ws.iter_rows() for c in r)


def test_an_anonymous_session_keeps_no_names(as_user: Any, programme: ProgrammeRecord) -> None:
    facilitator = as_user("facilitator")
    session = open_session(facilitator, programme.slug, names="anonymous")
    phone = Client()
    phone.post("/join/", {"code": session.code})
    page = phone.get("/join/you/").content.decode()
    assert 'name="display_name"' not in page and "This session is anonymous" in page
    phone.post("/join/you/", {"display_name": "Dana", "group": session.groups[0]["id"]})
    score_all(phone, session, 5)
    assert Participant.objects.get(session=session).display_name == ""
    _close(facilitator, session)
    as_user("lead").post(f"/sessions/{session.pk}/action/", {"action": "apply"})
    members = ProgrammeRecord.objects.get(pk=programme.pk).document["panels"]
    names = [m["name"] for p in members for m in p.get("members", [])]
    assert "Participant 1" in names and "Dana" not in str(members)
    assert (
        "Dana"
        not in as_user("viewer")
        .get(f"/programmes/{programme.slug}/records/panels/workshop/members/")
        .content.decode()
    )


def test_a_named_session_says_where_the_name_appears(
    as_user: Any, programme: ProgrammeRecord
) -> None:
    session = open_session(as_user("facilitator"), programme.slug)
    phone = Client()
    phone.post("/join/", {"code": session.code})
    page = phone.get("/join/you/").content.decode()
    assert "panel members page" in page and "reports" in page and "facilitator" in page
    assert "Shown to the facilitator only" not in page


def test_personal_data_can_be_deleted(as_user: Any, programme: ProgrammeRecord) -> None:
    facilitator = as_user("facilitator")
    session = open_session(facilitator, programme.slug)
    phone = join(session.code, "Erin")
    option, criterion = session.options[0]["id"], session.criteria[0]["id"]
    phone.post(
        f"/w/score/{option}/", {f"score-{criterion}": "6", f"rationale-{criterion}": "my ward"}
    )
    phone.post("/w/submit/")
    url = f"/sessions/{session.pk}/personal-data/"
    facilitator.post(url, {"confirm": "yes"})  # refused while open
    assert Participant.objects.get(session=session).display_name == "Erin"
    _close(facilitator, session)
    as_user("lead").post(f"/sessions/{session.pk}/action/", {"action": "apply"})
    facilitator.post(url, {})  # needs the tick
    assert Participant.objects.get(session=session).display_name == "Erin"
    facilitator.post(url, {"confirm": "yes"})
    person = Participant.objects.get(session=session)
    assert person.display_name == "" and person.scores.get().rationale == ""
    assert person.scores.get().value == 6
    row = ProgrammeRecord.objects.get(pk=programme.pk)
    assert "Erin" not in str(row.document["panels"]) and "my ward" not in str(row.scores)
    entry = AuditEntry.objects.get(action="session personal data deleted")
    assert entry.after == {"participants": 1} and verify().ok


def test_a_scribe_cannot_add_outputs_after_close(
    as_user: Any, programme: ProgrammeRecord, users: dict[str, Any]
) -> None:
    facilitator = as_user("facilitator")
    session = open_session(facilitator, programme.slug)
    # A signed-in user with no role on the programme joins as a participant.
    outsider = as_user("outsider")
    outsider.post("/join/", {"code": session.code})
    outsider.post("/join/you/", {"group": session.groups[0]["id"]})
    _close(facilitator, session)
    data = {"table": "1", "kind": "issue", "text": "late"}
    assert outsider.post("/w/outputs/", data).status_code == 403
    assert facilitator.post(f"/sessions/{session.pk}/outputs/", data).status_code == 302
    assert list(session.outputs.values_list("entered_by", flat=True)) == ["user facilitator"]
