"""The consultation report: the plan as run, who responded, what they said, and what was done.

Built in the one report model (:mod:`caseforchange.reports.blocks`), so it renders through the
same HTML and Word renderers as the Board paper; the pieces the Board paper needs (ballot and
question results, workshop themes, "you said, we did", plan checks) are built here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from caseforchange.domain.checks.engagement import workshop_categories
from caseforchange.domain.codebook import Codebook
from caseforchange.domain.consultation import (
    Engagement,
    OutputKind,
    Question,
    Questionnaire,
    QuestionType,
)
from caseforchange.domain.engagement import Activity, ActivityKind, format_date
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
from caseforchange.engagement.statistics import QuestionResult, analyse_counts
from caseforchange.engagement.workshop import WorkshopSummary, summarise_workshop
from caseforchange.extras import install_hint, installed
from caseforchange.io.engagement_file import LoadedEngagement
from caseforchange.io.responses import iter_responses, open_answers
from caseforchange.reports.blocks import (
    Block,
    Bullets,
    Cell,
    Paragraph,
    Report,
    Section,
    Table,
    formats,
    plural,
)
from caseforchange.text.redact import redact

if TYPE_CHECKING:
    # Types only: the analysis needs the text extra, imported when a question has a codebook.
    from caseforchange.text.pipeline import Analysis

#: Free-text answers listed per question in the report; the rest are in the responses CSV.
MAX_OPEN_LISTED = 200
#: What "you said, we did" shows when nothing answers an issue yet.
NO_RESPONSE = "NO RESPONSE RECORDED"


def _names(programme: Programme) -> dict[str, str]:
    """Return display names for stakeholder groups and organisations, by id."""
    orgs = {o.id: o.short_name or o.name for o in programme.organisations}
    return {**orgs, **{g.id: g.name for g in programme.stakeholders}}


def _when(activity: Activity) -> str:
    """Return when an activity happens: day(s) and times, or 'not dated'."""
    if activity.date is None:
        return "not dated"
    when = format_date(activity.date, activity.date_precision, short=True).lstrip("0")
    end = activity.end_date
    if end and end != activity.date:
        when += f" to {end.day} {end:%b %Y}"
    if activity.start_time:
        when += f", {activity.start_time:%H:%M}"
        when += f"–{activity.end_time:%H:%M}" if activity.end_time else ""
    return when


def activities_table(programme: Programme) -> Table:
    """Return the engagement activities in date order (undated last), with venues."""
    groups = {g.id: g.name for g in programme.stakeholders}
    ordered = sorted(programme.activities, key=lambda a: (a.date is None, a.date or a.id, a.id))
    return Table(
        "Engagement activities",
        ["when", "kind", "activity", "venue", "audience"],
        [
            [
                _when(a),
                a.kind.value.replace("_", " "),
                a.title,
                a.venue or "",
                ", ".join(groups.get(g, g) for g in a.audience),
            ]
            for a in ordered
        ],
        sheet="Activities",
        wide=True,
    )


def plan_warnings(programme: Programme, engagement: Engagement) -> list[str]:
    """Return the plan checks' warnings as sentences (short consultations, clashes, ...)."""
    return [w.render() for w in check_plan(programme, engagement.settings)]


def overall_table(result: QuestionResult) -> Table:
    """Return a question's or ballot's answers: count, share and its 95% Wilson interval."""
    base = "respondents" if result.multi else "answers"
    return Table(
        f"{result.text}: all {result.respondents:,} respondents "
        f"(shares of {base}; 95% Wilson intervals)",
        ["answer", "count", "share", "95% low", "95% high"],
        [[s.answer, s.count, s.fraction, s.low, s.high] for s in result.overall],
        formats("text", "int", ("pct", 3)),
        sheet=f"Q {result.question_id}"[:28],
    )


def question_blocks(result: QuestionResult, names: dict[str, str]) -> list[Block]:
    """Return a question's full results: overall, by group and organisation, tests, chart."""
    blocks: list[Block] = []
    if result.note:
        blocks.append(Paragraph(result.note))
    blocks.append(overall_table(result))
    for label, tab in (
        ("respondent group", result.by_group),
        ("organisation", result.by_organisation),
    ):
        if tab is None or len(tab.groups) < 2:
            continue
        totals = tab.totals()
        rows: list[list[Cell]] = []
        for group, row in zip(tab.groups, tab.counts, strict=True):
            n = totals[group]
            rows.append([names.get(group, group), n, *[c / n if n else None for c in row]])
        blocks.append(
            Table(
                f"{result.text}: by {label} (share of each {label}'s answers)",
                [label, "n", *[names.get(a, a) for a in tab.answers]],
                rows,
                formats("text", "int", ("pct", len(tab.answers))),
            )
        )
        if tab.test is not None:
            blocks.append(
                Paragraph(
                    f"Chi-square test of independence by {label}: "
                    f"chi2 = {tab.test.statistic:.2f}, {tab.test.dof} df, "
                    f"p = {tab.test.p_value:.3g}."
                )
            )
        if tab.note:
            blocks.append(Paragraph(tab.note))
    if len(result.by_group.groups) >= 1 and not result.multi:
        blocks.append(views_by_group_chart(result, names))
    return blocks


def ballot_results(loaded: LoadedEngagement) -> list[tuple[str, str | None, QuestionResult]]:
    """Return each ballot's title, its illustrative note (None if real) and its analysis."""
    programme = loaded.programme
    out = []
    for ballot in loaded.engagement.ballots:
        labels = {c.id: c.label for c in ballot.choices}
        counts = {r.group: {labels[k]: v for k, v in r.counts.items()} for r in ballot.results}
        result = analyse_counts(
            ballot.id,
            ballot.question,
            [c.label for c in ballot.choices],
            counts,
            organisation_of(programme),
        )
        note = f"Illustrative counts. {ballot.note or ''}".strip() if ballot.illustrative else None
        out.append((ballot.title, note, result))
    return out


def workshop_summaries(loaded: LoadedEngagement) -> list[WorkshopSummary]:
    """Return each workshop's outputs arranged by category and table."""
    return [
        summarise_workshop(w, workshop_categories(w, loaded.programme))
        for w in loaded.engagement.workshops
    ]


def themes_table(summary: WorkshopSummary) -> Table:
    """Return a workshop's themes: advantages, issues and mitigations counted by category."""
    rows: list[list[Cell]] = []
    for cid, cname in summary.categories.items():
        counts = [sum(summary.counts[kind][cid].values()) for kind in OutputKind]
        if sum(counts):
            rows.append([cname, *counts])
    return Table(
        f"{summary.workshop.title}: points raised, by category",
        ["category", *[f"{k.value}s" for k in OutputKind]],
        rows,
        formats("text", ("int", len(OutputKind))),
        sheet="Workshop themes",
    )


def you_said_we_did(loaded: LoadedEngagement) -> Table | None:
    """Return each issue raised with the response recorded (or the mitigation proposed).

    Records that answer what people said outside a workshop (``said`` with the activity where
    it was said) follow the workshop issues. Returns None when there is nothing to show.
    """
    engagement = loaded.engagement
    responses = {r.issue: r for r in engagement.you_said_we_did if r.issue}
    rows: list[list[Cell]] = []
    for summary in workshop_summaries(loaded):
        for pair in summary.pairs:
            record = responses.get(pair.issue.id)
            if record is not None:
                done = record.response + (f" ({record.status})" if record.status else "")
            elif pair.mitigations:
                done = "Mitigation proposed at the workshop: " + " / ".join(
                    m.text for m in pair.mitigations
                )
            else:
                done = NO_RESPONSE
            rows.append([pair.issue.text, summary.workshop.title, done])
    titles = {a.id: a.title for a in loaded.programme.activities}
    for record in engagement.you_said_we_did:
        if record.said:
            where = titles.get(record.activity or "", record.activity or "")
            done = record.response + (f" ({record.status})" if record.status else "")
            rows.append([record.said, where, done])
    if not rows:
        return None
    return Table(
        "You said, we did: each issue raised and the response recorded",
        ["you said", "where", "we did"],
        rows,
        sheet="You said we did",
        wide=True,
    )


@dataclass(frozen=True)
class CodedQuestion:
    """An open question with a codebook, its answers analysed (the ledger and its counts).

    ``source`` says where the answers came from: the imported responses, or the answers file
    in the programme's ``text`` folder when none are imported.
    """

    questionnaire_id: str
    question_id: str
    text: str
    codebook: Codebook
    analysis: Analysis
    source: str


def text_extra_missing() -> str | None:
    """Return the module the free-text analysis needs that is not installed, or None."""
    return next((m for m in ("sklearn", "datasketch") if not installed(m)), None)


def text_extra_hint(module: str) -> str:
    """Return the sentence a report shows when coded free text cannot be analysed."""
    hint = install_hint(module, "The analysis of the coded free-text answers")
    return f"{hint}; the themes are not shown here." if hint else "The themes are not shown."


def questions_with_codebooks(loaded: LoadedEngagement) -> list[tuple[Questionnaire, Question]]:
    """Return the open questions whose codebook is in the folder's ``text`` directory."""
    folder = loaded.root / "text"
    return [
        (questionnaire, question)
        for questionnaire in loaded.engagement.questionnaires
        for question in questionnaire.questions
        if question.type is QuestionType.OPEN
        and (folder / f"{question.id}-codebook.yaml").is_file()
    ]


def coded_questions(loaded: LoadedEngagement) -> list[CodedQuestion]:
    """Return every open question that has coded free text, analysed, in questionnaire order.

    A question has coded free text when the programme folder holds its codebook,
    ``text/<question>-codebook.yaml``, and a person's codings, if any, in
    ``text/<question>-codings.csv`` (keyed by response id). The answers are the imported
    responses to its questionnaire or, when none are imported, ``text/<question>-answers.csv``
    (``id``, ``group``, ``text``). Needs the text extra (see :func:`text_extra_missing`).

    Raises:
        InvalidInput: when a codebook, codings or answers file has problems, located.
    """
    pairs = questions_with_codebooks(loaded)
    if not pairs:
        return []
    from caseforchange.io.text_files import load_codebook, read_answers, read_codings
    from caseforchange.text.ledger import Response
    from caseforchange.text.pipeline import analyse

    folder = loaded.root / "text"
    found: list[CodedQuestion] = []
    for questionnaire, question in pairs:
        book = load_codebook(folder / f"{question.id}-codebook.yaml")
        codings_path = folder / f"{question.id}-codings.csv"
        codings = read_codings(codings_path, book) if codings_path.is_file() else {}
        responses = [
            Response(row["respondent"], row.get("group", ""), row.get(question.id, "") or "")
            for row in iter_responses(loaded.root, questionnaire.id)
        ]
        source = "the imported responses"
        answers_path = folder / f"{question.id}-answers.csv"
        if not responses and answers_path.is_file():
            responses = [Response(a.id, a.group, a.text) for a in read_answers(answers_path)]
            source = f"text/{answers_path.name}"
        if not responses:
            continue
        found.append(
            CodedQuestion(
                questionnaire.id,
                question.id,
                question.text,
                book,
                analyse(responses, book, codings),
                source,
            )
        )
    return found


def _coded_sections(
    loaded: LoadedEngagement, coded: CodedQuestion, names: dict[str, str]
) -> list[Section]:
    """Return the free-text analysis sections of one coded question."""
    from caseforchange.reports.text_report import text_sections

    result = coded.analysis
    sections = text_sections(
        coded.question_id,
        result.ledger,
        coded.codebook,
        result.campaigns,
        result.counts,
        loaded.engagement.you_said_we_did,
        names,
    )
    lead = f"The answers analysed are {coded.source}."
    if coded.codebook.illustrative:
        note = coded.codebook.note or "the answers and their coding are not real."
        lead += " " + (note if note.lower().startswith("illustrative") else f"Illustrative: {note}")
    sections[0].blocks.insert(0, Paragraph(lead, emphasis=coded.codebook.illustrative))
    return sections


def _responses_sections(loaded: LoadedEngagement, names: dict[str, str]) -> list[Section]:
    programme = loaded.programme
    sections: list[Section] = []
    missing = text_extra_missing()
    coded = (
        {(c.questionnaire_id, c.question_id): c for c in coded_questions(loaded)}
        if missing is None
        else {}
    )
    for questionnaire in loaded.engagement.questionnaires:
        rows = list(iter_responses(loaded.root, questionnaire.id))
        section = Section(
            f"responses-{questionnaire.id}", f"Written responses: {questionnaire.title}"
        )
        sections.append(section)
        if missing is not None and any(
            q.id == questionnaire.id for q, _ in questions_with_codebooks(loaded)
        ):
            section.blocks.append(Paragraph(text_extra_hint(missing)))
        if not rows:
            section.blocks.append(
                Paragraph("No responses have been imported for this questionnaire.")
            )
            # Coded answers kept in the text folder are analysed all the same.
            for question in questionnaire.questions:
                if (questionnaire.id, question.id) in coded:
                    sections += _coded_sections(
                        loaded, coded[(questionnaire.id, question.id)], names
                    )
            continue
        by_group = respondents_by_group(rows)
        section.blocks.append(
            Table(
                f"Who responded ({plural(len(rows), 'respondent')})",
                ["respondent group", "respondents", "share"],
                [
                    [names.get(g, g), n, n / len(rows)]
                    for g, n in sorted(by_group.items(), key=lambda kv: -kv[1])
                ],
                formats("text", "int", "pct"),
            )
        )
        for result in closed_question_results(programme, questionnaire, rows):
            sections.append(
                Section(
                    f"q-{result.question_id}", result.text, question_blocks(result, names), level=3
                )
            )
        answers = open_answers(loaded.root, questionnaire)
        for question in questionnaire.questions:
            if question.type is not QuestionType.OPEN:
                continue
            given = answers.get(question.id, [])
            listed = (
                "Every answer is listed."
                if len(given) <= MAX_OPEN_LISTED
                else f"Every answer is in the responses file; the first {MAX_OPEN_LISTED} are here."
            )
            sections.append(
                Section(
                    f"open-{question.id}",
                    f"Free-text answers: {question.text}",
                    [
                        Paragraph(f"{plural(len(given), 'respondent')} answered. {listed}"),
                        Bullets(
                            [f"{rid}: {redact(text)}" for rid, text in given[:MAX_OPEN_LISTED]]
                        ),
                    ],
                    level=3,
                )
            )
            if (questionnaire.id, question.id) in coded:
                sections += _coded_sections(loaded, coded[(questionnaire.id, question.id)], names)
    return sections


def response_results(loaded: LoadedEngagement) -> list[QuestionResult]:
    """Return the closed questions' results of every questionnaire that has responses."""
    found: list[QuestionResult] = []
    for questionnaire in loaded.engagement.questionnaires:
        rows = list(iter_responses(loaded.root, questionnaire.id))
        if rows:
            found += closed_question_results(loaded.programme, questionnaire, rows)
    return found


def illustrative_notes(loaded: LoadedEngagement) -> str | None:
    """Return what is illustrative in the programme and its engagement data, or None."""
    programme = loaded.programme
    engagement = loaded.engagement
    notes = [programme.provenance.note] if programme.provenance.illustrative else []
    notes += [b.note for b in engagement.ballots if b.illustrative and b.note]
    notes += [w.note for w in engagement.workshops if w.illustrative and w.note]
    return " ".join(n for n in notes if n) or None


def build_consultation(loaded: LoadedEngagement) -> Report:
    """Return the consultation report for a programme folder's engagement data."""
    programme = loaded.programme
    engagement = loaded.engagement
    names = _names(programme)
    plan = Section("plan", "The engagement plan as run", [activities_table(programme)])
    warnings = plan_warnings(programme, engagement)
    if warnings:
        plan.blocks.append(Bullets(warnings, lead="Points raised by the plan checks:"))
    if any(a.date for a in programme.activities):
        plan.blocks.append(timeline_chart(programme))
    mapped, _unrated = stakeholder_map(programme.stakeholders)
    if mapped:
        plan.blocks.append(stakeholder_map_chart(mapped))
    sections = [plan, *_responses_sections(loaded, names)]
    for index, (title, note, result) in enumerate(ballot_results(loaded)):
        blocks: list[Block] = [Paragraph(note)] if note else []
        sections.append(
            Section(f"ballot-{index}", f"Ballot: {title}", blocks + question_blocks(result, names))
        )
    for summary in workshop_summaries(loaded):
        workshop = summary.workshop
        blocks = (
            [Paragraph(f"Partly illustrative. {workshop.note or ''}")]
            if workshop.illustrative
            else []
        )
        blocks.append(
            Bullets(
                list(workshop.questions),
                lead=f"{workshop.date or 'Undated'}; {plural(len(workshop.tables), 'table')}, "
                f"{plural(len(workshop.participants), 'participant')}. Each table discussed:",
            )
        )
        for kind in OutputKind:
            rows: list[list[Cell]] = []
            for cid, cname in summary.categories.items():
                per_table = summary.counts[kind][cid]
                total = sum(per_table.values())
                if total:
                    rows.append([cname, *[per_table[c] for c in summary.columns], total])
            if rows:
                blocks.append(
                    Table(
                        f"{kind.value.capitalize()}s by category and table",
                        ["category", *summary.columns, "total"],
                        rows,
                        formats("text", ("int", len(summary.columns) + 1)),
                    )
                )
        sections.append(Section(f"workshop-{workshop.id}", f"Workshop: {workshop.title}", blocks))
        for cid, cname in summary.categories.items():
            advantages = summary.by_category[cid][OutputKind.ADVANTAGE]
            if advantages:
                sections.append(
                    Section(
                        f"adv-{workshop.id}-{cid}",
                        f"Advantages: {cname}",
                        [Bullets([o.text for o in advantages])],
                        level=3,
                    )
                )
        pair_rows: list[list[Cell]] = [
            [
                summary.categories.get(p.issue.category or "", p.issue.category or ""),
                p.issue.text,
                " / ".join(m.text for m in p.mitigations) or "none proposed",
            ]
            for p in summary.pairs
        ]
        if pair_rows:
            sections.append(
                Section(
                    f"issues-{workshop.id}",
                    "Issues and proposed mitigations",
                    [
                        Table(
                            f"Issues raised at {workshop.title}, with the mitigations proposed",
                            ["category", "issue", "proposed mitigation"],
                            pair_rows,
                        )
                    ],
                    level=3,
                )
            )
    said = you_said_we_did(loaded)
    if said is not None:
        missing = sum(1 for r in said.rows if r[2] == NO_RESPONSE)
        sections.append(
            Section(
                "you-said",
                "You said, we did",
                [
                    Paragraph(
                        f"{plural(len(said.rows), 'issue')} raised; "
                        f"{len(said.rows) - missing} have a recorded response or proposed "
                        f"mitigation; {missing} have none yet."
                    ),
                    said,
                ],
            )
        )
    letters = sum(1 for a in programme.activities if a.kind is ActivityKind.UPDATE_LETTER)
    summary_line = (
        f"{plural(len(programme.activities), 'engagement activity', 'engagement activities')} "
        f"({plural(letters, 'update letter')}), {plural(len(engagement.workshops), 'workshop')}, "
        f"{plural(len(engagement.questionnaires), 'questionnaire')} and "
        f"{plural(len(engagement.ballots), 'ballot')}."
    )
    return Report(
        title=f"Consultation report: {programme.title}",
        subtitle=summary_line,
        programme_id=programme.id,
        illustrative_note=illustrative_notes(loaded),
        date="",
        sections=sections,
        provenance={},
        kind="consultation",
    )
