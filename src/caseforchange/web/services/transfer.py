"""Whole programmes in and out: import a folder, workbook or file with its engagement, export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from caseforchange.domain.problems import InvalidInput
from caseforchange.web.accounts.roles import Right, can_create
from caseforchange.web.errors import ErrorItem
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.views import REPORT_TYPES, make_lead
from caseforchange.web.services import imports
from caseforchange.web.shortcuts import actor, programme_for


@login_required
@require_http_methods(["GET", "POST"])
def programme_import(request: HttpRequest) -> HttpResponse:
    """Import a programme from an Excel workbook, a zipped folder or a programme.yaml."""
    if not can_create(request.user):
        raise PermissionDenied("only administrators and programme leads import programmes")
    errors: list[ErrorItem] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors = [ErrorItem.on("file", "Choose a file to import")]
        else:
            try:
                loaded = imports.read_upload(upload, request.FILES.get("scores"))
                row = imports.store_upload(loaded, actor(request))
                make_lead(request, row)
                messages.success(request, f"Imported '{row.title}'.")
                return redirect("programmes:detail", slug=row.slug)
            except InvalidInput as error:
                errors = [ErrorItem.on("file", p.render()) for p in error.problems]
    return render(request, "programmes/import.jinja", {"errors": errors})


@login_required
def export(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """Export the programme as a zipped folder or an Excel workbook (round-trips losslessly)."""
    row, _ = programme_for(request, slug, Right.VIEW)
    programme = repository.to_programme(row)
    if kind == "folder":
        body = imports.programme_folder_zip(row, programme)
        response = HttpResponse(body, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{row.slug}.zip"'
    elif kind == "workbook":
        response = HttpResponse(
            imports.workbook_bytes(programme), content_type=REPORT_TYPES["xlsx"][0]
        )
        response["Content-Disposition"] = f'attachment; filename="{row.slug}.xlsx"'
    else:
        raise Http404("no such export")
    return response
