"""A programme's life: duplicate it (for a scenario or a new year), archive, restore, delete.

Every step is audited. Deleting removes the programme and everything stored with it, but never
its audit entries: they name the programme by id, not by row, so the chain stays verifiable and
still tells what the programme was and who deleted it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from caseforchange.domain.problems import InvalidInput
from caseforchange.web.accounts.models import Membership
from caseforchange.web.accounts.roles import Right, can_create, is_admin, require
from caseforchange.web.audit.chain import record
from caseforchange.web.consultation.models import EngagementRecord
from caseforchange.web.errors import ErrorItem, error_list, field_id
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.models import ProgrammeRecord
from caseforchange.web.shortcuts import actor


def _copy_row(source: Model, **changes: Any) -> Model:
    """Save a copy of ``source`` as a new row with ``changes``; return the copy."""
    values = {
        f.attname: getattr(source, f.attname)
        for f in source._meta.concrete_fields
        if not f.primary_key
    }
    values.update(changes)
    copy = type(source)(**values)
    copy.save(force_insert=True)
    return copy


def duplicate(row: ProgrammeRecord, new_id: str, title: str, who: str) -> ProgrammeRecord:
    """Copy a programme under a new id with its inputs: document, scores, engagement, access.

    Appraisal runs, workshop sessions and sign-offs belong to the original and are not copied.

    Returns:
        The new programme.

    Raises:
        InvalidInput: when the new id or title is not valid, or the id is taken.
    """
    data = repository.data_of(row)
    data["id"] = new_id
    data["title"] = title or row.title
    programme = repository.validate(data, "duplicate form")
    with transaction.atomic():
        new = repository.create(programme, who, dict(row.file_hashes), "programme duplicated")
        record(
            who,
            "programme duplicated",
            f"{new.slug}:programme",
            programme=new.slug,
            before={"from": row.slug, "revision": row.revision},
        )
        engagement = EngagementRecord.objects.filter(programme=row).first()
        if engagement is not None:
            responses = list(engagement.responses.all())
            copied = _copy_row(engagement, programme_id=new.pk)
            for response in responses:
                _copy_row(response, engagement_id=copied.pk)
        for membership in Membership.objects.filter(programme=row):
            _copy_row(membership, programme_id=new.pk)
    return new


def set_archived(row: ProgrammeRecord, archived: bool, who: str) -> None:
    """Archive the programme (hidden from the list, read-only) or restore it, audited."""
    with transaction.atomic():
        current = ProgrammeRecord.objects.select_for_update().get(pk=row.pk)
        if (current.archived_at is not None) == archived:
            return
        current.archived_at = timezone.now() if archived else None
        current.save(update_fields=["archived_at"])
        record(
            who,
            "programme archived" if archived else "programme restored",
            f"{current.slug}:programme",
            programme=current.slug,
            after={"revision": current.revision, "archived": archived},
        )
    row.refresh_from_db()


def delete(row: ProgrammeRecord, who: str) -> None:
    """Delete the programme and what is stored with it; record what it was in the audit trail."""
    with transaction.atomic():
        programme = repository.to_programme(row)
        record(
            who,
            "programme deleted",
            f"{row.slug}:programme",
            programme=row.slug,
            before={
                "title": row.title,
                "revision": row.revision,
                "sha256": repository.digest(programme),
                "options": len(programme.options),
                "scores": len(programme.scores),
            },
        )
        row.delete()


def _row(request: HttpRequest, slug: str, needed: Right) -> tuple[ProgrammeRecord, Right]:
    """Return the programme, archived or not, refusing users without ``needed``.

    Raises:
        Http404: when there is no such programme.
        PermissionDenied: when the user lacks the right.
    """
    row = get_object_or_404(ProgrammeRecord, slug=slug)
    return row, require(request.user, row, needed)


@login_required
def archived_list(request: HttpRequest) -> HttpResponse:
    """List the archived programmes the user has access to."""
    rows = ProgrammeRecord.objects.filter(archived_at__isnull=False)
    if not is_admin(request.user):
        rows = rows.filter(memberships__user_id=int(request.user.pk or 0))
    return render(request, "programmes/archived.jinja", {"rows": rows.distinct()})


@login_required
@require_http_methods(["GET", "POST"])
def programme_duplicate(request: HttpRequest, slug: str) -> HttpResponse:
    """Copy a programme under a new id (leads of it who may create programmes, administrators)."""
    row, _ = _row(request, slug, Right.EDIT)
    if not can_create(request.user):
        raise PermissionDenied("only administrators and programme leads create programmes")
    values = {"id": f"{row.slug}-copy", "title": f"{row.title} (copy)"}
    errors: list[ErrorItem] = []
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        try:
            new = duplicate(row, values["id"], values["title"], actor(request))
            messages.success(request, f"Copied '{row.title}' to '{new.slug}'.")
            return redirect("programmes:detail", slug=new.slug)
        except InvalidInput as error:
            errors = error_list(
                error.problems,
                {"id": "id", "title": "title"},
                {"id": "Id of the copy", "title": "Title of the copy"},
            )
    return render(
        request,
        "programmes/duplicate.jinja",
        {"row": row, "values": values, "errors": errors, "field_id": field_id},
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_archive(request: HttpRequest, slug: str) -> HttpResponse:
    """Confirm and archive a programme, or restore an archived one (leads, administrators)."""
    row, _ = _row(request, slug, Right.EDIT)
    archived = row.archived_at is not None
    if request.method == "POST":
        set_archived(row, not archived, actor(request))
        if archived:
            messages.success(request, f"Restored '{row.title}'.")
            return redirect("programmes:detail", slug=slug)
        messages.success(request, f"Archived '{row.title}'. It is listed under archived ones.")
        return redirect("programmes:archived")
    return render(request, "programmes/archive.jinja", {"row": row, "archived": archived})


@login_required
@require_http_methods(["GET", "POST"])
def programme_delete(request: HttpRequest, slug: str) -> HttpResponse:
    """Confirm (by typing the id) and delete a programme (administrators only)."""
    row, _ = _row(request, slug, Right.ADMINISTER)
    errors: list[ErrorItem] = []
    field_errors: dict[str, str] = {}
    if request.method == "POST":
        if request.POST.get("confirm", "").strip() != row.slug:
            message = f"Type the programme's id, {row.slug}, to delete it"
            field_errors["confirm"] = message
            errors = [ErrorItem.on("confirm", message)]
        else:
            title = row.title
            delete(row, actor(request))
            messages.success(request, f"Deleted '{title}'. Its audit trail is kept.")
            return redirect("programmes:list")
    return render(
        request,
        "programmes/delete_programme.jinja",
        {
            "row": row,
            "errors": errors,
            "field_errors": field_errors,
            "field_id": field_id,
            "runs": row.runs.count(),
            "sessions": row.sessions.count(),
        },
    )


@login_required
def programme_versions(request: HttpRequest, slug: str) -> HttpResponse:
    """Show what can be done with the programme as a whole: copy, archive or restore, delete."""
    row, right = _row(request, slug, Right.VIEW)
    return render(
        request,
        "programmes/versions.jinja",
        {
            "row": row,
            "can_copy": right >= Right.EDIT and can_create(request.user),
            "can_archive": right >= Right.EDIT,
            "can_delete": right >= Right.ADMINISTER,
            "signoffs": list(row.signoffs.all()),
            "can_sign": right >= Right.EDIT and row.archived_at is None,
        },
    )
