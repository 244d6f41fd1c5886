"""``manage.py load_examples``: load the four example programmes (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from caseforchange.examples import EXAMPLE_IDS, example_path
from caseforchange.io.folder import load_programme
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.models import ProgrammeRecord


class Command(BaseCommand):
    """Load the shipped example programmes that are not in the database yet."""

    help = "Load the four example programmes; programmes already loaded are left as they are."

    def handle(self, *args: Any, **options: Any) -> None:
        """Load each example once."""
        for example in EXAMPLE_IDS:
            if ProgrammeRecord.objects.filter(slug=example).exists():
                self.stdout.write(f"  {example}: already loaded")
                continue
            loaded = load_programme(example_path(example))
            repository.create(
                loaded.programme, "system load_examples", loaded.file_hashes, "example loaded"
            )
            self.stdout.write(f"  {example}: loaded")
