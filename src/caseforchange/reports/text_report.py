"""The free-text part of the consultation report.

Every response considered, themes with Wilson intervals, themes by respondent group
(chi-square), stance by theme, quotes, and "you said, we did". Built on the one report model
(reports/blocks.py), so it renders through the same HTML, PDF, Word and Excel renderers, where
user text is escaped (and never a spreadsheet formula).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from caseforchange.domain.codebook import Codebook
from caseforchange.domain.consultation import YouSaidWeDid
from caseforchange.reports.blocks import (
    Block,
    Bullets,
    Cell,
    Paragraph,
    Report,
    Section,
    Table,
    formats,
)
from caseforchange.text.campaigns import Campaign
from caseforchange.text.charts import themes_chart
from caseforchange.text.ledger import Entry
from caseforchange.text.outputs import (
    quotes,
    stance_by_theme,
    theme_by_group,
    theme_counts,
    you_said_we_did,
)
from caseforchange.text.redact import redact

#: Characters of a campaign's template shown in the report.
TEMPLATE_CHARS = 300


def _pct(fraction: float) -> str:
    return f"{100 * fraction:.1f}%"


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "q"


def text_sections(
    question: str,
    entries: Sequence[Entry],
    codebook: Codebook,
    campaigns: Sequence[Campaign],
    counts: Mapping[str, int],
    records: Sequence[YouSaidWeDid] = (),
    group_names: Mapping[str, str] | None = None,
) -> list[Section]:
    """Return the report sections for one open question's analysis (subsections, level 3)."""
    names = dict(group_names or {})
    key = _key(question)
    total = counts.get("total", len(entries))
    status_rows: list[list[Cell]] = [[k, v] for k, v in counts.items() if k != "total"]
    status_rows.append(["total", total])
    considered: list[Block] = [
        Table(
            f"How each of the {total} responses was considered (the ledger lists every response)",
            ["status", "responses"],
            status_rows,
            formats("text", "int"),
            sheet="Responses considered",
        )
    ]
    if campaigns:
        considered.append(
            Table(
                "Campaigns: template and near-duplicate responses, each counted as its "
                "responses and once as a campaign",
                ["campaign", "responses", "template (redacted)"],
                [[c.id, c.size, _short(redact(c.template), TEMPLATE_CHARS)] for c in campaigns],
                formats("text", "int", "text"),
                sheet="Campaigns",
            )
        )
    tallies = theme_counts(entries, codebook)
    base = tallies[0].share.total if tallies else 0
    themes: list[Block] = [
        Table(
            f"Themes raised, of the {base} responses with a theme (a response may raise "
            "several; 95% Wilson intervals)",
            ["theme", "responses", "share", "95% low", "95% high", "campaigns counted once"],
            [
                [
                    c.name,
                    c.share.count,
                    c.share.fraction,
                    c.share.low,
                    c.share.high,
                    c.counting_campaigns_once,
                ]
                for c in tallies
            ],
            formats("text", "int", "pct", "pct", "pct", "int"),
            sheet="Themes",
        ),
        themes_chart(tallies),
    ]
    by_group: list[Block] = []
    tabs = [(c, theme_by_group(entries, c.theme)) for c in tallies]
    groups = tabs[0][1].groups if tabs else []
    if len(groups) >= 2:
        group_totals = tabs[0][1].totals()
        rows: list[list[Cell]] = []
        for c, tab in tabs:
            raised = {g: row[0] for g, row in zip(tab.groups, tab.counts, strict=True)}
            p = "-" if tab.test is None else f"{tab.test.p_value:.3g}"
            row: list[Cell] = [c.name]
            row += [
                f"{raised.get(g, 0)} ({_pct(raised.get(g, 0) / group_totals[g])})" for g in groups
            ]
            row.append(p)
            rows.append(row)
        by_group.append(
            Table(
                "Responses raising each theme, by respondent group (of the group's themed "
                "responses), with the chi-square test of independence (p)",
                ["theme"] + [f"{names.get(g, g)} (n={group_totals[g]})" for g in groups] + ["p"],
                rows,
                sheet="Themes by group",
                wide=len(groups) > 4,
            )
        )
        by_group += [Paragraph(note) for note in sorted({t.note for _, t in tabs if t.note})]
    else:
        by_group.append(Paragraph("Only one respondent group answered."))
    table = stance_by_theme(entries, codebook)
    stance: list[Block] = [
        Table(
            "Stance of the responses raising each theme",
            ["theme", *codebook.stances],
            [[c.name, *[table[c.theme].get(s, 0) for s in codebook.stances]] for c in tallies],
            formats("text", ("int", len(codebook.stances))),
            sheet="Stance by theme",
        )
    ]
    quoted: list[Block] = []
    for c in tallies:
        chosen = quotes(entries, c.theme)
        if chosen:
            quoted.append(Bullets([f"“{e.text}” ({e.response})" for e in chosen], lead=c.name))
    said: list[Block] = [
        Table(
            "Each theme, the responses that raised it, and the programme's response",
            ["you said", "responses", "we did", "status", "response ids"],
            [
                [r.name, r.count, r.we_did, r.status, _short(", ".join(r.responses), 200)]
                for r in you_said_we_did(entries, codebook, records)
            ],
            formats("text", "int", "text", "text", "text"),
            sheet="You said we did (text)",
            wide=True,
        )
    ]
    return [
        Section(
            f"text-{key}-considered", f"Every response considered: {question}", considered, level=3
        ),
        Section(f"text-{key}-themes", "Themes", themes, level=3),
        Section(f"text-{key}-groups", "Themes by respondent group", by_group, level=3),
        Section(f"text-{key}-stance", "Stance by theme", stance, level=3),
        Section(
            f"text-{key}-quotes", "Representative quotes (personal data redacted)", quoted, level=3
        ),
        Section(f"text-{key}-said", "You said, we did", said, level=3),
    ]


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def text_report(title: str, sections: list[Section], illustrative: str | None) -> Report:
    """Return a stand-alone report of the free-text sections (for ``text report``)."""
    summary = Section(
        "text-summary",
        "About this report",
        [
            Paragraph(
                "Free-text answers: how every response was considered, the themes people "
                "raised and by whom, stance, campaigns and what the programme did."
            )
        ],
    )
    return Report(
        title=title,
        subtitle="Free-text analysis of consultation responses",
        programme_id="",
        illustrative_note=illustrative,
        date="",
        sections=[summary, *sections],
        provenance={},
        kind="consultation",
    )
