"""The facilitator's room controls beyond the dashboard: participants, export, personal data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from caseforchange.web.accounts.roles import Right, require
from caseforchange.web.shortcuts import actor
from caseforchange.web.workshops import export, people
from caseforchange.web.workshops.models import WorkshopSession

#: The room's downloads: name -> (content type, how it is made).
EXPORTS = {
    "scores.csv": "text/csv; charset=utf-8",
    "outputs.csv": "text/csv; charset=utf-8",
    "room.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _session(request: HttpRequest, pk: int) -> WorkshopSession:
    session = get_object_or_404(WorkshopSession.objects.select_related("programme"), pk=pk)
    require(request.user, session.programme, Right.FACILITATE)
    return session


def _number(text: str) -> int:
    return int(text) if text.isdigit() else -1


@login_required
@require_http_methods(["GET", "POST"])
def participants(request: HttpRequest, pk: int) -> HttpResponse:
    """List who joined; remove a participant, or merge one into another (facilitators)."""
    session = _session(request, pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        who = actor(request)
        try:
            if action == "remove":
                number = _number(request.POST.get("number", ""))
                count = people.remove(session, number, who)
                messages.success(request, f"Participant {number} removed, with {count} scores.")
            elif action == "merge":
                source = _number(request.POST.get("source", ""))
                into = _number(request.POST.get("into", ""))
                moved = people.merge(session, source, into, who)
                messages.success(
                    request,
                    f"Participant {source} merged into participant {into} ({moved} scores moved).",
                )
            else:
                raise Http404("no such action")
        except people.NoSuchParticipant as error:
            messages.error(request, f"Nothing changed: {error}.")
        return redirect("workshops:participants", pk=pk)
    groups = {g["id"]: g["name"] for g in session.groups}
    return render(
        request,
        "workshops/participants.jinja",
        {
            "s": session,
            "row": session.programme,
            "people": session.participants.annotate(answered=Count("scores")),
            "groups": groups,
        },
    )


@login_required
@require_POST
def delete_personal_data(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete the session's display names and rationales (facilitators and leads; audited)."""
    session = _session(request, pk)
    if session.is_open:
        messages.error(request, "Close the session before deleting its personal data.")
    elif request.POST.get("confirm") != "yes":
        messages.error(request, "Tick the box to confirm that the personal data should go.")
    else:
        count = people.delete_personal_data(session, actor(request))
        messages.success(request, f"Personal data deleted: names and rationales of {count} people.")
    return redirect("workshops:participants", pk=pk)


@login_required
def room_export(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Download the room's raw scores and rationales, or its table outputs (CSV or XLSX)."""
    session = _session(request, pk)
    if name not in EXPORTS:
        raise Http404("no such export")
    if name == "scores.csv":
        body = export.to_csv(export.SCORE_HEADER, export.score_rows(session))
    elif name == "outputs.csv":
        body = export.to_csv(export.OUTPUT_HEADER, export.output_rows(session))
    else:
        body = export.to_xlsx(session)
    response = HttpResponse(body, content_type=EXPORTS[name])
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}-{name}"'
    return response
