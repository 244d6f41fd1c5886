"""Report sections that depend only on the programme: the case, options, criteria, engagement."""

from __future__ import annotations

from caseforchange.catalogue.forms import forms
from caseforchange.domain.criteria import Criterion
from caseforchange.domain.engagement import when_given
from caseforchange.domain.programme import Programme
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


def timetable(p: Programme) -> Section:
    """Return the timetable split into done and to do, relative to the meeting's date."""
    anchor = p.board.first_day() or p.decision_date
    rows = [(m, *when_given(m)) for m in p.milestones]
    blocks: list[Block] = []
    if anchor is None:
        # Without the meeting's date only what the source records as achieved is known done.
        achieved: list[list[Cell]] = [[label, m.name] for m, label, _ in rows if m.achieved]
        rest: list[list[Cell]] = [[label, m.name] for m, label, _ in rows if not m.achieved]
        if achieved:
            blocks.append(Table("Done (recorded as achieved)", ["when", "milestone"], achieved))
        blocks.append(
            Paragraph(
                "The date of the meeting is not recorded, so the "
                + ("other milestones are" if achieved else "timetable is")
                + " not split into what is done and what is to do."
            )
        )
        if rest:
            blocks.append(
                Table(
                    "Not recorded as achieved" if achieved else "Timetable",
                    ["when", "milestone"],
                    rest,
                    sheet="Milestones",
                )
            )
        return Section("timetable", "Timetable", blocks)
    # Undated milestones keep their recorded order, after the last dated one before them.
    done: list[list[Cell]] = []
    todo: list[list[Cell]] = []
    for m, label, day in rows:
        # A milestone the source records as passed is done whatever date it carries.
        if m.achieved or (day is not None and day < anchor):
            done.append([label, m.name])
        else:
            todo.append([label, m.name])
    meeting = p.board.date_label() or f"{anchor.day} {anchor:%B %Y}"
    if done:
        blocks.append(Table(f"Done before the meeting ({meeting})", ["when", "milestone"], done))
    else:
        blocks.append(Paragraph(f"No recorded milestone falls before the meeting ({meeting})."))
    if todo:
        blocks.append(
            Table("To do from the meeting on", ["when", "milestone"], todo, sheet="Milestones")
        )
    else:
        blocks.append(Paragraph("Every recorded milestone falls before the meeting."))
    return Section("timetable", "Timetable: done and to do", blocks)
