"""Programme workspace: list, create, view and edit, appraise and download the paper."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from caseforchange.catalogue.frameworks import frameworks
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.io.folder import load_programme
from caseforchange.io.scaffold import scaffold
from caseforchange.web.accounts.models import Membership, Role
from caseforchange.web.accounts.roles import RIGHT_NAMES, Right, can_create, is_admin
from caseforchange.web.edit_view import EditForm, Saved, edit_page
from caseforchange.web.errors import ErrorItem, error_list
from caseforchange.web.jobs import service as jobs
from caseforchange.web.jobs.builders import PAPERS
from caseforchange.web.jobs.models import ResultStatus
from caseforchange.web.jobs.views import label_of
from caseforchange.web.programmes import criteria_order, editing, repository
from caseforchange.web.programmes.models import AppraisalRun, ProgrammeRecord
from caseforchange.web.programmes.saving import place, required_revision, save_data
from caseforchange.web.shortcuts import actor, programme_for

REPORT_TYPES = {
    "html": ("text/html; charset=utf-8", "Web page (HTML)"),
    "pdf": ("application/pdf", "PDF"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word Board paper",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel tables"),
}


def home(request: HttpRequest) -> HttpResponse:
    """Send signed-in users to their programmes and everyone else to the join page."""
    if request.user.is_authenticated:
        return redirect("programmes:list")
    return redirect("workshops:join")


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    """List the programmes the user has access to."""
    rows = ProgrammeRecord.objects.filter(archived_at__isnull=True)
    if not is_admin(request.user):
        rows = rows.filter(memberships__user_id=int(request.user.pk or 0))
    return render(
        request,
        "programmes/list.jinja",
        {"rows": rows.distinct(), "can_create": can_create(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_new(request: HttpRequest) -> HttpResponse:
    """Create a programme from a built-in criteria framework."""
    if not can_create(request.user):
        raise PermissionDenied("only administrators and programme leads create programmes")
    choices = [(k, f.name) for k, f in frameworks().items()]
    values = {"id": "", "title": "", "framework": choices[0][0]}
    errors: list[ErrorItem] = []
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        try:
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp) / "new"
                scaffold(folder, values["framework"], values["id"] or "new-programme")
                programme = load_programme(folder).programme
            data = repository.data_of_programme(programme)
            if values["title"]:
                data["title"] = values["title"]
            programme = repository.validate(data, "new programme")
            row = repository.create(programme, actor(request), {}, "programme created")
            make_lead(request, row)
            messages.success(request, f"Programme '{programme.title}' created.")
            return redirect("programmes:detail", slug=row.slug)
        except InvalidInput as error:
            errors = error_list(
                error.problems, {"id": "id", "title": "title", "framework": "framework"}
            )
    return render(
        request,
        "programmes/new.jinja",
        {"values": values, "choices": choices, "errors": errors},
    )


def make_lead(request: HttpRequest, row: ProgrammeRecord) -> None:
    """Make the user who created or imported ``row`` its lead (administrators need no role)."""
    if not is_admin(request.user):
        Membership.objects.get_or_create(
            user_id=int(request.user.pk or 0), programme=row, defaults={"role": Role.LEAD}
        )


@login_required
def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Show a programme's overview and the sections a user can open."""
    row, right = programme_for(request, slug, Right.VIEW)
    programme = repository.to_programme(row)
    sections = [(s, len(getattr(programme, s.key))) for s in editing.SECTIONS.values()]
    return render(
        request,
        "programmes/detail.jinja",
        {
            "row": row,
            "p": programme,
            "right": right,
            "right_name": RIGHT_NAMES[right],
            "can_edit": right >= Right.EDIT,
            "sections": sections,
            "criteria": len(list(programme.framework.walk())),
            "last_run": row.runs.first(),
            "sessions": row.sessions.all()[:5],
        },
    )


@login_required
def section_list(request: HttpRequest, slug: str, section: str) -> HttpResponse:
    """List the records of one section (organisations, services, options, ...)."""
    row, right = programme_for(request, slug, Right.VIEW)
    spec = editing.section_spec(section)
    if spec is None:
        raise Http404("no such section")
    items = editing.records_in(row.document, spec)
    labels = {f.name: f.label for f in spec.fields}
    return render(
        request,
        "programmes/section.jinja",
        {
            "row": row,
            "spec": spec,
            "items": items,
            "labels": labels,
            "can_edit": right >= Right.EDIT,
            "extras": {
                item.get(spec.id_field): editing.record_pages(section, item) for item in items
            },
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_item(
    request: HttpRequest, slug: str, section: str, item_id: str | None = None
) -> HttpResponse:
    """Add or edit one record; the whole programme is validated before anything is saved."""
    row, _ = programme_for(request, slug, Right.EDIT)
    spec = editing.section_spec(section)
    if spec is None:
        raise Http404("no such section")
    data = repository.data_of(row)
    records = editing.records_in(data, spec, create=True)
    index = next((i for i, r in enumerate(records) if r.get(spec.id_field) == item_id), None)
    if item_id is not None and index is None:
        raise Http404("no such record")
    old = records[index] if index is not None else None
    at = index if index is not None else len(records)

    def save(revision: int) -> Saved | list[Problem]:
        item = editing.read_form(spec, request.POST, copy.deepcopy(old))
        if index is None:
            records.append(item)
        else:
            records[index] = item
        problems, _ = save_data(
            request,
            row,
            data,
            where=f"{spec.singular} form",
            action=f"{spec.singular} edited" if old else f"{spec.singular} added",
            revision=revision,
        )
        to = reverse("programmes:section", kwargs={"slug": slug, "section": section})
        return problems or Saved(f"Saved {spec.singular} '{item.get(spec.id_field)}'.", to)

    def show(form: EditForm) -> HttpResponse:
        context = {
            "row": row,
            "spec": spec,
            "item_id": item_id,
            "choices": {f.name: editing.choices_for(f, data) for f in spec.fields},
        }
        return render(request, "programmes/item.jinja", context | form.context())

    labels = {f.name: f.label for f in spec.fields}
    return edit_page(
        request,
        EditForm(editing.form_values(spec, old or {}), row.revision),
        read=lambda post: editing.posted_values(spec, post),
        save=save,
        place=lambda problems: place(problems, (*spec.where(), at), labels),
        show=show,
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_delete(request: HttpRequest, slug: str, section: str, item_id: str) -> HttpResponse:
    """Confirm and remove one record (refused when other records still refer to it)."""
    row, _ = programme_for(request, slug, Right.EDIT)
    spec = editing.section_spec(section)
    if spec is None:
        raise Http404("no such section")
    data = repository.data_of(row)
    records = editing.records_in(data, spec)
    if not any(r.get(spec.id_field) == item_id for r in records):
        raise Http404("no such record")
    errors: list[ErrorItem] = []
    if request.method == "POST":
        editing.set_records(data, spec, [r for r in records if r.get(spec.id_field) != item_id])
        try:
            programme = repository.validate(data, f"removing {spec.singular} '{item_id}'")
            repository.save(
                row, programme, actor(request), f"{spec.singular} removed", row.revision
            )
            messages.success(request, f"Removed {spec.singular} '{item_id}'.")
            return redirect("programmes:section", slug=slug, section=section)
        except InvalidInput as error:
            errors = error_list(error.problems)
    return render(
        request,
        "programmes/delete.jinja",
        {"row": row, "spec": spec, "item_id": item_id, "errors": errors},
    )


@login_required
@require_http_methods(["GET", "POST"])
def criteria(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the criteria tree and let a lead set the weights."""
    row, right = programme_for(request, slug, Right.VIEW)
    data = repository.data_of(row)
    errors: list[ErrorItem] = []
    values: dict[str, str] = {}
    if request.method == "POST":
        if right < Right.EDIT:
            raise PermissionDenied("only programme leads change weights")
        values = {
            k.removeprefix("weight-"): str(request.POST.get(k, ""))
            for k in request.POST
            if k.startswith("weight-")
        }
        editing.set_weights(data["framework"]["criteria"], values)
        try:
            programme = repository.validate(data, "weights form")
            from caseforchange.appraisal.weights import framework_weights

            framework_weights(programme.framework)
            found = repository.save(
                row, programme, actor(request), "weight changed", required_revision(request)
            )
            messages.success(request, f"Saved the weights ({len(found)} changed).")
            method = (data["framework"].get("weighting") or {}).get("method")
            if method == "equal":
                messages.warning(
                    request,
                    "The weighting method is 'equal': these weights are saved but not used. "
                    "Change the weighting method to use them.",
                )
            return redirect("programmes:criteria", slug=slug)
        except InvalidInput as error:
            errors = error_list(error.problems)
        except repository.StaleEdit as error:
            text = (
                "The form did not say which version of the programme it began from"
                if required_revision(request) < 0
                else str(error)
            )
            errors = [ErrorItem(f"{text}: reload the page")]
    rows = []
    places = criteria_order.places(data["framework"]["criteria"])
    for depth, path, criterion in editing.walk(data["framework"]["criteria"]):
        cid = criterion["id"]
        text = values.get(cid, "" if criterion.get("weight") is None else str(criterion["weight"]))
        rows.append(
            {
                "depth": depth,
                "c": criterion,
                "value": text,
                "target": f"{slug}:{path}.weight",
                "first": places[cid][0],
                "last": places[cid][1],
            }
        )
    return render(
        request,
        "programmes/criteria.jinja",
        {
            "row": row,
            "framework": data["framework"],
            "rows": rows,
            "errors": errors,
            "can_edit": right >= Right.EDIT,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def appraisal(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the appraisal of the current revision, built in the background and stored.

    The first view of a revision queues its build and shows the progress panel; later views
    read the stored result. A lead's POST records the stored result as an appraisal run.
    """
    row, right = programme_for(request, slug, Right.VIEW)
    errors: list[ErrorItem] = []
    job = jobs.request_result(row, "appraisal")
    if request.method == "POST":
        if right < Right.EDIT:
            raise PermissionDenied("only programme leads run the appraisal")
        if job.ready and job.payload_json is not None:
            _record_run(request, row, job.payload_json["result"])
            messages.success(request, "The appraisal has run.")
            return redirect("programmes:appraisal", slug=slug)
        if job.status == ResultStatus.FAILED:
            errors = [ErrorItem(line) for line in job.error.splitlines()]
        else:
            messages.info(request, "The appraisal is still being built: record it when ready.")
            return redirect("programmes:appraisal", slug=slug)
    run = row.runs.first()
    payload = job.payload_json if job.ready and isinstance(job.payload_json, dict) else None
    downloads = {}
    if payload is not None and settings.JOBS_MODE == "database":
        # Build the downloads next, so they are ready when asked for.
        for kind in PAPERS:
            downloads[kind] = jobs.request_result(row, kind)
    return render(
        request,
        "programmes/appraisal.jinja",
        {
            "row": row,
            "run": run,
            "job": job,
            "job_label": label_of(job),
            "result": payload["result"] if payload else None,
            "figures": payload["figures"] if payload else [],
            "option_names": {o["id"]: o["name"] for o in row.document.get("options", [])},
            "errors": errors,
            "can_run": right >= Right.EDIT,
            "can_retry": right >= Right.EDIT,
            "recorded": run is not None and run.revision == row.revision,
            "papers": PAPERS,
            "downloads": downloads,
            "next": request.path,
        },
    )


def _record_run(request: HttpRequest, row: ProgrammeRecord, result: dict[str, Any]) -> None:
    """Record a stored appraisal result as a run of the current revision, audited."""
    from caseforchange.web.audit.chain import record

    smaa = result.get("smaa") or {}
    AppraisalRun.objects.create(
        programme=row,
        revision=row.revision,
        created_by_id=request.user.pk,
        seed=int(smaa.get("seed") or 0),
        samples=int(smaa.get("samples") or 0),
        result=result,
    )
    record(
        actor(request),
        "appraisal run",
        f"{row.slug}:appraisal",
        programme=row.slug,
        after={
            "revision": row.revision,
            "ranking": result.get("ranking"),
            "seed": smaa.get("seed"),
        },
    )


#: Each report format offered for download -> its stored result's kind.
FORMAT_KINDS = {PAPERS[kind][0]: kind for kind in PAPERS}


@login_required
def download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """Download the paper of the current revision as HTML, PDF, Word or Excel, once built.

    Until it is built the page shows the progress panel and takes the download when ready.
    """
    row, _ = programme_for(request, slug, Right.VIEW)
    kind = FORMAT_KINDS.get(fmt)
    if kind is None:
        raise Http404("no such format")
    job = jobs.request_result(row, kind)
    if job.status == ResultStatus.FAILED:
        messages.error(
            request, "The appraisal cannot run yet: " + "; ".join(job.error.splitlines()[:3])
        )
        return redirect("programmes:appraisal", slug=slug)
    if not job.ready or job.payload_bytes is None:
        return render(
            request,
            "programmes/download_wait.jinja",
            {"row": row, "job": job, "label": PAPERS[kind][2], "next": request.path},
        )
    response = HttpResponse(bytes(job.payload_bytes), content_type=job.content_type)
    response["Content-Disposition"] = f'attachment; filename="{row.slug}-report.{fmt}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, slug: str) -> HttpResponse:
    """Show who has access; leads and administrators give and remove roles."""
    row, right = programme_for(request, slug, Right.VIEW)
    errors: list[ErrorItem] = []
    if request.method == "POST":
        if right < Right.EDIT:
            raise PermissionDenied("only programme leads and administrators manage access")
        username = request.POST.get("username", "").strip()
        role = request.POST.get("role", "")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            errors.append(ErrorItem.on("username", f"There is no user '{username}'"))
        elif role == "remove":
            Membership.objects.filter(user=user, programme=row).delete()
            _audit_access(request, row, username, None)
            return redirect("programmes:members", slug=slug)
        elif role not in Role.values:
            errors.append(ErrorItem.on("role", "Choose a role"))
        else:
            Membership.objects.update_or_create(user=user, programme=row, defaults={"role": role})
            _audit_access(request, row, username, role)
            messages.success(request, f"{username} is now {Role(role).label} on this programme.")
            return redirect("programmes:members", slug=slug)
    return render(
        request,
        "programmes/members.jinja",
        {
            "row": row,
            "memberships": row.memberships.select_related("user").order_by("user__username"),
            "roles": Role.choices,
            "can_manage": right >= Right.EDIT,
            "errors": errors,
        },
    )


def _audit_access(
    request: HttpRequest, row: ProgrammeRecord, username: str, role: str | None
) -> None:
    from caseforchange.web.audit.chain import record

    record(
        actor(request),
        "access changed",
        f"{row.slug}:access[{username}]",
        programme=row.slug,
        after=role,
    )
