"""The consultation report: the plan as run, who responded, what they said, and what was done.

The report is built once as a list of sections of simple blocks (paragraphs, tables, charts,
lists), then rendered to a self-contained HTML page (Jinja2, inline SVG) and to a Word document
(python-docx, real headings, tables and captions) from the same blocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from caseforchange.chartstyle import Chart
from caseforchange.domain.consultation import OutputKind, QuestionType
from caseforchange.domain.engagement import ActivityKind
from caseforchange.domain.programme import Programme
from caseforchange.engagement.charts import (
    stakeholder_map_chart,
    timeline_chart,
    views_by_group_chart,
)
from caseforchange.engagement.plan import check_plan
from caseforchange.engagement.questionnaires import (
    closed_question_results,
    organisation_of,
    respondents_by_group,
)
from caseforchange.engagement.stakeholders import stakeholder_map
from caseforchange.engagement.statistics import (
    QuestionResult,
    analyse_counts,
)
from caseforchange.engagement.workshop import summarise_workshop
from caseforchange.io.engagement_file import LoadedEngagement, workshop_categories
from caseforchange.io.responses import iter_responses, open_answers
from caseforchange.text.redact import redact

#: Free-text answers listed per question in the report; the rest are in the responses CSV.
MAX_OPEN_LISTED = 200


@dataclass
class Block:
    """One piece of a section: ``paragraph``, ``note``, ``table``, ``chart`` or ``list``."""

    kind: str
    text: str = ""
    caption: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    chart: Chart | None = None


@dataclass
class Section:
    """A headed part of the report; ``level`` 2 for sections, 3 for subsections."""

    title: str
    blocks: list[Block] = field(default_factory=list)
    level: int = 2


@dataclass
class ConsultationReport:
    """The whole report, ready to render."""

    title: str
    summary: str
    illustrative: str | None
    sections: list[Section]


def _pct(fraction: float) -> str:
    return f"{100 * fraction:.1f}%"


def _name_maps(programme: Programme) -> tuple[dict[str, str], dict[str, str]]:
    groups = {g.id: g.name for g in programme.stakeholders}
    return groups, organisation_of(programme)


def _question_blocks(result: QuestionResult, names: dict[str, str]) -> list[Block]:
    blocks = []
    if result.note:
        blocks.append(Block("note", text=result.note))
    rows = [
        [s.answer, str(s.count), _pct(s.fraction), f"{_pct(s.low)} to {_pct(s.high)}"]
        for s in result.overall
    ]
    base = "respondents" if result.multi else "answers"
    blocks.append(
        Block(
            "table",
            caption=f"{result.text}: all {result.respondents} respondents "
            f"(percentages of {base}; 95% Wilson intervals)",
            columns=["answer", "count", "%", "95% interval"],
            rows=rows,
        )
    )
    for label, tab in (
        ("respondent group", result.by_group),
        ("organisation", result.by_organisation),
    ):
        if tab is None or len(tab.groups) < 2:
            continue
        totals = tab.totals()
        table_rows = []
        for group, row in zip(tab.groups, tab.counts, strict=True):
            n = totals[group]
            table_rows.append(
                [names.get(group, group), str(n)]
                + [f"{c} ({_pct(c / n) if n else '-'})" for c in row]
            )
        blocks.append(
            Block(
                "table",
                caption=f"{result.text}: by {label}",
                columns=[label, "n", *tab.answers],
                rows=table_rows,
            )
        )
        if tab.test is not None:
            blocks.append(
                Block(
                    "paragraph",
                    text=f"Chi-square test of independence by {label}: "
                    f"chi2 = {tab.test.statistic:.2f}, {tab.test.dof} df, "
                    f"p = {tab.test.p_value:.3g}.",
                )
            )
        if tab.note:
            blocks.append(Block("note", text=tab.note))
    if len(result.by_group.groups) >= 1 and not result.multi:
        blocks.append(Block("chart", chart=views_by_group_chart(result, names)))
    return blocks


def _coded_sections(
    loaded: LoadedEngagement, questionnaire_id: str, question_id: str, names: dict[str, str]
) -> list[Section]:
    """Return the free-text analysis sections of a question that has a codebook.

    The codebook is ``text/<question>-codebook.yaml`` in the programme folder and a person's
    codings, if any, ``text/<question>-codings.csv`` (keyed by the imported respondent ids);
    without a codebook there is nothing to add.
    """
    folder = loaded.root / "text"
    book_path = folder / f"{question_id}-codebook.yaml"
    if not book_path.exists():
        return []
    from caseforchange.io.text_files import load_codebook, read_codings
    from caseforchange.reports.text_report import text_sections
    from caseforchange.text.ledger import Response
    from caseforchange.text.pipeline import analyse

    book = load_codebook(book_path)
    codings_path = folder / f"{question_id}-codings.csv"
    codings = read_codings(codings_path, book) if codings_path.exists() else {}
    responses = [
        Response(row["respondent"], row.get("group", ""), row.get(question_id, "") or "")
        for row in iter_responses(loaded.root, questionnaire_id)
    ]
    if not responses:
        return []
    result = analyse(responses, book, codings)
    found = text_sections(
        question_id,
        result.ledger,
        book,
        result.campaigns,
        result.counts,
        loaded.engagement.you_said_we_did,
        names,
    )
    for section in found:
        section.level = 3
    return found


def build_consultation(loaded: LoadedEngagement) -> ConsultationReport:
    """Assemble the consultation report from a programme folder's engagement data."""
    programme = loaded.programme
    engagement = loaded.engagement
    names, organisation_of = _name_maps(programme)
    org_names = {o.id: o.short_name or o.name for o in programme.organisations}
    names_with_orgs = {**org_names, **names}
    sections: list[Section] = []

    # The plan as run.
    plan = Section("The engagement plan as run")
    activity_rows = []
    for activity in sorted(
        programme.activities, key=lambda a: (a.date is None, a.date or a.id, a.id)
    ):
        when = activity.date.isoformat() if activity.date else "not dated"
        if activity.end_date and activity.end_date != activity.date:
            when += f" to {activity.end_date.isoformat()}"
        if activity.start_time:
            when += f", {activity.start_time.strftime('%H:%M')}"
            if activity.end_time:
                when += f"-{activity.end_time.strftime('%H:%M')}"
        activity_rows.append(
            [
                when,
                activity.kind.value.replace("_", " "),
                activity.title,
                activity.venue or "",
                ", ".join(names.get(g, g) for g in activity.audience),
            ]
        )
    plan.blocks.append(
        Block(
            "table",
            caption="Engagement activities",
            columns=["when", "kind", "activity", "venue", "audience"],
            rows=activity_rows,
        )
    )
    warnings = check_plan(programme, engagement.settings)
    if warnings:
        plan.blocks.append(
            Block(
                "list",
                caption="Points raised by the plan checks",
                items=[w.render() for w in warnings],
            )
        )
    if any(a.date for a in programme.activities):
        plan.blocks.append(Block("chart", chart=timeline_chart(programme)))
    mapped, _unrated = stakeholder_map(programme.stakeholders)
    if mapped:
        plan.blocks.append(Block("chart", chart=stakeholder_map_chart(mapped)))
    sections.append(plan)

    # Who responded and what they said.
    for questionnaire in engagement.questionnaires:
        rows = list(iter_responses(loaded.root, questionnaire.id))
        section = Section(f"Written responses: {questionnaire.title}")
        if not rows:
            section.blocks.append(
                Block("paragraph", text="No responses have been imported for this questionnaire.")
            )
            sections.append(section)
            continue
        by_group = respondents_by_group(rows)
        section.blocks.append(
            Block(
                "table",
                caption=f"Who responded ({len(rows)} respondents)",
                columns=["respondent group", "respondents", "%"],
                rows=[
                    [names.get(g, g), str(n), _pct(n / len(rows))]
                    for g, n in sorted(by_group.items(), key=lambda kv: -kv[1])
                ],
            )
        )
        sections.append(section)
        for result in closed_question_results(programme, questionnaire, rows):
            sub = Section(result.text, level=3)
            sub.blocks += _question_blocks(result, names_with_orgs)
            sections.append(sub)
        answers = open_answers(loaded.root, questionnaire)
        for question in questionnaire.questions:
            if question.type is not QuestionType.OPEN:
                continue
            given = answers.get(question.id, [])
            sub = Section(f"Free-text answers: {question.text}", level=3)
            sub.blocks.append(
                Block(
                    "paragraph",
                    text=f"{len(given)} respondents answered. Every answer is listed"
                    + (
                        "."
                        if len(given) <= MAX_OPEN_LISTED
                        else f" in the responses file; the first {MAX_OPEN_LISTED} are shown here."
                    ),
                )
            )
            sub.blocks.append(
                Block(
                    "list",
                    items=[f"{rid}: {redact(text)}" for rid, text in given[:MAX_OPEN_LISTED]],
                )
            )
            sections.append(sub)
            sections += _coded_sections(loaded, questionnaire.id, question.id, names)

    for ballot in engagement.ballots:
        section = Section(f"Ballot: {ballot.title}")
        if ballot.illustrative:
            section.blocks.append(Block("note", text=f"Illustrative counts. {ballot.note or ''}"))
        labels = {c.id: c.label for c in ballot.choices}
        counts = {r.group: {labels[k]: v for k, v in r.counts.items()} for r in ballot.results}
        result = analyse_counts(
            ballot.id, ballot.question, [c.label for c in ballot.choices], counts, organisation_of
        )
        section.blocks += _question_blocks(result, names_with_orgs)
        sections.append(section)

    # Workshops.
    issue_text: dict[str, tuple[str, str]] = {}
    for workshop in engagement.workshops:
        categories = workshop_categories(workshop, programme)
        summary = summarise_workshop(workshop, categories)
        section = Section(f"Workshop: {workshop.title}")
        if workshop.illustrative:
            section.blocks.append(Block("note", text=f"Partly illustrative. {workshop.note or ''}"))
        section.blocks.append(
            Block(
                "paragraph",
                text=f"{workshop.date or 'Undated'}; {len(workshop.tables)} tables, "
                f"{len(workshop.participants)} participants. Each table discussed:",
            )
        )
        section.blocks.append(Block("list", items=list(workshop.questions)))
        for kind in OutputKind:
            table_rows = []
            for cid, cname in summary.categories.items():
                per_table = summary.counts[kind][cid]
                total = sum(per_table.values())
                if total:
                    table_rows.append(
                        [cname, *[str(per_table[c]) for c in summary.columns], str(total)]
                    )
            if table_rows:
                section.blocks.append(
                    Block(
                        "table",
                        caption=f"{kind.value.capitalize()}s by category and table",
                        columns=["category", *summary.columns, "total"],
                        rows=table_rows,
                    )
                )
        sections.append(section)
        for cid, cname in summary.categories.items():
            advantages = summary.by_category[cid][OutputKind.ADVANTAGE]
            if advantages:
                sub = Section(f"Advantages: {cname}", level=3)
                sub.blocks.append(Block("list", items=[o.text for o in advantages]))
                sections.append(sub)
        pairs = Section("Issues and proposed mitigations", level=3)
        pair_rows = []
        for pair in summary.pairs:
            category = categories.get(pair.issue.category or "", pair.issue.category or "")
            issue_text[pair.issue.id] = (pair.issue.text, workshop.title)
            pair_rows.append(
                [
                    category,
                    pair.issue.text,
                    " / ".join(m.text for m in pair.mitigations) or "none proposed",
                ]
            )
        if pair_rows:
            pairs.blocks.append(
                Block(
                    "table",
                    caption=f"Issues raised at {workshop.title}, with the mitigations proposed",
                    columns=["category", "issue", "proposed mitigation"],
                    rows=pair_rows,
                )
            )
            sections.append(pairs)

    # You said, we did.
    if issue_text:
        responses = {r.issue: r for r in engagement.you_said_we_did}
        mitigations: dict[str, list[str]] = {}
        for workshop in engagement.workshops:
            for output in workshop.outputs:
                if output.kind is OutputKind.MITIGATION and output.responds_to:
                    mitigations.setdefault(output.responds_to, []).append(output.text)
        said_rows: list[list[str]] = []
        for issue_id, (text, where) in issue_text.items():
            record = responses.get(issue_id)
            if record is not None:
                done = record.response + (f" ({record.status})" if record.status else "")
            elif issue_id in mitigations:
                done = "Mitigation proposed at the workshop: " + " / ".join(mitigations[issue_id])
            else:
                done = "NO RESPONSE RECORDED"
            said_rows.append([text, where, done])
        section = Section("You said, we did")
        missing = sum(1 for r in said_rows if r[2] == "NO RESPONSE RECORDED")
        section.blocks.append(
            Block(
                "paragraph",
                text=f"{len(said_rows)} issues were raised; "
                f"{len(said_rows) - missing} have a recorded "
                f"response or proposed mitigation; {missing} have none yet.",
            )
        )
        section.blocks.append(
            Block(
                "table",
                caption="Each issue raised and the response recorded",
                columns=["you said", "where", "we did"],
                rows=said_rows,
            )
        )
        sections.append(section)

    notes = [programme.provenance.note] if programme.provenance.illustrative else []
    notes += [b.note for b in engagement.ballots if b.illustrative and b.note]
    notes += [w.note for w in engagement.workshops if w.illustrative and w.note]
    letters = sum(1 for a in programme.activities if a.kind is ActivityKind.UPDATE_LETTER)
    return ConsultationReport(
        title=f"Consultation report: {programme.title}",
        summary=(
            f"{len(programme.activities)} engagement activities ({letters} update letters), "
            f"{len(engagement.workshops)} workshops, {len(engagement.questionnaires)} "
            f"questionnaires and {len(engagement.ballots)} ballots."
        ),
        illustrative=" ".join(n for n in notes if n) or None,
        sections=sections,
    )


def render_consultation_html(report: ConsultationReport) -> str:
    """Return the report as one self-contained HTML page (charts inline as SVG)."""
    env = Environment(
        loader=PackageLoader("caseforchange.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = env.get_template("consultation.html.j2")
    return template.render(report=report, svg=lambda chart: Markup(chart.svg))


def write_consultation_docx(report: ConsultationReport, path: Path) -> None:
    """Write the report as a Word document with headings, captioned tables and chart text."""
    from docx import Document

    document = Document()
    document.add_heading(report.title, level=0)
    document.add_paragraph(report.summary)
    if report.illustrative:
        document.add_paragraph().add_run(f"Illustrative data. {report.illustrative}").bold = True
    table_number = 0
    for section in report.sections:
        document.add_heading(section.title, level=min(section.level - 1, 3))
        for block in section.blocks:
            if block.kind == "paragraph" and block.text:
                document.add_paragraph(block.text)
            elif block.kind == "note":
                document.add_paragraph().add_run(block.text).italic = True
            elif block.kind == "list":
                if block.caption:
                    document.add_paragraph(block.caption)
                for item in block.items:
                    document.add_paragraph(item, style="List Bullet")
            elif block.kind == "table":
                table_number += 1
                document.add_paragraph(f"Table {table_number}: {block.caption}", style="Caption")
                _docx_table(document, block.columns, block.rows)
            elif block.kind == "chart" and block.chart is not None:
                table_number += 1
                chart = block.chart
                document.add_paragraph(
                    f"Table {table_number}: {chart.title} (the data of the chart in the HTML "
                    "report)",
                    style="Caption",
                )
                document.add_paragraph(chart.alt)
                _docx_table(document, chart.columns, chart.rows)
    document.save(str(path))


def _docx_table(document: object, columns: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(columns))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, columns, strict=True):
        cell.text = name
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=False):
            cell.text = value


def write_consultation(report: ConsultationReport, out_dir: Path) -> list[Path]:
    """Write ``consultation-report.html`` and ``consultation-report.docx`` into ``out_dir``.

    Returns:
        The two paths written.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path = out_dir / "consultation-report.html"
    html_path.write_text(render_consultation_html(report), encoding="utf-8")
    docx_path = out_dir / "consultation-report.docx"
    write_consultation_docx(report, docx_path)
    return [html_path, docx_path]
