"""``manage.py create_dev_users``: local accounts for each role (never in production)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from caseforchange.web.accounts.dev_users import dev_password
from caseforchange.web.services.dev_users import create_dev_users


class Command(BaseCommand):
    """Create admin, lead, facilitator and viewer accounts with documented passwords."""

    help = "Create local development accounts, one per role, with roles on every programme."

    def handle(self, *args: Any, **options: Any) -> None:
        """Create the accounts and print how to sign in."""
        for username in create_dev_users():
            self.stdout.write(f"  {username:<12} password: {dev_password(username)}  (local only)")
