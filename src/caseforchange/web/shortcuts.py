"""Small helpers every app's views share: finding a programme the user may use, naming actors.

``programme_for`` reads programmes and roles, so only programmes and the layers above it use
this module; accounts and audit name actors with ``audit.chain.actor`` directly.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from caseforchange.web.accounts.roles import Right, require
from caseforchange.web.audit.chain import actor as actor  # one definition, shared here
from caseforchange.web.programmes.models import ProgrammeRecord


def programme_for(request: HttpRequest, slug: str, needed: Right) -> tuple[ProgrammeRecord, Right]:
    """Return the programme and the user's right on it, refusing users without ``needed``.

    Raises:
        Http404: when there is no such programme.
        PermissionDenied: when the user lacks the right, or the programme is archived and
            ``needed`` is more than viewing.
    """
    row = get_object_or_404(ProgrammeRecord, slug=slug)
    right = require(request.user, row, needed)
    if row.archived_at is not None:
        # An archived programme is read-only for everyone until it is restored.
        if needed > Right.VIEW:
            raise PermissionDenied("the programme is archived: restore it to change it")
        right = Right.VIEW
    return row, right
