"""The workshop's hot requests keep their query counts (issue 10: 1,000 phones at once).

Each count is what the request needs on PostgreSQL, inside the test's own transaction (so a
write's transaction shows as a SAVEPOINT and its RELEASE); SQLite needs the same or fewer
(it takes no row or advisory lock). A new query on one of these paths is 1,000 more per
minute in a busy room: raise a count here only on purpose.
"""

from __future__ import annotations

from typing import Any

from django.test import Client

from caseforchange.web.audit.chain import verify
from caseforchange.web.audit.models import AuditEntry
from caseforchange.web.programmes.models import ProgrammeRecord
from caseforchange.web.workshops.models import Participant, SessionScore
from tests.web.test_workshop import open_session

#: The facilitator's progress fragment, polled every 3 seconds by each dashboard (one of the
#: queries asks whether a signed-in person has a second factor: docs/web.md, "People").
POLL = 6

#: The most queries each request may run: (method, path pattern) -> count.
LIMITS = {
    "GET /join/": 0,  # a fresh phone: no participant to look up
    "POST /join/": 2,  # the join-code counts, the session by its code
    "GET /join/you/": 1,  # the session being joined
    "POST /join/you/": 6,  # session; savepoint, lock, count and top number, insert, release
    "GET /w/": 2,  # participant with session and programme; their answers
    "GET /w/score/": 2,  # participant; their answers (once, for fields and "You scored")
    # participant; savepoint, answers on the option, upsert, chain lock, last hash, audit
    # insert, release
    "POST /w/score/": 8,
    "POST /w/submit/": 2,  # participant; the update
}


def test_each_hot_request_runs_no_more_queries_than_pinned(
    as_user: Any, programme: ProgrammeRecord, django_assert_max_num_queries: Any
) -> None:
    session = open_session(as_user("facilitator"), programme.slug)
    group = session.groups[0]["id"]
    option = session.options[0]["id"]
    scores = {f"score-{c['id']}": "7" for c in session.criteria}
    phone = Client()

    def call(method: str, path: str, limit: str, data: dict[str, str] | None = None) -> int:
        with django_assert_max_num_queries(LIMITS[limit]):
            response = phone.get(path) if method == "GET" else phone.post(path, data or {})
        return int(response.status_code)

    assert call("GET", "/join/", "GET /join/") == 200
    assert call("POST", "/join/", "POST /join/", {"code": session.code}) == 302
    assert call("GET", "/join/you/", "GET /join/you/") == 200
    assert call("POST", "/join/you/", "POST /join/you/", {"group": group}) == 302
    assert call("GET", "/w/", "GET /w/") == 200
    assert call("GET", f"/w/score/{option}/", "GET /w/score/") == 200
    assert call("POST", f"/w/score/{option}/", "POST /w/score/", scores) == 302
    scores[f"rationale-{session.criteria[0]['id']}"] = "changed my mind"
    assert call("POST", f"/w/score/{option}/", "POST /w/score/", scores) == 302
    assert call("GET", f"/w/score/{option}/", "GET /w/score/") == 200
    assert call("POST", "/w/submit/", "POST /w/submit/") == 302

    # The fewer queries lost nothing: every score once, each change audited, chain intact.
    participant = Participant.objects.get(session=session)
    saved = SessionScore.objects.filter(participant=participant)
    assert saved.count() == len(session.criteria)
    assert {s.value for s in saved} == {7.0}
    assert participant.submitted_at is not None
    audited = AuditEntry.objects.filter(action="workshop score")
    assert audited.count() == len(session.criteria) + 1  # five new, then one rationale changed
    assert verify().ok


def test_the_score_page_shows_saved_answers_after_one_read(
    as_user: Any, programme: ProgrammeRecord
) -> None:
    session = open_session(as_user("facilitator"), programme.slug)
    phone = Client()
    phone.post("/join/", {"code": session.code})
    phone.post("/join/you/", {"group": session.groups[0]["id"]})
    option, first = session.options[0]["id"], session.criteria[0]["id"]
    phone.post(f"/w/score/{option}/", {f"score-{first}": "3", f"rationale-{first}": "<b>x</b>"})
    page = phone.get(f"/w/score/{option}/").content.decode()
    assert "You scored 3" in page
    assert "&lt;b&gt;x&lt;/b&gt;</textarea>" in page  # the rationale, escaped, in its field
    assert 'value="3" checked' in page
    # A wrong score is shown again with what is already saved.
    page = phone.post(f"/w/score/{option}/", {f"score-{first}": "99"}).content.decode()
    assert "You scored 3" in page and "nhsuk-error-summary" in page


def test_the_facilitators_progress_poll_reads_a_fixed_number_of_rows(
    as_user: Any, programme: ProgrammeRecord, django_assert_max_num_queries: Any
) -> None:
    facilitator = as_user("facilitator")
    session = open_session(facilitator, programme.slug)
    counts = []
    for people in (3, 6):
        while Participant.objects.filter(session=session).count() < people:
            phone = Client()
            phone.post("/join/", {"code": session.code})
            phone.post("/join/you/", {"group": session.groups[0]["id"]})
        # Signed-in staff: their session and user, whether they have a second factor, the
        # workshop, their role, then one grouped query for everyone's counts, however many
        # people joined (no query per participant).
        with django_assert_max_num_queries(POLL) as captured:
            page = facilitator.get(f"/sessions/{session.pk}/progress/?seen=0/0&people=1")
        assert page.status_code == 200
        assert f"0 submitted of {people} joined" in page.content.decode()
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_scale_radios_write_the_frontends_ids_and_escape_names() -> None:
    from caseforchange.web.workshops.views import scale_radios

    html = str(scale_radios('f-"x', "score-<x>", [{"value": 0}, {"value": 1}], "1"))
    # The first item takes the field's id (the error summary links to it), then -2, -3, ...
    assert 'id="f-&#34;x" name="score-&lt;x&gt;" type="radio" value="0">' in html
    assert 'id="f-&#34;x-2" name="score-&lt;x&gt;" type="radio" value="1" checked>' in html
    assert html.count("checked") == 1 and "<x>" not in html


def _criterion(name: str, description: str = "") -> dict[str, Any]:
    return {
        "id": "access",
        "name": name,
        "description": description,
        "min": 0,
        "max": 2,
        "choices": [{"value": 0, "label": "poor"}, {"value": 1, "label": ""}, {"value": 2}],
    }


def test_a_kept_score_field_is_the_criterions_own_and_escapes_its_text() -> None:
    from caseforchange.web.workshops.views import score_field

    first = str(score_field(_criterion("Access"), "", "", None))
    # Same id, new content (another session's snapshot): never the first one's markup.
    renamed = str(score_field(_criterion("Access <b>", "Near home"), "", "", None))
    assert "Access</legend>" in first and "Near home" not in first
    assert "Access &lt;b&gt;</legend>" in renamed and "Near home 0 = poor" in renamed
    # Kept: the same inputs give the identical markup again, the very object kept.
    kept = score_field(_criterion("Access"), "", "", None)
    assert str(kept) == first
    assert score_field(_criterion("Access"), "", "", None) is kept
    # The saved value is checked; an error is shown and linked from the hint.
    chosen = str(score_field(_criterion("Access"), "1", "", "Score 'Access' from 0 to 2"))
    assert 'id="f-score-access-2" name="score-access" type="radio" value="1" checked>' in chosen
    assert "Score &#39;Access&#39; from 0 to 2</span>" in chosen


def test_a_rationale_is_escaped_and_each_participants_own() -> None:
    from caseforchange.web.workshops.views import score_field

    hostile = "</textarea><script>alert(1)</script>"
    html = str(score_field(_criterion("Access"), "2", hostile, None))
    assert "<script>" not in html
    assert ">&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in html
    other = str(score_field(_criterion("Access"), "2", "Near my home", None))
    assert ">Near my home</textarea>" in other and "script" not in other
