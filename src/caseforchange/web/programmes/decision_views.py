"""The decision file on the web: every part the engines compute, read-only, with its charts.

The page runs no appraisal of its own (that is slow and the appraisal page records it): it
takes the option values and the recommendation from the latest appraisal run when that run is
for the current revision, and says so when it is not.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from caseforchange.catalogue.reference import decision_catalogue
from caseforchange.decision.charts import decision_charts
from caseforchange.decision.view import DecisionFile, decision_file, part_json
from caseforchange.web.accounts.roles import Right
from caseforchange.web.charts import ChartImage, chart_image
from caseforchange.web.consultation import repository as engagement_repository
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.models import ProgrammeRecord
from caseforchange.web.shortcuts import programme_for

#: Headings of the parts, in the order the page shows them.
PART_TITLES = {
    "finance": "Finance and affordability",
    "workforce": "Workforce",
    "risks": "Risk register",
    "equality": "Equality impact",
    "assurance": "Assurance",
    "competition": "Competition",
    "market": "Market review",
    "peers": "What other provider arms chose",
}


def appraised(row: ProgrammeRecord) -> tuple[dict[str, float], str | None, bool]:
    """Return the latest run's option totals, its top option, and whether it is current.

    Totals and the top option are empty when no run is for the programme's current revision.
    """
    run = row.runs.first()
    if run is None or run.revision != row.revision:
        return {}, None, False
    totals = {k: float(v) for k, v in (run.result.get("totals") or {}).items() if v is not None}
    ranking = run.result.get("ranking") or []
    return totals, (ranking[0] if ranking else None), True


def build(row: ProgrammeRecord) -> tuple[DecisionFile, bool]:
    """Return the programme's decision file and whether it used a current appraisal run."""
    programme = repository.to_programme(row)
    values, recommended, current = appraised(row)
    state = engagement_repository.load(row, programme)
    engagement = state.engagement if state.usable else None
    return decision_file(programme, decision_catalogue(), values, recommended, engagement), current


def charts(d: DecisionFile) -> dict[str, ChartImage]:
    """Return the file's charts as images for the page, keyed by the command's file stems."""
    return {key: chart_image(chart) for key, chart in decision_charts(d).items()}


@login_required
def decision_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Show every part of the programme's decision file (anyone who can view the programme)."""
    row, right = programme_for(request, slug, Right.VIEW)
    d, current = build(row)
    data: dict[str, Any] = part_json(d, "summary", decision_catalogue())
    images = charts(d)
    return render(
        request,
        "programmes/decision.jinja",
        {
            "row": row,
            "p": d.programme,
            "data": data,
            "present": d.present(),
            "titles": PART_TITLES,
            "names": d.names(),
            "charts": images,
            "tornados": [images[k] for k in images if k.startswith("tornado-")],
            "current": current,
            "has_run": row.runs.exists(),
            "can_edit": right >= Right.EDIT,
        },
    )
