"""Django app configuration for the patient-flow pages."""

from __future__ import annotations

import importlib

from django.apps import AppConfig


class FlowConfig(AppConfig):
    """The patient-flow bounded context: a programme's flow model and its runs."""

    name = "caseforchange.web.flow"
    label = "flow"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the ``flow`` kind of result with the background job queue."""
        importlib.import_module("caseforchange.web.flow.dispatch")
