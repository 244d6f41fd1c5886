"""Django app configuration for accounts."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks


def mail_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Warn when production would print invitation e-mails to the log instead of sending them."""
    console = settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
    if settings.PRODUCTION and console:
        return [
            checks.Warning(
                "invitations and password resets are printed to the log, not sent",
                hint="set CASEFORCHANGE_EMAIL_HOST (docs/web.md, 'Managing people')",
                id="caseforchange.W001",
            )
        ]
    return []


class AccountsConfig(AppConfig):
    """The accounts bounded context."""

    name = "caseforchange.web.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the e-mail settings check."""
        checks.register(mail_check, checks.Tags.compatibility)
