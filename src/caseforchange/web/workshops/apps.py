"""Django app configuration for workshops."""

from __future__ import annotations

from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    """The workshops bounded context."""

    name = "caseforchange.web.workshops"
    label = "workshops"
    default_auto_field = "django.db.models.BigAutoField"
