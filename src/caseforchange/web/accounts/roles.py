"""Roles and the rights they carry: the one place that decides who may do what."""

from __future__ import annotations

from enum import IntEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model

from caseforchange.web.accounts.models import Membership, Role

AnyUser = AbstractBaseUser | AnonymousUser


class Right(IntEnum):
    """What a role allows on a programme, each level including the ones below it."""

    VIEW = 1
    FACILITATE = 2
    EDIT = 3
    ADMINISTER = 4


#: How each right is named on screen: the role that carries it.
RIGHT_NAMES = {
    Right.VIEW: "Viewer",
    Right.FACILITATE: "Facilitator",
    Right.EDIT: "Programme lead",
    Right.ADMINISTER: "Administrator",
}

ROLE_RIGHT = {Role.VIEWER: Right.VIEW, Role.FACILITATOR: Right.FACILITATE, Role.LEAD: Right.EDIT}

#: The permission that lets a user create or import programmes (given to programme leads).
CREATE_PERMISSION = "programmes.add_programmerecord"


def is_admin(user: AnyUser) -> bool:
    """True for administrators (Django superusers)."""
    return bool(user.is_authenticated and getattr(user, "is_superuser", False))


def right_on(user: AnyUser, programme: Model) -> Right | None:
    """Return the user's right on ``programme``, or None when they have no access.

    ``programme`` is a ``programmes.ProgrammeRecord``; accounts sit below programmes in the
    web layers, so the row is typed as any model here.
    """
    if not user.is_authenticated:
        return None
    if is_admin(user):
        return Right.ADMINISTER
    role = (
        Membership.objects.filter(user_id=user.pk, programme_id=programme.pk)
        .values_list("role", flat=True)
        .first()
    )
    return ROLE_RIGHT[Role(role)] if role else None


def require(user: AnyUser, programme: Model, needed: Right) -> Right:
    """Return the user's right, or refuse the request when it is less than ``needed``.

    Raises:
        PermissionDenied: when the user lacks the right (a 403 page).
    """
    have = right_on(user, programme)
    if have is None or have < needed:
        raise PermissionDenied(f"this needs the {needed.name.lower()} right on the programme")
    return have


def can_create(user: AnyUser) -> bool:
    """True when the user may create or import programmes."""
    return bool(user.is_authenticated and getattr(user, "has_perm")(CREATE_PERMISSION))  # noqa: B009
