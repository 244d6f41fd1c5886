"""Assemble the case-for-change report model from a programme and its appraisal."""

from __future__ import annotations

import datetime as dt

from caseforchange import __version__
from caseforchange.appraisal.result import AppraisalResult
from caseforchange.catalogue.forms import forms
from caseforchange.configuration.rules import check_all
from caseforchange.domain.consultation import Engagement
from caseforchange.domain.engagement import DatePrecision, format_date
from caseforchange.domain.programme import Programme
from caseforchange.io.folder import LoadedProgramme
from caseforchange.io.scores_csv import COLUMNS as SCORE_COLUMNS
from caseforchange.reports import appraisal_sections as appraisal
from caseforchange.reports import programme_sections as inputs
from caseforchange.reports.blocks import Block, Bullets, Cell, Paragraph, Report, Section, Table
from caseforchange.reports.decision_sections import decision_sections


def purpose(programme: Programme) -> Section:
    """Return the purpose of the paper: who it goes to and what it asks them to decide."""
    body = programme.decision_body or "the Board"
    asked = programme.decision or (
        f"to decide who should provide the services in scope of '{programme.title}'"
    )
    when = ""
    if programme.decision_date:
        day = programme.decision_date_precision is DatePrecision.DAY
        date = format_date(programme.decision_date, programme.decision_date_precision)
        when = f" {'by' if day else 'in'} {date}"
    return Section(
        "purpose",
        "Purpose",
        [
            Paragraph(
                f"This paper asks {body} {asked}{when}, on the evidence of an options "
                "appraisal, the engagement with staff, patients and partners, and an analysis "
                "of how sure the appraisal can be."
            )
        ],
    )


def options_section(
    programme: Programme, result: AppraisalResult, names: appraisal.Names
) -> Section:
    """Return the options section: the long list, short-listing, and dependency-rule breaches."""
    blocks: list[Block] = [inputs.options_long_list(programme)]
    blocks += appraisal.shortlisting(result, names)
    breaches = check_all(programme)
    rows: list[list[Cell]] = [
        [
            names.option(b.option),
            b.kind.value.replace("_", " "),
            "yes" if b.hard else "no",
            b.detail,
            b.reason,
        ]
        for found in breaches.values()
        for b in found
    ]
    if rows:
        blocks.append(
            Table(
                "Service dependencies each option would break",
                ["option", "rule", "hard rule", "what happens", "why the rule exists"],
                rows,
                sheet="Dependencies broken",
            )
        )
    return Section("options", "Options", blocks)


def risks(programme: Programme, result: AppraisalResult, names: appraisal.Names) -> Section:
    """Return the risks the analysis itself can see: weak evidence, breaches, form uncertainty."""
    items: list[str] = []
    top = result.ranking[0]
    smaa = result.smaa
    share = float(smaa.rank_acceptability[smaa.options.index(top), 0])
    if share < 0.7:
        items.append(
            f"The lead of {names.option(top)} is not robust to the weights: it ranks first in "
            f"only {100 * share:.0f}% of weight samples."
        )
    for breach in check_all(programme).get(top, []):
        items.append(
            f"{names.option(top)} {breach.detail}"
            f" ({breach.kind.value.replace('_', ' ')}): {breach.reason}."
        )
    option = next(o for o in programme.options if o.id == top)
    form = forms().get(option.form)
    if form is not None:
        items += [f"Organisational form ({form.name}) — uncertain: {u}." for u in form.uncertain]
    if programme.provenance.illustrative:
        items.append(
            "The scores are illustrative: the ranking must be redone with the panels' real scores."
        )
    items += result.warnings
    blocks: list[Block] = (
        [Bullets(items)] if items else [Paragraph("The analysis found no specific risks.")]
    )
    return Section("risks", "Risks", blocks)


def finance(programme: Programme) -> Section:
    """Return the financial implications that follow from the recorded budgets and staff."""
    budgets = [s.budget_gbp for s in programme.services if s.budget_gbp is not None]
    wte = [s.staff_wte for s in programme.services if s.staff_wte is not None]
    blocks: list[Block] = []
    if budgets:
        total = sum(budgets)
        blocks.append(
            Paragraph(
                f"The services in scope have a combined annual budget of £{total:,.0f}"
                + (f" and {sum(wte):,.1f} whole-time-equivalent staff" if wte else "")
                + (" (illustrative figures)." if programme.provenance.illustrative else ".")
            )
        )
        # The competition panel's test is on the merging bodies' combined turnover and from
        # January 2009 only: reports/decision_sections.py applies it, not the budget here.
    else:
        blocks.append(Paragraph("No budgets are recorded for the services in scope."))
    return Section("finance", "Financial implications", blocks)


def equality(programme: Programme) -> Section:
    """Return what the record shows on equality and quality impact, and what it does not."""
    groups = ", ".join(g.name for g in programme.stakeholders) or "none recorded"
    return Section(
        "equality",
        "Equality and quality impact",
        [
            Paragraph(
                "This appraisal does not itself assess equality or quality impact. The Board "
                "should see an equality impact assessment and a quality impact assessment of the "
                "preferred option before it decides."
            ),
            Paragraph(f"Stakeholder groups engaged: {groups}."),
        ],
    )


def next_steps(programme: Programme) -> Section:
    """Return the milestones still to come (not achieved, not before the decision) as next steps."""
    after = programme.decision_date
    steps = [
        f"{format_date(m.date, m.date_precision)}: {m.name}"
        if m.date
        else f"(date to be set): {m.name}"
        for m in programme.milestones
        if not m.achieved and (after is None or m.date is None or m.date >= after)
    ]
    blocks: list[Block] = (
        [Bullets(steps)] if steps else [Paragraph("No later milestones are recorded.")]
    )
    return Section("next", "Next steps", blocks)


def appendix(loaded: LoadedProgramme, result: AppraisalResult, generated: dt.date) -> Section:
    """Return the appendix: every input table and the provenance of the figures."""
    p = loaded.programme
    blocks: list[Block] = [
        Table(
            "Organisations",
            ["id", "name", "kind", "ODS code"],
            [[o.id, o.name, o.kind.value, o.ods_code] for o in p.organisations],
            sheet="Organisations",
        ),
        Table(
            "Panels and members",
            ["panel", "weight", "member", "organisation", "role"],
            [
                [x.name, x.weight, m.name, m.organisation, m.role]
                for x in p.panels
                for m in x.members
            ]
            + [[x.name, x.weight, None, None, None] for x in p.panels if not x.members],
            ["text", "dec2", "text", "text", "text"],
            sheet="Panels",
        ),
        Table(
            "Every score as entered",
            list(SCORE_COLUMNS),
            [
                [
                    s.option,
                    s.criterion,
                    s.panel,
                    s.member,
                    s.value,
                    s.low,
                    s.high,
                    s.distribution.value if s.distribution else None,
                    s.rationale,
                ]
                for s in p.scores
            ],
            ["text", "text", "text", "text", "dec2", "dec2", "dec2", "text", "text"],
            sheet="Scores",
        ),
    ]
    provenance = provenance_items(loaded, result, generated)
    blocks.append(
        Table(
            "Provenance",
            ["item", "value"],
            [[k, v] for k, v in provenance.items()],
            sheet="Inputs provenance",
        )
    )
    return Section("appendix", "Appendix: inputs and provenance", blocks)


def provenance_items(
    loaded: LoadedProgramme, result: AppraisalResult, generated: dt.date
) -> dict[str, str]:
    """Return the provenance of the report: input hashes, version, seed, samples, date."""
    items = {
        "programme": loaded.programme.id,
        "package version": f"caseforchange {__version__}",
        "generated on": generated.isoformat(),
        "SMAA seed": str(result.smaa.seed),
        "SMAA samples": f"{result.smaa.samples:,}",
        "illustrative data": "yes" if loaded.programme.provenance.illustrative else "no",
    }
    for name, digest in sorted(loaded.file_hashes.items()):
        items[f"SHA-256 of {name}"] = digest
    return items


def build_report(
    loaded: LoadedProgramme,
    result: AppraisalResult,
    generated: dt.date | None = None,
    flow: Section | None = None,
    engagement: Engagement | None = None,
) -> Report:
    """Return the report model for a programme, its appraisal and, if any, its flow section.

    The decision file's sections follow the finance section; ``engagement`` lets assurance
    items that depend on the engagement record be decided.
    """
    p = loaded.programme
    day = generated or dt.date.today()
    names = appraisal.Names(p, result)
    sections = [
        purpose(p),
        appraisal.summary(p, result, names),
        inputs.case_for_change(p),
        options_section(p, result, names),
        appraisal.criteria_table(p, result),
        appraisal.scores(p, result, names),
        appraisal.results(p, result, names),
        appraisal.uncertainty(result, names),
        *([flow] if flow is not None else []),
        inputs.engagement(p),
        risks(p, result, names),
        finance(p),
        *([] if p.equality is not None else [equality(p)]),
        *decision_sections(p, result, engagement),
        next_steps(p),
        appendix(loaded, result, day),
    ]
    commissioner = next((o.name for o in p.organisations if o.id == p.commissioner), p.commissioner)
    return Report(
        title=p.title,
        subtitle=f"Case for change and options appraisal — {commissioner}",
        programme_id=p.id,
        illustrative_note=p.provenance.note if p.provenance.illustrative else None,
        date=f"{day:%d %B %Y}",
        sections=sections,
        provenance=provenance_items(loaded, result, day),
    )
