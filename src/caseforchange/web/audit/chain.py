"""Append to the audit chain and verify it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from caseforchange.web import rawsql
from caseforchange.web.audit.models import AuditEntry

GENESIS = "0" * 64
#: Any fixed key: PostgreSQL advisory lock that serialises appends to the chain.
_LOCK_KEY = 73102007


def actor(request: HttpRequest) -> str:
    """Return who is acting, as the audit trail records them."""
    user = request.user
    return f"user {user.get_username()}" if user.is_authenticated else "anonymous"


def canonical(entry: dict[str, Any]) -> str:
    """Return the canonical JSON of an entry: sorted keys, no spaces, Unicode kept."""
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_body(entry: AuditEntry) -> dict[str, Any]:
    """Return the fields of an entry that its hash covers."""
    return {
        "created_at": entry.created_at.astimezone(dt.UTC).isoformat(),
        "actor": entry.actor,
        "action": entry.action,
        "programme": entry.programme,
        "target": entry.target,
        "before": entry.before,
        "after": entry.after,
    }


def entry_hash(prev_hash: str, body: dict[str, Any]) -> str:
    """Return sha256(prev_hash + canonical JSON of body) as hex."""
    return hashlib.sha256((prev_hash + canonical(body)).encode("utf-8")).hexdigest()


def _json_safe(value: Any) -> Any:
    # Round-trip through JSON so the hashed value is exactly what the database gives back.
    return json.loads(json.dumps(value, default=str)) if value is not None else None


@dataclass(frozen=True)
class Change:
    """One change to record: who did what to which figure, before and after."""

    actor: str
    action: str
    target: str
    programme: str = ""
    before: Any = None
    after: Any = None


def record_many(changes: list[Change]) -> list[AuditEntry]:
    """Append changes to the chain in order, in one short write, inside the caller's transaction.

    Concurrent writers are serialised: SQLite by its IMMEDIATE write lock, PostgreSQL by an
    advisory transaction lock; the unique ``prev_hash`` makes any fork fail loudly instead.
    """
    if not changes:
        return []
    # No savepoint: a failure here must undo the caller's whole change, and on PostgreSQL
    # each savepoint is two more round trips while the chain lock is held.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        prev = _last_hash() or GENESIS
        now = timezone.now()
        entries = []
        for change in changes:
            entry = AuditEntry(
                created_at=now,
                actor=change.actor[:150],
                action=change.action,
                programme=change.programme,
                target=change.target[:300],
                before=_json_safe(change.before),
                after=_json_safe(change.after),
                prev_hash=prev,
            )
            entry.hash = entry_hash(prev, entry_body(entry))
            prev = entry.hash
            entries.append(entry)
        try:
            # One INSERT for all, built once per process: fewer round trips and less CPU
            # while the chain lock is held.
            pks = rawsql.insert(
                AuditEntry,
                _COLUMNS,
                [[getattr(e, name) for name in _COLUMNS] for e in entries],
                returning_pk=True,
            )
        except IntegrityError as error:  # pragma: no cover - only under a broken lock
            raise RuntimeError("the audit chain was extended concurrently") from error
        for entry, pk in zip(entries, pks, strict=True):
            entry.pk = pk
            entry._state.adding = False
        return entries


#: The columns an append writes (every field but the id).
_COLUMNS = (
    "created_at",
    "actor",
    "action",
    "programme",
    "target",
    "before",
    "after",
    "prev_hash",
    "hash",
)


def _last_hash() -> str | None:
    """Return the newest entry's hash, or None when the chain is empty."""
    row = rawsql.fetch_one(_last_hash_statement(), [])
    return str(row[0]) if row else None


@cache
def _last_hash_statement() -> str:
    return (
        f"SELECT {rawsql.column(AuditEntry, 'hash')} FROM {rawsql.table(AuditEntry)}"
        f" ORDER BY {rawsql.column(AuditEntry, 'id')} DESC LIMIT 1"
    )


def record(
    actor: str,
    action: str,
    target: str,
    *,
    programme: str = "",
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Append one entry to the chain (see :func:`record_many`)."""
    return record_many([Change(actor, action, target, programme, before, after)])[0]


@dataclass(frozen=True)
class Verification:
    """The outcome of checking the chain: how many entries, and the first broken one."""

    entries: int
    ok: bool
    broken_at: int | None = None
    reason: str = ""


def verify() -> Verification:
    """Recompute every hash from the first entry and check each link to the previous one."""
    prev = GENESIS
    count = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        count += 1
        if entry.prev_hash != prev:
            return Verification(count, False, entry.pk, "its previous hash does not match")
        if entry_hash(prev, entry_body(entry)) != entry.hash:
            return Verification(count, False, entry.pk, "its contents do not match its hash")
        prev = entry.hash
    return Verification(count, True)
