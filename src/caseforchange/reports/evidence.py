"""The Board paper's engagement and consultation evidence, from the consultation report's parts."""

from __future__ import annotations

from dataclasses import replace

from caseforchange.domain.engagement import ActivityKind
from caseforchange.domain.programme import Programme
from caseforchange.engagement.charts import timeline_chart
from caseforchange.engagement.plan import consultation_days
from caseforchange.io.engagement_file import LoadedEngagement
from caseforchange.reports import consultation as parts
from caseforchange.reports.blocks import Block, Bullets, Paragraph, Section, Table, plural


def _consultations(programme: Programme) -> list[str]:
    found = []
    for a in programme.activities:
        days = consultation_days(a)
        if (
            a.kind is ActivityKind.WRITTEN_CONSULTATION
            and days is not None
            and a.date
            and a.end_date
        ):
            found.append(
                f"{a.title}: {a.date.day} {a.date:%B %Y} to {a.end_date.day} "
                f"{a.end_date:%B %Y} ({days / 7:.1f} weeks)"
            )
    return found


def evidence_section(programme: Programme, engaged: LoadedEngagement | None) -> Section:
    """Return what people were asked and what they said: plan, ballots, workshops, responses.

    ``engaged`` is the programme's engagement data (None when it has none): ballots with their
    intervals, workshop themes by category, consultation results when responses exist, and
    "you said, we did". The plan checks' warnings are stated here, not left in another report.
    """
    blocks: list[Block] = []
    kinds: dict[str, int] = {}
    for a in programme.activities:
        kind = a.kind.value.replace("_", " ")
        kinds[kind] = kinds.get(kind, 0) + 1
    if programme.activities:
        count = plural(len(programme.activities), "engagement activity", "engagement activities")
        blocks.append(
            Paragraph(
                f"{count} were planned or held: "
                + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
                + ". The full list, with dates and venues, is in the appendix."
            )
        )
    else:
        blocks.append(Paragraph("No engagement activities are recorded for this programme."))
    consultations = _consultations(programme)
    if consultations:
        blocks.append(Bullets(consultations, lead="Formal consultation:"))
    if engaged is not None:
        warnings = parts.plan_warnings(programme, engaged.engagement)
        if warnings:
            blocks.append(Bullets(warnings, lead="The plan checks found:"))
    # One dated activity makes a chart of one bar: the sentence above says as much.
    if sum(1 for a in programme.activities if a.date) >= 2:
        # A summary's chart: four fifths of the text width keeps the body within its pages.
        blocks.append(replace(timeline_chart(programme), width=0.8))
    if engaged is None:
        return Section("engagement", "Engagement and consultation", blocks)
    for title, note, result in parts.ballot_results(engaged):
        blocks.append(Paragraph(f"Ballot: {title}." + (f" {note}" if note else "")))
        blocks.append(parts.overall_table(result))
    for summary in parts.workshop_summaries(engaged):
        workshop = summary.workshop
        lead = (
            f"Workshop: {workshop.title}"
            + (f" ({workshop.date.day} {workshop.date:%B %Y})" if workshop.date else "")
            + f", {plural(len(workshop.tables), 'table')}, "
            f"{plural(len(workshop.participants), 'participant')}."
            + (" Partly illustrative." if workshop.illustrative else "")
        )
        blocks.append(Paragraph(lead))
        themes = parts.themes_table(summary)
        if themes.rows:
            blocks.append(themes)
    results = parts.response_results(engaged)
    for result in results:
        blocks.append(parts.overall_table(result))
    if engaged.engagement.questionnaires and not results:
        blocks.append(
            Paragraph("No consultation responses have been imported yet, so none are reported.")
        )
    said = parts.you_said_we_did(engaged)
    if said is not None:
        # Three columns read well in portrait; a landscape page would break the body's flow.
        blocks.append(replace(said, wide=False))
    return Section("engagement", "Engagement and consultation", blocks)


def engagement_appendix(programme: Programme) -> Section:
    """Return the appendix of engagement detail: every activity, and who was engaged."""
    blocks: list[Block] = []
    if programme.activities:
        blocks.append(parts.activities_table(programme))
    if programme.stakeholders:
        blocks.append(
            Table(
                "Who was engaged",
                ["stakeholder group", "interest (1-5)", "influence (1-5)"],
                [[g.name, g.interest, g.influence] for g in programme.stakeholders],
                ["text", "int", "int"],
                sheet="Stakeholders",
            )
        )
    if not blocks:
        blocks.append(Paragraph("No engagement activities or stakeholders are recorded."))
    return Section(
        "engagement-detail", "Engagement activities and stakeholders", blocks, "appendix"
    )
