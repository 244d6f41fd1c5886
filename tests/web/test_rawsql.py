"""Statements built once per process read and write the same rows as the ORM."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from caseforchange.web import rawsql
from caseforchange.web.audit.models import AuditEntry
from caseforchange.web.programmes.models import ProgrammeRecord
from caseforchange.web.workshops import repository
from caseforchange.web.workshops.models import Participant, SessionScore, WorkshopSession


def _session(programme: ProgrammeRecord) -> WorkshopSession:
    return repository.open_session(programme, "workshop", "Raw", "test", None, cap=5)


def _fields(instance: Any) -> dict[str, Any]:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_the_phone_participant_equals_the_orm_one(programme: ProgrammeRecord) -> None:
    session = _session(programme)
    joined = repository.join(session, "Ann", session.groups[1]["id"])
    Participant.objects.filter(pk=joined.pk).update(submitted_at=timezone.now())
    fast = repository.participant_for_phone(joined.pk)
    slow = Participant.objects.select_related("session__programme").get(pk=joined.pk)
    assert fast is not None
    assert _fields(fast) == _fields(slow)
    assert _fields(fast.session) == _fields(slow.session)
    assert isinstance(fast.session.criteria, list) and fast.session.criteria == session.criteria
    assert isinstance(fast.submitted_at, dt.datetime) and fast.submitted_at.tzinfo is not None
    assert fast.session.programme.slug == programme.slug
    # The programme's bulk is deferred, not lost: reading it loads it.
    assert "document" in fast.session.programme.get_deferred_fields()
    assert fast.session.programme.document == ProgrammeRecord.objects.get(pk=programme.pk).document
    assert repository.participant_for_phone(joined.pk + 1000) is None


def test_open_sessions_are_found_by_id_or_code_only_while_open(programme: ProgrammeRecord) -> None:
    session = _session(programme)
    by_code = repository.open_session_by("code", session.code)
    assert by_code is not None and _fields(by_code) == _fields(
        WorkshopSession.objects.get(pk=session.pk)
    )
    assert repository.open_session_by("id", session.pk) is not None
    repository.set_status(session, "test", close=True)
    assert repository.open_session_by("code", session.code) is None
    assert repository.open_session_by("id", session.pk) is None


def test_joining_numbers_people_in_order_and_keeps_the_cap(programme: ProgrammeRecord) -> None:
    session = _session(programme)
    numbers = [repository.join(session, "", "").number for _ in range(5)]
    assert numbers == [1, 2, 3, 4, 5]
    stored = Participant.objects.filter(session=session).order_by("number")
    assert [p.number for p in stored] == numbers and all(p.joined_at for p in stored)
    try:
        repository.join(session, "", "")
    except repository.RoomRefused:
        pass
    else:  # pragma: no cover - the assertion below says what went wrong
        raise AssertionError("a sixth person joined a session capped at five")
    assert stored.count() == 5


def test_an_upsert_replaces_and_never_duplicates(programme: ProgrammeRecord) -> None:
    session = _session(programme)
    person = repository.join(session, "", "")
    option, (first, second) = session.options[0]["id"], [c["id"] for c in session.criteria[:2]]
    assert repository.save_scores(person, option, {first: (3.0, "a"), second: (4.0, "")}) == 2
    assert repository.save_scores(person, option, {first: (3.0, "a"), second: (9.0, "b")}) == 1
    rows = SessionScore.objects.filter(participant=person).order_by("criterion")
    got = {(s.criterion, s.value, s.rationale) for s in rows}
    assert got == {(first, 3.0, "a"), (second, 9.0, "b")}
    # The audit trail holds what changed, with the value before.
    last = AuditEntry.objects.filter(action="workshop score").order_by("-id").first()
    assert last is not None and last.before == {"value": 4.0, "rationale": ""}
    assert last.after == {"value": 9.0, "rationale": "b"}
    answers = repository.answers_of(person)
    assert {k: (s.value, s.rationale) for k, s in answers.items()} == {
        (option, first): (3.0, "a"),
        (option, second): (9.0, "b"),
    }


def test_insert_returns_the_new_keys_in_order(programme: ProgrammeRecord) -> None:
    session = _session(programme)
    now = timezone.now()
    names = ("session_id", "number", "display_name", "group", "joined_at")
    rows = [[session.pk, n, f"P{n}", "", now] for n in (7, 8, 9)]
    keys = rawsql.insert(Participant, names, rows, returning_pk=True)
    assert [Participant.objects.get(pk=k).display_name for k in keys] == ["P7", "P8", "P9"]
    assert rawsql.insert(Participant, names, []) == []


def test_names_are_quoted_for_the_database(programme: ProgrammeRecord) -> None:
    del programme
    quoted = rawsql.column(Participant, "group")
    assert quoted == (
        f"{connection.ops.quote_name('workshops_participant')}.{connection.ops.quote_name('group')}"
    )


def test_postgresql_prepares_the_phone_statements_once(programme: ProgrammeRecord) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (set DATABASE_URL)")
    session = _session(programme)
    person = repository.join(session, "", "")
    for _ in range(3):
        assert repository.participant_for_phone(person.pk) is not None
    sql, _parts = repository._phone_plan()
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    # psycopg sends it with $1 for %s; three calls, one prepared statement.
    assert prepared.count(sql.replace("%s", "$1")) == 1


def test_a_broken_unique_rule_is_django_s_integrity_error(programme: ProgrammeRecord) -> None:
    session = _session(programme)
    taken = repository.join(session, "", "")
    names = ("session_id", "number", "display_name", "group", "joined_at")
    with pytest.raises(IntegrityError), transaction.atomic():
        rawsql.insert(Participant, names, [[session.pk, taken.number, "", "", timezone.now()]])
    # The failed statement rolled back with its block; the connection still works.
    assert repository.participant_for_phone(taken.pk) is not None
