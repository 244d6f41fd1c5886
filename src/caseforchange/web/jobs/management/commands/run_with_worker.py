"""Serve the web app and work its job queue from one command (what ``make run`` uses).

It starts ``jobs_worker`` as a child process, then the development server; when the server
stops (Ctrl-C) the worker is stopped too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


def _stop(worker: subprocess.Popen[bytes]) -> None:
    """Stop the worker: Ctrl-C reached it too, so give its job a moment, then end it.

    A job cut short is queued again when a worker next starts (``service.recover``).
    """
    for step in (worker.terminate, worker.kill):
        try:
            worker.wait(timeout=5)
            return
        except subprocess.TimeoutExpired:
            step()
    worker.wait()


class Command(BaseCommand):
    """``manage.py run_with_worker [ADDRPORT]``: runserver plus one job worker."""

    help = "Run the development server and a background job worker together"

    def add_arguments(self, parser: CommandParser) -> None:
        """Take the address and port as ``runserver`` does."""
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        """Start the worker (not in runserver's reloaded child), then serve until stopped."""
        worker: subprocess.Popen[bytes] | None = None
        reloaded_child = os.environ.get("RUN_MAIN") == "true"
        if settings.JOBS_MODE == "database" and not reloaded_child:
            worker = subprocess.Popen(
                [sys.executable, "-m", "caseforchange.web.manage", "jobs_worker", "--interval=0.5"]
            )
            self.stdout.write(f"Job worker started (process {worker.pid}).")
        try:
            call_command("runserver", options["addrport"])
        finally:
            if worker is not None:
                _stop(worker)
