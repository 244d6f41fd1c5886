"""The phone pass: a participant's place in a workshop, held in a signed cookie."""

from __future__ import annotations

from typing import Any

from django.test import Client

from caseforchange.web.programmes.models import ProgrammeRecord
from caseforchange.web.workshops.models import Participant
from caseforchange.web.workshops.phone import COOKIE
from tests.web.test_workshop import join, open_session


def test_a_participant_pass_holds_only_ids(as_user: Any, programme: ProgrammeRecord) -> None:
    session = open_session(as_user("facilitator"), programme.slug)
    phone = join(session.code, "Ann")
    data, _timestamp, _signature = phone.cookies[COOKIE].value.rsplit(":", 2)
    participant = Participant.objects.get(session=session)
    assert f'"participant":{participant.pk}' in data and "Ann" not in data
    assert phone.cookies[COOKIE]["httponly"]
    # Scoring pages need no database session for a phone.
    assert "sessionid" not in phone.cookies


def test_a_forged_pass_is_not_a_participant(as_user: Any, programme: ProgrammeRecord) -> None:
    session = open_session(as_user("facilitator"), programme.slug)
    phone, _other = join(session.code), join(session.code)
    option = session.options[0]["id"]
    assert phone.get(f"/w/score/{option}/").status_code == 200
    victim = Participant.objects.filter(session=session).order_by("id").last()
    assert victim is not None
    # Claim to be the other participant without the secret key: the signature fails.
    _data, timestamp, signature = phone.cookies[COOKIE].value.rsplit(":", 2)
    forged = f'{{"browser":"x","participant":{victim.pk}}}:{timestamp}:{signature}'
    intruder = Client()
    intruder.cookies[COOKIE] = forged
    assert intruder.get(f"/w/score/{option}/").status_code == 403
    assert intruder.get("/w/").status_code == 302  # back to the join page


def test_leaving_forgets_the_phone_but_not_a_staff_sign_in(
    as_user: Any, programme: ProgrammeRecord
) -> None:
    facilitator = as_user("facilitator")
    session = open_session(facilitator, programme.slug)
    facilitator.post("/join/", {"code": session.code})
    group = session.groups[0]["id"] if session.groups else ""
    assert facilitator.post("/join/you/", {"group": group}).status_code == 302
    assert facilitator.get("/w/").status_code == 200
    assert facilitator.post("/w/leave/").status_code == 302
    assert facilitator.get("/w/").status_code == 302  # no longer a participant ...
    assert facilitator.get(f"/sessions/{session.pk}/").status_code == 200  # ... still signed in
