"""Django app configuration for consultation."""

from __future__ import annotations

import importlib

from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    """The consultation bounded context."""

    name = "caseforchange.web.consultation"
    label = "consultation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the consultation report's kinds of result with the background job queue."""
        importlib.import_module("caseforchange.web.consultation.dispatch")
