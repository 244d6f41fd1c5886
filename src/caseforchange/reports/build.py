"""Assemble the Board paper (the case for change) in the one report model.

The paper has three parts: a front sheet (what the Board is asked to do and why), a main body
of at most twelve A4 pages, and appendices that hold the detail.
"""

from __future__ import annotations

from caseforchange import __version__
from caseforchange.appraisal.result import AppraisalResult
from caseforchange.catalogue.forms import forms
from caseforchange.configuration.rules import check_all
from caseforchange.domain.engagement import DatePrecision, format_date
from caseforchange.domain.programme import Programme
from caseforchange.io.engagement_file import LoadedEngagement
from caseforchange.io.folder import LoadedProgramme
from caseforchange.reports import appraisal_sections as appraisal
from caseforchange.reports import programme_sections as inputs
from caseforchange.reports.blocks import (
    Block,
    Bullets,
    Cell,
    Paragraph,
    Report,
    ScoreModel,
    Section,
    Table,
    plural,
)
from caseforchange.reports.decision_sections import decision_appendix, decision_view
from caseforchange.reports.decision_summary import decision_summaries
from caseforchange.reports.evidence import engagement_appendix, evidence_section
from caseforchange.reports.front_sheet import front_sheet


def case_section(programme: Programme) -> Section:
    """Return the background and case for change: the decision, scope, services, dependencies."""
    body = programme.decision_body or "the Board"
    asked = programme.decision or (
        f"to decide who should provide the services in scope of '{programme.title}'"
    )
    when = ""
    if programme.decision_date:
        day = programme.decision_date_precision is DatePrecision.DAY
        date = format_date(programme.decision_date, programme.decision_date_precision)
        when = f" {'by' if day else 'in'} {date}"
    blocks: list[Block] = [
        Paragraph(
            f"This paper asks {body} {asked}{when}, on the evidence of an options appraisal, the "
            "engagement with staff, patients and partners, and an analysis of how sure the "
            "appraisal can be."
        )
    ]
    blocks += inputs.case_for_change(programme).blocks
    return Section("case", "Background and the case for change", blocks)


def options_section(
    programme: Programme, result: AppraisalResult, names: appraisal.Names
) -> Section:
    """Return the options from long list to short list, and the dependency rules they break."""
    blocks: list[Block] = [inputs.options_long_list(programme)]
    blocks += appraisal.shortlisting(result, names)
    rows: list[list[Cell]] = [
        [
            names.option(b.option),
            b.kind.value.replace("_", " "),
            "yes" if b.hard else "no",
            b.detail,
        ]
        for found in check_all(programme).values()
        for b in found
    ]
    if rows:
        blocks.append(
            Table(
                # Why each rule exists is said once, in the case's table of dependencies.
                "Service dependencies each option would break (why each rule exists: the table"
                " of how services depend on each other, in the case for change)",
                ["option", "rule", "hard rule", "what happens"],
                rows,
                sheet="Dependencies broken",
            )
        )
    return Section("options", "Options: from the long list to the short list", blocks)


def analysis_risks(
    programme: Programme, result: AppraisalResult, names: appraisal.Names
) -> list[str]:
    """Return the risks the appraisal itself sees: a weak lead, broken rules, form uncertainty.

    Each is a sentence for the risks summary; the illustrative scores are stated once, on the
    front sheet.
    """
    items: list[str] = []
    top = result.ranking[0]
    smaa = result.smaa
    share = float(smaa.rank_acceptability[smaa.options.index(top), 0])
    if share < 0.7:
        items.append(
            f"The lead of {names.option(top)} is not robust to the weights: it ranks first in "
            f"only {100 * share:.0f}% of weight samples."
        )
    breaches = check_all(programme).get(top, [])
    if breaches:
        # The front sheet states each breach; here, once, what it means for the risk.
        hard = sum(1 for b in breaches if b.hard)
        items.append(
            f"{names.option(top)} breaks {plural(len(breaches), 'service dependency rule')}"
            f" ({hard} of them hard rules): each is listed on the front sheet, with why the rule"
            " exists, and in the options section."
        )
    option = next(o for o in programme.options if o.id == top)
    form = forms().get(option.form)
    if form is not None:
        items += [f"Organisational form ({form.name}) — uncertain: {u}." for u in form.uncertain]
    return items


def inputs_appendix(loaded: LoadedProgramme, provenance: dict[str, str]) -> Section:
    """Return the appendix of inputs and provenance: organisations, panels, hashes and seeds."""
    p = loaded.programme
    blocks: list[Block] = [
        Table(
            "Organisations",
            ["name", "kind", "ODS code"],
            [[o.name, o.kind.value.replace("_", " "), o.ods_code] for o in p.organisations],
            sheet="Organisations",
        ),
        Table(
            "Panels and members",
            ["panel", "weight", "member", "role"],
            [[x.name, x.weight, m.name, m.role] for x in p.panels for m in x.members]
            + [[x.name, x.weight, None, None] for x in p.panels if not x.members],
            ["text", "dec2", "text", "text"],
            sheet="Panels",
        ),
        Table(
            "Provenance: where every figure comes from",
            ["item", "value"],
            [[k, v] for k, v in provenance.items()],
            sheet="Provenance",
            wide=True,
        ),
    ]
    if p.provenance.sources:
        blocks.append(Bullets(list(p.provenance.sources), lead="Source documents:"))
    return Section("provenance", "Inputs and provenance", blocks, part="appendix")


def provenance_items(loaded: LoadedProgramme, result: AppraisalResult) -> dict[str, str]:
    """Return the provenance of the paper: input hashes, version, seed, samples."""
    items = {
        "programme": loaded.programme.id,
        "made by": f"caseforchange {__version__}",
        "SMAA seed": str(result.smaa.seed),
        "SMAA samples": f"{result.smaa.samples:,}",
        "illustrative data": "yes" if loaded.programme.provenance.illustrative else "no",
    }
    for name, digest in sorted(loaded.file_hashes.items()):
        items[f"SHA-256 of {name}"] = digest
    return items


def _paper_for(programme: Programme) -> str:
    """Return what the paper asks of the meeting: decision, endorsement or noting."""
    verbs = {r.verb.value for r in programme.board.resolutions}
    if not verbs or "approve" in verbs:
        return "decision"
    return "endorsement" if "endorse" in verbs else "noting"


def meeting_meta(programme: Programme) -> list[tuple[str, str]]:
    """Return the labelled facts at the top of the front sheet: meeting, date, author."""
    board = programme.board
    commissioner = next(
        (o.name for o in programme.organisations if o.id == programme.commissioner),
        programme.commissioner,
    )
    return [
        ("Meeting", board.meeting or "not recorded"),
        ("Date of meeting", board.date_label() or "not recorded"),
        ("Author", board.author or "not recorded"),
        ("From", commissioner),
        ("Paper for", _paper_for(programme)),
    ]


def build_report(
    loaded: LoadedProgramme,
    result: AppraisalResult,
    flow: Section | None = None,
    engaged: LoadedEngagement | None = None,
) -> Report:
    """Return the Board paper for a programme, its appraisal, its flow model and engagement.

    The paper is dated by its meeting (never by the day it is made); ``engaged`` lets assurance
    items that depend on the engagement record be decided, and brings its evidence.
    """
    p = loaded.programme
    names = appraisal.Names(p, result)
    provenance = provenance_items(loaded, result)
    engagement = engaged.engagement if engaged else None
    decision = decision_view(p, result, engagement)
    sections = [
        *front_sheet(p, result, names, engagement),
        case_section(p),
        options_section(p, result, names),
        appraisal.appraisal_section(p, result, names),
        *decision_summaries(decision, analysis_risks(p, result, names)),
        evidence_section(p, engaged),
        inputs.timetable(p),
        appraisal.scores_appendix(p, result, names),
        appraisal.uncertainty_appendix(p, result, names),
        *decision_appendix(decision),
    ]
    if flow is not None:
        flow.part = "appendix"
        sections.append(flow)
    sections += [engagement_appendix(p), inputs_appendix(loaded, provenance)]
    return Report(
        title=p.title,
        subtitle="Case for change and options appraisal",
        programme_id=p.id,
        illustrative_note=p.provenance.note if p.provenance.illustrative else None,
        date=p.board.date_label() or "",
        sections=sections,
        provenance=provenance,
        meta=meeting_meta(p),
        model=ScoreModel(
            [names.criterion(c) for c in result.criteria],
            [result.weights[c] for c in result.criteria],
            [names.option(o) for o in result.options],
            [[result.values[o][c] for c in result.criteria] for o in result.options],
            [result.totals[o] for o in result.options],
        ),
    )
