"""Consultation and engagement: the programme's activities (the first slice of this context)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from caseforchange.web.accounts.roles import Right
from caseforchange.web.programmes import repository
from caseforchange.web.shortcuts import programme_for


@login_required
def activities(request: HttpRequest, slug: str) -> HttpResponse:
    """List a programme's engagement activities and milestones in date order."""
    row, right = programme_for(request, slug, Right.VIEW)
    programme = repository.to_programme(row)
    dated = sorted(programme.activities, key=lambda a: (a.date is None, a.date, a.id))
    groups = {g.id: g.name for g in programme.stakeholders}
    return render(
        request,
        "consultation/activities.jinja",
        {
            "row": row,
            "activities": dated,
            "milestones": programme.milestones,
            "groups": groups,
            "can_edit": right >= Right.EDIT,
        },
    )
