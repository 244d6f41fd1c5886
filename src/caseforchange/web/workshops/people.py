"""Looking after a room's participants: remove, merge, withdraw a score, delete personal data.

Every change is audited through the chain. Participants are numbered within their session;
the audit names them by member id (``ws<session>-p<n>``), never by display name.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from caseforchange.web.audit.chain import record
from caseforchange.web.programmes import repository as programmes
from caseforchange.web.programmes.models import ProgrammeRecord
from caseforchange.web.workshops.models import Participant, SessionScore, WorkshopSession


class NoSuchParticipant(Exception):
    """The number does not name a participant of the session."""


def _target(session: WorkshopSession, suffix: str = "") -> str:
    return f"{session.programme.slug}:session[{session.pk}]{suffix}"


def _get(session: WorkshopSession, number: int) -> Participant:
    found = session.participants.filter(number=number).first()
    if found is None:
        raise NoSuchParticipant(f"there is no participant {number} in this session")
    return found


def remove(session: WorkshopSession, number: int, actor: str) -> int:
    """Remove participant ``number`` and their scores (a fake or duplicate joiner).

    Returns:
        How many of their scores were removed.

    Raises:
        NoSuchParticipant: when the number is not in the session.
    """
    with transaction.atomic():
        person = _get(session, number)
        scores = person.scores.count()
        member = person.member_id
        person.delete()
        record(
            actor,
            "participant removed",
            _target(session, f".{member}"),
            programme=session.programme.slug,
            before={"scores": scores, "submitted": person.submitted_at is not None},
        )
    return scores


def merge(session: WorkshopSession, source: int, into: int, actor: str) -> int:
    """Merge participant ``source`` into ``into`` (one person who joined twice).

    ``into`` keeps their own answers; the cells only ``source`` answered move to ``into``;
    ``into`` counts as submitted if either had submitted. ``source`` is then removed.

    Returns:
        How many scores moved.

    Raises:
        NoSuchParticipant: when either number is not in the session, or they are the same.
    """
    if source == into:
        raise NoSuchParticipant("choose two different participants to merge")
    with transaction.atomic():
        from_person, to_person = _get(session, source), _get(session, into)
        have = set(to_person.scores.values_list("option", "criterion"))
        moving = [s.pk for s in from_person.scores.all() if (s.option, s.criterion) not in have]
        SessionScore.objects.filter(pk__in=moving).update(participant=to_person)
        if to_person.submitted_at is None and from_person.submitted_at is not None:
            to_person.submitted_at = from_person.submitted_at
            to_person.save(update_fields=["submitted_at"])
        from_member = from_person.member_id
        from_person.delete()
        record(
            actor,
            "participants merged",
            _target(session, f".{from_member}"),
            programme=session.programme.slug,
            after={"into": to_person.member_id, "scores moved": len(moving)},
        )
    return len(moving)


def withdraw(participant: Participant, option: str, criterion: str) -> bool:
    """Withdraw the participant's own score on one cell while the session is open.

    Returns:
        True when a score was withdrawn, False when there was none.
    """
    session = participant.session
    with transaction.atomic():
        score = participant.scores.filter(option=option, criterion=criterion).first()
        if score is None:
            return False
        before = {"value": score.value, "rationale": score.rationale}
        score.delete()
        record(
            f"participant {participant.member_id}",
            "workshop score withdrawn",
            _target(session, f".{participant.member_id}.{option}/{criterion}"),
            programme=session.programme.slug,
            before=before,
        )
    return True


def delete_personal_data(session: WorkshopSession, actor: str) -> int:
    """Delete what identifies people in a session: display names and written rationales.

    Numbers, groups and score values stay, so the room's results still stand. When the
    session's scores were added to the programme, its panel members are renamed
    "Participant n" and their rationales dropped there too. The audit records that it was
    done and how many people it touched; earlier audit entries are append-only and keep what
    they recorded (docs/web.md, "Personal data").

    Returns:
        How many participants had a display name or a rationale cleared.
    """
    with transaction.atomic():
        named = set(
            session.participants.exclude(display_name="").values_list("pk", flat=True)
        ) | set(session.scores.exclude(rationale="").values_list("participant_id", flat=True))
        session.participants.update(display_name="")
        session.scores.update(rationale="")
        if session.applied_at is not None:
            _anonymise_programme(session, actor)
        session.personal_data_deleted_at = timezone.now()
        session.save(update_fields=["personal_data_deleted_at"])
        record(
            actor,
            "session personal data deleted",
            _target(session),
            programme=session.programme.slug,
            after={"participants": len(named)},
        )
    return len(named)


def _anonymise_programme(session: WorkshopSession, actor: str) -> None:
    """Rename the session's panel members to "Participant n" and drop their rationales."""
    row = ProgrammeRecord.objects.get(pk=session.programme_id)
    data = programmes.data_of(row)
    prefix = f"ws{session.pk}-p"
    for panel in data.get("panels", []):
        for member in panel.get("members", []):
            if str(member.get("id", "")).startswith(prefix):
                member["name"] = "Participant " + member["id"][len(prefix) :]
    for score in data.get("scores", []):
        if str(score.get("member", "")).startswith(prefix):
            score.pop("rationale", None)
    updated = programmes.validate(data, f"session {session.code}")
    programmes.save(row, updated, actor, "workshop personal data deleted", row.revision)
