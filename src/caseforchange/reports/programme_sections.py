"""Report sections that depend only on the programme: the case, options, criteria, engagement."""

from __future__ import annotations

import datetime as dt

from caseforchange.catalogue.forms import forms
from caseforchange.domain.criteria import Criterion
from caseforchange.domain.engagement import format_date
from caseforchange.domain.programme import Programme
from caseforchange.reports import charts
from caseforchange.reports.blocks import Block, Bullets, Cell, Paragraph, Section, Table


def _org_names(p: Programme) -> dict[str, str]:
    return {o.id: o.name for o in p.organisations}


def services_table(p: Programme) -> Table:
    """Return the services in scope with budgets, staff and a total row."""
    names = _org_names(p)
    rows: list[list[Cell]] = [
        [
            s.name,
            s.client_group.value,
            s.tier.value,
            s.budget_gbp,
            s.staff_wte,
            names.get(s.current_provider, s.current_provider)
            if s.current_provider
            else "none yet (new function)",
        ]
        for s in p.services
    ]
    budgets = [s.budget_gbp for s in p.services if s.budget_gbp is not None]
    wte = [s.staff_wte for s in p.services if s.staff_wte is not None]
    rows.append(
        ["Total", None, None, sum(budgets) if budgets else None, sum(wte) if wte else None, None]
    )
    return Table(
        "Services in scope",
        ["service", "client group", "tier", "annual budget", "staff (WTE)", "current provider"],
        rows,
        ["text", "text", "text", "gbp", "dec1", "text"],
        sheet="Services",
    )


def case_for_change(p: Programme) -> Section:
    """Return the section on scope, services and the system the commissioner wants."""
    blocks: list[Block] = [Paragraph(p.scope)]
    if p.characteristics:
        blocks.append(Paragraph("The commissioner wants a care system with these characteristics:"))
        blocks.append(Bullets(list(p.characteristics)))
    if p.services:
        blocks.append(services_table(p))
    if p.dependencies:
        service_names = {s.id: s.name for s in p.services}
        blocks.append(
            Table(
                "How services depend on each other",
                ["rule", "services", "reason"],
                [
                    [
                        r.kind.value.replace("_", " "),
                        ", ".join(service_names.get(s, s) for s in r.services),
                        r.reason,
                    ]
                    for r in p.dependencies
                ],
                sheet="Dependencies",
            )
        )
    return Section("case", "The case for change", blocks)


def options_long_list(p: Programme) -> Table:
    """Return the long list of options with the properties of each organisational form."""
    catalogue = forms()
    names = _org_names(p)
    rows: list[list[Cell]] = []
    for option in p.options:
        form = catalogue.get(option.form)
        rows.append(
            [
                option.name,
                form.name if form else option.form,
                names.get(option.provider or "", option.provider or "—"),
                form.inside_nhs.value if form else None,
                form.nhs_pension.value if form else None,
                form.surplus_retention if form else None,
                form.regulator if form else None,
            ]
        )
    return Table(
        "The long list of options and the properties of each organisational form",
        [
            "option",
            "organisational form",
            "provider",
            "inside the NHS",
            "NHS pension",
            "surpluses",
            "regulator",
        ],
        rows,
        sheet="Options",
    )


def criteria_rows(
    criteria: list[Criterion],
    local: dict[str, float],
    global_: dict[str, float],
    depth: int = 0,
) -> list[list[Cell]]:
    """Return one row per criterion (name indented by depth): id, kind, local and global weight."""
    rows: list[list[Cell]] = []
    for c in criteria:
        if c.hurdle:
            kind = "hurdle (pass/fail)"
        elif c.children:
            kind = "group"
        else:
            kind = c.scale or (c.value_function.unit if c.value_function else "measured")
        rows.append(["    " * depth + c.name, c.id, kind, local.get(c.id), global_.get(c.id)])
        rows += criteria_rows(c.children, local, global_, depth + 1)
    return rows


def engagement(p: Programme) -> Section:
    """Return the engagement section: a timeline chart, the activities and who was engaged."""
    blocks: list[Block] = []
    dated = [a for a in p.activities if a.date is not None]
    undated = [a for a in p.activities if a.date is None]
    if dated:
        items = [(a.title, a.kind.value, a.date, a.end_date) for a in dated if a.date is not None]
        milestones = [(m.name, m.date) for m in p.milestones if m.date is not None]
        blocks.append(charts.timeline("Engagement activities and milestones", items, milestones))
    groups = {g.id: g.name for g in p.stakeholders}
    if p.activities:
        blocks.append(
            Table(
                "Engagement activities",
                ["date", "kind", "activity", "venue", "audience", "capacity"],
                [
                    [
                        (
                            format_date(a.date, a.date_precision, short=True)
                            + (f" – {a.end_date:%d %b %Y}" if a.end_date else "")
                        )
                        if a.date
                        else "not dated",
                        a.kind.value.replace("_", " "),
                        a.title
                        + (
                            f" ({a.start_time:%H:%M}–{a.end_time:%H:%M})"
                            if a.start_time and a.end_time
                            else ""
                        ),
                        a.venue,
                        ", ".join(groups.get(g, g) for g in a.audience),
                        a.capacity,
                    ]
                    for a in [*sorted(dated, key=lambda a: a.date or dt.date.min), *undated]
                ],
                ["text", "text", "text", "text", "text", "int"],
                sheet="Activities",
            )
        )
    if p.stakeholders:
        blocks.append(
            Table(
                "Who was engaged",
                ["stakeholder group", "interest (1-5)", "influence (1-5)"],
                [[g.name, g.interest, g.influence] for g in p.stakeholders],
                ["text", "int", "int"],
                sheet="Stakeholders",
            )
        )
    if p.milestones:
        blocks.append(
            Table(
                "Milestones",
                ["date", "milestone"],
                [
                    [
                        format_date(m.date, m.date_precision, short=True)
                        if m.date
                        else "not dated",
                        m.name + (" (passed)" if m.achieved else ""),
                    ]
                    for m in p.milestones
                ],
                sheet="Milestones",
            )
        )
    if not blocks:
        blocks.append(Paragraph("No engagement activities are recorded for this programme."))
    return Section("engagement", "Engagement", blocks)
