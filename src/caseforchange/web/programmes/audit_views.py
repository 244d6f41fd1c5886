"""The audit trail: entries for a programme, the history of one figure, and chain checks."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from caseforchange.web.accounts.roles import Right, is_admin
from caseforchange.web.audit.chain import verify
from caseforchange.web.audit.models import AuditEntry
from caseforchange.web.shortcuts import programme_for


@login_required
def programme_history(request: HttpRequest, slug: str) -> HttpResponse:
    """A programme's audit entries, newest first; ``?target=`` shows one figure's history."""
    row, _ = programme_for(request, slug, Right.VIEW)
    target = request.GET.get("target", "").strip()
    entries = AuditEntry.objects.filter(programme=row.slug).order_by("-id")
    if target:
        entries = entries.filter(target=target)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/history.jinja",
        {"row": row, "page": page, "target": target},
    )


@login_required
def verify_chain(request: HttpRequest) -> HttpResponse:
    """Check every hash of the whole chain (administrators only: it spans all programmes)."""
    if not is_admin(request.user):
        raise PermissionDenied("only administrators verify the whole audit chain")
    return render(request, "audit/verify.jinja", {"result": verify()})
