"""Work the background job queue: django-tasks' database worker, recovering lost jobs first.

Before taking jobs, and every few seconds while it runs, it queues again any result whose
worker died mid-job (``service.recover``), so a job cut short by a killed worker completes
when a worker runs again.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.db import connection
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from caseforchange.web.jobs.service import recover

logger = logging.getLogger("caseforchange.web.jobs")


def _recover_now() -> None:
    """Queue lost jobs again, logging any it finds."""
    again = recover()
    if again:
        logger.warning("queued %d lost job(s) again: %s", len(again), again)


def _keep_recovering(stop: threading.Event) -> None:
    """Look for lost jobs every ``JOB_HEARTBEAT_SECONDS`` until ``stop`` is set."""
    try:
        while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
            try:
                _recover_now()
            except Exception:  # the next round tries again
                logger.exception("looking for lost jobs failed")
            finally:
                connection.close()
    finally:
        connection.close()


class Command(DatabaseWorker):
    """``manage.py jobs_worker``: run the queue's jobs (``--help`` for the worker's options)."""

    help = "Run background jobs (recovering jobs a killed worker left unfinished)"

    def handle(self, *args: Any, **options: Any) -> None:
        """Recover lost jobs, then work the queue until stopped (Ctrl-C finishes the job)."""
        options["reload"] = False
        _recover_now()
        connection.close()
        stop = threading.Event()
        watcher = threading.Thread(
            target=_keep_recovering, args=(stop,), name="recover-jobs", daemon=True
        )
        watcher.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
