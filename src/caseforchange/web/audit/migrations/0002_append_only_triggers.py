"""Install the triggers that make the audit log append-only in the database itself."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from caseforchange.web.audit import triggers


def install(apps: Any, schema_editor: Any) -> None:
    """Create the triggers for the database in use."""
    triggers.install(schema_editor.connection)


def remove(apps: Any, schema_editor: Any) -> None:
    """Drop the triggers (migrating backwards)."""
    triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
