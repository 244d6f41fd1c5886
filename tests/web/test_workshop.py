"""The live workshop: open, join by code, score, progress without scores, close, reveal, apply."""

from __future__ import annotations

import re
import statistics
from typing import Any

from django.test import Client

from caseforchange.web.audit.chain import verify
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.models import ProgrammeRecord
from caseforchange.web.workshops.models import (
    Participant,
    SessionScore,
    WorkshopSession,
)


def open_session(
    client: Client, slug: str, panel: str = "workshop", names: str = "named", cap: int = 300
) -> WorkshopSession:
    response = client.post(
        f"/programmes/{slug}/sessions/",
        {"panel": panel, "title": "Test", "names": names, "cap": str(cap)},
    )
    assert response.status_code == 302
    return WorkshopSession.objects.latest("id")


def join(code: str, name: str = "", group: str | None = None) -> Client:
    if group is None:
        groups = WorkshopSession.objects.get(code=code).groups
        group = groups[0]["id"] if groups else ""
    phone = Client()
    response = phone.post("/join/", {"code": f"{code[:4]}-{code[4:].lower()}"})
    assert response.status_code == 302, response.content[:500]
    response = phone.post("/join/you/", {"display_name": name, "group": group})
    assert response.status_code == 302, response.content[:3000]
    return phone


def score_all(phone: Client, session: WorkshopSession, value: int, submit: bool = True) -> None:
    for option in session.options:
        data = {f"score-{c['id']}": str(value) for c in session.criteria}
        data[f"rationale-{session.criteria[0]['id']}"] = "because"
        assert phone.post(f"/w/score/{option['id']}/", data).status_code == 302
    if submit:  # only submitted scores count
        assert phone.post("/w/submit/").status_code == 302


def test_full_session(as_user: Any, programme: ProgrammeRecord) -> None:
    facilitator = as_user("facilitator")
    session = open_session(facilitator, programme.slug)
    assert re.fullmatch(r"[A-Z2-9]{8}", session.code)
    page = facilitator.get(f"/sessions/{session.pk}/").content.decode()
    assert f"{session.code[:4]}-{session.code[4:]}" in page
    assert "data:image/svg+xml" in page  # the QR code

    group = session.groups[0]["id"] if session.groups else ""
    phones = [join(session.code, name, group) for name in ("Ann", "", "Bo")]
    for value, phone in zip((2, 5, 9), phones, strict=True):
        score_all(phone, session, value, submit=False)
    assert phones[0].post("/w/submit/").status_code == 302

    progress = facilitator.get(f"/sessions/{session.pk}/progress/").content.decode()
    assert "1 submitted of 3 joined" in progress
    assert "because" not in progress and "Room" not in progress
    for phone in phones[1:]:
        assert phone.post("/w/submit/").status_code == 302
    # Results stay hidden until the reveal.
    assert facilitator.get(f"/sessions/{session.pk}/results/").status_code == 302

    # A participant changes an answer while open.
    first = session.options[0]["id"]
    criterion = session.criteria[0]["id"]
    phones[1].post(f"/w/score/{first}/", {f"score-{criterion}": "6"})
    assert (
        SessionScore.objects.get(participant__number=2, option=first, criterion=criterion).value
        == 6
    )

    facilitator.post(f"/sessions/{session.pk}/action/", {"action": "reveal"})
    session.refresh_from_db()
    assert not session.is_open and session.revealed
    # Closed: changes are refused.
    phones[1].post(f"/w/score/{first}/", {f"score-{criterion}": "1"})
    assert (
        SessionScore.objects.get(participant__number=2, option=first, criterion=criterion).value
        == 6
    )

    results = facilitator.get(f"/sessions/{session.pk}/results/").content.decode()
    expected = statistics.mean([2, 6, 9])
    assert f"{expected:.2f}" in results
    assert "Where the room disagrees most" in results
    assert phones[0].get("/w/results/").status_code == 200

    # Facilitators cannot change the programme; the lead adds the scores to the panel.
    facilitator.post(f"/sessions/{session.pk}/action/", {"action": "apply"})
    session.refresh_from_db()
    assert session.applied_at is None
    as_user("lead").post(f"/sessions/{session.pk}/action/", {"action": "apply"})
    session.refresh_from_db()
    assert session.applied_at is not None
    stored = repository.to_programme(ProgrammeRecord.objects.get(pk=programme.pk))
    mine = [s for s in stored.scores if s.member and s.member.startswith(f"ws{session.pk}-")]
    assert len(mine) == 3 * len(session.options) * len(session.criteria)
    assert verify().ok


def test_participant_sees_only_own_session(as_user: Any, programme: ProgrammeRecord) -> None:
    facilitator = as_user("facilitator")
    one = open_session(facilitator, programme.slug)
    two = open_session(facilitator, programme.slug)
    phone = join(one.code)
    other = join(two.code)
    score_all(other, two, 7)
    home = phone.get("/w/").content.decode()
    assert "Not started" in home
    # No route names another participant or session; facilitator pages are closed to phones.
    assert phone.get(f"/sessions/{two.pk}/").status_code == 302  # to sign-in
    assert phone.get(f"/sessions/{two.pk}/progress/").status_code == 302
    assert phone.get("/w/score/not-an-option/").status_code == 404
    assert Participant.objects.filter(session=one).count() == 1


def test_invalid_score_is_explained(as_user: Any, programme: ProgrammeRecord) -> None:
    session = open_session(as_user("facilitator"), programme.slug)
    phone = join(session.code)
    option = session.options[0]["id"]
    criterion = session.criteria[0]
    response = phone.post(f"/w/score/{option}/", {f"score-{criterion['id']}": "99"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not SessionScore.objects.exists()


def test_scribe_outputs(as_user: Any, programme: ProgrammeRecord) -> None:
    session = open_session(as_user("facilitator"), programme.slug)
    phone = join(session.code)
    response = phone.post(
        "/w/outputs/", {"table": "3", "kind": "issue", "text": "Travel to the hub", "category": ""}
    )
    assert response.status_code == 302
    assert session.outputs.get().text == "Travel to the hub"
    assert phone.post("/w/outputs/", {"table": "", "kind": "x", "text": ""}).status_code == 200


def test_results_use_the_programmes_aggregation(as_user: Any, programme: ProgrammeRecord) -> None:
    programme.document["appraisal"] = {
        **programme.document.get("appraisal", {}),
        "aggregation": "median",
    }
    programme.save(update_fields=["document"])
    facilitator = as_user("facilitator")
    session = open_session(facilitator, programme.slug)
    for value in (2, 3, 10):  # median 3, mean 5
        score_all(join(session.code), session, value)
    facilitator.post(f"/sessions/{session.pk}/action/", {"action": "close"})
    facilitator.post(f"/sessions/{session.pk}/action/", {"action": "reveal"})
    page = facilitator.get(f"/sessions/{session.pk}/results/").content.decode()
    first = session.criteria[0]["id"]
    assert f'data-criterion="{first}"' in page
    cells = re.findall(r'data-value="([^"]*)"', page)
    assert cells and all(float(v) == 3.0 for v in cells)
    assert "the median of the room" in page
