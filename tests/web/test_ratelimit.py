"""Join-code guessing: bounded per browser, per address and across the site; no lock-outs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client, override_settings
from django.utils import timezone

from caseforchange.web.programmes.models import ProgrammeRecord
from caseforchange.web.workshops import ratelimit
from caseforchange.web.workshops.codes import ALPHABET, LENGTH, link_token
from caseforchange.web.workshops.models import JoinFailure, WorkshopSession
from tests.web.test_workshop import open_session

WRONG = {"code": "AAAAAAAA"}


def test_the_daily_chance_of_hitting_a_live_code_is_below_one_in_a_million() -> None:
    # 31 letters and digits, 8 of them: 31^8 = 852,891,037,441 codes (worked by hand:
    # 31^2 = 961, 31^4 = 923,521, 31^8 = 923,521^2).
    assert len(ALPHABET) == 31 and LENGTH == 8
    assert len(ALPHABET) ** LENGTH == 923_521**2 == 852_891_037_441
    # At most 8,000 wrong codes a day against at most 100 live codes:
    # 8,000 x 100 / 852,891,037,441 = 9.38e-7.
    assert ratelimit.chance_of_a_hit() == 8000 * 100 / 852_891_037_441
    assert ratelimit.chance_of_a_hit() < 1e-6


def test_a_browser_that_guesses_waits_but_the_room_gets_in(
    as_user: Any, programme: ProgrammeRecord
) -> None:
    session = open_session(as_user("facilitator"), programme.slug)
    with override_settings(JOIN_ATTEMPTS_LIMIT=3):
        guesser = Client()
        for _ in range(3):
            assert guesser.post("/join/", WRONG).status_code == 200
        assert guesser.post("/join/", WRONG).status_code == 429
        # More guessers at the same address take the address past 10 x 3 = 30 wrong codes.
        for _ in range(9):
            other = Client()
            for _ in range(3):
                other.post("/join/", WRONG)
        assert JoinFailure.objects.count() == 30 * 3  # browser, address and site rows
        # A browser that has guessed at this address is now refused before its own limit ...
        late = Client()
        assert late.post("/join/", WRONG).status_code == 200
        assert late.post("/join/", {"code": session.code}).status_code == 429
        # ... but a phone typing the right code first time always gets in.
        fresh = Client()
        response = fresh.post("/join/", {"code": session.code})
        assert response.status_code == 302 and response["Location"] == "/join/you/"


def test_the_site_wide_bound_stops_typed_codes_but_never_the_qr_link(
    as_user: Any, programme: ProgrammeRecord
) -> None:
    session = open_session(as_user("facilitator"), programme.slug)
    with override_settings(JOIN_GLOBAL_LIMIT=5):
        for _ in range(5):  # five guessers from five browsers
            assert Client().post("/join/", WRONG).status_code == 200
        # Nothing more is checked today, not even a right code typed by a fresh phone ...
        assert Client().post("/join/", {"code": session.code}).status_code == 429
        # ... so the limit really bounds how many codes a day can be tried.
        assert JoinFailure.objects.count() == 5 * 3
        # The QR code's link carries a 128-bit token and always joins.
        token = link_token(session.pk, session.code)
        phone = Client()
        response = phone.get(f"/join/?code={session.code}&t={token}")
        assert response.status_code == 302 and response["Location"] == "/join/you/"
        assert phone.post("/join/you/", {"group": session.groups[0]["id"]}).status_code == 302
        # A wrong token is not a way in.
        assert Client().get(f"/join/?code={session.code}&t={'0' * 32}").status_code == 200


def test_the_dashboard_link_carries_the_token(as_user: Any, programme: ProgrammeRecord) -> None:
    facilitator = as_user("facilitator")
    session = open_session(facilitator, programme.slug)
    page = facilitator.get(f"/sessions/{session.pk}/").content.decode()
    assert link_token(session.pk, session.code) not in page  # only inside the QR image
    assert len(link_token(session.pk, session.code)) == 32


def test_join_failures_expire_after_their_windows(db: Any) -> None:
    with override_settings(JOIN_ATTEMPTS_LIMIT=2):
        client = Client()
        for _ in range(2):
            client.post("/join/", WRONG)
        assert client.post("/join/", WRONG).status_code == 429
        an_hour_ago = timezone.now() - dt.timedelta(hours=1)
        JoinFailure.objects.update(at=an_hour_ago)
        assert client.post("/join/", WRONG).status_code == 200
        # The browser and address rows older than 10 minutes went; the site's are kept 24 h.
        assert JoinFailure.objects.filter(at=an_hour_ago).count() == 2
        JoinFailure.objects.update(at=timezone.now() - dt.timedelta(hours=25))
        client.post("/join/", WRONG)
        assert JoinFailure.objects.count() == 3


@override_settings(CLIENT_IP_HEADER="X-Forwarded-For")
def test_behind_a_proxy_each_phone_is_counted_by_its_own_address(db: Any) -> None:
    with override_settings(JOIN_ATTEMPTS_LIMIT=1):
        # The proxy appends the real address; a forged first entry is ignored.
        for n in range(3):
            guesser = Client(HTTP_X_FORWARDED_FOR=f"6.6.6.6, 10.0.0.{n}")
            assert guesser.post("/join/", WRONG).status_code == 200
    keys = set(JoinFailure.objects.values_list("key", flat=True))
    # Three browsers, three addresses, one site key; no raw address stored.
    assert len(keys) == 7 and all("10.0.0" not in k for k in keys)


def test_opening_is_refused_past_the_open_session_bound(
    as_user: Any, programme: ProgrammeRecord
) -> None:
    facilitator = as_user("facilitator")
    with override_settings(MAX_OPEN_SESSIONS=1):
        open_session(facilitator, programme.slug)
        response = facilitator.post(
            f"/programmes/{programme.slug}/sessions/",
            {"panel": "workshop", "names": "named", "cap": "10"},
        )
        assert response.status_code == 200
        assert "1 sessions are already open" in response.content.decode()
    assert WorkshopSession.objects.count() == 1
