"""Django app configuration for accounts."""

from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """The accounts bounded context."""

    name = "caseforchange.web.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
