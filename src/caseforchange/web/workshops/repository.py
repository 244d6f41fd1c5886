"""Workshop sessions: what is scored, who joined, their scores, and the room's results.

Scores are aggregated by the engine's own panel aggregation, and applying a session to the
programme turns participants into panel members whose scores the appraisal then uses.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings as django_settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from caseforchange.appraisal.hurdles import screen
from caseforchange.appraisal.panels import aggregate
from caseforchange.catalogue.scales import scales_for
from caseforchange.domain.panels import Member, Score
from caseforchange.domain.problems import InvalidInput
from caseforchange.domain.programme import Aggregation, AppraisalSettings, Programme
from caseforchange.web import rawsql
from caseforchange.web.audit.chain import Change, record, record_many
from caseforchange.web.programmes import repository as programmes
from caseforchange.web.programmes.models import ProgrammeRecord
from caseforchange.web.workshops.codes import new_code
from caseforchange.web.workshops.models import (
    Participant,
    SessionScore,
    SessionStatus,
    WorkshopSession,
)


def short_list(programme: Programme) -> list[str]:
    """Return the options that pass the hurdles, or every option when hurdles are unscored."""
    try:
        return list(screen(programme, scales_for(programme.framework.scales)).short_list)
    except InvalidInput:
        return [o.id for o in programme.options]


def scoring_plan(programme: Programme) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return the options and criteria a workshop scores, as snapshots for the session.

    Criteria are the framework's scored leaves: hurdles (already applied) and measured
    criteria with a value function (not a matter of opinion) are left out.
    """
    kept = set(short_list(programme))
    options = [{"id": o.id, "name": o.name} for o in programme.options if o.id in kept]
    scales = scales_for(programme.framework.scales)
    criteria = []
    for criterion in programme.framework.leaves():
        if criterion.hurdle or criterion.value_function is not None:
            continue
        scale = scales.get(criterion.scale or "")
        low, high = (scale.min, scale.max) if scale else (0.0, 10.0)
        labels = {p.value: p.label for p in scale.points} if scale else {}
        choices = []
        if float(low).is_integer() and float(high).is_integer() and high - low <= 10:
            choices = [
                {"value": v, "label": labels.get(float(v), "")}
                for v in range(int(low), int(high) + 1)
            ]
        criteria.append(
            {
                "id": criterion.id,
                "name": criterion.name,
                "description": criterion.description or "",
                "min": low,
                "max": high,
                "choices": choices,
            }
        )
    return options, criteria


class RoomRefused(Exception):
    """A room action that cannot be done: the site's open sessions or the session is full."""


def open_session(
    row: ProgrammeRecord,
    panel: str,
    title: str,
    actor: str,
    user: Any,
    *,
    anonymous: bool = False,
    cap: int = 300,
) -> WorkshopSession:
    """Open a scoring session with a fresh join code, and audit it.

    Raises:
        RoomRefused: when ``MAX_OPEN_SESSIONS`` sessions are already open (the bound the
            join-code guessing sum rests on).
    """
    if WorkshopSession.objects.filter(status=SessionStatus.OPEN).count() >= (
        django_settings.MAX_OPEN_SESSIONS
    ):
        raise RoomRefused(
            f"{django_settings.MAX_OPEN_SESSIONS} sessions are already open: close one first"
        )
    programme = programmes.to_programme(row)
    options, criteria = scoring_plan(programme)
    groups = [{"id": g.id, "name": g.name} for g in programme.stakeholders]
    for _ in range(20):
        try:
            with transaction.atomic():
                session = WorkshopSession.objects.create(
                    programme=row,
                    panel=panel,
                    title=title,
                    code=new_code(),
                    options=options,
                    criteria=criteria,
                    groups=groups,
                    created_by=user,
                    anonymous=anonymous,
                    participant_cap=cap,
                )
                record(
                    actor,
                    "session opened",
                    f"{row.slug}:session[{session.pk}]",
                    programme=row.slug,
                    after={
                        "panel": panel,
                        "title": title,
                        "anonymous": anonymous,
                        "participant_cap": cap,
                    },
                )
                return session
        except IntegrityError:  # pragma: no cover - a code collision, ~1 in 10^12
            continue
    raise RuntimeError("could not find a free join code")


def set_status(
    session: WorkshopSession,
    actor: str,
    *,
    close: bool | None = None,
    reveal: bool | None = None,
    option: str | None = None,
) -> None:
    """Close or reopen a session, reveal or hide its results (or one option's), and audit it.

    Reopening hides the results again: answers may change, so phones must not see a result
    that is no longer the room's.
    """
    with transaction.atomic():
        before = {
            "status": session.status,
            "revealed": session.revealed,
            "revealed_options": list(session.revealed_options),
        }
        if close is not None:
            session.status = SessionStatus.CLOSED if close else SessionStatus.OPEN
            session.closed_at = timezone.now() if close else None
            if not close:
                session.revealed, session.revealed_options = False, []
        if reveal is not None and option is not None:
            shown = [o for o in session.revealed_options if o != option]
            session.revealed_options = [*shown, option] if reveal else shown
        elif reveal is not None:
            session.revealed = reveal
            if not reveal:
                session.revealed_options = []
        session.save(update_fields=["status", "closed_at", "revealed", "revealed_options"])
        after = {
            "status": session.status,
            "revealed": session.revealed,
            "revealed_options": list(session.revealed_options),
        }
        if reveal is not None:
            action = "session revealed" if reveal else "session hidden"
        else:
            action = "session closed" if close else "session reopened"
        record(
            actor,
            action,
            f"{session.programme.slug}:session[{session.pk}]",
            programme=session.programme.slug,
            before=before,
            after=after,
        )


def join(session: WorkshopSession, display_name: str, group: str) -> Participant:
    """Add a participant to an open session, numbering them in order of joining.

    An anonymous session keeps no display name, whatever was sent.

    Raises:
        RoomRefused: when the session already has ``participant_cap`` participants.
    """
    if session.anonymous:
        display_name = ""
    statements = _statements()
    for _ in range(50):
        try:
            with transaction.atomic():
                # Lock the session row so that two phones joining at once cannot both take
                # the last place (PostgreSQL; SQLite's IMMEDIATE transactions already queue).
                if connection.features.has_select_for_update:
                    rawsql.fetch_one(statements["lock session"], [session.pk])
                joined, top = rawsql.fetch_one(statements["joined"], [session.pk]) or (0, None)
                if joined >= session.participant_cap:
                    raise RoomRefused("This session is full: ask the facilitator")
                participant = Participant(
                    session=session,
                    number=(top or 0) + 1,
                    display_name=display_name,
                    group=group,
                    joined_at=timezone.now(),
                )
                names = ("session_id", "number", "display_name", "group", "joined_at")
                (participant.pk,) = rawsql.insert(
                    Participant,
                    names,
                    [[getattr(participant, n) for n in names]],
                    returning_pk=True,
                )
                participant._state.adding = False
                return participant
        except IntegrityError:
            continue  # two people joined at the same moment on PostgreSQL: take the next number
    raise RuntimeError("could not number the participant")


@cache
def _statements() -> dict[str, str]:
    """Return the phone path's statements, built once per process (see ``web/rawsql.py``)."""
    score, person, room = SessionScore, Participant, WorkshopSession
    return {
        "answers": f"SELECT {rawsql.columns(score, ('option', 'criterion', 'value', 'rationale'))}"
        f" FROM {rawsql.table(score)}"
        f" WHERE {rawsql.column(score, 'participant')} = %s",
        "option answers": f"SELECT {rawsql.columns(score, ('criterion', 'value', 'rationale'))}"
        f" FROM {rawsql.table(score)} WHERE {rawsql.column(score, 'participant')} = %s"
        f" AND {rawsql.column(score, 'option')} = %s",
        "lock session": f"SELECT {rawsql.column(room, 'id')} FROM {rawsql.table(room)}"
        f" WHERE {rawsql.column(room, 'id')} = %s FOR UPDATE",
        "joined": f"SELECT COUNT(*), MAX({rawsql.column(person, 'number')})"
        f" FROM {rawsql.table(person)} WHERE {rawsql.column(person, 'session')} = %s",
    }


def open_session_by(column: str, value: Any) -> WorkshopSession | None:
    """Return the open session whose ``column`` (``id`` or ``code``) is ``value``, or None.

    Phones look sessions up on joining; the statement is built once per process.
    """
    sql, names = _open_session_plan(column)
    row = rawsql.fetch_one(sql, [value, SessionStatus.OPEN.value])
    return rawsql.instance(WorkshopSession, names, row) if row else None


@cache
def _open_session_plan(column: str) -> tuple[str, tuple[str, ...]]:
    if column not in {"id", "code"}:
        raise ValueError(f"sessions are not looked up by {column}")
    names = tuple(f.attname for f in WorkshopSession._meta.concrete_fields)
    sql = (
        f"SELECT {rawsql.columns(WorkshopSession, names)} FROM {rawsql.table(WorkshopSession)}"
        f" WHERE {rawsql.column(WorkshopSession, column)} = %s"
        f" AND {rawsql.column(WorkshopSession, 'status')} = %s"
    )
    return sql, names


#: A programme's stored document, scores and file hashes: large, and never needed by a phone.
PROGRAMME_BULK = ("document", "scores", "file_hashes")


@cache
def _phone_plan() -> tuple[str, list[tuple[type[Any], tuple[str, ...]]]]:
    """Return the phone's participant query and the fields it reads of each model."""
    parts: list[tuple[type[Any], tuple[str, ...]]] = [
        (model, tuple(f.attname for f in model._meta.concrete_fields if f.name not in skip))
        for model, skip in (
            (Participant, ()),
            (WorkshopSession, ()),
            (ProgrammeRecord, PROGRAMME_BULK),
        )
    ]
    sql = (
        "SELECT "
        + ", ".join(rawsql.columns(model, names) for model, names in parts)
        + f" FROM {rawsql.table(Participant)}"
        + f" INNER JOIN {rawsql.table(WorkshopSession)}"
        + f" ON {rawsql.column(Participant, 'session')} = {rawsql.column(WorkshopSession, 'id')}"
        + f" INNER JOIN {rawsql.table(ProgrammeRecord)}"
        + f" ON {rawsql.column(WorkshopSession, 'programme')}"
        + f" = {rawsql.column(ProgrammeRecord, 'id')}"
        + f" WHERE {rawsql.column(Participant, 'id')} = %s"
    )
    return sql, parts


def participant_for_phone(pk: int) -> Participant | None:
    """Return a participant with their session and its programme, in one query, or None.

    Every phone request needs this. The programme's stored document, scores and file hashes
    are deferred (reading one loads it); the query is built once per process, not compiled by
    the ORM on every request, which was a fifth of a phone request's CPU.
    """
    sql, parts = _phone_plan()
    row = rawsql.fetch_one(sql, [pk])
    if row is None:
        return None
    made = []
    start = 0
    for model, names in parts:
        made.append(rawsql.instance(model, names, row[start : start + len(names)]))
        start += len(names)
    participant, session, programme = made
    Participant._meta.get_field("session").set_cached_value(participant, session)
    WorkshopSession._meta.get_field("programme").set_cached_value(session, programme)
    return participant  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Answer:
    """One saved score as a phone page shows it: the value and the rationale."""

    value: float
    rationale: str


def answers_of(participant: Participant) -> dict[tuple[str, str], Answer]:
    """Return the participant's saved scores keyed by (option, criterion).

    Plain values, not model instances: every phone page reads them, and building a model per
    score (with its signals and field conversions) cost more than the query.
    """
    rows = rawsql.fetch_all(_statements()["answers"], [participant.pk])
    return {
        (option, criterion): Answer(float(value), rationale)
        for option, criterion, value, rationale in rows
    }


_SCORE_COLUMNS = (
    "session",
    "participant",
    "option",
    "criterion",
    "value",
    "rationale",
    "updated_at",
)


def save_scores(
    participant: Participant, option: str, answers: dict[str, tuple[float, str]]
) -> int:
    """Create or update a participant's scores on one option; audit each change.

    One short transaction: read the option's current scores (for the audit trail's "before"),
    write the changed ones in one upsert, and append their audit entries in one insert.

    Returns:
        How many scores changed.
    """
    session = participant.session
    slug = session.programme.slug
    changed: list[Change] = []
    rows: list[tuple[Any, ...]] = []
    now = timezone.now()
    with transaction.atomic():
        existing = {
            criterion: (value, rationale)
            for criterion, value, rationale in rawsql.fetch_all(
                _statements()["option answers"], [participant.pk, option]
            )
        }
        for criterion, (value, rationale) in answers.items():
            old = existing.get(criterion)
            if old is not None and old == (value, rationale):
                continue
            before = {"value": old[0], "rationale": old[1]} if old else None
            rows.append((session.pk, participant.pk, option, criterion, value, rationale, now))
            changed.append(
                Change(
                    f"participant {participant.member_id}",
                    "workshop score",
                    f"{slug}:session[{session.pk}].{participant.member_id}.{option}/{criterion}",
                    slug,
                    before,
                    {"value": value, "rationale": rationale},
                )
            )
        # One upsert statement: the unique (participant, option, criterion) constraint means a
        # resubmitted answer replaces the old one and can never be duplicated.
        rawsql.insert(
            SessionScore,
            _SCORE_COLUMNS,
            rows,
            conflict=(("participant", "option", "criterion"), ("value", "rationale", "updated_at")),
        )
        record_many(changed)
    return len(changed)


@dataclass
class GroupProgress:
    """How many people of one stakeholder group joined and submitted."""

    group: str
    name: str
    joined: int = 0
    submitted: int = 0


@dataclass
class Progress:
    """What the facilitator sees while the room scores: counts only, never the scores."""

    joined: int
    submitted: int
    cells: int
    groups: list[GroupProgress]
    people: list[dict[str, Any]] = field(default_factory=list)


def progress(session: WorkshopSession) -> Progress:
    """Return who has joined and submitted, by group, and how far each person has got."""
    names = {g["id"]: g["name"] for g in session.groups}
    people: list[dict[str, Any]] = [
        dict(row)
        for row in session.participants.annotate(answered=Count("scores")).values(
            "number", "display_name", "group", "submitted_at", "answered"
        )
    ]
    groups: dict[str, GroupProgress] = {}
    for person in people:
        key = person["group"] or ""
        entry = groups.setdefault(key, GroupProgress(key, names.get(key, key or "No group given")))
        entry.joined += 1
        entry.submitted += person["submitted_at"] is not None
    cells = len(session.options) * len(session.criteria)
    return Progress(
        joined=len(people),
        submitted=sum(p["submitted_at"] is not None for p in people),
        cells=cells,
        groups=sorted(groups.values(), key=lambda g: g.name),
        people=people,
    )


@dataclass
class CellResult:
    """The room's view of one option on one criterion."""

    option: str
    criterion: str
    n: int
    value: float | None
    low: float | None
    high: float | None
    spread: float
    iqr: float
    by_group: dict[str, float]


def _iqr(values: list[float]) -> float:
    if len(values) < 2:
        return 0.0
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[2] - q[0]


def aggregation(session: WorkshopSession) -> Aggregation:
    """Return how the session's programme combines a panel's scores (mean, median, ...).

    Only the appraisal settings are read: the whole stored programme was validated when saved,
    and validating all of it again for each phone that opens the results is wasted work.
    """
    settings = session.programme.document.get("appraisal", {})
    return AppraisalSettings.model_validate(settings).aggregation


def counted_scores(session: WorkshopSession) -> QuerySet[SessionScore]:
    """Return the session's scores that count: those of participants who submitted."""
    return session.scores.filter(participant__submitted_at__isnull=False)


def results(session: WorkshopSession, method: Aggregation) -> list[CellResult]:
    """Return every cell's aggregate by ``method`` over submitted scores, with spread and IQR."""
    values: dict[tuple[str, str], list[float]] = {}
    groups: dict[tuple[str, str], dict[str, list[float]]] = {}
    for option, criterion, value, group in counted_scores(session).values_list(
        "option", "criterion", "value", "participant__group"
    ):
        values.setdefault((option, criterion), []).append(value)
        groups.setdefault((option, criterion), {}).setdefault(group or "", []).append(value)
    cells = []
    for option in session.options:
        for criterion in session.criteria:
            key = (option["id"], criterion["id"])
            given = values.get(key, [])
            cells.append(
                CellResult(
                    option=key[0],
                    criterion=key[1],
                    n=len(given),
                    value=aggregate(given, method) if given else None,
                    low=min(given) if given else None,
                    high=max(given) if given else None,
                    spread=(max(given) - min(given)) if given else 0.0,
                    iqr=_iqr(given),
                    by_group={g: aggregate(v, method) for g, v in groups.get(key, {}).items()},
                )
            )
    return cells


def apply_to_programme(session: WorkshopSession, actor: str) -> int:
    """Add the session's scores to its panel as members' scores, replacing earlier ones.

    Each participant becomes a panel member (their display name, or "Participant n"); the
    panel's previous scores on the cells the session scored are replaced, so the appraisal
    aggregates the room's scores with the programme's own method.

    Returns:
        The number of scores written.

    Raises:
        InvalidInput: when the programme no longer has the session's panel, or the result
            does not validate.
    """
    row = session.programme
    programme = programmes.to_programme(row)
    panel_index = next((i for i, p in enumerate(programme.panels) if p.id == session.panel), None)
    if panel_index is None:
        from caseforchange.domain.problems import Problem

        raise InvalidInput([Problem(("panels",), f"the programme has no panel '{session.panel}'")])
    participants = list(session.participants.all())
    group_names = {g["id"]: g["name"] for g in session.groups}
    counted = counted_scores(session)
    scored = {(s.option, s.criterion) for s in counted}
    panel = programme.panels[panel_index]
    prefix = f"ws{session.pk}-"
    members = [m for m in panel.members if not m.id.startswith(prefix)]
    voters = {s.participant_id for s in counted}
    members += [
        Member(
            id=p.member_id,
            name=p.public_label,
            role=("Workshop participant: " + group_names.get(p.group, p.group)).strip(": "),
        )
        for p in participants
        if p.pk in voters
    ]
    by_pk = {p.pk: p for p in participants}
    kept = [
        s
        for s in programme.scores
        if not (s.panel == session.panel and (s.option, s.criterion) in scored)
    ]
    new_scores = [
        Score(
            option=s.option,
            criterion=s.criterion,
            panel=session.panel,
            member=by_pk[s.participant_id].member_id,
            value=s.value,
            rationale=s.rationale or None,
        )
        for s in counted.order_by("option", "criterion", "participant__number")
    ]
    data = programmes.data_of(row)
    data["panels"][panel_index]["members"] = [
        m.model_dump(mode="json", exclude_none=True) for m in members
    ]
    data["scores"] = [
        *[s.model_dump(mode="json", exclude_none=True) for s in kept],
        *[s.model_dump(mode="json", exclude_none=True) for s in new_scores],
    ]
    updated = programmes.validate(data, f"session {session.code}")
    with transaction.atomic():
        programmes.save(row, updated, actor, "workshop scores applied", row.revision)
        session.applied_at = timezone.now()
        session.save(update_fields=["applied_at"])
        record(
            actor,
            "session applied",
            f"{row.slug}:session[{session.pk}]",
            programme=row.slug,
            after={"scores": len(new_scores), "members": len(members)},
        )
    return len(new_scores)
