"""Django app configuration for consultation."""

from __future__ import annotations

from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    """The consultation bounded context."""

    name = "caseforchange.web.consultation"
    label = "consultation"
    default_auto_field = "django.db.models.BigAutoField"
