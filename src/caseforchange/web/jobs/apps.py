"""Django app configuration for background jobs and stored results."""

from __future__ import annotations

import importlib

from django.apps import AppConfig
from django.conf import settings


class JobsConfig(AppConfig):
    """Stored results and the jobs that build them."""

    name = "caseforchange.web.jobs"
    label = "jobs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the built-in builders, then any listed in ``JOB_BUILDER_MODULES``."""
        importlib.import_module("caseforchange.web.jobs.builders")
        for module in getattr(settings, "JOB_BUILDER_MODULES", []):
            importlib.import_module(module)
