"""Django app configuration for programmes."""

from __future__ import annotations

from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    """The programmes bounded context."""

    name = "caseforchange.web.programmes"
    label = "programmes"
    default_auto_field = "django.db.models.BigAutoField"
