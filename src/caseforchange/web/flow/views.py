"""The flow pages: a programme's flow model as tables, its edit forms, runs and results.

Anyone who can view the programme sees the model and the results; programme leads edit the
model, replace it with a ``flow.yaml`` file and start runs. Runs go to the background queue
(:mod:`caseforchange.web.flow.runs`), and the run's page shows its progress until the
results, charts with their data tables, are there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from caseforchange.decision.finance import flow_cost_comparison
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.flow.charts import comparison_chart, cost_chart, queue_chart, warmup_chart
from caseforchange.flow.model import FlowModel
from caseforchange.flow.runner import result_from_dict
from caseforchange.flow.system import scenario_ids
from caseforchange.io.flow_file import FLOW_FILE, parse_flow_model
from caseforchange.web.accounts.roles import Right
from caseforchange.web.charts import ChartImage, chart_image
from caseforchange.web.edit_view import EditForm, Saved, edit_page
from caseforchange.web.errors import ErrorItem, field_id
from caseforchange.web.flow import forms, repository, tables
from caseforchange.web.flow.dispatch import job_error, start
from caseforchange.web.flow.models import FlowRun
from caseforchange.web.flow.runs import MAX_WEB_REPLICATIONS
from caseforchange.web.presenters import Link
from caseforchange.web.programmes import repository as programmes_repository
from caseforchange.web.programmes.models import ProgrammeRecord
from caseforchange.web.shortcuts import actor, programme_for
from caseforchange.web.uploads import check_size, upload_name


def _model_or_404(row: ProgrammeRecord) -> tuple[repository.FlowState, FlowModel]:
    state = repository.load(row)
    if state.model is None or state.record is None:
        raise Http404("this programme has no flow model")
    return state, state.model


def _page(
    request: HttpRequest,
    row: ProgrammeRecord,
    right: Right,
    errors: list[ErrorItem] | None = None,
    run_errors: dict[str, str] | None = None,
) -> HttpResponse:
    state = repository.load(row)
    model = state.model
    context: dict[str, Any] = {
        "row": row,
        "state": state,
        "model": model,
        "can_edit": right >= Right.EDIT,
        "errors": errors or [],
        "run_errors": run_errors or {},
        "runs": list(FlowRun.objects.filter(programme=row)[:10]),
        "max_replications": MAX_WEB_REPLICATIONS,
        "field_id": field_id,
    }
    if model is not None:
        context.update(
            {
                "team_tables": tables.team_tables(model),
                "bed_table": tables.bed_table(model),
                "demand_table": tables.demand_table(model),
                "route_table": tables.route_table(model),
                "cost_table": tables.cost_table(model),
                "scenario_table": tables.scenario_table(model),
                "load_table": tables.load_table(model),
                "scenario_ids": scenario_ids(model),
            }
        )
    return render(request, "flow/model.jinja", context)


@login_required
def flow_model(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the programme's flow model as tables, its runs, and (leads) how to change it."""
    row, right = programme_for(request, slug, Right.VIEW)
    return _page(request, row, right)


def _problem_items(problems: list[Problem], anchor: str) -> list[ErrorItem]:
    return [ErrorItem(p.render() if p.location else p.message, anchor) for p in problems]


@login_required
@require_http_methods(["GET", "POST"])
def flow_file(request: HttpRequest, slug: str) -> HttpResponse:
    """Download the flow model as ``flow.yaml``, or (programme leads) replace it with a file."""
    row, right = programme_for(request, slug, Right.VIEW)
    if request.method == "GET":
        state, _ = _model_or_404(row)
        # Imported here: the YAML writer is only needed for the download.
        from caseforchange.io.folder import dump_yaml

        response = HttpResponse(dump_yaml(state.data), content_type="text/yaml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{FLOW_FILE}"'
        return response
    if right < Right.EDIT or row.archived_at is not None:
        raise PermissionDenied("only programme leads change the flow model")
    upload = request.FILES.get("flow")
    if upload is None:
        return _page(request, row, right, [ErrorItem("Choose a flow.yaml file", "#f-flow")])
    name = upload_name(upload)
    try:
        check_size(upload)
        raw = upload.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput([Problem((), "the file is not UTF-8 text", name)]) from None
        model = parse_flow_model(text, name)
    except InvalidInput as error:
        return _page(request, row, right, _problem_items(error.problems, "#f-flow"))
    repository.store(row, model, name, actor(request))
    messages.success(request, f"Stored the flow model from {name}.")
    return redirect("flow:model", slug=slug)


def _form_page(
    request: HttpRequest,
    slug: str,
    build: Callable[[dict[str, Any]], forms.FlowForm],
    action: str,
    anchor: Callable[[forms.FlowForm], str],
) -> HttpResponse:
    """Show a flow form, or apply a posted one and save it when the model is valid.

    The steps every flow edit shares: programme leads only, a flow model to edit, the form
    built from the stored document (``build``), and ``anchor`` the part of the model page
    to go back to.
    """
    row, _ = programme_for(request, slug, Right.EDIT)
    state, _ = _model_or_404(row)
    assert state.record is not None
    data = state.data
    form = build(data)
    revision = state.record.revision
    back = reverse("flow:model", args=[row.slug]) + "#" + anchor(form)

    def read(post: Any) -> dict[str, str]:
        form.values = {f.name: str(post.get(f.name, "")) for f in form.fields()}
        return form.values

    def save(revision: int) -> Saved | list[Problem]:
        forms.apply(form, data, request.POST)
        try:
            repository.save(row, data, actor(request), action, revision)
        except InvalidInput as error:
            return error.problems
        except repository.StaleFlowEdit as error:
            return [Problem((), f"{error}: reload the page and make your change again")]
        return Saved(f"Saved: {form.heading}.", back)

    def place(problems: list[Problem]) -> tuple[list[ErrorItem], dict[str, str]]:
        labels = form.labels()
        items: list[ErrorItem] = []
        by_field: dict[str, str] = {}
        for problem in problems:
            name = forms.locate(form, problem) if problem.path else None
            if name is not None:
                by_field.setdefault(name, problem.message)
            items.append(ErrorItem.of(problem, name, labels[name] if name else None))
        return items, by_field

    def show(edit: EditForm) -> HttpResponse:
        context = {"row": row, "form": form, "back": Link("Flow model", back)}
        return render(request, "flow/form.jinja", context | edit.context())

    # A flow form without its revision is treated as stale: it replaces many figures at once.
    return edit_page(
        request,
        EditForm(form.values, revision),
        read=read,
        save=save,
        place=place,
        show=show,
        missing_revision=-1,
    )


@login_required
@require_http_methods(["GET", "POST"])
def flow_team(request: HttpRequest, slug: str, scope: str, team: str) -> HttpResponse:
    """Edit a team's staff (or a bed pool's beds), episode length, queue and hours."""
    return _form_page(
        request,
        slug,
        lambda data: forms.team_form(data, scope, team),
        "flow team edited",
        lambda form: "beds" if "beds" in form.paths else f"teams-{scope}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def flow_demand(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit the referral rate of every stream and the seasonal wave."""
    return _form_page(request, slug, forms.demand_form, "flow demand edited", lambda _: "demand")


@login_required
@require_http_methods(["GET", "POST"])
def flow_costs(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit the unit costs: per staff hour, contact, bed-day and admission."""
    return _form_page(request, slug, forms.costs_form, "flow costs edited", lambda _: "costs")


@login_required
@require_http_methods(["GET", "POST"])
def flow_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit the run settings: horizon, warm-up, replications and seed."""
    return _form_page(request, slug, forms.settings_form, "flow settings edited", lambda _: "run")


@login_required
@require_POST
def flow_run_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Start a run of the chosen scenarios (programme leads); go to its page."""
    row, right = programme_for(request, slug, Right.EDIT)
    state, model = _model_or_404(row)
    assert state.record is not None
    known = scenario_ids(model)
    chosen = [s for s in request.POST.getlist("scenarios") if s in known]
    problems: dict[str, str] = {}
    if not chosen:
        problems["scenarios"] = "Choose at least one scenario"
    text = str(request.POST.get("replications", "")).strip()
    replications = model.run.replications
    if text:
        if not text.isdigit() or not 2 <= int(text) <= MAX_WEB_REPLICATIONS:
            problems["replications"] = (
                f"Replications must be a whole number from 2 to {MAX_WEB_REPLICATIONS}"
            )
        else:
            replications = int(text)
    elif replications > MAX_WEB_REPLICATIONS:
        replications = MAX_WEB_REPLICATIONS
    if problems:
        errors = [ErrorItem.on(k, m) for k, m in problems.items()]
        return _page(request, row, right, errors, problems)
    run = repository.new_run(row, state.record, chosen, replications, model.run.seed, request.user)
    start(run)
    return redirect("flow:run", slug=slug, pk=run.pk)


def _run_for(request: HttpRequest, slug: str, pk: int) -> tuple[ProgrammeRecord, Right, FlowRun]:
    row, right = programme_for(request, slug, Right.VIEW)
    run = get_object_or_404(FlowRun, pk=pk, programme=row)
    return row, right, run


def result_charts(result: dict[str, Any]) -> list[ChartImage]:
    """Return the charts of a run's result: comparison, costs, patients over time, warm-up."""
    rebuilt = result_from_dict(result)
    charts = [comparison_chart(rebuilt), cost_chart(rebuilt), queue_chart(rebuilt)]
    charts.append(warmup_chart(rebuilt))
    return [chart_image(c) for c in charts if c is not None]


#: Figures in the results table: key, heading and decimals.
RESULT_FIGURES = (
    ("referrals_per_week", "Referrals per week", 1),
    ("wait_mean", "Mean wait (days)", 2),
    ("wait_p92", "92nd-centile wait (days)", 2),
    ("within_18_weeks", "Seen within 18 weeks", 3),
    ("handoffs_per_patient", "Hand-offs per patient", 3),
    ("admissions_per_1000", "Admissions per 1,000 referrals", 1),
    ("admissions_avoided", "Admissions avoided", 1),
    ("delayed_transfer_days", "Delayed transfer bed-days", 1),
    ("cost_per_year", "Cost per year (£)", 0),
)


def _fmt(value: Any, decimals: int) -> str:
    if value is None:
        return "–"
    return f"{float(value):,.{decimals}f}"


def _cell(iv: dict[str, Any] | None, decimals: int) -> str:
    """Return ``mean [low, high]`` of an interval record, or a dash when there is none."""
    if not iv:
        return "–"
    return (
        f"{_fmt(iv['mean'], decimals)} [{_fmt(iv['low'], decimals)}, {_fmt(iv['high'], decimals)}]"
    )


def result_rows(result: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Return the results table: a row per figure, for each scenario its mean [95% interval].

    Scenarios after the first also show the paired difference from the first.
    """
    scenarios = result.get("scenarios", [])
    first = scenarios[0]["id"] if scenarios else ""
    columns = ["Figure"]
    for i, s in enumerate(scenarios):
        columns.append(str(s.get("label") or s["id"]))
        if i:
            columns.append(f"{s['id']} − {first} (paired)")
    rows = []
    for key, heading, decimals in RESULT_FIGURES:
        if not any(key in s.get("metrics", {}) for s in scenarios):
            continue
        row = [heading]
        for i, s in enumerate(scenarios):
            row.append(_cell(s.get("metrics", {}).get(key), decimals))
            if i:
                row.append(_cell(s.get("difference_from_first", {}).get(key), decimals))
        rows.append(row)
    return columns, rows


def finance_rows(row: ProgrammeRecord, result: dict[str, Any]) -> list[list[str]]:
    """Return the options whose finance names a scenario of this run, with both costs.

    Each row: option, scenario, simulated cost a year [95% interval], the option's recurrent
    costs in the first year as recorded, and the difference (pounds).
    """
    programme = programmes_repository.to_programme(row)
    if programme.finance is None:
        return []
    annual = {
        str(s["id"]): (
            float(iv["mean"]),
            float(iv["low"]),
            float(iv["high"]),
        )
        for s in result.get("scenarios", [])
        if (iv := s.get("metrics", {}).get("cost_per_year")) and iv.get("mean") is not None
    }
    names = {o.id: o.name for o in programme.options}
    return [
        [
            names.get(r.option, r.option),
            r.scenario,
            f"£{r.simulated:,.0f} [£{r.low:,.0f}, £{r.high:,.0f}]",
            f"£{r.recorded:,.0f}",
            f"{'−' if r.difference < 0 else ''}£{abs(r.difference):,.0f}",
        ]
        for r in flow_cost_comparison(programme.finance, annual)
    ]


@login_required
def flow_run(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Show a run: its progress while it runs, then its results, charts and data tables."""
    row, right, run = _run_for(request, slug, pk)
    context: dict[str, Any] = {
        "row": row,
        "run": run,
        "can_edit": right >= Right.EDIT,
        "job_error": job_error(run),
    }
    if run.status == FlowRun.DONE and run.result:
        columns, rows = result_rows(run.result)
        context.update(
            {
                "charts": result_charts(run.result),
                "columns": columns,
                "rows": rows,
                "warnings": run.result.get("warnings", []),
                "finance_rows": finance_rows(row, run.result),
                "result": run.result,
            }
        )
    return render(request, "flow/run.jinja", context)


@login_required
def flow_run_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Return the run's progress as a fragment; when it has finished, ask the page to reload."""
    row, _, run = _run_for(request, slug, pk)
    failed = job_error(run)
    response = render(
        request, "flow/_progress.jinja", {"row": row, "run": run, "job_error": failed}
    )
    if run.status in (FlowRun.DONE, FlowRun.FAILED) or failed:
        response["HX-Refresh"] = "true"
    return response
