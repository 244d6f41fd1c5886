"""Django app configuration for the cross-app services (no models; commands and hooks)."""

from __future__ import annotations

import importlib

from django.apps import AppConfig


class ServicesConfig(AppConfig):
    """Orchestration across the apps: examples, development accounts, programme lifecycle."""

    name = "caseforchange.web.services"
    label = "services"

    def ready(self) -> None:
        """Tell the job queue how to take a programme's inputs (programme and engagement)."""
        # Imported once the models are ready, as the apps register their job builders.
        importlib.import_module("caseforchange.web.services.job_inputs")
