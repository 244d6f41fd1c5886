"""The audit trail is append-only and hash-chained; tampering is detected."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from caseforchange.web.audit.chain import GENESIS, record, verify
from caseforchange.web.audit.models import AppendOnlyError, AuditEntry


def test_chain_links_and_verifies(db: Any) -> None:
    first = record("user a", "weight changed", "p:x", programme="p", before=1, after=2)
    second = record("user b", "weight changed", "p:x", programme="p", before=2, after=3)
    assert first.prev_hash == GENESIS and second.prev_hash == first.hash
    assert verify().ok and verify().entries == 2
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "OK: 2 entries" in out.getvalue()


def test_orm_refuses_changes(db: Any) -> None:
    entry = record("user a", "x", "p:x")
    entry.after = "forged"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update(actor="x")


def test_database_refuses_changes_and_tampering_is_detected(audit_triggers: None) -> None:
    entry = record("user a", "x", "p:x", after=1)
    record("user a", "y", "p:y", after=2)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET after = '5' WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
    # Someone with the database owner's rights drops the trigger and edits a row: the chain
    # check still finds it.
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_no_update")
        else:
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_no_change")
        cursor.execute("UPDATE audit_auditentry SET after = '5' WHERE id = %s", [entry.pk])
    result = verify()
    assert not result.ok and result.broken_at == entry.pk
    with pytest.raises(CommandError, match="BROKEN"):
        call_command("verify_audit")
