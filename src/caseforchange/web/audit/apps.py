"""Django app configuration for audit."""

from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit bounded context."""

    name = "caseforchange.web.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"
