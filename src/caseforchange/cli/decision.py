"""``caseforchange decision``: the decision file's parts as tables, JSON and charts."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from caseforchange.appraisal.run import appraise
from caseforchange.catalogue.reference import decision_catalogue
from caseforchange.cli.errors import handles_user_errors
from caseforchange.decision.charts import decision_charts
from caseforchange.decision.finance import FlowCostRow, flow_cost_comparison
from caseforchange.decision.risks import matrix, top_risks
from caseforchange.decision.view import PARTS, DecisionFile, decision_file, part_json
from caseforchange.domain.consultation import Engagement
from caseforchange.domain.equality import CHARACTERISTIC_LABELS, Characteristic
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.io.engagement_file import ENGAGEMENT_FILE, load_engagement
from caseforchange.io.folder import LoadedProgramme
from caseforchange.io.sources import load_any

console = Console(highlight=False)
CHOICES = ("summary", *PARTS)


def write_json_atomic(data: Any, target: Path) -> None:
    """Write ``data`` as JSON to ``target`` through a temporary file renamed into place.

    Raises:
        InvalidInput: when the folder cannot be written.
    """
    text = json.dumps(data, indent=2, allow_nan=False, ensure_ascii=False) + "\n"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}-", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, target)
    except OSError as error:
        raise InvalidInput(
            [Problem(("--json",), f"cannot write: {error.strerror}", str(target))]
        ) from None


def _engagement(loaded: LoadedProgramme) -> Engagement | None:
    if loaded.root.is_dir() and (loaded.root / ENGAGEMENT_FILE).exists():
        return load_engagement(loaded.root).engagement
    return None


def build(loaded: LoadedProgramme, samples: int | None = None) -> tuple[DecisionFile, str | None]:
    """Return the programme's decision file and, if the appraisal could not run, why not.

    The appraisal gives each option's value (for value for money) and the recommendation
    (for the peer picture); without scores the rest of the file is still built.
    """
    p = loaded.programme
    values: dict[str, float] = {}
    recommended = None
    note = None
    try:
        result = appraise(p, samples, file_hashes=loaded.file_hashes)
        values, recommended = dict(result.totals), result.ranking[0]
    except InvalidInput as error:
        note = "; ".join(pr.message for pr in error.problems[:2])
    return decision_file(p, decision_catalogue(), values, recommended, _engagement(loaded)), note


#: Columns that hold numbers: right-aligned, header too, and never wrapped (text columns fold).
NUMERIC_COLUMNS = frozenset(
    {
        "NPC",
        "EAC",
        "one-off",
        "value",
        "WTE",
        "headcount",
        "L×I",
        "residual",
        "met",
        "not met",
        "open",
        "in progress",
        "n/a",
        "share",
        *"12345",
    }
)


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left")
    for name in columns:
        if name in NUMERIC_COLUMNS:
            table.add_column(Text(name, justify="right"), justify="right", no_wrap=True)
        else:
            table.add_column(name, overflow="fold")
    return table


def _gbp(x: float | None) -> str:
    return "—" if x is None else f"£{x:,.0f}"


def _label(d: DecisionFile, part: str) -> str:
    return " [bold yellow](illustrative)[/]" if d.illustrative(part) else ""


def print_finance(d: DecisionFile, out: Console) -> None:
    """Print NPC, EAC, affordability, value for money and the widest cost assumptions."""
    f = d.finance
    if f is None:
        out.print("Finance: not recorded in this programme.")
        return
    names = d.names()
    t = _table(
        f"Finance at {100 * f.rate:.1f}% over {f.years} years from {f.year_labels()[0]}"
        + _label(d, "finance"),
        "option",
        "NPC",
        "EAC",
        "one-off",
        "affordable",
        "short in",
    )
    t.caption = (
        "NPC: net present cost; EAC: equivalent annual cost; one-off: transition costs; "
        "short in: years over the envelope"
    )
    t.caption_justify = "left"
    for c in f.options:
        short = ", ".join(f.year_labels()[y] for y in c.years_short)
        afford = {True: "yes", False: "no", None: "no envelope"}[c.affordable]
        t.add_row(
            names.get(c.option, c.option),
            _gbp(c.npc),
            _gbp(c.eac),
            _gbp(c.totals_by_kind["transition"]),
            afford,
            short or "—",
        )
    out.print(t)
    if d.value_for_money:
        v = _table("Value for money", "option", "value", "NPC", "dominated by")
        for p in d.value_for_money:
            v.add_row(
                names.get(p.option, p.option),
                f"{p.value:.3f}",
                _gbp(p.npc),
                ", ".join(names.get(o, o) for o in p.dominated_by) or "—",
            )
        out.print(v)
    for option, (base, bars) in d.tornados.items():
        b = bars[0]
        out.print(
            f"{names.get(option, option)}: NPC {_gbp(base)}; widest assumption {b.name}: "
            f"{_gbp(b.npc_low)} to {_gbp(b.npc_high)}"
        )


def print_workforce(d: DecisionFile, out: Console) -> None:
    """Print staff moving by option with TUPE and pension access."""
    if not d.workforce:
        out.print("Workforce: not recorded in this programme.")
        return
    names = d.names()
    for s in d.workforce:
        t = _table(
            f"{names.get(s.option, s.option)}: {s.wte:,.1f} WTE, {s.headcount} staff"
            f" (staff-side consultation: {s.staff_consultation.replace('_', ' ')})"
            + _label(d, "workforce"),
            "service",
            "destination",
            "WTE",
            "headcount",
            "TUPE",
            "NHS pension",
            "basis",
        )
        for m in s.moves:
            t.add_row(
                m.move.service,
                names.get(m.move.destination, m.move.destination),
                f"{m.move.wte:,.1f}",
                str(m.move.headcount),
                m.tupe.value.value,
                m.nhs_pension.value.value,
                m.nhs_pension.basis,
            )
        out.print(t)


def print_risks(d: DecisionFile, out: Console) -> None:
    """Print the 5x5 matrix counts and the top risks."""
    if d.programme.risks is None:
        out.print("Risks: no register in this programme.")
        return
    register = [s.risk for s in d.risks]
    grid = matrix(register)
    m = _table(
        f"Risk matrix (count by impact and likelihood){_label(d, 'risks')}",
        "impact \\ likelihood",
        *"12345",
    )
    for i in reversed(range(5)):
        m.add_row(str(i + 1), *[str(n) if n else "·" for n in grid[i]])
    out.print(m)
    t = _table("Top risks", "id", "risk", "option", "L×I", "grade", "residual", "owner")
    for s in top_risks(register):
        t.add_row(
            s.risk.id,
            s.risk.title,
            s.risk.option or "programme",
            str(s.score),
            s.grade,
            str(s.residual or "—"),
            s.risk.owner,
        )
    out.print(t)


def print_equality(d: DecisionFile, out: Console) -> None:
    """Print the impact of each option on each characteristic."""
    eq = d.programme.equality
    if eq is None:
        out.print("Equality: no equality impact assessment in this programme.")
        return
    names = d.names()
    t = _table(
        f"Equality impact{_label(d, 'equality')}",
        "characteristic",
        *[names.get(s.option, s.option) for s in d.equality],
    )
    for c in Characteristic:
        t.add_row(CHARACTERISTIC_LABELS[c], *[s.impacts[c.value] for s in d.equality])
    out.print(t)
    for s in d.equality:
        if s.negative_without_mitigation:
            out.print(
                f"{s.option}: negative impact without mitigation on "
                + ", ".join(s.negative_without_mitigation)
            )
    out.print(
        f"Public sector equality duty: {eq.psed_statement or 'no statement recorded'}",
        soft_wrap=True,
    )


def print_assurance(d: DecisionFile, out: Console) -> None:
    """Print each checklist's counts and the items still open or not met."""
    c = _table(
        f"Assurance readiness{_label(d, 'assurance')}",
        "checklist",
        "met",
        "not met",
        "open",
        "in progress",
        "n/a",
    )
    for cid, n in d.readiness.counts.items():
        c.add_row(
            cid,
            str(n["met"]),
            str(n["not_met"]),
            str(n["open"]),
            str(n["in_progress"]),
            str(n["not_applicable"]),
        )
    out.print(c)
    t = _table("Outstanding items", "checklist", "item", "status", "why")
    for s in d.readiness.outstanding:
        t.add_row(
            s.checklist,
            s.item.text,
            s.status.value.replace("_", " ") + (" (from data)" if s.decided else ""),
            "; ".join(s.reasons) or "—",
        )
    out.print(t)


def print_competition(d: DecisionFile, out: Console) -> None:
    """Print the merger test per option and any vertical-integration flags."""
    names = d.names()
    t = _table(
        f"Co-operation and Competition Panel merger test{_label(d, 'competition')}",
        "option",
        "result",
        "why",
    )
    for m in d.mergers:
        t.add_row(names.get(m.option, m.option), m.status.value.replace("_", " "), m.reason)
    out.print(t)
    for v in d.vertical:
        out.print(
            f"vertical integration — {names.get(v.option, v.option)}: {v.reason}. {v.question}",
            soft_wrap=True,
        )


def print_market(d: DecisionFile, out: Console) -> None:
    """Print the market review of each service line."""
    m = d.programme.market
    if m is None:
        out.print("Market review: not recorded in this programme.")
        return
    t = _table(
        f"Market review{_label(d, 'market')}",
        "service",
        "contestability",
        "route",
        "potential providers",
        "rationale",
    )
    for r in m.reviews:
        t.add_row(
            r.service,
            r.contestability.value,
            r.route.value.replace("_", " "),
            "; ".join(r.potential_providers) or "—",
            r.rationale,
        )
    out.print(t)


def print_peers(d: DecisionFile, out: Console) -> None:
    """Print the survey of provider arms beside the recommendation."""
    peers = decision_catalogue().peers
    t = _table(
        f"{peers.survey_title} ({peers.respondents} provider arms, {peers.survey_date:%B %Y})",
        "intention",
        "share",
    )
    for s in peers.shares:
        t.add_row(s.label, f"{s.percent:g}%")
    t.add_row("other or not reported", f"{d.peers.other_percent:g}%")
    out.print(t)
    if d.recommended:
        share = d.peers.share
        tail = (
            f"{share.label}: {share.percent:g}% of surveyed provider arms"
            if share
            else "not a survey answer"
        )
        out.print(
            f"The appraisal's leading option is {d.names().get(d.recommended, d.recommended)}"
            f" ({tail})."
        )
    for f in peers.facts:
        out.print(f"- {f.title} ({f.date:%B %Y}): {f.summary}", soft_wrap=True)


PRINTERS = {
    "finance": print_finance,
    "workforce": print_workforce,
    "risks": print_risks,
    "equality": print_equality,
    "assurance": print_assurance,
    "competition": print_competition,
    "market": print_market,
    "peers": print_peers,
}


def flow_costs(loaded: LoadedProgramme, replications: int | None) -> list[FlowCostRow]:
    """Run each flow scenario the finance names and return the options' cost comparison.

    Each named scenario of the folder's ``flow.yaml`` is run on its own (with its warm-up) by
    :func:`caseforchange.flow.costs.annual_cost`.

    Raises:
        InvalidInput: no ``flow.yaml`` beside the programme, a scenario it does not have, or a
            flow model without costs; located at the finance field.
    """
    from caseforchange.flow.costs import annual_cost
    from caseforchange.flow.system import scenario_ids
    from caseforchange.io.flow_file import FLOW_FILE, load_flow_model

    finance = loaded.programme.finance
    named = [
        (i, o.flow_scenario)
        for i, o in enumerate(finance.options if finance else [])
        if o.flow_scenario
    ]
    where = str(loaded.root / "programme.yaml") if loaded.root.is_dir() else str(loaded.root)
    if finance is None or not named:
        raise InvalidInput(
            [Problem(("finance", "options"), "no option names a flow_scenario", where)]
        )
    if not (loaded.root.is_dir() and (loaded.root / FLOW_FILE).exists()):
        raise InvalidInput([Problem((), f"no {FLOW_FILE} beside the programme", where)])
    model = load_flow_model(loaded.root)
    known = set(scenario_ids(model))
    unknown = [
        Problem(
            ("finance", "options", i, "flow_scenario"),
            f"{FLOW_FILE} has no scenario '{sid}' (it has: {', '.join(sorted(known))})",
            where,
        )
        for i, sid in named
        if sid not in known
    ]
    if unknown:
        raise InvalidInput(unknown)
    annual: dict[str, tuple[float, float, float]] = {}
    for _, sid in named:
        if sid not in annual:
            cost = annual_cost(model, sid, replications=replications).per_year
            annual[sid] = (cost.mean, cost.low, cost.high)
    return flow_cost_comparison(finance, annual)


def print_flow_costs(d: DecisionFile, rows: list[FlowCostRow], out: Console) -> None:
    """Print each option's simulated cost a year beside its recorded recurrent costs."""
    names = d.names()
    t = _table(
        "Simulated cost a year of each option's flow scenario (95% interval), "
        "against its recorded recurrent costs in the first year",
        "option",
        "flow scenario",
        "simulated a year",
        "95% interval",
        "recorded (year 1)",
        "simulated − recorded",
    )
    for r in rows:
        t.add_row(
            names.get(r.option, r.option),
            r.scenario,
            _gbp(r.simulated),
            f"{_gbp(r.low)} to {_gbp(r.high)}",
            _gbp(r.recorded),
            f"{'-' if r.difference < 0 else ''}{_gbp(abs(r.difference))}",
        )
    out.print(t)
    out.print(
        "The flow model costs only the teams and beds it models (staff hours, contacts, bed-days "
        "and admissions); the recorded costs cover the whole option.",
        soft_wrap=True,
    )


def decision(
    path: Path = typer.Argument(..., help="A programme folder or .xlsx workbook"),
    part: str = typer.Option("summary", "--part", help=f"One of: {', '.join(CHOICES)}"),
    json_out: Path | None = typer.Option(None, "--json", help="Also write the part as JSON"),
    charts_dir: Path | None = typer.Option(None, "--charts", help="Write the charts as SVG here"),
    samples: int | None = typer.Option(None, "--samples", help="SMAA samples for the appraisal"),
    with_flow: bool = typer.Option(
        False, "--flow-costs", help="Run the flow scenarios the finance names and compare costs"
    ),
    flow_replications: int | None = typer.Option(
        None, "--flow-replications", help="Replications of each flow scenario (default: flow.yaml)"
    ),
) -> None:
    """Summarise the decision file, or one part of it.

    The parts are finance, workforce, risks, equality, assurance, competition, market and peers;
    a bad programme gives located errors and exit 2.
    """
    if part not in CHOICES:
        raise InvalidInput(
            [Problem(("--part",), f"unknown part '{part}' (use one of: {', '.join(CHOICES)})")]
        )
    loaded = load_any(path)
    # The flow scenarios are checked (and run) before anything is printed.
    cost_rows = flow_costs(loaded, flow_replications) if with_flow else []
    d, note = build(loaded, samples)
    if d.programme.provenance.illustrative:
        console.print(
            f"[bold yellow]Illustrative data[/]: {d.programme.provenance.note}", soft_wrap=True
        )
    if note:
        console.print(
            f"value for money left out: the appraisal cannot run ({note})", soft_wrap=True
        )
    chosen = PARTS if part == "summary" else (part,)
    for name in chosen:
        PRINTERS[name](d, console)
    if with_flow:
        print_flow_costs(d, cost_rows, console)
    if json_out is not None:
        write_json_atomic(part_json(d, part, decision_catalogue()), json_out)
        console.print(f"wrote {json_out}")
    if charts_dir is not None:
        charts_dir.mkdir(parents=True, exist_ok=True)
        for stem, chart in decision_charts(d).items():
            target = charts_dir / f"{stem}.svg"
            target.write_text(chart.svg, encoding="utf-8")
            console.print(f"wrote {target}")


def register(app: typer.Typer) -> None:
    """Add the ``decision`` command to the command line."""
    app.command("decision")(handles_user_errors(decision))
