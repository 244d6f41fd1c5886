"""The audit trail: an append-only, hash-chained log of every change that matters."""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit entry."""


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    """Refuses bulk updates and deletes, so the log cannot be rewritten through the ORM."""

    def update(self, **kwargs: Any) -> NoReturn:
        """Refuse: the audit log is never rewritten.

        Raises:
            AppendOnlyError: always.
        """
        raise AppendOnlyError("the audit log is append-only")

    def delete(self) -> NoReturn:
        """Refuse: audit entries are never deleted.

        Raises:
            AppendOnlyError: always.
        """
        raise AppendOnlyError("the audit log is append-only")


class AuditEntry(models.Model):
    """One recorded change: who, when, what, the value before and after, and the chain hash.

    ``hash`` is sha256(``prev_hash`` + canonical JSON of the entry); ``prev_hash`` is unique,
    so two writers racing to extend the chain cannot both succeed (no fork).
    """

    created_at = models.DateTimeField()
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=60)
    programme = models.CharField(max_length=80, blank=True, db_index=True)
    target = models.CharField(max_length=300, db_index=True)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    prev_hash = models.CharField(max_length=64, unique=True)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "audit entries"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert a new entry; refuse to overwrite an existing one."""
        if self.pk is not None:
            raise AppendOnlyError("the audit log is append-only")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Refuse: audit entries are never removed."""
        raise AppendOnlyError("the audit log is append-only")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target}"
