"""Job routes: a result's status (JSON, or the progress panel HTMX polls), download and retry."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from caseforchange.web.accounts.roles import Right, require
from caseforchange.web.jobs.models import ResultStatus, StoredResult
from caseforchange.web.jobs.registry import UnknownKind, kind_of
from caseforchange.web.jobs.service import requeue


def _result(request: HttpRequest, pk: int, needed: Right) -> tuple[StoredResult, Right]:
    """Return the stored result and the user's right, refusing users without ``needed``.

    Raises:
        Http404: when there is no such result.
        PermissionDenied: when the user lacks the right.
    """
    result = get_object_or_404(StoredResult.objects.select_related("programme"), pk=pk)
    return result, require(request.user, result.programme, needed)


def _next(request: HttpRequest) -> str:
    """Return the local address to go to when the job is done (blank when none or foreign)."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def status_data(result: StoredResult) -> dict[str, object]:
    """Return a result's status as JSON data (no payload)."""
    return {
        "id": result.pk,
        "kind": result.kind,
        "revision": result.revision,
        "status": result.status,
        "progress": result.progress,
        "message": result.message,
        "error": result.error,
        "attempts": result.attempts,
        "frozen": result.frozen,
        "finished_at": result.finished_at.isoformat() if result.finished_at else None,
    }


def label_of(result: StoredResult) -> str:
    """Return the name people see for a result's kind."""
    try:
        return kind_of(result.kind).label
    except UnknownKind:
        return result.kind


@login_required
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Return a result's status: JSON when asked for, else the progress panel fragment.

    An HTMX poll of a finished job with a ``next`` address gets ``HX-Redirect`` to it.
    """
    result, right = _result(request, pk, Right.VIEW)
    if request.GET.get("format") == "json" or "application/json" in request.headers.get(
        "Accept", ""
    ):
        return JsonResponse(status_data(result))
    target = _next(request)
    if result.ready and target and request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return render(
        request,
        "jobs/_progress.jinja",
        {
            "job": result,
            "label": label_of(result),
            "next": target,
            "can_retry": right >= Right.EDIT,
        },
    )


@login_required
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Download a built result's bytes (a 404 until it is built, or when it is JSON)."""
    result, _ = _result(request, pk, Right.VIEW)
    if not result.ready or result.payload_bytes is None:
        raise Http404("that result is not built")
    slug = result.programme.slug
    response = HttpResponse(bytes(result.payload_bytes), content_type=result.content_type)
    name = f"{slug}-revision-{result.revision}-{result.kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a failed result again (programme leads and administrators)."""
    result, _ = _result(request, pk, Right.EDIT)
    if result.status == ResultStatus.FAILED:
        requeue(result, "Asked again")
        result.refresh_from_db()
    return render(
        request,
        "jobs/_progress.jinja",
        {"job": result, "label": label_of(result), "next": _next(request), "can_retry": True},
    )
