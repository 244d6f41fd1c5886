"""``manage.py load_examples``: load the four example programmes (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from caseforchange.web.services.examples import load_examples


class Command(BaseCommand):
    """Load the shipped example programmes that are not in the database yet."""

    help = "Load the four example programmes; programmes already loaded are left as they are."

    def handle(self, *args: Any, **options: Any) -> None:
        """Load each example once."""
        for example, loaded in load_examples():
            self.stdout.write(f"  {example}: {'loaded' if loaded else 'already loaded'}")
