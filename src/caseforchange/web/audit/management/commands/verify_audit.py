"""``manage.py verify_audit``: recompute the audit chain and fail if any link is broken."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from caseforchange.web.audit.chain import verify


class Command(BaseCommand):
    """Verify the hash chain of the audit log."""

    help = "Recompute every audit entry's hash and check the chain; exit 1 if it is broken."

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the check and report it."""
        result = verify()
        if not result.ok:
            raise CommandError(
                f"audit chain BROKEN at entry {result.broken_at}: {result.reason} "
                f"({result.entries} entries checked)"
            )
        self.stdout.write(f"audit chain OK: {result.entries} entries verified")
