"""The Board paper's engagement and consultation evidence, from the consultation report's parts."""

from __future__ import annotations

from dataclasses import replace

from caseforchange.domain.engagement import ActivityKind
from caseforchange.domain.programme import Programme
from caseforchange.engagement.charts import timeline_chart
from caseforchange.engagement.plan import consultation_days
from caseforchange.io.engagement_file import LoadedEngagement
from caseforchange.reports import consultation as parts
from caseforchange.reports.blocks import (
    Block,
    Bullets,
    Paragraph,
    Section,
    Table,
    formats,
    plural,
)
from caseforchange.text.outputs import quotes, stance_by_theme, theme_counts

#: Free-text themes the Board paper shows per question; the consultation report has them all.
MAX_THEMES = 6
#: Words of a representative answer the Board paper quotes.
QUOTE_WORDS = 30


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
    Open questions with coded free text add their themes (:func:`free_text_blocks`).
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
            Paragraph(
                "No consultation responses have been imported yet, so no question results are "
                "reported."
            )
        )
    if parts.questions_with_codebooks(engaged):
        missing = parts.text_extra_missing()
        if missing is not None:
            blocks.append(Paragraph(parts.text_extra_hint(missing)))
        else:
            for coded in parts.coded_questions(engaged):
                blocks += free_text_blocks(coded)
    said = parts.you_said_we_did(engaged)
    if said is not None:
        # Three columns read well in portrait; a landscape page would break the body's flow.
        blocks.append(replace(said, wide=False))
    return Section("engagement", "Engagement and consultation", blocks)


def _quote(text: str, words: int = QUOTE_WORDS) -> str:
    """Return the first ``words`` words of an answer, marked when shortened."""
    split = text.split()
    return text.strip() if len(split) <= words else " ".join(split[:words]) + " …"


def free_text_blocks(coded: parts.CodedQuestion) -> list[Block]:
    """Return one coded open question's themes for the Board paper, in a third of a page.

    How the answers were considered, then the largest themes (at most :data:`MAX_THEMES`):
    responses, share of the responses with a theme and its 95% Wilson interval, stance, and a
    representative quote each (redacted). Labelled illustrative when the codebook is.
    """
    book, result = coded.codebook, coded.analysis
    entries = result.ledger
    counts = theme_counts(entries, book)
    themed = counts[0].share.total if counts else 0
    by_person = [e for e in entries if e.decided_by.startswith("person") and not e.campaign]
    person = sum(1 for e in by_person if e.themes)
    model = sum(1 for e in entries if e.decided_by == "model" and e.themes and not e.campaign)
    members = result.counts.get("campaign member", 0)
    total = result.counts.get("total", len(entries))
    lead = (
        f"Free-text answers to “{coded.text}” ({plural(total, 'response')}, from "
        f"{coded.source}): {themed} raised at least one of the codebook's "
        f"{plural(len(book.themes), 'theme')}. A person coded {len(by_person)}"
        + (f" ({person} with a theme)" if person != len(by_person) else "")
        + (f"; a model trained on those codings proposed themes for {model} more" if model else "")
        + (
            f"; {members} were copies of {plural(len(result.campaigns), 'campaign letter')}, "
            "counted with their campaign's themes"
            if members
            else ""
        )
        + ". Shares are of the responses with a theme (one may raise several), with 95% Wilson"
        " intervals; the stance columns count those responses by their stance on the proposal"
        f" ({', '.join(book.stances)}). The consultation report has every theme by respondent"
        " group and the ledger of every response."
    )
    blocks: list[Block] = [Paragraph(lead)]
    if book.illustrative:
        note = book.note or "the answers and their coding are not real."
        if not note.lower().startswith("illustrative"):
            note = f"Illustrative: {note}"
        blocks.append(Paragraph(note, emphasis=True))
    if not counts or themed == 0:
        blocks.append(Paragraph("No answer has a theme yet."))
        return blocks
    shown = counts[:MAX_THEMES]
    stance = stance_by_theme(entries, book)
    caption = f"Free-text themes: {coded.text}" + (" (illustrative)" if book.illustrative else "")
    if len(shown) < len(counts):
        caption += f"; the {len(shown)} largest of {len(counts)}"
    blocks.append(
        Table(
            caption,
            ["theme", "responses", "share", "95% low", "95% high", *book.stances],
            [
                [
                    c.name,
                    c.share.count,
                    c.share.fraction,
                    c.share.low,
                    c.share.high,
                    *[stance[c.theme].get(s, 0) for s in book.stances],
                ]
                for c in shown
            ],
            formats("text", "int", ("pct", 3), ("int", len(book.stances))),
            sheet="Free-text themes",
        )
    )
    said = []
    for c in shown:
        chosen = quotes(entries, c.theme, limit=1)
        if chosen:
            said.append(f"{c.name}: “{_quote(chosen[0].text)}” ({chosen[0].response})")
    if said:
        blocks.append(
            Bullets(said, lead="A representative answer for each (personal data redacted):")
        )
    return blocks


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
