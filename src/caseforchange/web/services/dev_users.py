"""Development accounts created with a role on every programme (never in production)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured

from caseforchange.web.accounts.dev_users import DEV_USERS, dev_password, leads_group
from caseforchange.web.accounts.models import Membership, Role
from caseforchange.web.programmes.models import ProgrammeRecord


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
