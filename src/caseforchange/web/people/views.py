"""People: administrators list, invite, deactivate and reset users, and give programme roles.

Every change is recorded in the audit trail. Only administrators (superusers) reach these
pages; anyone else signed in gets 403, and anonymous visitors are sent to sign in.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from caseforchange.web.accounts import invitations, mfa
from caseforchange.web.accounts.dev_users import leads_group
from caseforchange.web.accounts.models import Membership, Role
from caseforchange.web.accounts.roles import can_create, is_admin
from caseforchange.web.audit.chain import record
from caseforchange.web.errors import ErrorItem
from caseforchange.web.programmes.models import ProgrammeRecord
from caseforchange.web.shortcuts import actor

LOGGER = logging.getLogger(__name__)
View = Callable[..., HttpResponse]
_USERNAME = re.compile(r"^[\w.@+-]{1,150}$")


def admin_only(view: View) -> View:
    """Wrap a view so that only administrators reach it.

    Returns the wrapped view; it sends anonymous visitors to sign in and raises
    ``PermissionDenied`` (403) for everyone else who is not an administrator.
    """

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_admin(request.user):
            raise PermissionDenied("only administrators manage people")
        return view(request, *args, **kwargs)

    return wrapped


def status(user: Any) -> str:
    """Return how a person's account stands: Active, Invited or Deactivated."""
    if not user.is_active:
        return "Deactivated"
    if not user.has_usable_password() and user.last_login is None:
        return "Invited"
    return "Active"


def _target(user: Any) -> str:
    return f"account[{user.get_username()}]"


@admin_only
@require_http_methods(["GET"])
def people_list(request: HttpRequest) -> HttpResponse:
    """List every account with its status, second factor and number of programme roles."""
    users = get_user_model().objects.order_by("username").prefetch_related("memberships")
    enrolled = mfa.enrolled_user_ids()
    rows = [
        {
            "user": user,
            "status": status(user),
            "admin": user.is_superuser,
            "roles": len(user.memberships.all()),
            "mfa": user.pk in enrolled,
        }
        for user in users
    ]
    return render(request, "people/list.jinja", {"rows": rows})


def _unique_username(wanted: str) -> str:
    model = get_user_model()
    base = re.sub(r"[^\w.@+-]", "", wanted)[:140] or "user"
    name, n = base, 1
    while model.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}{n}"
    return name


@admin_only
@require_http_methods(["GET", "POST"])
def people_invite(request: HttpRequest) -> HttpResponse:
    """Invite someone by e-mail: make an account with no password and send the one-time link."""
    model = get_user_model()
    errors: list[ErrorItem] = []
    values = {"email": "", "username": "", "first_name": "", "last_name": ""}
    if request.method == "POST":
        values = {key: str(request.POST.get(key, "")).strip() for key in values}
        try:
            validate_email(values["email"])
        except ValidationError:
            errors.append(
                ErrorItem.on(
                    "email", "Enter an e-mail address in the right format, like name@nhs.net"
                )
            )
        else:
            if model.objects.filter(email__iexact=values["email"]).exists():
                errors.append(ErrorItem.on("email", "Someone already has this e-mail address"))
        if values["username"] and not _USERNAME.match(values["username"]):
            errors.append(
                ErrorItem.on("username", "A username may have letters, digits and @ . + - _ only")
            )
        elif (
            values["username"]
            and model.objects.filter(username__iexact=values["username"]).exists()
        ):
            errors.append(ErrorItem.on("username", "This username is taken"))
        if not errors:
            username = values["username"] or _unique_username(values["email"].split("@")[0])
            with transaction.atomic():
                user = model.objects.create_user(
                    username,
                    email=values["email"],
                    first_name=values["first_name"][:150],
                    last_name=values["last_name"][:150],
                )
                user.set_unusable_password()
                user.save()
                record(
                    actor(request),
                    "user invited",
                    _target(user),
                    after={"email": user.email, "name": user.get_full_name()},
                )
            if _sent(request, user, invitation=True):
                messages.success(request, f"Invitation sent to {user.email}.")
            return redirect("people:detail", pk=user.pk)
    return render(request, "people/invite.jinja", {"values": values, "errors": errors})


def _sent(request: HttpRequest, user: Any, *, invitation: bool) -> bool:
    """Send the link; on a mail server failure say so (the account stays) and return False."""
    try:
        invitations.send_link(request, user, invitation=invitation)
    except OSError as error:  # smtplib's errors are OSErrors
        LOGGER.warning("could not send the link to %s: %s", user.get_username(), error)
        messages.error(
            request,
            f"The e-mail to {user.email} could not be sent ({type(error).__name__}). "
            "Check the e-mail settings, then send it again from this page.",
        )
        return False
    return True


def _change_role(request: HttpRequest, user: Any) -> list[ErrorItem]:
    slug = str(request.POST.get("programme", ""))
    role = str(request.POST.get("role", ""))
    programme = ProgrammeRecord.objects.filter(slug=slug).first()
    errors = []
    if programme is None:
        errors.append(ErrorItem.on("programme", "Choose a programme"))
    if role not in Role.values and role != "remove":
        errors.append(ErrorItem.on("role", "Choose a role"))
    if errors or programme is None:
        return errors
    with transaction.atomic():
        if role == "remove":
            Membership.objects.filter(user=user, programme=programme).delete()
        else:
            Membership.objects.update_or_create(
                user=user, programme=programme, defaults={"role": role}
            )
        record(
            actor(request),
            "access changed",
            f"{programme.slug}:access[{user.get_username()}]",
            programme=programme.slug,
            after=None if role == "remove" else role,
        )
    if role == "remove":
        messages.success(request, f"{user.get_username()} has no role on {programme.title} now.")
    else:
        label = Role(role).label
        messages.success(request, f"{user.get_username()} is now {label} on {programme.title}.")
    return []


def _set_active(request: HttpRequest, user: Any, active: bool) -> None:
    if not active and user.pk == request.user.pk:
        raise PermissionDenied("you cannot deactivate your own account")
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        record(
            actor(request),
            "user reactivated" if active else "user deactivated",
            _target(user),
            before=not active,
            after=active,
        )
    messages.success(
        request,
        f"{user.get_username()} can sign in again."
        if active
        else f"{user.get_username()} can no longer sign in.",
    )


def _send_reset(request: HttpRequest, user: Any) -> list[ErrorItem]:
    if not user.email:
        return [ErrorItem("This person has no e-mail address to send a link to", "#reset")]
    invitation = status(user) == "Invited"
    record(
        actor(request),
        "invitation sent again" if invitation else "password reset sent",
        _target(user),
    )
    if _sent(request, user, invitation=invitation):
        messages.success(request, f"A link to set a password was sent to {user.email}.")
    return []


def _set_admin(request: HttpRequest, user: Any, admin: bool) -> None:
    if not admin and user.pk == request.user.pk:
        raise PermissionDenied("you cannot remove your own administrator right")
    with transaction.atomic():
        before = bool(user.is_superuser)
        user.is_superuser = user.is_staff = admin
        user.save(update_fields=["is_superuser", "is_staff"])
        record(actor(request), "administrator changed", _target(user), before=before, after=admin)
    messages.success(
        request,
        f"{user.get_username()} is an administrator now."
        if admin
        else f"{user.get_username()} is no longer an administrator.",
    )


def _set_creator(request: HttpRequest, user: Any, allowed: bool) -> None:
    with transaction.atomic():
        before = user.groups.filter(pk=leads_group().pk).exists()
        if allowed:
            user.groups.add(leads_group())
        else:
            user.groups.remove(leads_group())
        record(
            actor(request),
            "may create programmes changed",
            _target(user),
            before=before,
            after=allowed,
        )
    messages.success(
        request,
        f"{user.get_username()} may create and import programmes now."
        if allowed
        else f"{user.get_username()} may no longer create or import programmes.",
    )


def _reset_mfa(request: HttpRequest, user: Any) -> None:
    with transaction.atomic():
        removed = mfa.remove_devices(user)
        record(actor(request), "second factor reset", _target(user), before=removed, after=0)
    messages.success(
        request, f"{user.get_username()} will set up the second factor again at next sign-in."
    )


@admin_only
@require_http_methods(["GET", "POST"])
def person(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one account; administrators change its status, password, second factor and roles."""
    user = get_object_or_404(get_user_model(), pk=pk)
    errors: list[ErrorItem] = []
    if request.method == "POST":
        action = str(request.POST.get("action", ""))
        if action == "role":
            errors = _change_role(request, user)
        elif action in {"deactivate", "reactivate"}:
            _set_active(request, user, action == "reactivate")
        elif action == "reset-password":
            errors = _send_reset(request, user)
        elif action == "reset-mfa":
            _reset_mfa(request, user)
        elif action in {"make-admin", "remove-admin"}:
            _set_admin(request, user, action == "make-admin")
        elif action in {"allow-create", "refuse-create"}:
            _set_creator(request, user, action == "allow-create")
        else:
            errors = [ErrorItem("Choose something to do")]
        if not errors:
            return redirect("people:detail", pk=user.pk)
    memberships = user.memberships.select_related("programme").order_by("programme__title")
    return render(
        request,
        "people/detail.jinja",
        {
            "person": user,
            "status": status(user),
            "memberships": memberships,
            "programmes": ProgrammeRecord.objects.filter(archived_at__isnull=True),
            "roles": Role.choices,
            "mfa": mfa.has_device(user),
            "may_create": can_create(user),
            "is_self": user.pk == request.user.pk,
            "errors": errors,
        },
    )
