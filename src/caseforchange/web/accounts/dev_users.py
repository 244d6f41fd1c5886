"""Development accounts: one per role, with fixed passwords documented for local use only."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured

from caseforchange.web.accounts.models import Membership, Role
from caseforchange.web.programmes.models import ProgrammeRecord

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


def create_dev_users() -> list[str]:
    """Create (or reset) the development accounts and give them roles on every programme.

    Raises:
        ImproperlyConfigured: in production, where fixed passwords must never exist.
    """
    if settings.PRODUCTION:
        raise ImproperlyConfigured("development accounts are never created in production")
    user_model = get_user_model()
    made = []
    for username, role in DEV_USERS.items():
        user, _ = user_model.objects.get_or_create(username=username)
        user.is_superuser = user.is_staff = role is None
        # A reserved domain that never delivers: reset e-mails show in the server's console.
        user.email = user.email or f"{username}@example.invalid"
        user.set_password(dev_password(username))
        user.save()
        if role is Role.LEAD:
            user.groups.add(leads_group())
        if role is not None:
            for row in ProgrammeRecord.objects.all():
                Membership.objects.update_or_create(
                    user=user, programme=row, defaults={"role": role}
                )
        made.append(username)
    return made
