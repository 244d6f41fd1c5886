"""Rich tables that summarise a programme for the terminal."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, Group, RenderableType
from rich.panel import Panel as RichPanel
from rich.table import Table
from rich.tree import Tree

from caseforchange.catalogue.forms import forms
from caseforchange.cli.errors import plain
from caseforchange.domain.criteria import Criterion
from caseforchange.domain.engagement import format_date
from caseforchange.domain.programme import Programme


def _money(value: float | None) -> str:
    return "—" if value is None else f"£{value:,.0f}"


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def _table(title: str, columns: Iterable[str], rows: Iterable[Iterable[str]]) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        # Every cell is user text: shown as written, never as markup or escape sequences.
        table.add_row(*(plain(cell) for cell in row))
    return table


def _criterion_label(criterion: Criterion, default_weight: str) -> str:
    weight = default_weight if criterion.weight is None else f"{criterion.weight:g}"
    if criterion.hurdle:
        return f"[bold]{plain(criterion.name)}[/] ({plain(criterion.id)}) — hurdle, pass/fail"
    scale = criterion.scale or (criterion.value_function.unit if criterion.value_function else "")
    detail = f"weight {weight}" + (f", scale {scale}" if scale else "")
    return f"{plain(criterion.name)} ({plain(criterion.id)}) — {plain(detail)}"


def _add_criteria(tree: Tree, criteria: list[Criterion]) -> None:
    for criterion in criteria:
        branch = tree.add(_criterion_label(criterion, "equal"), highlight=False)
        _add_criteria(branch, criterion.children)


def summary(programme: Programme) -> Group:
    """Return a renderable summary of a programme: every table a reader needs at a glance."""
    p = programme
    org_names = {o.id: o.name for o in p.organisations}
    catalogue = forms()
    parts: list[RenderableType] = []
    commissioner = org_names.get(p.commissioner, p.commissioner)
    head = f"[bold]{plain(p.title)}[/]\n{plain(p.scope)}\nCommissioner: {plain(commissioner)}"
    if p.decision_date:
        head += f"   Decision date: {format_date(p.decision_date, p.decision_date_precision)}"
    if p.decision:
        head += f"\nDecision sought from {p.decision_body or 'the Board'}: {p.decision}"
    if p.provenance.illustrative:
        head += f"\n[bold yellow]ILLUSTRATIVE DATA[/]: {plain(p.provenance.note)}"
    parts.append(RichPanel(head, title=plain(p.id), title_align="left"))
    parts.append(
        _table(
            "Organisations",
            ["id", "name", "kind", "ODS"],
            ((o.id, o.name, o.kind.value, o.ods_code or "") for o in p.organisations),
        )
    )
    services = _table(
        "Services",
        ["id", "name", "client group", "tier", "budget", "WTE", "current provider"],
        (
            (
                s.id,
                s.name,
                s.client_group.value,
                s.tier.value,
                _money(s.budget_gbp),
                _num(s.staff_wte),
                org_names.get(s.current_provider, s.current_provider)
                if s.current_provider
                else "none yet (new)",
            )
            for s in p.services
        ),
    )
    budgets = [s.budget_gbp for s in p.services if s.budget_gbp is not None]
    wte = [s.staff_wte for s in p.services if s.staff_wte is not None]
    if budgets or wte:
        services.add_section()
        services.add_row("", "Total", "", "", _money(sum(budgets)), _num(sum(wte)), "")
    parts.append(services)
    parts.append(
        _table(
            "Options",
            ["id", "name", "organisational form", "provider", "flags"],
            (
                (
                    o.id,
                    o.name,
                    catalogue[o.form].name if o.form in catalogue else o.form,
                    org_names.get(o.provider or "", o.provider or "—"),
                    ", ".join(
                        f
                        for f, on in (
                            ("business as usual", o.business_as_usual),
                            ("do minimum", o.do_minimum),
                            ("configuration", o.configuration is not None),
                        )
                        if on
                    ),
                )
                for o in p.options
            ),
        )
    )
    fw = p.framework
    tree = Tree(f"[bold]Criteria[/]: {plain(fw.name)} — weighting: {fw.weighting.method.value}")
    _add_criteria(tree, fw.criteria)
    parts.append(tree)
    parts.append(
        _table(
            "Panels",
            ["id", "name", "weight", "members", "scores"],
            (
                (
                    x.id,
                    x.name,
                    f"{x.weight:g}",
                    str(len(x.members)),
                    str(sum(1 for s in p.scores if s.panel == x.id)),
                )
                for x in p.panels
            ),
        )
    )
    parts.append(
        _table(
            "Engagement activities",
            ["date", "kind", "title", "venue"],
            (
                (
                    _dates(a.date, a.end_date),
                    a.kind.value.replace("_", " "),
                    a.title,
                    a.venue or "",
                )
                for a in sorted(p.activities, key=lambda a: (a.date is None, a.date))
            ),
        )
    )
    parts.append(
        _table(
            "Milestones",
            ["date", "milestone"],
            (
                (
                    format_date(m.date, m.date_precision, short=True) if m.date else "—",
                    m.name + (" (passed)" if m.achieved else ""),
                )
                for m in p.milestones
            ),
        )
    )
    return Group(*parts)


def _dates(start: object, end: object) -> str:
    if start is None:
        return "—"
    return f"{start} – {end}" if end else str(start)


def print_summary(programme: Programme, console: Console) -> None:
    """Print the summary of ``programme`` to ``console``."""
    console.print(summary(programme))
