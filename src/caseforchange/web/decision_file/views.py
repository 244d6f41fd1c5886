"""The decision file on the web: every part the engines compute, read-only, with its charts.

The page runs no appraisal of its own (that is slow): it takes the option values and the
recommendation from the stored appraisal result of the current revision (the one the
appraisal page shows), or else from a recorded appraisal run of the current revision. When
there is neither it asks for the stored result, so it is built in the background, and says so.
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
from caseforchange.web.jobs import service as jobs
from caseforchange.web.jobs.models import StoredResult
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


#: The stored result the appraisal page shows, and its parameters there.
APPRAISAL_KIND = "appraisal"
APPRAISAL_PARAMS: dict[str, Any] = {}


def _values(result: dict[str, Any]) -> tuple[dict[str, float], str | None]:
    """Return an appraisal result's option totals and its top option."""
    totals = {k: float(v) for k, v in (result.get("totals") or {}).items() if v is not None}
    ranking = result.get("ranking") or []
    return totals, (ranking[0] if ranking else None)


def appraised(row: ProgrammeRecord) -> tuple[dict[str, float], str | None, bool]:
    """Return the current appraisal's option totals, its top option, and whether there is one.

    The stored appraisal result of the current revision is used when it is built, else the
    latest recorded run when it is of the current revision. Totals and the top option are
    empty when there is neither.
    """
    stored = jobs.find_result(row, APPRAISAL_KIND, APPRAISAL_PARAMS)
    if stored is not None and stored.ready and isinstance(stored.payload_json, dict):
        return (*_values(stored.payload_json.get("result") or {}), True)
    run = row.runs.first()
    if run is None or run.revision != row.revision:
        return {}, None, False
    return (*_values(run.result), True)


def build(
    row: ProgrammeRecord, appraisal: tuple[dict[str, float], str | None, bool] | None = None
) -> tuple[DecisionFile, bool]:
    """Return the programme's decision file and whether it used a current appraisal.

    ``appraisal`` is what :func:`appraised` returned, when the caller has it already.
    """
    programme = repository.to_programme(row)
    values, recommended, current = appraisal or appraised(row)
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
    appraisal = appraised(row)
    job: StoredResult | None = None
    if not appraisal[2]:
        # Neither a built result nor a current run: have it built in the background.
        job = jobs.request_result(row, APPRAISAL_KIND, APPRAISAL_PARAMS)
        if job.ready:  # built at once (the immediate queue) or by a worker meanwhile
            appraisal = appraised(row)
            job = None
    d, current = build(row, appraisal)
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
            "job": job,
            "label": "Appraisal",
            "next": request.path,
            "can_retry": False,
            "can_edit": right >= Right.EDIT,
        },
    )
