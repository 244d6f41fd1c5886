"""Development accounts: one per role, with fixed passwords documented for local use only."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from caseforchange.web.accounts.models import Role

#: username -> role on every example programme (None: administrator).
DEV_USERS: dict[str, Role | None] = {
    "admin": None,
    "lead": Role.LEAD,
    "facilitator": Role.FACILITATOR,
    "viewer": Role.VIEWER,
}
LEADS_GROUP = "Programme leads"


def dev_password(username: str) -> str:
    """Return the documented local-only password of a development account."""
    return f"{username}-local-only"


def leads_group() -> Group:
    """Return the group whose members may create and import programmes."""
    group, _ = Group.objects.get_or_create(name=LEADS_GROUP)
    group.permissions.add(
        Permission.objects.get(codename="add_programmerecord", content_type__app_label="programmes")
    )
    return group
