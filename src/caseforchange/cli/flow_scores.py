"""``caseforchange flow scores``: a measured criterion's scores from the options' flow scenarios.

Each option that names a flow scenario (``finance.options[].flow_scenario``) is scored on the
criterion by that scenario's simulated figure (mean with its 95% interval); ``--write`` puts
the scores into ``scores.csv`` for one panel.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from caseforchange.cli.errors import handles_user_errors
from caseforchange.cli.flow import FolderArg, _at_flow_file, _fmt, app, console
from caseforchange.domain.criteria import Criterion
from caseforchange.domain.panels import Score
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.domain.problems import Path as FieldPath
from caseforchange.domain.programme import Programme
from caseforchange.flow.measured import (
    MEASURES,
    SHARE_MEASURES,
    MeasuredScore,
    measured_scores,
    unit_factor,
)
from caseforchange.flow.runner import run_model
from caseforchange.flow.system import scenario_ids
from caseforchange.io.atomic import write_file
from caseforchange.io.flow_file import FLOW_FILE, flow_file_path, load_flow_model
from caseforchange.io.folder import (
    PROGRAMME_FILE,
    SCORES_FILE,
    LoadedProgramme,
    load_programme,
    programme_from_bytes,
)
from caseforchange.io.scores_csv import scores_text

COSTED = frozenset({"cost_per_year", "cost_per_referral"})


def _find(criteria: list[Criterion], wanted: str, path: FieldPath) -> tuple[Criterion, FieldPath]:
    for i, c in enumerate(criteria):
        here = (*path, i)
        if c.id == wanted:
            return c, here
        try:
            return _find(c.children, wanted, (*here, "children"))
        except KeyError:
            continue
    raise KeyError(wanted)


def _criterion_problems(
    programme: Programme, criterion: str, measure: str
) -> tuple[float, str, list[Problem]]:
    """Return the factor into the criterion's unit, the unit, and what stops the scoring."""
    if measure not in MEASURES:
        known = ", ".join(MEASURES)
        return 1.0, "", [Problem(("--measure",), f"unknown measure '{measure}' (use: {known})")]
    need = MEASURES[measure][0]
    try:
        found, path = _find(programme.framework.criteria, criterion, ("framework", "criteria"))
    except KeyError:
        known = ", ".join(c.id for c in programme.framework.leaves())
        message = f"the framework has no criterion '{criterion}' (scored ones: {known})"
        return 1.0, "", [Problem(("--criterion",), message)]
    label = f"criterion '{found.id}' ({found.name})"
    if not found.is_leaf:
        return 1.0, "", [Problem(path, f"{label} is a group: score one of its sub-criteria")]
    function = found.value_function
    if function is None:
        message = (
            f"{label} is scored on a scale, not measured: give it a value_function whose "
            f"unit is {need} to score it by {measure} (docs/appraisal.md)"
        )
        return 1.0, "", [Problem(path, message)]
    factor = unit_factor(measure, function.unit)
    if factor is None:
        message = f"{label} has a value function in '{function.unit}', but {measure} is in {need}"
        return 1.0, "", [Problem((*path, "value_function", "unit"), message)]
    return factor, function.unit, []


def _links(loaded: LoadedProgramme) -> tuple[dict[str, str], dict[str, int]]:
    """Return option → flow scenario, and each option's index in ``finance.options``."""
    finance = loaded.programme.finance
    links: dict[str, str] = {}
    index: dict[str, int] = {}
    for i, o in enumerate(finance.options if finance else []):
        if o.flow_scenario:
            links[o.option] = o.flow_scenario
            index[o.option] = i
    return links, index


def _with_scores(
    programme: Programme, criterion: str, panel: str | None, new: list[Score]
) -> list[Score]:
    """Return the programme's scores with the panel's scores on the criterion replaced."""
    fresh = {s.option: s for s in new}
    out: list[Score] = []
    for s in programme.scores:
        same = s.criterion == criterion and s.panel == panel and s.member is None
        out.append(fresh.pop(s.option) if same and s.option in fresh else s)
    return out + list(fresh.values())


def _score(m: MeasuredScore, criterion: str, panel: str | None, rationale: str) -> Score:
    """Return the score of one measured figure: a point when its interval has no width."""
    places = 2 if m.measure in COSTED else 4
    mean, low, high = (round(x, places) for x in (m.mean, m.low, m.high))
    if low == high:
        return Score(
            option=m.option, criterion=criterion, panel=panel, value=mean, rationale=rationale
        )
    return Score(
        option=m.option,
        criterion=criterion,
        panel=panel,
        value=mean,
        low=min(low, mean),
        high=max(high, mean),
        rationale=rationale,
    )


def _placed(loaded: LoadedProgramme, problems: list[Problem]) -> InvalidInput:
    """Return the problems, those of programme.yaml located by line, options at the command line."""
    return InvalidInput(
        [
            Problem(p.path, p.message, "command line")
            if p.path[:1] and str(p.path[0]).startswith("--")
            else loaded.source.place([p])[0]
            for p in problems
        ]
    )


@app.command("scores")
@handles_user_errors
def scores(
    path: FolderArg,
    criterion: Annotated[str, typer.Option(help="The measured criterion to score.")],
    measure: Annotated[str, typer.Option(help=f"The flow figure: {', '.join(MEASURES)}.")],
    panel: Annotated[
        str | None, typer.Option(help="The panel whose scores these are (default: none).")
    ] = None,
    replications: Annotated[
        int | None, typer.Option(min=2, help="Replications per scenario (default: flow.yaml).")
    ] = None,
    seed: Annotated[int | None, typer.Option(min=0, help="Seed (default: from flow.yaml).")] = None,
    write: Annotated[bool, typer.Option(help="Write the scores into scores.csv.")] = False,
) -> None:
    """Score a measured criterion by each option's flow scenario (mean and 95% interval).

    Everything is checked before the scenarios run; a problem gives located errors, exit 2 and
    nothing written.
    """
    loaded = load_programme(path)
    programme = loaded.programme
    factor, unit, problems = _criterion_problems(programme, criterion, measure)
    if panel is not None and panel not in {p.id for p in programme.panels}:
        panels = ", ".join(p.id for p in programme.panels) or "none"
        problems.append(Problem(("--panel",), f"no panel '{panel}' (panels: {panels})"))
    links, index = _links(loaded)
    if not links:
        problems.append(Problem(("finance", "options"), "no option names a flow_scenario"))
    if problems:
        raise _placed(loaded, problems)
    if not (path / FLOW_FILE).exists():
        raise InvalidInput([Problem((), f"no {FLOW_FILE} beside the programme", str(path))])
    model = load_flow_model(path)
    known = set(scenario_ids(model))
    problems = [
        Problem(
            ("finance", "options", index[option], "flow_scenario"),
            f"{FLOW_FILE} has no scenario '{sid}' (it has: {', '.join(sorted(known))})",
        )
        for option, sid in links.items()
        if sid not in known
    ]
    if problems:
        raise _placed(loaded, problems)
    if measure in COSTED and model.costs is None:
        message = f"the flow model has no costs section, so {measure} cannot be measured"
        raise InvalidInput([Problem(("costs",), message, str(flow_file_path(path)))])
    if model.illustrative:
        console.print("[bold yellow]ILLUSTRATIVE MODEL[/]: " + escape(model.note or ""))
    try:
        result = run_model(
            model,
            scenarios=sorted(set(links.values())),
            replications=replications,
            seed=seed,
        )
    except InvalidInput as error:
        raise _at_flow_file(error, path) from None
    for warning in result.warnings:
        console.print("[yellow]warning:[/] " + escape(warning))
    measured = measured_scores(result, links, measure, factor)
    decimals = 3 if measure in SHARE_MEASURES and factor == 1.0 else 0 if measure in COSTED else 1
    names = {o.id: o.name for o in programme.options}
    table = Table(
        title=f"{criterion} measured by {measure} in '{unit}' "
        f"({result.replications} replications, seed {result.seed}; mean [95% interval])"
    )
    for col in ("option", "flow scenario", "measured"):
        table.add_column(col)
    for m in measured:
        table.add_row(
            escape(names.get(m.option, m.option)),
            escape(m.scenario),
            f"{_fmt(m.mean, decimals)} [{_fmt(m.low, decimals)}, {_fmt(m.high, decimals)}]",
        )
    console.print(table)
    scored = {m.option for m in measured}
    missing = [o.id for o in programme.options if o.id not in scored]
    if missing:
        console.print(
            "not scored (no flow_scenario, or no figure): "
            + escape(", ".join(missing))
            + f"; any scores they have on {criterion} are kept, and read in '{escape(unit)}'",
            soft_wrap=True,
        )
    if not write:
        return
    tag = "; illustrative model" if model.illustrative else ""
    new = [
        _score(
            m,
            criterion,
            panel,
            f"measured: {measure} of flow scenario '{m.scenario}', mean and 95% interval over "
            f"{result.replications} replications, seed {result.seed}{tag}",
        )
        for m in measured
    ]
    text = scores_text(_with_scores(programme, criterion, panel, new))
    yaml_path = path / PROGRAMME_FILE
    target = path / SCORES_FILE
    # The whole programme is checked with the new scores before anything is written.
    programme_from_bytes(yaml_path.read_bytes(), str(yaml_path), text.encode(), str(target))
    write_file(target, text.encode())
    plural = "" if len(new) == 1 else "s"
    console.print(f"wrote {len(new)} score{plural} for {criterion} to {target}")
