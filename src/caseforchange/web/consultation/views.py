"""Engagement and consultation: the plan and its checks, the engagement file, responses, report.

Everyone with a role on the programme sees these pages and downloads the report; only
programme leads (``Right.EDIT``) upload an engagement file or responses. Every form is a
plain POST that works without JavaScript.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from caseforchange.domain.engagement import ActivityKind
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.domain.programme import Programme
from caseforchange.engagement.plan import PlanWarning
from caseforchange.io.engagement_file import ENGAGEMENT_FILE
from caseforchange.io.responses import builtin_mapping_path, builtin_mappings, load_mapping
from caseforchange.web.accounts.roles import Right
from caseforchange.web.consultation import analysis, repository, uploads
from caseforchange.web.consultation.dispatch import REPORTS
from caseforchange.web.errors import ErrorItem, field_id
from caseforchange.web.jobs import service as jobs
from caseforchange.web.jobs.models import ResultStatus
from caseforchange.web.programmes import editing
from caseforchange.web.programmes import repository as programmes
from caseforchange.web.programmes.models import ProgrammeRecord
from caseforchange.web.shortcuts import actor, programme_for

REPORT_TYPES = {
    "html": ("text/html; charset=utf-8", "Web page (HTML)"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word document",
    ),
}


def _problem_items(problems: list[Problem], field: str) -> list[ErrorItem]:
    """Return the error summary items: located problems as FILE:LINE: field: message."""
    items = []
    for problem in problems:
        # A problem with no file is about the form itself, so only its message is shown.
        message = problem.message[:1].upper() + problem.message[1:]
        text = problem.render() if problem.location else message
        items.append(ErrorItem.on(field, text))
    return items


def _warning_items(
    row: ProgrammeRecord, programme: Programme, warnings: list[PlanWarning], can_edit: bool
) -> list[dict[str, Any]]:
    """Name each warning's activity or milestone, linked to its edit page for leads."""
    titles = {
        "activities": {a.id: a.title for a in programme.activities},
        "milestones": {m.id: m.name for m in programme.milestones},
    }
    items = []
    for warning in warnings:
        section = str(warning.path[0]) if warning.path else ""
        href = None
        # Link only to sections the record editor has (milestones may not have one).
        if can_edit and section in editing.SECTIONS:
            href = reverse("programmes:item", args=[row.slug, section, warning.subject])
        items.append(
            {
                "subject": titles.get(section, {}).get(warning.subject, warning.subject),
                "message": warning.message,
                "href": href,
            }
        )
    return items


def _overview_page(
    request: HttpRequest,
    row: ProgrammeRecord,
    right: Right,
    programme: Programme,
    state: repository.EngagementState,
    errors: list[ErrorItem] | None = None,
) -> HttpResponse:
    can_edit = right >= Right.EDIT
    plan = analysis.overview(programme, state)
    return render(
        request,
        "consultation/overview.jinja",
        {
            "row": row,
            "state": state,
            "plan": plan,
            "warnings": _warning_items(row, programme, plan.warnings, can_edit),
            "activities": sorted(
                programme.activities, key=lambda a: (a.date is None, a.date, a.id)
            ),
            "milestones": programme.milestones,
            "lettered": {
                a.milestone
                for a in programme.activities
                if a.kind is ActivityKind.UPDATE_LETTER and a.milestone
            },
            "groups": {g.id: g.name for g in programme.stakeholders},
            "responses": repository.response_sets(state),
            "report_types": REPORT_TYPES,
            "can_edit": can_edit,
            "errors": errors or [],
            "field_id": field_id,
        },
    )


@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the engagement plan: checks, timeline, stakeholder map, activities, milestones."""
    row, right = programme_for(request, slug, Right.VIEW)
    programme = programmes.to_programme(row)
    return _overview_page(request, row, right, programme, repository.load(row, programme))


@login_required
@require_http_methods(["GET", "POST"])
def engagement_file(request: HttpRequest, slug: str) -> HttpResponse:
    """Download ``engagement.yaml``, or (programme leads) replace it with an uploaded one."""
    row, right = programme_for(request, slug, Right.VIEW)
    programme = programmes.to_programme(row)
    if request.method == "GET":
        files = repository.folder_files(row)
        if ENGAGEMENT_FILE not in files:
            raise Http404("this programme has no engagement file")
        response = HttpResponse(files[ENGAGEMENT_FILE], content_type="text/yaml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{ENGAGEMENT_FILE}"'
        return response
    if right < Right.EDIT:
        raise PermissionDenied("only programme leads change the engagement file")
    upload = request.FILES.get("engagement")
    if upload is None:
        state = repository.load(row, programme)
        errors = [ErrorItem("Choose an engagement.yaml file", "#f-engagement")]
        return _overview_page(request, row, right, programme, state, errors)
    try:
        engagement, text = uploads.read_engagement(upload, programme)
    except InvalidInput as error:
        state = repository.load(row, programme)
        errors = _problem_items(error.problems, "engagement")
        return _overview_page(request, row, right, programme, state, errors)
    removed = repository.store(row, engagement, text, Path(upload.name or "").name, actor(request))
    note = (
        " Responses to " + ", ".join(removed) + " were removed because the questionnaire "
        "changed: import them again."
        if removed
        else ""
    )
    messages.success(request, f"Stored the engagement file.{note}")
    return redirect("consultation:activities", slug=slug)


#: The encodings offered on the upload form ("" detects).
ENCODINGS = (
    ("", "Detect (UTF-8, UTF-16 or Windows-1252)"),
    ("utf-8", "UTF-8"),
    ("utf-16", "UTF-16"),
    ("cp1252", "Windows-1252"),
    ("latin-1", "Latin-1 (ISO-8859-1)"),
)


def _mapping_choices() -> list[dict[str, str]]:
    """Return the shipped mappings as radio items, each with its description as the hint."""
    choices = []
    for name in builtin_mappings():
        mapping = load_mapping(builtin_mapping_path(name))
        choices.append({"value": name, "text": name, "hint": mapping.description or ""})
    return choices


@login_required
@require_http_methods(["GET", "POST"])
def responses(request: HttpRequest, slug: str) -> HttpResponse:
    """Show each questionnaire's responses analysed; programme leads import a survey export."""
    row, right = programme_for(request, slug, Right.VIEW)
    programme = programmes.to_programme(row)
    state = repository.load(row, programme)
    errors: list[ErrorItem] = []
    chosen = {"mapping": "generic", "questionnaire": "", "encoding": ""}
    if request.method == "POST":
        if right < Right.EDIT:
            raise PermissionDenied("only programme leads import consultation responses")
        chosen = {
            "mapping": request.POST.get("mapping", ""),
            "questionnaire": request.POST.get("questionnaire", ""),
            "encoding": request.POST.get("encoding", ""),
        }
        if chosen["encoding"] not in dict(ENCODINGS):
            chosen["encoding"] = ""
        upload = request.FILES.get("file")
        if not state.usable:
            errors = _problem_items(state.problems, "file")
        elif upload is None:
            errors = [ErrorItem("Choose the survey export to import", "#f-file")]
        else:
            try:
                imported = uploads.read_responses(
                    programme,
                    state,
                    upload,
                    chosen["mapping"],
                    request.FILES.get("mapping_file"),
                    chosen["questionnaire"] or None,
                    chosen["encoding"] or None,
                )
                repository.store_responses(
                    state, imported, actor(request), int(request.user.pk or 0) or None
                )
            except InvalidInput as error:
                target = "mapping" if isinstance(error, uploads.MappingInvalid) else "file"
                errors = _problem_items(error.problems, target)
            else:
                dropped = (
                    f" Personal columns dropped: {', '.join(imported.dropped)}."
                    if imported.dropped
                    else ""
                )
                read_as = ""
                if imported.encoding:
                    how = "detected" if imported.encoding_guessed else "as chosen"
                    read_as = f" Text read as {imported.encoding} ({how})."
                messages.success(
                    request,
                    f"Imported {imported.rows} responses to '{imported.questionnaire}' from "
                    f"{imported.file_name}.{dropped}{read_as}",
                )
                return redirect("consultation:responses", slug=slug)
    stored = repository.response_sets(state)
    views = [
        analysis.analyse(programme, q, stored[q.id])
        for q in state.engagement.questionnaires
        if q.id in stored
    ]
    return render(
        request,
        "consultation/responses.jinja",
        {
            "row": row,
            "state": state,
            "views": views,
            "names": analysis.group_names(programme),
            "mappings": _mapping_choices(),
            "encodings": ENCODINGS,
            "chosen": chosen,
            "report_types": REPORT_TYPES,
            "can_edit": right >= Right.EDIT,
            "errors": errors,
        },
    )


@login_required
def report(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """Download the consultation report (HTML or Word) of the current inputs, once built.

    The report is built in the background and stored; until it is, the page shows the
    progress panel and takes the download when ready. A new import, coding or revision makes
    a new one.
    """
    row, _ = programme_for(request, slug, Right.VIEW)
    if fmt not in REPORT_TYPES:
        raise Http404("no such format")
    programme = programmes.to_programme(row)
    state = repository.load(row, programme)
    if not state.usable:
        messages.error(
            request,
            "The engagement file no longer matches the programme, so the report cannot be "
            "built: " + "; ".join(p.render() for p in state.problems[:3]),
        )
        return redirect("consultation:activities", slug=slug)
    kind, _, label = REPORTS[fmt]
    job = jobs.request_result(row, kind)
    if job.status == ResultStatus.FAILED:
        messages.error(
            request,
            "The consultation report cannot be built: " + "; ".join(job.error.splitlines()[:3]),
        )
        return redirect("consultation:activities", slug=slug)
    if not job.ready or job.payload_bytes is None:
        return render(
            request,
            "consultation/report_wait.jinja",
            {"row": row, "job": job, "label": label, "next": request.path},
        )
    response = HttpResponse(bytes(job.payload_bytes), content_type=job.content_type)
    response["Content-Disposition"] = f'attachment; filename="{row.slug}-consultation-report.{fmt}"'
    return response
